"""The dues sheet of a month and the ledger of a year as .xlsx (numbers stay
numbers, text never a formula: chibo.spreadsheets) and as PDF in the layout of
party documents (HD 36: superior and cell at the top left, the Party's name and
place and date at the top right, a centred title), printed by the one PDF engine."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.spreadsheets import append_row
from members import hooks
from members.selectors import org_ancestors

from .rules import LineStatus


def status_label(status):
    return str(LineStatus(status).label)


def _workbook(title):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    return workbook, sheet


def _bold_row(sheet, values):
    from openpyxl.styles import Font

    for cell in append_row(sheet, values):
        cell.font = Font(bold=True)


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_xlsx(sheet):
    """The collection sheet of one month: one row per member, then the totals."""
    month = sheet["month"]
    workbook, ws = _workbook(_("Dues %(month)s") % {"month": f"{month:%m-%Y}"})
    append_row(ws, [sheet["cell"].name])
    append_row(ws, [_("Party dues of %(month)s") % {"month": f"{month:%m/%Y}"}])
    _bold_row(
        ws,
        [
            _("No."),
            _("Full name"),
            _("Dues category"),
            _("Base amount (đồng)"),
            _("Amount due"),
            _("Amount paid"),
            _("Paid on"),
            _("Channel"),
            _("Portal receipt reference"),
            _("Status"),
            _("Note"),
        ],
    )
    for index, line in enumerate(sheet["lines"], start=1):
        payment = line.payment
        append_row(
            ws,
            [
                index,
                line.member.full_name,
                line.get_category_display(),
                line.base,
                line.due,
                line.paid,
                payment.paid_on if payment and payment.paid_on else None,
                payment.get_channel_display() if payment and payment.channel else "",
                payment.receipt_reference if payment else "",
                status_label(line.status),
                payment.excuse if payment else "",
            ],
        )
    totals = sheet["totals"]
    _bold_row(ws, ["", _("Total"), "", None, totals.due, totals.paid])
    append_row(
        ws,
        ["", _("Kept by the cell"), "", None, None, sheet["retained_amount"]],
    )
    append_row(
        ws,
        [
            "",
            _("Remitted to the superior committee"),
            "",
            None,
            None,
            sheet["remitted_amount"],
        ],
    )
    for row in ws.iter_rows(min_row=4, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    for letter, width in zip(
        "ABCDEFGHIJK", (6, 28, 24, 16, 14, 14, 12, 22, 20, 14, 28), strict=True
    ):
        ws.column_dimensions[letter].width = width
    return _save(workbook)


def year_xlsx(ledger):
    """The year's ledger: per member what was due and paid each month."""
    year = ledger["year"]
    workbook, ws = _workbook(_("Dues %(year)s") % {"year": year})
    append_row(ws, [ledger["cell"].name])
    append_row(ws, [_("Party dues ledger %(year)s") % {"year": year}])
    header = [_("No."), _("Full name")]
    for month in ledger["months"]:
        header += [
            _("Due %(month)s") % {"month": f"{month:%m}"},
            _("Paid %(month)s") % {"month": f"{month:%m}"},
        ]
    header += [_("Due in the year"), _("Paid in the year"), _("Unpaid months")]
    _bold_row(ws, header)
    for index, row in enumerate(ledger["rows"], start=1):
        values = [index, row["member"].full_name]
        due = paid = 0
        for line in row["lines"]:
            if line is None:
                values += [None, None]
                continue
            values += [line.due, line.paid]
            due += line.due
            paid += line.paid
        values += [due, paid, len(row["unpaid"])]
        append_row(ws, values)
    totals = ["", _("Total")]
    for month_totals in ledger["month_totals"]:
        totals += [month_totals.due, month_totals.paid]
    totals += [ledger["year_due"], ledger["year_paid"]]
    _bold_row(ws, totals)
    ws.column_dimensions["B"].width = 28
    return _save(workbook)


def _print_context(cell):
    ancestors = org_ancestors(cell)
    return {
        "cell": cell,
        "superior": ancestors[-1] if ancestors else None,
        "today": timezone.localdate(),
    }


def sheet_pdf(sheet):
    context = _print_context(sheet["cell"]) | {"sheet": sheet}
    html = render_to_string("members/dues/sheet_print.html", context)
    return hooks.render_pdf(html, stylesheet="members/dues_print.css")


def year_pdf(ledger):
    context = _print_context(ledger["cell"]) | {"ledger": ledger}
    html = render_to_string("members/dues/year_print.html", context)
    return hooks.render_pdf(html, stylesheet="members/dues_print.css")
