"""Import of a year's opening balances and categories: preview, all or nothing,
the member import's file checks, access."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from members.models import DuesBase, DuesCategoryPeriod, DuesOpeningBalance
from tests.factories.files import XLSX
from tests.factories.times import at

HEADER = ["Họ và tên", "Số thẻ đảng viên", "Đối tượng", "Căn cứ tính", "Số dư đầu năm"]


def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("dang-phi.xlsx", buffer.getvalue(), content_type=XLSX)


@pytest.fixture
def frozen(clock):
    return clock(at(2026, 12, 20, 10, 0))


def upload(client, cell, file, year=2027):
    url = reverse("members:dues-import", args=[cell.pk])
    return client.post(url, {"file": file, "year": year})


def test_dues_import_preview_then_all_rows(tree, secretary_client, frozen, settings):
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(
        secretary_client,
        tree.cell,
        workbook(
            (tree.member.full_name, "", "Hưu trí", 6_000_000, 30_000),
            (tree.secretary.full_name, "", "bảo hiểm xã hội", "9.500.000", None),
            (tree.others[0].full_name, "", "Học sinh, sinh viên", None, -5_000),
        ),
    )
    assert response.status_code == 302
    preview = secretary_client.get(response["Location"]).content.decode()
    assert "Pensioner outside social insurance" in preview
    assert "pensioner" not in preview.split('id="import-rows"')[1]
    assert not DuesCategoryPeriod.objects.exists()  # nothing before confirming
    done = secretary_client.post(response["Location"])
    assert done.status_code == 302
    assert done["Location"] == reverse("members:dues-year", args=[tree.cell.pk, 2027])
    category = DuesCategoryPeriod.objects.get(member=tree.member)
    assert (category.category, category.start) == ("pensioner", date(2027, 1, 1))
    assert DuesBase.objects.get(member=tree.secretary).amount == 9_500_000
    assert dict(DuesOpeningBalance.objects.values_list("member_id", "amount")) == {
        tree.member.pk: 30_000,
        tree.others[0].pk: -5_000,
    }
    ledger = secretary_client.get(done["Location"]).content.decode()
    row = ledger[ledger.index(f'<tr data-member="{tree.member.pk}"') :]
    assert '<td class="text-end small opening">30.000</td>' in row[: row.index("</tr>")]


def test_dues_import_one_wrong_row_imports_nothing(
    tree, secretary_client, frozen, settings
):
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(
        secretary_client,
        tree.cell,
        workbook(
            (tree.member.full_name, "", "Hưu trí", 6_000_000, 0),
            ("Người Không Có", "", "khác", None, None),
            (tree.secretary.full_name, "", "bảo hiểm xã hội", None, None),
            (tree.others[0].full_name, "", "thương binh", None, "một triệu"),
        ),
    )
    html = secretary_client.get(response["Location"]).content.decode()
    assert "No active member of the cell is called Người Không Có." in html
    assert "Members paying a percentage need the base amount." in html
    assert "The category must be" in html
    assert "is not an amount in đồng" in html
    assert "Import now" not in html
    secretary_client.post(response["Location"])
    assert not DuesCategoryPeriod.objects.exists()
    assert not DuesOpeningBalance.objects.exists()


def test_dues_import_refuses_what_the_member_import_refuses(
    tree, secretary_client, frozen, settings
):
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fake = SimpleUploadedFile("x.xlsx", b"not a zip file", content_type=XLSX)
    response = upload(secretary_client, tree.cell, fake)
    assert response.status_code == 200
    assert "This is not a valid Excel (.xlsx) file." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("secretary", 200), ("committee", 403), ("member", 403), ("outsider", 404)],
)
def test_dues_import_access(tree, persona_client, frozen, persona, expected):
    url = reverse("members:dues-import", args=[tree.cell.pk])
    assert persona_client(persona).get(url).status_code == expected


def test_dues_import_preview_is_the_uploaders_only(tree, users, persona_client, frozen):
    secretary = persona_client("secretary")
    response = upload(
        secretary, tree.cell, workbook((tree.member.full_name, "", "khác", None, 0))
    )
    admin = persona_client("admin")
    assert admin.get(response["Location"]).status_code == 404
    member_preview = reverse(
        "members:import-preview",
        args=[tree.cell.pk, int(response["Location"].rstrip("/").split("/")[-1])],
    )
    assert secretary.get(member_preview).status_code == 404
