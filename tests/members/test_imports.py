"""Tests for members.imports and members.exports: files built in memory with openpyxl
and csv, staged, planned and committed for real; and the upload/preview/export views."""

import contextlib
import csv
import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members import exports, imports, services
from members.models import (
    EventKind,
    Gender,
    ImportBatch,
    Member,
    MemberEvent,
    MemberStatus,
)
from tests.factories import MemberFactory

NAME, GENDER, BIRTH, CARD, STATUS = (
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số thẻ đảng viên",
    "Trạng thái",
)
ADMITTED, OFFICIAL, PHONE, EMAIL, CELL = (
    "Ngày kết nạp",
    "Ngày công nhận chính thức",
    "Điện thoại",
    "Email",
    "Chi bộ",
)
HEADER = [NAME, GENDER, BIRTH, CARD, STATUS, ADMITTED, OFFICIAL, PHONE, EMAIL]

GOOD_ROWS = [
    {
        NAME: "Nguyễn Thị Hoa",
        GENDER: "Nữ",
        BIRTH: "05/09/1985",
        CARD: "011234",
        STATUS: "Chính thức",
        ADMITTED: "19/05/2010",
        OFFICIAL: "19/05/2011",
        PHONE: "0912345678",
        EMAIL: "hoa@example.vn",
    },
    {
        NAME: "Trần Văn Nam",
        GENDER: "Nam",
        BIRTH: "1990-12-01",
        CARD: "",
        STATUS: "Dự bị",
        ADMITTED: "03.02.2026",
        OFFICIAL: "",
        PHONE: "",
        EMAIL: "",
    },
    {
        NAME: "Lê  Thị   Mai",  # spaces are normalised
        GENDER: "",
        BIRTH: "",
        CARD: "022345",
        STATUS: "dự bị",
        ADMITTED: "",
        OFFICIAL: "",
        PHONE: "",
        EMAIL: "",
    },
]


