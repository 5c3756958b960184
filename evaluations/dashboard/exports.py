"""Exports of a compliance dashboard: the table as .xlsx (openpyxl) with the same
figures and flags as the page, and a printable PDF summary (WeasyPrint, the vendored
Liberation Serif of the minutes, with a small print stylesheet of its own)."""

import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.spreadsheets import append_row
from meetings.api import render_pdf

from . import queries
from .figures import FLAGS
from .presenters import (
    TABLE_COLUMNS,
    Number,
    Ratio,
    Share,
    headlines,
    raised_flags,
    table_values,
)

PRINT_CSS = "evaluations/dashboard_print.css"  # under static/


def _flag_headers():
    return [str(flag.label) for flag in FLAGS]


# Columns shown as "held / due": two number columns in a spreadsheet.
RATIO_COLUMNS = {"regular", "minutes", "reports"}


def _row(name, kind, stats):
    values = table_values(stats)
    row = [name, kind]
    for key, _label in TABLE_COLUMNS:
        if key == "flags":
            continue
        cells = _cells(values[key])
        row += ([*cells, None])[:2] if key in RATIO_COLUMNS else cells[:1]
    return row + [stats.flags.get(flag.key, 0) for flag in FLAGS]


def _cells(shown):
    """A displayed figure as spreadsheet values, from the numbers it keeps: "5 / 6"
    → [5, 6], "88,9 %" → [0.889] (shown as a percentage), a count → [12]; anything
    else (several figures in one line, "—") stays text."""
    if isinstance(shown, Ratio):
        return [shown.numerator, shown.denominator]
    if isinstance(shown, Share) and shown.fraction is not None:
        return [Percent(shown.fraction)]
    if isinstance(shown, Number):
        return [shown.number]
    return [str(shown)]


class Percent(float):
    """A fraction written with a percentage number format."""


def _append(sheet, values):
    """Append a row (text as text, numbers as numbers) and format percentages."""
    cells = append_row(sheet, values)
    for cell, value in zip(cells, values, strict=True):
        if isinstance(value, Percent):
            cell.number_format = "0.0%"
    return cells


def dashboard_workbook(board):
    """The dashboard as .xlsx bytes: headline figures, the units below (or the cell),
    and every cell of the subtree with its figures and flags."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    with translation.override("vi"):
        book = Workbook(write_only=False)
        bold = Font(bold=True)
        red = PatternFill("solid", fgColor="F4CCCC")
        summary = book.active
        summary.title = _("Summary")[:31]
        _append(summary, [board.node.name])
        _append(summary, [str(board.period.label)])
        _append(
            summary,
            [_("Generated at"), timezone.localtime().strftime("%d/%m/%Y %H:%M")],
        )
        summary.append([])
        _append(
            summary,
            [
                _("Figure"),
                _("Value"),
                _("Out of"),
                _("Detail"),
                _("How is this counted?"),
            ],
        )
        for cell in summary[5]:
            cell.font = bold
        for h in headlines(board):
            value = _cells(h["value"]) if h["available"] else [_("Not yet available")]
            value = ([*value, None])[:2]
            _append(
                summary, [str(h["label"]), *value, str(h["detail"]), str(h["note"])]
            )
        summary.append([])
        _append(summary, [_("Red flag"), _("Cells flagged")])
        summary[summary.max_row][0].font = bold
        for flag in FLAGS:
            _append(summary, [str(flag.label), board.total.flags.get(flag.key, 0)])
        summary.column_dimensions["A"].width = 42
        summary.column_dimensions["B"].width = 28
        summary.column_dimensions["C"].width = 24
        summary.column_dimensions["D"].width = 24
        summary.column_dimensions["E"].width = 80

        headers = [_("Unit"), _("Kind")]
        for key, label in TABLE_COLUMNS:
            if key in RATIO_COLUMNS:
                headers += [str(label), f"{label} — {_('out of')}"]
            elif key != "flags":
                headers.append(str(label))
        headers += _flag_headers()
        first_flag_col = len(headers) - len(FLAGS) + 1
        for title, rows in (
            (
                _("Units below"),
                [(org.name, org.get_kind_display(), s) for org, s in board.rows],
            ),
            (
                _("Cells"),
                [
                    (cell["name"], _("Party cell"), stats)
                    for cell, stats in sorted(
                        queries.per_cell(board.node, board.period).values(),
                        key=lambda item: item[0]["path"],
                    )
                ],
            ),
        ):
            sheet = book.create_sheet(title[:31])
            _append(sheet, headers)
            for cell in sheet[1]:
                cell.font = bold
            for index, (name, kind, stats) in enumerate(rows, start=2):
                values = _row(name, str(kind), stats)
                _append(sheet, values)
                for column in range(first_flag_col, len(headers) + 1):
                    if values[column - 1]:
                        sheet.cell(row=index, column=column).fill = red
            sheet.freeze_panes = "C2"
            sheet.column_dimensions["A"].width = 40
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()


def dashboard_pdf_bytes(request, board):
    """The dashboard's printable summary as PDF bytes (in Vietnamese)."""
    with translation.override("vi"):
        markup = render_to_string(
            "evaluations/dashboard/summary_pdf.html",
            {
                "board": board,
                "node": board.node,
                "period": board.period,
                "headlines": headlines(board),
                "columns": [c for c in TABLE_COLUMNS if c[0] != "flags"],
                "rows": [
                    (
                        org,
                        [table_values(s)[k] for k, _l in TABLE_COLUMNS if k != "flags"],
                        raised_flags(s),
                    )
                    for org, s in board.rows
                ],
                "flag_rows": [
                    (flag, board.total.flags.get(flag.key, 0)) for flag in FLAGS
                ],
                "generated": timezone.localtime(),
            },
        )
    return render_pdf(markup, stylesheet=PRINT_CSS)
