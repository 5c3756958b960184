"""Writing spreadsheets nobody can turn against their reader.

Text from the database (a member's name, a phone, a cell's name) is written as text
cells, never as a formula, whatever it starts with (`= + - @`, tab or CR would make
Excel or LibreOffice evaluate it: "CSV/formula injection"). Numbers stay numbers.
Every .xlsx the product writes appends its rows through `append_row`.
"""

from datetime import date, datetime
from decimal import Decimal

from openpyxl.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet, values):
    """Append `values` to an openpyxl worksheet: str as text cells (data type "s",
    so never a formula), int/float/Decimal as numbers, dates as dates, None empty.
    Returns the appended cells."""
    cells = []
    for value in values:
        cell = Cell(sheet)
        if isinstance(value, (int, float, Decimal, date, datetime)) or value is None:
            cell.value = value
        else:
            cell.value = str(value)
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cells.append(cell)
    sheet.append(cells)
    return cells


def csv_safe(value):
    """A value for a CSV cell: text that a spreadsheet would read as a formula is
    prefixed with an apostrophe (the convention spreadsheets display as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