def table(rows, header=HEADER):
    return [list(header)] + [[row.get(column, "") for column in header] for row in rows]


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    for values in table(rows, header):
        sheet.append([None if value == "" else value for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, delimiter=","):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(table(rows, header))
    return text.getvalue().encode("utf-8-sig")


def stage(org, content, filename="dang-vien.xlsx", by=None):
    upload = SimpleUploadedFile(filename, content)
    return imports.stage_import(org=org, upload=upload, by=by)


def plan_rows(plan):
    return [(row.line, row.action, row.errors) for row in plan.rows]


def member_values(member):
    return (
        member.organization_id,
        member.full_name,
        member.gender,
        member.birth_date,
        member.party_card_number,
        member.status,
        member.admission_date,
        member.official_date,
        member.phone,
        member.email,
    )


# stage → plan → commit --------------------------------------------------------------


def test_import_xlsx_creates_members_with_their_values(tree, users):
    batch = stage(tree.cell, xlsx_bytes(GOOD_ROWS), by=users.secretary)

    plan = imports.plan_import(batch)
    result = imports.commit_import(batch=batch, by=users.secretary)

    assert plan_rows(plan) == [(2, "create", []), (3, "create", []), (4, "create", [])]
    assert (plan.ok, plan.creates, plan.updates) == (True, 3, 0)
    assert result == {"created": 3, "updated": 0}
    batch.refresh_from_db()
    assert (batch.status, batch.result) == (ImportBatch.Status.COMMITTED, result)
    created = Member.objects.filter(organization=tree.cell).exclude(
        pk__in=[m.pk for m in [tree.secretary, tree.member, *tree.others]]
    )
    assert sorted(member_values(m) for m in created) == [
        (
            tree.cell.pk,
            "Lê Thị Mai",
            "",
            None,
            "022345",
            MemberStatus.PROBATIONARY,
            None,
            None,
            "",
            "",
        ),
        (
            tree.cell.pk,
            "Nguyễn Thị Hoa",
            Gender.FEMALE,
            date(1985, 9, 5),
            "011234",
            MemberStatus.OFFICIAL,
            date(2010, 5, 19),
            date(2011, 5, 19),
            "0912345678",
            "hoa@example.vn",
        ),
        (
            tree.cell.pk,
            "Trần Văn Nam",
            Gender.MALE,
            date(1990, 12, 1),
            "",
            MemberStatus.PROBATIONARY,
            date(2026, 2, 3),
            None,
            "",
            "",
        ),
    ]


def test_import_commit_writes_history_with_the_file_name(tree, users):
    batch = stage(tree.cell, xlsx_bytes(GOOD_ROWS[:1]), by=users.secretary)

    imports.commit_import(batch=batch, by=users.secretary)

    member = Member.objects.get(party_card_number="011234")
    events = MemberEvent.objects.filter(member=member).order_by("pk")
    assert [(e.kind, e.date, e.created_by_id) for e in events][:2] == [
        (EventKind.ADMITTED, date(2010, 5, 19), users.secretary.pk),
        (EventKind.RECOGNISED, date(2011, 5, 19), users.secretary.pk),
    ]
    assert [(e.kind, e.note) for e in events][2:] == [
        (EventKind.JOINED_CELL, "Chi bộ Khối phố 5"),
        (EventKind.IMPORTED, "dang-vien.xlsx"),
    ]


def test_import_xlsx_reads_real_date_and_number_cells(tree):
    row = {
        NAME: "Phan Văn Số",
        BIRTH: datetime(1975, 4, 30),  # a spreadsheet date cell
        CARD: 123456789,
        STATUS: "Chính thức",
        ADMITTED: date(2000, 1, 1),
        OFFICIAL: date(2001, 1, 1),
    }
    batch = stage(tree.cell, xlsx_bytes([row]))

    plan = imports.plan_import(batch)

    assert plan.rows[0].errors == []
    assert {
        key: plan.rows[0].data[key] for key in ("birth_date", "party_card_number")
    } == {
        "birth_date": date(1975, 4, 30),
        "party_card_number": "123456789",
    }


def test_import_float_card_number_loses_no_digits(tree):
    row = {NAME: "Số Thực", STATUS: "Dự bị", CARD: 98765.0}
    batch = stage(tree.cell, xlsx_bytes([row]))

    plan = imports.plan_import(batch)

    assert plan.rows[0].data["party_card_number"] == "98765"


@pytest.mark.parametrize(
    "delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"]
)
def test_import_csv_utf8_bom(tree, delimiter):
    rows = [
        {**GOOD_ROWS[0], "Nơi cư trú": "Số 12, đường Lê Lợi"},
        {**GOOD_ROWS[1], "Nơi cư trú": "Tổ 5, khối phố 5"},
    ]
    header = [*HEADER, "Nơi cư trú"]
    batch = stage(tree.cell, csv_bytes(rows, header, delimiter), "dang-vien.csv")

    plan = imports.plan_import(batch)
    imports.commit_import(batch=batch, by=None)

    assert plan_rows(plan) == [(2, "create", []), (3, "create", [])]
    hoa = Member.objects.get(full_name="Nguyễn Thị Hoa")
    nam = Member.objects.get(full_name="Trần Văn Nam")
    assert (hoa.birth_date, hoa.status, hoa.residence) == (
        date(1985, 9, 5),
        MemberStatus.OFFICIAL,
        "Số 12, đường Lê Lợi",
    )
    assert (nam.admission_date, nam.residence) == (date(2026, 2, 3), "Tổ 5, khối phố 5")


def test_import_headers_by_alias_and_in_any_order(tree):
    header = ["status", "FULL NAME", "date of birth", "Cột lạ"]
    rows = [
        {"status": "official", "FULL NAME": "Alias Văn A", "date of birth": "1/2/1960"}
    ]
    rows[0]["status"] = "probationary"
    batch = stage(tree.cell, csv_bytes(rows, header), "a.csv")

    plan = imports.plan_import(batch)

    assert plan_rows(plan) == [(2, "create", [])]
    assert plan.rows[0].data == {
        "status": MemberStatus.PROBATIONARY,
        "full_name": "Alias Văn A",
        "birth_date": date(1960, 2, 1),
    }


