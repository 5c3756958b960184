"""Importing members from a file (preview, commit) and the .xlsx export.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import io
from datetime import date

from django.urls import reverse

from members.imports import COLUMNS
from members.models import ImportBatch, Member, MemberStatus
from tests.factories import MemberFactory
from tests.factories.files import XLSX
from tests.factories.members import probationary
from tests.factories.times import today
from tests.members.views.expected import IMPORT_CSV
from tests.support.pages import between, get_html


def test_import_upload_preview_and_commit(tree, persona_client):
    # Arrange
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = persona_client("secretary")
    upload = SimpleUploadedFile(
        "dang-vien.csv", IMPORT_CSV.encode(), content_type="text/csv"
    )

    # Act
    staged = client.post(
        reverse("members:import-upload", args=[tree.cell.pk]), {"file": upload}
    )
    batch = ImportBatch.objects.get()
    preview_url = reverse("members:import-preview", args=[tree.cell.pk, batch.pk])
    preview = get_html(client, preview_url)
    committed = client.post(preview_url)

    # Assert
    assert staged.status_code == 302
    assert staged["Location"] == preview_url
    rows = between(preview, 'id="import-rows"', "</table>")
    assert "<td>2</td><td>Nguyễn Văn Nhập</td><td>Chi bộ Khối phố 5</td>" in rows
    assert committed.status_code == 302
    member = Member.objects.get(full_name="Nguyễn Văn Nhập")
    assert (member.organization, member.status, member.birth_date) == (
        tree.cell,
        MemberStatus.PROBATIONARY,
        date(1995, 9, 2),
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


def read_xlsx(content):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_export_members_of_cell(tree, persona_client):
    # Arrange
    probationary(tree.cell, "Bùi Thị Dự Bị", date(2026, 2, 1))
    MemberFactory(organization=tree.cell, full_name="Đinh Văn Nghỉ", is_active=False)
    url = reverse("members:export-members", args=[tree.cell.pk])

    # Act
    response = persona_client("secretary").get(url)

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="dang-vien-{tree.cell.pk}-{today():%Y%m%d}.xlsx"'
    )
    rows = read_xlsx(response.content)
    header = [column.header for column in COLUMNS]
    assert rows[0] == header
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [(r["Họ và tên"], r["Trạng thái"]) for r in records] == sorted(
        [
            ("Bùi Thị Dự Bị", "Dự bị"),
            ("Lê Văn Bí Thư", "Chính thức"),
            ("Trần Thị Đảng Viên", "Chính thức"),
            *((m.full_name, "Chính thức") for m in tree.others),
        ]
    )
    secretary = next(r for r in records if r["Họ và tên"] == "Lê Văn Bí Thư")
    assert (
        secretary["Ngày sinh"],
        secretary["Ngày kết nạp"],
        secretary["Ngày công nhận chính thức"],
        secretary["Chi bộ"],
    ) == ("17/05/1970", "03/03/2000", "03/03/2001", "Chi bộ Khối phố 5")


def test_export_members_of_ward_covers_its_cells(tree, persona_client):
    # Act
    response = persona_client("committee").get(
        reverse("members:export-members", args=[tree.ward.pk])
    )

    # Assert
    assert response.status_code == 200
    rows = read_xlsx(response.content)[1:]
    cells = [row[-1] for row in rows]
    assert len(rows) == 7
    assert sorted(set(cells)) == ["Chi bộ Khối phố 2", "Chi bộ Khối phố 5"]
    assert tree.outsider.full_name not in [row[0] for row in rows]
