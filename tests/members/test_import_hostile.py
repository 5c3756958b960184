"""Crafted member files: none may exhaust the server, none gives a 500, each gets a
Vietnamese message and nothing is imported. Files are built in memory: a real
workbook from openpyxl whose sheet XML is then replaced by the crafted one."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from members import imports
from members.models import ImportBatch, Member
from tests.factories.times import at

HEADER_XML = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Trạng thái</t></is></c></row>'
)
OFFICIAL = "Ngày công nhận chính thức"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_with_sheet(sheet_xml: str) -> bytes:
    """A valid .xlsx whose first sheet's XML is `sheet_xml`."""
    book = Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    crafted = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(item, data)
    return crafted.getvalue()


def sheet(rows_xml: str, dimension="A1:B2", prolog="") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS}>'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )


def member_row(line, name="Nguyễn Văn A"):
    return (
        f'<row r="{line}"><c r="A{line}" t="inlineStr"><is><t>{name}</t></is></c>'
        f'<c r="B{line}" t="inlineStr"><is><t>Chính thức</t></is></c></row>'
    )


def plan_for(org, filename, content):
    batch = ImportBatch.objects.create(
        organization=org, filename=filename, content=content
    )
    with translation.override("vi"):
        return imports.plan_import(batch)


def test_a_declared_huge_dimension_is_ignored_and_memory_stays_small(tree):
    """4.9 KB claiming A1:XFD1048576 with one cell at the last row: read as what it
    holds, in little memory (it used to materialise 1,048,576 × 16,384 cells)."""
    content = workbook_with_sheet(
        sheet(
            HEADER_XML + member_row(2) + member_row(1048576, "Cuối Cùng"),
            dimension="A1:XFD1048576",
        )
    )
    assert len(content) < 10_000

    tracemalloc.start()
    plan = plan_for(tree.cell, "big.xlsx", content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert peak < 50 * 1024 * 1024, peak
    assert plan.errors == []
    assert [(row.line, row.data["full_name"]) for row in plan.rows] == [
        (2, "Nguyễn Văn A"),
        (1048576, "Cuối Cùng"),
    ]


def test_too_many_rows_stop_at_the_limit_with_a_message(tree):
    rows = "".join(member_row(line) for line in range(2, imports.MAX_ROWS + 600))
    content = workbook_with_sheet(sheet(HEADER_XML + rows))

    plan = plan_for(tree.cell, "many.xlsx", content)

    assert plan.rows == []
    assert plan.errors == ["Mỗi tệp có tối đa 5000 dòng."]


@pytest.mark.parametrize(
    "prolog",
    [
        # An entity bomb (billion laughs).
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        # An external entity.
        '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_xml_entities_are_refused(tree, prolog):
    content = workbook_with_sheet(sheet(HEADER_XML + member_row(2), prolog=prolog))

    plan = plan_for(tree.cell, "entity.xlsx", content)

    assert plan.rows == []
    assert plan.errors == ["Không đọc được tệp Excel."]


def test_a_zip_that_unpacks_too_large_is_refused(tree):
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (80 * 1024 * 1024))
    content = crafted.getvalue()
    assert len(content) < 1024 * 1024

    plan = plan_for(tree.cell, "bomb.xlsx", content)

    assert plan.errors == ["Tệp Excel quá lớn khi giải nén."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "Họ và tên,Trạng thái\n" + "A" * 200_000 + ",Chính thức\n",
            "Dòng 2 của tệp CSV không đọc được: có ô dài quá 131.072 ký tự.",
        ),
        (
            "Họ và tên,Trạng thái\nNguyễn\x00Văn A,Chính thức\n",
            "Tệp CSV có ký tự NUL: đây không phải tệp văn bản.",
        ),
    ],
)
def test_malformed_csv_gets_a_message(tree, content, message):
    plan = plan_for(tree.cell, "bad.csv", content.encode())

    assert plan.rows == []
    assert plan.errors == [message]


def test_a_bare_carriage_return_ends_a_line(tree):
    content = "Họ và tên,Trạng thái\rNguyễn Văn A,Chính thức\rTrần Thị B,Dự bị\r"

    plan = plan_for(tree.cell, "mac.csv", content.encode())

    assert plan.errors == []
    assert [row.data["full_name"] for row in plan.rows] == [
        "Nguyễn Văn A",
        "Trần Thị B",
    ]