def test_import_csv_not_utf8_is_a_file_error(tree):
    # Windows-1258, as an old Vietnamese Excel may save it (ê, ă, ư are one byte).
    content = "Ho va ten,Trang thai\nNguyên Văn Ư,Dư bi\n".encode("cp1258")
    batch = stage(tree.cell, content, "a.csv")

    plan = imports.plan_import(batch)

    assert (plan.rows, len(plan.errors), plan.ok) == ([], 1, False)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ([NAME, BIRTH], ["Trạng thái"]),
        ([STATUS, BIRTH], ["Họ và tên"]),
        ([BIRTH], ["Họ và tên", "Trạng thái"]),
    ],
)
def test_import_missing_required_column_is_a_file_error(tree, header, missing):
    batch = stage(tree.cell, xlsx_bytes([{NAME: "A", STATUS: "Dự bị"}], header))

    plan = imports.plan_import(batch)

    assert plan.rows == []
    assert len(plan.errors) == len(missing)
    for error, column in zip(plan.errors, missing, strict=True):
        assert column in error
    with pytest.raises(imports.ImportRejectedError):
        imports.commit_import(batch=batch, by=None)


@pytest.mark.parametrize(
    "content", [b"", "\ufeff".encode(), "Họ và tên,Trạng thái\r\n".encode()]
)
def test_import_empty_or_header_only_file_is_refused(tree, content):
    batch = stage(tree.cell, content, "a.csv")

    plan = imports.plan_import(batch)

    assert (plan.rows, len(plan.errors), plan.ok) == ([], 1, False)


def test_import_unreadable_xlsx_is_a_file_error(tree):
    batch = stage(tree.cell, b"PK\x03\x04 not really a zip")

    plan = imports.plan_import(batch)

    assert (plan.rows, len(plan.errors), plan.ok) == ([], 1, False)


# one bad row: nothing is imported ---------------------------------------------------


@pytest.fixture
def card_elsewhere(tree):
    tree.outsider.party_card_number = "999001"
    tree.outsider.save()
    return "999001"


