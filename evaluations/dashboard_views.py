"""Compliance dashboard pages: the node's figures, the cells behind a figure, the
meetings behind a cell, and the .xlsx / PDF exports (DOMAIN.md §8)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.models import Meeting, MeetingKind
from members.models import Organization, OrgKind

from . import dashboard as dash
from .rollup import HELD_STATES, current_month, month_start

CELLS_PER_PAGE = 50


def _period(request):
    return dash.Period.parse(request.GET.get("period"))


def _ancestors(node, user):
    """The node's ancestors the user may open a dashboard for (one query)."""
    from members.selectors import get_scope

    scope = get_scope(user)
    ids = [pk for pk in node.ancestor_ids if pk != node.pk]
    return [
        org
        for org in Organization.objects.filter(pk__in=ids).order_by("depth")
        if dash.can_view_dashboard(scope, org)
    ]


def _base_context(request, node, period):
    return {
        "node": node,
        "period": period,
        "periods": period.choices(),
        "ancestors": _ancestors(node, request.user),
    }


@login_required
@require_GET
def dashboard_home(request):
    node = dash.default_node_for(request.user)
    if node is None:
        raise PermissionDenied
    return redirect("evaluations:dashboard", pk=node.pk)


@login_required
@require_GET
def dashboard(request, pk):
    node = dash.get_dashboard_node(request.user, pk)
    period = _period(request)
    board = dash.build(node, period)
    sort = request.GET.get("sort", "flags")
    if sort not in dash.SORT_KEYS:
        sort = "flags"
    descending = request.GET.get("dir", "desc" if sort == "flags" else "asc") == "desc"
    rows = []
    texts = _flag_texts()
    for org, stats in dash.sort_rows(board.rows, sort, descending):
        values = dash.table_values(stats)
        rows.append(
            {
                "org": org,
                "stats": stats,
                "cols": [(key, values.get(key)) for key, _label in dash.TABLE_COLUMNS],
                "flags": dash.raised_flags(stats),
                "chips": flag_chips(
                    dash.raised_flags(stats),
                    period,
                    cell_id=org.pk if org.kind == OrgKind.CELL else None,
                    org_id=org.pk,
                    texts=texts,
                ),
            }
        )
    own = None
    if node.kind == OrgKind.CELL:
        _cell, stats = board.cells.get(node.pk, (None, dash.Stats(cells=1)))
        own = {"flags": dash.raised_flags(stats)}
    context = _base_context(request, node, period) | {
        "board": board,
        "headlines": dash.headlines(board),
        "columns": dash.TABLE_COLUMNS,
        "rows": rows,
        "sort": sort,
        "descending": descending,
        "flags": dash.FLAGS,
        "own": own,
        "trends": board.trends,
        "heatmap_html": heatmap_rows(board),
        "chart": {
            key: ",".join("" if v is None else str(v) for v in values)
            for key, values in board.trends.items()
        },
        "trend_rows": list(
            zip(
                board.trends["labels"],
                board.trends["held"],
                board.trends["attendance"],
                board.trends["speaking"],
                strict=True,
            )
        ),
    }
    return render(request, "evaluations/dashboard/dashboard.html", context)


def _figure_param(request):
    figure = request.GET.get("figure", "")
    if figure in dash.FLAG_BY_KEY or figure in dash.FIGURE_BY_KEY:
        return figure
    return ""


@login_required
@require_GET
def dashboard_cells(request, pk):
    """The cells behind a figure or a flag, worst first, linking to their meetings."""
    node = dash.get_dashboard_node(request.user, pk)
    period = _period(request)
    figure = _figure_param(request)
    cells = dash.per_cell(node, period)
    items = []
    for cell, stats in cells.values():
        if figure in dash.FLAG_BY_KEY and not stats.flags[figure]:
            continue
        values = dash.table_values(stats)
        items.append(
            {
                "cell": cell,
                "stats": stats,
                "cols": [(key, values.get(key)) for key, _label in dash.TABLE_COLUMNS],
                "flags": dash.raised_flags(stats),
                "flag_count": stats.flags.get(figure, 0),
            }
        )
    sort_key = figure if figure in dash.SORT_KEYS else "flags"
    if figure in dash.FLAG_BY_KEY:
        items.sort(key=lambda item: (-item["flag_count"], item["cell"]["path"]))
    else:
        items.sort(
            key=lambda item: (
                -(item["stats"].flag_total),
                item["stats"].sort_value(sort_key) or 0,
                item["cell"]["path"],
            )
        )
    page = Paginator(items, CELLS_PER_PAGE).get_page(request.GET.get("page"))
    context = _base_context(request, node, period) | {
        "figure": figure,
        "keep": [("figure", figure)] if figure else [],
        "flag": dash.FLAG_BY_KEY.get(figure),
        "figure_info": dash.FIGURE_BY_KEY.get(figure),
        "page": page,
        "count": len(items),
        "columns": dash.TABLE_COLUMNS,
    }
    return render(request, "evaluations/dashboard/cells.html", context)