def test_bidi_and_zero_width_characters_are_removed_from_names(tree):
    """U+202E and U+200B defeated the name + birth-date de-duplication."""
    content = (
        f"Họ và tên,Trạng thái,Ngày sinh,Ngày kết nạp,{OFFICIAL}\n"
        "Nguyễn Văn\u200b A,Chính thức,01/01/1980,01/01/2010,01/01/2011\n"
        "Nguyễn \u202eVăn A,Chính thức,01/01/1980,01/01/2010,01/01/2011\n"
    )

    plan = plan_for(tree.cell, "names.csv", content.encode())

    assert [row.data["full_name"] for row in plan.rows] == ["Nguyễn Văn A"] * 2
    assert plan.rows[0].errors == []
    assert plan.rows[1].errors == ["Trùng đảng viên với dòng 2."]


def test_invisible_characters_are_removed_from_card_numbers():
    column = imports.COLUMN_BY_KEY["party_card_number"]

    assert imports._parse_cell(column, "01\u202e2\u200b3\ufeff") == "0123"


def test_a_card_of_another_organisation_does_not_say_where(tree):
    tree.outsider.party_card_number = "999888"
    tree.outsider.save()
    content = "Họ và tên,Trạng thái,Số thẻ đảng viên\nNgô Thị Ngoài,Chính thức,999888\n"

    plan = plan_for(tree.cell, "card.csv", content.encode())

    assert plan.rows[0].errors == [
        "Số thẻ đảng viên 999888 đã được đăng ký. Hãy hỏi cấp ủy cấp trên để chuyển "
        "sinh hoạt đảng."
    ]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        (
            "big.xlsx",
            workbook_with_sheet(
                sheet(HEADER_XML + member_row(1048576), dimension="A1:XFD1048576")
            ),
        ),
        (
            "entity.xlsx",
            workbook_with_sheet(
                sheet(
                    HEADER_XML,
                    prolog='<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                )
            ),
        ),
        ("nul.csv", b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n\x00\n"),
        ("long.csv", b"H,T\n" + b"A" * 200_000 + b",x\n"),
        ("a." * 200 + "csv", "Họ và tên,Trạng thái\nA,Chính thức\n".encode()),
    ],
)
def test_crafted_uploads_never_give_a_500(tree, persona_client, filename, content):
    client = persona_client("secretary")
    members_before = Member.objects.count()
    url = reverse("members:import-upload", args=[tree.cell.pk])

    uploaded = client.post(url, {"file": SimpleUploadedFile(filename, content)})
    pages = [uploaded]
    if uploaded.status_code == 302:
        pages.append(client.get(uploaded["Location"]))
        pages.append(client.post(uploaded["Location"]))

    assert [page.status_code for page in pages] in ([200], [302, 200, 200])
    assert Member.objects.count() == members_before
    for page in pages[::2] if len(pages) == 3 else pages:
        assert "Traceback" not in page.content.decode()


def test_the_raw_file_is_deleted_once_committed(tree):
    content = (
        f"Họ và tên,Trạng thái,Ngày kết nạp,{OFFICIAL}\n"
        "Nguyễn Văn A,Chính thức,01/01/2010,01/01/2011\n"
    ).encode()
    batch = ImportBatch.objects.create(
        organization=tree.cell, filename="ok.csv", content=content
    )

    imports.commit_import(batch=batch, by=None)

    batch.refresh_from_db()
    assert bytes(batch.content) == b""
    assert batch.result == {"created": 1, "updated": 0}


def test_abandoned_files_are_deleted_after_the_retention(tree, settings, clock):
    from datetime import timedelta

    settings.CHIBO_IMPORT_RETENTION_HOURS = 24
    start = at(2026, 10, 13, 9, 0)
    clock(start)
    old = ImportBatch.objects.create(
        organization=tree.cell, filename="old.csv", content=b"x"
    )
    clock(start + timedelta(hours=20))
    recent = ImportBatch.objects.create(
        organization=tree.cell, filename="new.csv", content=b"y"
    )
    clock(start + timedelta(hours=25))

    purged = imports.purge_import_files()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert purged == 1
    assert (bytes(old.content), bytes(recent.content)) == (b"", b"y")
    assert old.status == ImportBatch.Status.EXPIRED