BAD_ROWS = {
    "bad date": (
        {**GOOD_ROWS[1], BIRTH: "31/02/1980"},
        ["Ngày sinh", "31/02/1980"],
    ),
    "unknown status": ({**GOOD_ROWS[1], STATUS: "Đã chuyển"}, ["Trạng thái"]),
    "missing name": ({**GOOD_ROWS[1], NAME: ""}, ["Họ và tên"]),
    "blank name": ({**GOOD_ROWS[1], NAME: "   "}, ["Họ và tên"]),
    "duplicate card": ({**GOOD_ROWS[1], NAME: "Khác", CARD: "011234"}, ["2"]),
    "card elsewhere": ({**GOOD_ROWS[1], CARD: "999001"}, ["999001"]),
    "bad gender": ({**GOOD_ROWS[1], GENDER: "M"}, ["Giới tính"]),
    "official without date": (
        {**GOOD_ROWS[1], STATUS: "Chính thức"},
        ["Ngày công nhận chính thức"],
    ),
    "recognised before admitted": (
        {**GOOD_ROWS[0], CARD: "1", ADMITTED: "01/01/2020", OFFICIAL: "01/01/2019"},
        ["Ngày công nhận chính thức"],
    ),
    "bad email": ({**GOOD_ROWS[1], EMAIL: "hoa@"}, ["Email"]),
    "too long card": ({**GOOD_ROWS[1], CARD: "9" * 33}, ["Số thẻ đảng viên", "32"]),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_import_one_bad_row_imports_nothing(
    tree, users, card_elsewhere, case, file_format
):
    bad_row, fragments = BAD_ROWS[case]
    # Line 1 header, lines 2 and 4 good, line 3 bad.
    rows = [GOOD_ROWS[0], bad_row, GOOD_ROWS[2]]
    content = xlsx_bytes(rows) if file_format == "xlsx" else csv_bytes(rows)
    batch = stage(tree.cell, content, f"members.{file_format}", by=users.secretary)
    members_before, events_before = Member.objects.count(), MemberEvent.objects.count()

    plan = imports.plan_import(batch)
    with pytest.raises(imports.ImportRejectedError) as rejected:
        imports.commit_import(batch=batch, by=users.secretary)

    assert plan.ok is False
    assert [row.line for row in plan.error_rows] == [3]
    (error,) = plan.error_rows[0].errors
    for fragment in fragments:
        assert fragment in error
    assert [row.line for row in rejected.value.plan.error_rows] == [3]
    assert Member.objects.count() == members_before
    assert MemberEvent.objects.count() == events_before
    batch.refresh_from_db()
    assert (batch.status, batch.result) == (ImportBatch.Status.STAGED, {})


def test_import_errors_on_several_rows_name_each_line(tree):
    rows = [
        GOOD_ROWS[0],
        {**GOOD_ROWS[1], BIRTH: "31/02/1980", STATUS: "?"},
        GOOD_ROWS[2],
        {NAME: "", STATUS: "Dự bị"},
    ]
    batch = stage(tree.cell, xlsx_bytes(rows))

    plan = imports.plan_import(batch)

    assert [(row.line, len(row.errors)) for row in plan.error_rows] == [(3, 2), (5, 1)]
    assert "Ngày sinh" in plan.error_rows[0].errors[0]
    assert "Trạng thái" in plan.error_rows[0].errors[1]
    assert "Họ và tên" in plan.error_rows[1].errors[0]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_import_line_numbers_count_blank_rows(tree, file_format):
    rows = [GOOD_ROWS[0], {}, {**GOOD_ROWS[1], BIRTH: "31/02/1980"}]
    content = xlsx_bytes(rows) if file_format == "xlsx" else csv_bytes(rows)
    batch = stage(tree.cell, content, f"members.{file_format}")

    plan = imports.plan_import(batch)

    # The spreadsheet shows the bad row on line 4 (header, good, blank, bad).
    assert [row.line for row in plan.error_rows] == [4]


def test_import_blank_rows_are_skipped(tree):
    rows = [GOOD_ROWS[0], {}, GOOD_ROWS[2]]
    batch = stage(tree.cell, xlsx_bytes(rows))

    plan = imports.plan_import(batch)

    assert [row.data["full_name"] for row in plan.rows] == [
        "Nguyễn Thị Hoa",
        "Lê Thị Mai",
    ]
    assert plan.ok is True


def test_import_duplicate_name_and_birth_date_in_the_file(tree):
    rows = [GOOD_ROWS[1], GOOD_ROWS[0], {**GOOD_ROWS[1], PHONE: "0988"}]
    batch = stage(tree.cell, xlsx_bytes(rows))

    plan = imports.plan_import(batch)

    assert [row.line for row in plan.error_rows] == [4]
    assert "2" in plan.error_rows[0].errors[0]


# re-import updates ------------------------------------------------------------------


def test_reimport_same_file_updates_instead_of_duplicating(tree, users):
    content = xlsx_bytes(GOOD_ROWS)
    imports.commit_import(batch=stage(tree.cell, content), by=users.secretary)
    count = Member.objects.count()
    second = stage(tree.cell, content)

    plan = imports.plan_import(second)
    result = imports.commit_import(batch=second, by=users.secretary)

    assert [(row.line, row.action) for row in plan.rows] == [
        (2, "update"),
        (3, "update"),
        (4, "update"),
    ]
    assert result == {"created": 0, "updated": 3}
    assert Member.objects.count() == count
    hoa = Member.objects.get(party_card_number="011234")
    assert [e.kind for e in hoa.events.filter(kind=EventKind.IMPORTED)] == [
        EventKind.IMPORTED,
        EventKind.IMPORTED,
    ]


def test_reimport_matches_by_card_and_updates_the_values(tree):
    imports.commit_import(batch=stage(tree.cell, xlsx_bytes(GOOD_ROWS)), by=None)
    changed = {**GOOD_ROWS[0], NAME: "Nguyễn Thị Hoa (đổi tên)", PHONE: "0900000000"}
    batch = stage(tree.cell, xlsx_bytes([changed]))

    result = imports.commit_import(batch=batch, by=None)

    assert result == {"created": 0, "updated": 1}
    member = Member.objects.get(party_card_number="011234")
    assert (member.full_name, member.phone) == (
        "Nguyễn Thị Hoa (đổi tên)",
        "0900000000",
    )


def test_reimport_matches_by_name_and_birth_date_without_card(tree):
    imports.commit_import(batch=stage(tree.cell, xlsx_bytes(GOOD_ROWS)), by=None)
    nam = Member.objects.get(full_name="Trần Văn Nam")
    recognised = {
        **GOOD_ROWS[1],
        STATUS: "Chính thức",
        OFFICIAL: "03/02/2027",
        PHONE: "0911111111",
    }
    other_birthday = {**GOOD_ROWS[1], BIRTH: "02/12/1990"}  # a namesake
    batch = stage(tree.cell, xlsx_bytes([recognised, other_birthday]))

    plan = imports.plan_import(batch)
    imports.commit_import(batch=batch, by=None)

    assert [(row.action, row.member) for row in plan.rows] == [
        ("update", nam),
        ("create", None),
    ]
    nam.refresh_from_db()
    assert (nam.status, nam.official_date, nam.phone) == (
        MemberStatus.OFFICIAL,
        date(2027, 2, 3),
        "0911111111",
    )
    assert Member.objects.filter(full_name="Trần Văn Nam").count() == 2
    assert nam.events.filter(kind=EventKind.RECOGNISED).get().date == date(2027, 2, 3)


def test_reimport_with_card_numbers_added_updates_members_without_card(tree):
    imports.commit_import(batch=stage(tree.cell, xlsx_bytes([GOOD_ROWS[1]])), by=None)
    count = Member.objects.count()
    batch = stage(tree.cell, xlsx_bytes([{**GOOD_ROWS[1], CARD: "033456"}]))

    plan = imports.plan_import(batch)

    assert [row.action for row in plan.rows] == ["update"]
    imports.commit_import(batch=batch, by=None)
    assert Member.objects.count() == count
    assert Member.objects.get(full_name="Trần Văn Nam").party_card_number == "033456"


def test_reimport_name_match_is_limited_to_the_organisation(tree):
    # Same name and birth date in another cell of the ward: a different person.
    MemberFactory(
        organization=tree.cell2, full_name="Trần Văn Nam", birth_date=date(1990, 12, 1)
    )
    batch = stage(tree.cell, xlsx_bytes([GOOD_ROWS[1]]))

    plan = imports.plan_import(batch)

    assert [(row.action, row.errors) for row in plan.rows] == [("create", [])]


# importing into a committee ---------------------------------------------------------


def test_import_into_ward_places_rows_in_the_named_cells(tree, users):
    rows = [
        {**GOOD_ROWS[0], CELL: "Chi bộ Khối phố 5"},
        {**GOOD_ROWS[1], CELL: "chi bộ  khối phố 2"},  # case and spaces ignored
    ]
    batch = stage(tree.ward, xlsx_bytes(rows, [*HEADER, CELL]), by=users.committee)

    plan = imports.plan_import(batch)
    result = imports.commit_import(batch=batch, by=users.committee)

    assert [(row.line, row.cell, row.errors) for row in plan.rows] == [
        (2, tree.cell, []),
        (3, tree.cell2, []),
    ]
    assert result == {"created": 2, "updated": 0}
    assert Member.objects.get(full_name="Nguyễn Thị Hoa").organization == tree.cell
    assert Member.objects.get(full_name="Trần Văn Nam").organization == tree.cell2


def test_import_into_ward_needs_the_cell_column(tree):
    batch = stage(tree.ward, xlsx_bytes(GOOD_ROWS))

    plan = imports.plan_import(batch)

    assert plan.rows == []
    assert len(plan.errors) == 1
    assert "Chi bộ" in plan.errors[0]


@pytest.mark.parametrize(
    "cell_name",
    ["Chi bộ Không Có", "Chi bộ Khoa Nội", ""],
    ids=["unknown", "elsewhere", "empty"],
)
def test_import_into_ward_unknown_cell_is_a_row_error(tree, cell_name):
    rows = [
        {**GOOD_ROWS[0], CELL: "Chi bộ Khối phố 5"},
        {**GOOD_ROWS[1], CELL: cell_name},
    ]
    batch = stage(tree.ward, xlsx_bytes(rows, [*HEADER, CELL]))
    before = Member.objects.count()

    plan = imports.plan_import(batch)

    assert [row.line for row in plan.error_rows] == [3]
    (error,) = plan.error_rows[0].errors
    assert "Chi bộ" in error
    assert cell_name in error
    with pytest.raises(imports.ImportRejectedError):
        imports.commit_import(batch=batch, by=None)
    assert Member.objects.count() == before


def test_import_into_ward_moves_a_member_between_its_cells(tree):
    tree.member.party_card_number = "555"
    tree.member.save()
    row = {
        NAME: tree.member.full_name,
        CARD: "555",
        STATUS: "Chính thức",
        OFFICIAL: "03/03/2001",
        CELL: "Chi bộ Khối phố 2",
    }
    batch = stage(tree.ward, xlsx_bytes([row], [NAME, CARD, STATUS, OFFICIAL, CELL]))

    result = imports.commit_import(batch=batch, by=None)

    assert result == {"created": 0, "updated": 1}
    tree.member.refresh_from_db()
    assert tree.member.organization == tree.cell2
    assert tree.member.events.filter(kind=EventKind.LEFT_CELL).count() == 1


def test_import_into_cell_refuses_a_card_of_a_sibling_cell(tree):
    tree.official.party_card_number = "444"
    tree.official.save()
    row = {NAME: "Phạm Văn Cấp Ủy", CARD: "444", STATUS: "Dự bị"}
    batch = stage(tree.cell, xlsx_bytes([row], [NAME, CARD, STATUS]))

    plan = imports.plan_import(batch)

    assert [row.line for row in plan.error_rows] == [2]
    assert "444" in plan.error_rows[0].errors[0]


@pytest.mark.parametrize("cell_value", ["CB", "cb"])
def test_import_into_ward_ambiguous_cell_code_is_a_row_error(tree, cell_value):
    # Both cells of the ward carry the document code "CB".
    row = {**GOOD_ROWS[1], CELL: cell_value}
    batch = stage(tree.ward, xlsx_bytes([row], [*HEADER, CELL]))

    plan = imports.plan_import(batch)

    assert [row.line for row in plan.error_rows] == [2]


def test_import_into_ward_by_unique_cell_code(tree):
    services.update_organization(org=tree.cell2, code="KP2")
    row = {**GOOD_ROWS[1], CELL: "kp2"}
    batch = stage(tree.ward, xlsx_bytes([row], [*HEADER, CELL]))

    plan = imports.plan_import(batch)

    assert [(row.cell, row.errors) for row in plan.rows] == [(tree.cell2, [])]


# ImportUploadForm -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "danh-sach.xlsx",
            "Họ và tên,Trạng thái\nA,Dự bị\n".encode(),
        ),  # a CSV in disguise
        ("danh-sach.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # an old .xls
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("danh-sach.txt", "Họ và tên,Trạng thái\n".encode()),
        ("danh-sach", b"PK\x03\x04"),
    ],
)
def test_import_upload_form_refuses_files_that_are_not_xlsx_or_csv(db, name, content):
    form = imports.ImportUploadForm(
        data={}, files={"file": SimpleUploadedFile(name, content)}
    )

    assert form.is_valid() is False
    assert list(form.errors) == ["file"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("DANH-SACH.XLSX", xlsx_bytes(GOOD_ROWS)),
        ("danh-sach.csv", csv_bytes(GOOD_ROWS)),
    ],
)
def test_import_upload_form_accepts_xlsx_and_csv(db, name, content):
    form = imports.ImportUploadForm(
        data={}, files={"file": SimpleUploadedFile(name, content)}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].read() == content  # rewound after sniffing