@login_required
@require_GET
def dashboard_cell_meetings(request, pk):
    """The meetings of one cell in the period (or one month of it) behind its figures,
    and the ended months without a held regular meeting."""
    node = dash.get_dashboard_node(request.user, pk)
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
    first, end = months[0], dash.add_months(months[-1], 1)
    meetings = list(
        Meeting.objects.filter(cell=node, planned_date__gte=first, planned_date__lt=end)
        .select_related("minutes")
        .annotate(
            n_required=Count(
                "attendance",
                filter=Q(attendance__was_attached_in=False)
                & ~Q(attendance__status__in=["exempt", "away"]),
            ),
            n_present=Count(
                "attendance",
                filter=Q(
                    attendance__was_attached_in=False, attendance__status="present"
                ),
            ),
            n_unexcused=Count(
                "attendance",
                filter=Q(
                    attendance__was_attached_in=False,
                    attendance__status="absent_unexcused",
                ),
            ),
            n_spoke=Count(
                "attendance",
                filter=Q(attendance__status="present", attendance__spoke=True),
            ),
        )
        .order_by("planned_date", "starts_at")
    )
    this_month = current_month()
    held_months = {
        month_start(m.planned_date)
        for m in meetings
        if m.kind == MeetingKind.REGULAR and m.state in HELD_STATES
    }
    by_month = []
    for month in months:
        in_month = [m for m in meetings if month_start(m.planned_date) == month]
        by_month.append(
            {
                "month": month,
                "meetings": in_month,
                "missed": month < this_month and month not in held_months,
                "closed": month < this_month,
            }
        )
    context = _base_context(request, node, period) | {
        "by_month": by_month,
        "held_states": HELD_STATES,
        "month_filter": months[0]
        if len(months) == 1 and period.kind != "month"
        else None,
        "figure": _figure_param(request),
        "keep": [("figure", _figure_param(request))] if _figure_param(request) else [],
    }
    return render(request, "evaluations/dashboard/cell_meetings.html", context)


@login_required
@require_GET
def dashboard_xlsx(request, pk):
    from .dashboard_exports import dashboard_workbook

    node = dash.get_dashboard_node(request.user, pk)
    period = _period(request)
    board = dash.build(node, period)
    content = dashboard_workbook(board)
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
    from .dashboard_exports import dashboard_pdf_bytes

    node = dash.get_dashboard_node(request.user, pk)
    period = _period(request)
    board = dash.build(node, period)
    content = dashboard_pdf_bytes(request, board)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{node.pk}-{period.key}.pdf"'
    )
    return response


# --- fast HTML for the big repeated parts (a province has ~100 rows × 12 months) ------


def _flag_texts():
    """Each flag's label and short text, translated and escaped once per request."""
    return {
        flag.key: (escape(str(flag.label)), escape(str(flag.short)))
        for flag in dash.FLAGS
    }


def flag_chips(flags, period, *, cell_id=None, org_id=None, texts=None):
    """The red flag links of a row: to the cell's meetings (a cell) or to the list of
    flagged cells (a committee), as in templates/evaluations/dashboard/_flags.html."""
    if not flags:
        return format_html(
            '<span class="text-success small"><i class="bi bi-check-circle" '
            'aria-hidden="true"></i> {}</span>',
            _("no flag"),
        )
    texts = texts or _flag_texts()
    if cell_id is not None:
        base = reverse("evaluations:dashboard-meetings", args=[cell_id])
    else:
        base = reverse("evaluations:dashboard-cells", args=[org_id])
    chips = []
    for flag, count in flags:
        label, short = texts[flag.key]
        times = f" ×{count}" if count > 1 else ""
        chips.append(
            f'<a class="badge dash-flag" href="{base}?period={period.key}&amp;'
            f'figure={flag.key}" title="{label}: {count}" data-flag="{flag.key}">'
            f'<i class="bi bi-flag-fill" aria-hidden="true"></i> {short}{times}'
            f'<span class="visually-hidden"> — {label}</span></a>'
        )
    return mark_safe(" ".join(chips))  # noqa: S308 — escaped texts, our own URLs


def heatmap_rows(board):
    """<tr> rows of the heatmap: one link per unit and month."""
    period = board.period
    rows = []
    for org, squares in board.heatmap:
        name = escape(org.name)
        if org.kind == OrgKind.CELL:
            base = reverse("evaluations:dashboard-meetings", args=[org.pk])
            query = f"?period={period.key}&amp;month="
        else:
            base = reverse("evaluations:dashboard", args=[org.pk])
            query = "?period="
        cells = "".join(
            f'<td class="text-center p-1"><a class="dash-sq dash-sq-{sq["level"]}" '
            f'href="{base}{query}{sq["month"]:%Y-%m}" '
            f'title="{name} {sq["month"]:%m/%Y}">{sq["held"]}/{sq["cells"]}</a></td>'
            for sq in squares
        )
        rows.append(f'<tr><th scope="row" class="fw-normal">{name}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 — escaped names, our own URLs
