"""Pages of the dues ledger: the cell's monthly sheet and year ledger, their
exports, corrections, decisions, and each member's own dues."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import hooks, permissions, selectors
from members.models import ImportBatch
from members.views import apply_errors

from . import exports, imports, rules, services
from .forms import (
    AdjustmentForm,
    BaseForm,
    CashForm,
    CategoryForm,
    DecisionForm,
    ReliefForm,
    SheetRowForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(year, month):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def _cell_for_dues(user, pk, *, keep=False):
    """The cell `pk` if in reach (else 404) and the user may read its dues, or keep
    them when `keep` (else 403)."""
    cell = selectors.get_organization_for_user(user, pk)
    if not cell.is_cell:
        raise Http404
    scope = selectors.get_scope(user)
    allowed = (
        permissions.can_keep_dues(scope, cell)
        if keep
        else permissions.can_read_dues(scope, cell)
    )
    if not allowed:
        raise PermissionDenied
    return cell


def _sheet_url(cell, month):
    return reverse("members:dues-sheet", args=[cell.pk, month.year, month.month])


@require_http_methods(["GET"])
def dues_home(request, pk):
    cell = _cell_for_dues(request.user, pk)
    return redirect(_sheet_url(cell, timezone.localdate().replace(day=1)))


def _row_forms(sheet, data=None):
    forms = []
    for line in sheet["lines"]:
        initial = {}
        if line.payment is not None:
            initial = {
                "paid_amount": line.payment.paid_amount or None,
                "paid_on": line.payment.paid_on,
                "channel": line.payment.channel,
                "receipt_reference": line.payment.receipt_reference,
                "excuse": line.payment.excuse,
            }
        forms.append(
            (line, SheetRowForm(data, prefix=f"m{line.member.pk}", initial=initial))
        )
    return forms


@require_http_methods(["GET", "POST"])
def dues_sheet(request, pk, year, month):
    cell = _cell_for_dues(request.user, pk)
    month = _month(year, month)
    scope = selectors.get_scope(request.user)
    can_keep = permissions.can_keep_dues(scope, cell)
    sheet = rules.collection_sheet(cell, month)
    is_open = not sheet["record"].is_closed
    rows = _row_forms(sheet, request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        if all(form.is_valid() for _line, form in rows):
            data = {line.member.pk: form.cleaned_data for line, form in rows}
            try:
                services.save_sheet(cell=cell, month=month, rows=data, by=request.user)
            except ValidationError as exc:
                error = exc.messages
            else:
                messages.success(request, _("Dues sheet saved."))
                return redirect(_sheet_url(cell, month))
        else:
            error = [_("Some rows have mistakes: see the highlighted fields.")]
    meetings = hooks.meeting_attendance(cell, month) if can_keep and is_open else []
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    following = (month.replace(day=28) + date.resolution * 4).replace(day=1)
    return render(
        request,
        "members/dues/sheet.html",
        {
            "cell": cell,
            "org": cell,
            "sheet": sheet,
            "rows": rows,
            "month": month,
            "can_keep": can_keep,
            "editable": can_keep and is_open,
            "errors": error,
            "meetings": meetings,
            "cash_form": CashForm(initial={"paid_on": timezone.localdate()}),
            "previous": previous,
            "following": following,
        },
    )


@require_POST
def dues_cash(request, pk, year, month):
    cell = _cell_for_dues(request.user, pk, keep=True)
    month = _month(year, month)
    form = CashForm(request.POST)
    ids = []
    for value in request.POST.getlist("member"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    if form.is_valid() and ids:
        try:
            marked = services.record_cash_payments(
                cell=cell,
                month=month,
                member_ids=ids,
                paid_on=form.cleaned_data["paid_on"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(n)s members marked as paid in cash.") % {"n": marked}
            )
    else:
        messages.error(request, _("Choose the members and the date of payment."))
    return redirect(_sheet_url(cell, month))


@require_POST
def dues_close(request, pk, year, month):
    cell = _cell_for_dues(request.user, pk, keep=True)
    month = _month(year, month)
    try:
        services.close_dues_month(cell=cell, month=month, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The month's dues are closed."))
    return redirect(_sheet_url(cell, month))


@require_http_methods(["GET", "POST"])
def dues_adjust(request, pk, year, month):
    cell = _cell_for_dues(request.user, pk, keep=True)
    month = _month(year, month)
    sheet = rules.collection_sheet(cell, month)
    members = [line.member for line in sheet["lines"]]
    form = AdjustmentForm(
        request.POST or None,
        members=members,
        initial={"paid_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next((m for m in members if m.pk == data["member"]), None)
        try:
            services.add_dues_adjustment(
                cell=cell,
                month=month,
                member=member,
                amount=data["amount"],
                paid_on=data["paid_on"],
                channel=data["channel"],
                receipt_reference=data["receipt_reference"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Correction recorded."))
            return redirect(_sheet_url(cell, month))
    return render(
        request,
        "members/dues/adjust.html",
        {"cell": cell, "org": cell, "month": month, "form": form, "sheet": sheet},
    )


@require_http_methods(["GET"])
def dues_year(request, pk, year):
    cell = _cell_for_dues(request.user, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    ledger = rules.year_ledger(cell, year, today=timezone.localdate())
    scope = selectors.get_scope(request.user)
    return render(
        request,
        "members/dues/year.html",
        {
            "cell": cell,
            "org": cell,
            "ledger": ledger,
            "can_keep": permissions.can_keep_dues(scope, cell),
            "decision_form": DecisionForm(initial={"decided_on": timezone.localdate()}),
        },
    )


@require_POST
def dues_decide(request, pk, year, member_pk):
    cell = _cell_for_dues(request.user, pk, keep=True)
    member = cell.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.record_dues_decision(
            member=member, year=year, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The cell's decision is recorded."))
    else:
        messages.error(request, _("Choose the decision and its date."))
    return redirect("members:dues-year", pk=cell.pk, year=year)


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET"])
def dues_sheet_xlsx(request, pk, year, month):
    cell = _cell_for_dues(request.user, pk)
    month = _month(year, month)
    sheet = rules.collection_sheet(cell, month)
    return _download(exports.sheet_xlsx(sheet), f"dang-phi-{month:%Y-%m}.xlsx", XLSX)


@require_http_methods(["GET"])
def dues_sheet_pdf(request, pk, year, month):
    cell = _cell_for_dues(request.user, pk)
    month = _month(year, month)
    sheet = rules.collection_sheet(cell, month)
    return _download(
        exports.sheet_pdf(sheet), f"dang-phi-{month:%Y-%m}.pdf", "application/pdf"
    )


@require_http_methods(["GET"])
def dues_year_xlsx(request, pk, year):
    cell = _cell_for_dues(request.user, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    ledger = rules.year_ledger(cell, year, today=timezone.localdate())
    return _download(exports.year_xlsx(ledger), f"so-dang-phi-{year}.xlsx", XLSX)


@require_http_methods(["GET"])
def dues_year_pdf(request, pk, year):
    cell = _cell_for_dues(request.user, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    ledger = rules.year_ledger(cell, year, today=timezone.localdate())
    return _download(
        exports.year_pdf(ledger), f"so-dang-phi-{year}.pdf", "application/pdf"
    )


# --- a member's own dues ---------------------------------------------------------


def _member_for_dues(user, pk):
    member = selectors.get_member_for_user(user, pk)
    scope = selectors.get_scope(user)
    own = member.pk == scope.member_id
    if not (own or permissions.can_read_dues(scope, member.organization)):
        raise PermissionDenied
    return member, scope, own


@require_http_methods(["GET", "POST"])
def member_dues(request, pk):
    member, scope, own = _member_for_dues(request.user, pk)
    today = timezone.localdate()
    can_keep = permissions.can_keep_dues(scope, member.organization)
    can_base = can_keep or own
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "category": CategoryForm(
            request.POST if action == "category" else None,
            initial={"start": today.replace(day=1)},
            prefix="category",
        ),
        "base": BaseForm(
            request.POST if action == "base" else None,
            initial={"month": today.replace(day=1)},
            prefix="base",
        ),
        "relief": ReliefForm(
            request.POST if action == "relief" else None,
            initial={"first_month": today.replace(day=1)},
            prefix="relief",
        ),
    }
    if request.method == "POST":
        allowed = can_base if action == "base" else can_keep
        if action not in forms:
            raise Http404
        if not allowed:
            raise PermissionDenied
        form = forms[action]
        if form.is_valid():
            try:
                _save_member_form(action, member, form.cleaned_data, request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("members:member-dues", pk=member.pk)
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year)
    return render(
        request,
        "members/dues/member.html",
        {
            "member": member,
            "org": member.organization,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "lines": rules.member_year(member, year, today=today),
            "categories": list(member.dues_categories.all()),
            "bases": list(member.dues_bases.select_related("entered_by__member")),
            "reliefs": list(member.dues_reliefs.all()),
            "adjustments": list(member.dues_adjustments.all()),
            "forms": forms,
            "can_keep": can_keep,
            "can_base": can_base,
        },
    )


def _save_member_form(action, member, data, user):
    if action == "category":
        services.set_dues_category(member=member, by=user, **data)
    elif action == "base":
        services.set_dues_base(member=member, by=user, **data)
    else:
        services.add_dues_relief(member=member, by=user, **data)


# --- import of a year's opening balances and categories ------------------------------


@require_http_methods(["GET", "POST"])
def dues_import(request, pk):
    cell = _cell_for_dues(request.user, pk, keep=True)
    today = timezone.localdate()
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    form = imports.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = imports.stage_dues_import(
            cell=cell, upload=form.cleaned_data["file"], year=year, by=request.user
        )
        return redirect("members:dues-import-preview", pk=cell.pk, batch=batch.pk)
    return render(
        request,
        "members/dues/import_upload.html",
        {"cell": cell, "org": cell, "form": form, "year": year},
    )


@require_http_methods(["GET", "POST"])
def dues_import_preview(request, pk, batch):
    cell = _cell_for_dues(request.user, pk, keep=True)
    batch = ImportBatch.objects.filter(
        pk=batch, organization=cell, kind=ImportBatch.Kind.DUES
    ).first()
    if batch is None or batch.created_by_id != request.user.pk:
        raise Http404
    if batch.status != ImportBatch.Status.STAGED:
        messages.error(request, _("This import was already processed."))
        return redirect("members:dues-home", pk=cell.pk)
    plan = imports.plan_dues_import(batch)
    if request.method == "POST":
        try:
            count = imports.commit_dues_import(batch=batch, by=request.user)
        except imports.DuesImportRejectedError as rejected:
            plan = rejected.plan
            messages.error(
                request, _("Nothing was imported: fix the rows listed below.")
            )
        else:
            messages.success(
                request, _("Import finished: %(n)s members updated.") % {"n": count}
            )
            return redirect("members:dues-year", pk=cell.pk, year=plan.year)
    return render(
        request,
        "members/dues/import_preview.html",
        {"cell": cell, "org": cell, "batch": batch, "plan": plan},
    )