def test_import_upload_form_refuses_files_over_5_mb(db):
    content = b"PK\x03\x04" + b"0" * imports.MAX_UPLOAD_BYTES
    form = imports.ImportUploadForm(
        data={}, files={"file": SimpleUploadedFile("big.xlsx", content)}
    )

    assert form.is_valid() is False
    assert list(form.errors) == ["file"]


# views: upload → preview → confirm --------------------------------------------------


def upload_url(org):
    return reverse("members:import-upload", args=[org.pk])


def preview_url(org, batch):
    return reverse("members:import-preview", args=[org.pk, batch.pk])


def test_import_views_secretary_full_flow(tree, users, persona_client):
    client = persona_client("secretary")
    upload = SimpleUploadedFile("dang-vien.xlsx", xlsx_bytes(GOOD_ROWS))
    members_before = Member.objects.count()

    form_page = client.get(upload_url(tree.cell))
    uploaded = client.post(upload_url(tree.cell), {"file": upload})
    batch = ImportBatch.objects.get()
    preview = client.get(uploaded["Location"])
    members_after_preview = Member.objects.count()
    confirmed = client.post(uploaded["Location"])

    assert form_page.status_code == 200
    assert 'enctype="multipart/form-data"' in form_page.text
    assert uploaded.status_code == 302
    assert uploaded["Location"] == preview_url(tree.cell, batch)
    assert (batch.organization, batch.created_by, batch.filename) == (
        tree.cell,
        users.secretary,
        "dang-vien.xlsx",
    )
    assert preview.status_code == 200
    assert preview.context["plan"].creates == 3
    for line, name in [(2, "Nguyễn Thị Hoa"), (3, "Trần Văn Nam"), (4, "Lê Thị Mai")]:
        assert (
            f"<td>{line}</td><td>{name}</td><td>Chi bộ Khối phố 5</td>" in preview.text
        )
    assert members_after_preview == members_before  # the preview writes nothing
    assert confirmed.status_code == 302
    assert confirmed["Location"] == tree.cell.get_absolute_url()
    assert Member.objects.count() == members_before + 3
    assert set(
        Member.objects.filter(
            full_name__in=["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Mai"]
        ).values_list("organization", flat=True)
    ) == {tree.cell.pk}
    batch.refresh_from_db()
    assert (batch.status, batch.result) == (
        ImportBatch.Status.COMMITTED,
        {"created": 3, "updated": 0},
    )


