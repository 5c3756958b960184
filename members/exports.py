"""Export members to .xlsx with the same columns the import reads."""

import io

from chibo.spreadsheets import append_row

from .imports import COLUMNS, GENDER_FILE_WORDS, STATUS_FILE_WORDS, ColumnKind
from .models import Member


def _value(member, column):
    if column.key == "cell":
        return member.organization.name
    value = getattr(member, column.key)
    if column.kind == ColumnKind.GENDER:
        return GENDER_FILE_WORDS.get(value, "")
    if column.kind == ColumnKind.STATUS:
        return STATUS_FILE_WORDS[value]
    if column.kind == ColumnKind.DATE:
        return value.strftime("%d/%m/%Y") if value else ""
    return value


def members_xlsx(org):
    """Active members of `org`'s subtree as an .xlsx workbook (bytes). One query."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    append_row(sheet, [column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    members = (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .select_related("organization")
        .order_by("organization__path", "full_name")
    )
    for member in members:
        append_row(sheet, [_value(member, column) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            14, len(column.header) + 4
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
