"""Compliance dashboard pages: the node's figures, the cells behind a figure, the
meetings behind a cell, and the .xlsx / PDF exports (DOMAIN.md §8)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from evaluations.domain import HELD_STATES
from members.models import OrgKind

from . import exports, presenters, queries
from .figures import FIGURE_BY_KEY, FLAG_BY_KEY, FLAGS, SORT_KEYS, Stats
from .periods import Period, add_months, current_month, month_start

CELLS_PER_PAGE = 50


def _period(request):
    return Period.parse(request.GET.get("period"))


def _base_context(request, node, period):
    return {
        "node": node,
        "period": period,
        "periods": period.choices(),
        "ancestors": queries.dashboard_ancestors(node, request.user),
    }


@login_required
@require_GET
def dashboard_home(request):
    node = queries.default_node_for(request.user)
    if node is None:
        raise PermissionDenied
    return redirect("evaluations:dashboard", pk=node.pk)


@login_required
@require_GET
def dashboard(request, pk):
    node = queries.get_dashboard_node(request.user, pk)
    period = _period(request)
    board = queries.build(node, period)
    sort = request.GET.get("sort", "flags")
    if sort not in SORT_KEYS:
        sort = "flags"
    descending = request.GET.get("dir", "desc" if sort == "flags" else "asc") == "desc"
    own = None
    if node.kind == OrgKind.CELL:
        _cell, stats = board.cells.get(node.pk, (None, Stats(cells=1)))
        own = {"flags": presenters.flag_badges(stats, period, cell_id=node.pk)}
    context = _base_context(request, node, period) | {
        "board": board,
        "headlines": presenters.headlines(board),
        "columns": presenters.TABLE_COLUMNS,
        "rows": presenters.children_rows(board, sort, descending),
        "sort": sort,
        "descending": descending,
        "flags": FLAGS,
        "own": own,
        "trends": board.trends,
        "heatmap_rows": presenters.heatmap_rows(board),
        "chart": presenters.chart_series(board.trends),
        "trend_rows": presenters.trend_rows(board.trends),
        "pipeline": queries.pipeline(node, period, request.user),
    }
    return render(request, "evaluations/dashboard/dashboard.html", context)


def _figure_param(request):
    figure = request.GET.get("figure", "")
    if figure in FLAG_BY_KEY or figure in FIGURE_BY_KEY:
        return figure
    return ""


@login_required
@require_GET
def dashboard_cells(request, pk):
    """The cells behind a figure or a flag, worst first, linking to their meetings."""
    node = queries.get_dashboard_node(request.user, pk)
    period = _period(request)
    figure = _figure_param(request)
    items = presenters.cell_items(queries.per_cell(node, period), figure, period)
    page = Paginator(items, CELLS_PER_PAGE).get_page(request.GET.get("page"))
    context = _base_context(request, node, period) | {
        "figure": figure,
        "keep": [("figure", figure)] if figure else [],
        "flag": FLAG_BY_KEY.get(figure),
        "figure_info": FIGURE_BY_KEY.get(figure),
        "page": page,
        "count": len(items),
        "columns": presenters.TABLE_COLUMNS,
    }
    return render(request, "evaluations/dashboard/cells.html", context)


@login_required
@require_GET
def dashboard_cell_meetings(request, pk):
    """The meetings of one cell in the period (or one month of it) behind its figures,
    and the ended months without a held regular meeting."""
    node = queries.get_dashboard_node(request.user, pk)
    if node.kind != OrgKind.CELL:
        raise Http404
    period = _period(request)
    months = period.months
    month_param = request.GET.get("month", "")
    if month_param:
        try:
            chosen = month_start(date.fromisoformat(f"{month_param}-01"))
        except ValueError:
            chosen = None
        if chosen in months:
            months = [chosen]
    meetings = queries.cell_meetings(node, months[0], add_months(months[-1], 1))
    figure = _figure_param(request)
    context = _base_context(request, node, period) | {
        "by_month": presenters.meetings_by_month(meetings, months, current_month()),
        "held_states": HELD_STATES,
        "month_filter": months[0]
        if len(months) == 1 and period.kind != "month"
        else None,
        "figure": figure,
        "keep": [("figure", figure)] if figure else [],
    }
    return render(request, "evaluations/dashboard/cell_meetings.html", context)


@login_required
@never_cache  # personal and compliance data: no copy in any cache
@require_GET
def dashboard_xlsx(request, pk):
    node = queries.get_dashboard_node(request.user, pk)
    period = _period(request)
    board = queries.build(node, period)
    content = exports.dashboard_workbook(board)
    response = HttpResponse(
        content,
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{node.pk}-{period.key}.xlsx"'
    )
    return response


@login_required
@require_GET
def dashboard_pdf(request, pk):
    node = queries.get_dashboard_node(request.user, pk)
    period = _period(request)
    board = queries.build(node, period)
    content = exports.dashboard_pdf_bytes(request, board)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{node.pk}-{period.key}.pdf"'
    )
    return response