def test_commit_import_twice_imports_once(tree):
    batch = stage(tree.cell, xlsx_bytes(GOOD_ROWS))
    imports.commit_import(batch=batch, by=None)
    events = MemberEvent.objects.count()

    with contextlib.suppress(ValidationError, imports.ImportRejectedError):
        imports.commit_import(batch=batch, by=None)

    batch.refresh_from_db()
    assert batch.result == {"created": 3, "updated": 0}
    assert MemberEvent.objects.count() == events


def test_import_views_confirming_twice_imports_once(tree, persona_client):
    client = persona_client("secretary")
    client.post(
        upload_url(tree.cell),
        {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes(GOOD_ROWS))},
    )
    batch = ImportBatch.objects.get()
    client.post(preview_url(tree.cell, batch))
    count = Member.objects.count()

    again = client.post(preview_url(tree.cell, batch))

    assert again.status_code == 302
    assert again["Location"] == tree.cell.get_absolute_url()
    assert Member.objects.count() == count


def test_import_views_bad_row_shows_the_line_and_imports_nothing(tree, persona_client):
    client = persona_client("secretary")
    rows = [GOOD_ROWS[0], {**GOOD_ROWS[1], BIRTH: "31/02/1980"}]
    client.post(
        upload_url(tree.cell), {"file": SimpleUploadedFile("a.csv", csv_bytes(rows))}
    )
    batch = ImportBatch.objects.get()
    count = Member.objects.count()

    preview = client.get(preview_url(tree.cell, batch))
    confirmed = client.post(preview_url(tree.cell, batch))

    assert preview.status_code == 200
    assert '<tr class="table-danger">' in preview.text
    assert "<td>3</td><td>Trần Văn Nam</td>" in preview.text
    assert "31/02/1980" in preview.text
    assert confirmed.status_code == 200
    assert [row.line for row in confirmed.context["plan"].error_rows] == [3]
    assert Member.objects.count() == count
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED


def test_import_views_bad_upload_stays_on_the_form(tree, persona_client):
    client = persona_client("secretary")
    fake = SimpleUploadedFile("a.xlsx", b"Ho va ten,Trang thai\n")

    response = client.post(upload_url(tree.cell), {"file": fake})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"file"}
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("outsider", 404), ("supervisor", 403)]
)
def test_import_views_refused(tree, users, persona_client, persona, status):
    batch = stage(tree.cell, xlsx_bytes(GOOD_ROWS), by=users.secretary)
    client = persona_client(persona)
    count = Member.objects.count()

    responses = [
        client.get(upload_url(tree.cell)),
        client.post(
            upload_url(tree.cell),
            {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes(GOOD_ROWS))},
        ),
        client.get(preview_url(tree.cell, batch)),
        client.post(preview_url(tree.cell, batch)),
        client.get(reverse("members:export-members", args=[tree.cell.pk])),
    ]

    assert [response.status_code for response in responses] == [status] * 5
    assert ImportBatch.objects.get() == batch  # nothing staged
    assert Member.objects.count() == count
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED


def test_import_preview_of_someone_elses_batch_is_404(tree, users, persona_client):
    batch = stage(tree.cell, xlsx_bytes(GOOD_ROWS), by=users.secretary)
    client = persona_client("committee")  # manages the cell, did not upload

    responses = [
        client.get(preview_url(tree.cell, batch)),
        client.post(preview_url(tree.cell, batch)),
        client.get(preview_url(tree.cell2, batch)),  # wrong organisation in the URL
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED


# export and the round trip ----------------------------------------------------------


def test_export_members_xlsx(tree, persona_client):
    tree.member.party_card_number = "012345"
    tree.member.phone = "0987654321"
    tree.member.save()
    services.deactivate_member(
        member=tree.others[0], by=None, on=date(2026, 1, 1), reason="Chuyển đi"
    )

    response = persona_client("secretary").get(
        reverse("members:export-members", args=[tree.cell.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="dang-vien-{tree.cell.pk}-'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [column.header for column in imports.COLUMNS]
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {
        tree.secretary.full_name,
        tree.member.full_name,
        tree.others[1].full_name,
        tree.others[2].full_name,
    }
    assert by_name[tree.member.full_name] == {
        "Họ và tên": "Trần Thị Đảng Viên",
        "Giới tính": None,
        "Ngày sinh": "17/05/1970",
        "Số thẻ đảng viên": "012345",
        "Trạng thái": "Chính thức",
        "Ngày quyết định kết nạp": None,
        "Ngày kết nạp": "03/03/2000",
        "Ngày công nhận chính thức": "03/03/2001",
        "Điện thoại": "0987654321",
        "Email": None,
        "Nơi cư trú": None,
        "Nơi làm việc": None,
        "Chi bộ": "Chi bộ Khối phố 5",
    }


def test_export_then_reimport_into_the_same_cell_only_updates(
    tree, users, persona_client
):
    client = persona_client("secretary")
    tree.member.party_card_number = "012345"
    tree.member.gender = Gender.FEMALE
    tree.member.save()
    cell_members = Member.objects.filter(organization=tree.cell)
    before = {m.pk: member_values(m) for m in cell_members}
    count = Member.objects.count()

    exported = client.get(reverse("members:export-members", args=[tree.cell.pk]))
    client.post(
        upload_url(tree.cell),
        {"file": SimpleUploadedFile("export.xlsx", exported.content)},
    )
    batch = ImportBatch.objects.get()
    plan = client.get(preview_url(tree.cell, batch)).context["plan"]
    client.post(preview_url(tree.cell, batch))

    assert (plan.ok, plan.creates, plan.updates) == (True, 0, 5)
    batch.refresh_from_db()
    assert batch.result == {"created": 0, "updated": 5}
    assert Member.objects.count() == count
    assert {m.pk: member_values(m) for m in cell_members} == before


def test_export_ward_then_reimport_into_the_ward_only_updates(tree):
    count = Member.objects.count()
    before = {m.pk: member_values(m) for m in Member.objects.all()}

    batch = stage(tree.ward, exports.members_xlsx(tree.ward))
    result = imports.commit_import(batch=batch, by=None)

    assert result == {"created": 0, "updated": 7}
    assert Member.objects.count() == count
    assert {m.pk: member_values(m) for m in Member.objects.all()} == before


def test_members_xlsx_is_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        exports.members_xlsx(tree.ward)
