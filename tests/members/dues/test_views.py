"""Pages of the dues ledger: access (outside reach 404, inside without the role
403), the sheet's content and constant queries, recording, exports."""

import io
from datetime import date

import pytest
from django.urls import reverse

from members.dues import services
from members.models import DuesPayment, DuesRelief
from tests.factories import MemberFactory
from tests.factories.times import at

MARCH = date(2026, 3, 1)


@pytest.fixture
def frozen(clock):
    return clock(at(2026, 3, 20, 10, 0))


def sheet_url(cell, month=MARCH):
    return reverse("members:dues-sheet", args=[cell.pk, month.year, month.month])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretary", 200),
        ("committee", 200),
        ("supervisor", 200),
        ("admin", 200),
        ("member", 403),
        ("outsider", 404),
    ],
)
def test_dues_sheet_access(tree, persona_client, frozen, persona, expected):
    response = persona_client(persona).get(sheet_url(tree.cell))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("secretary", 302), ("committee", 403), ("member", 403), ("outsider", 404)],
)
def test_dues_close_needs_the_cells_officers(
    tree, persona_client, frozen, persona, expected
):
    url = reverse("members:dues-close", args=[tree.cell.pk, 2026, 3])
    response = persona_client(persona).post(url)
    assert response.status_code == expected
    closed = tree.cell.dues_months.filter(closed_at__isnull=False).exists()
    assert closed is (expected == 302)


def test_member_sees_own_dues_but_not_anothers(tree, persona_client, frozen):
    client = persona_client("member")
    own = client.get(reverse("members:member-dues", args=[tree.member.pk]))
    assert own.status_code == 200
    assert "03/2026" in own.content.decode()
    other = client.get(reverse("members:member-dues", args=[tree.others[0].pk]))
    assert other.status_code == 403
    outsider = persona_client("outsider").get(
        reverse("members:member-dues", args=[tree.member.pk])
    )
    assert outsider.status_code == 404


def test_dues_sheet_prefilled_from_the_rules(tree, secretary_client, frozen):
    services.set_dues_category(member=tree.member, category="insured", start=MARCH)
    services.set_dues_base(member=tree.member, month=MARCH, amount=7_450_050)
    html = secretary_client.get(sheet_url(tree.cell)).content.decode()
    row = html[html.index(f'data-member="{tree.member.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "74.501" in row  # 1% of 7,450,050 = 74,500.5, half up
    assert "7.450.050" in row


def test_dues_sheet_save_and_cash(tree, users, secretary_client, frozen, settings):
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    services.set_dues_category(member=tree.member, category="student", start=MARCH)
    prefix = f"m{tree.member.pk}"
    response = secretary_client.post(
        sheet_url(tree.cell),
        {
            f"{prefix}-paid_amount": "5000",
            f"{prefix}-paid_on": "05/03/2026",
            f"{prefix}-channel": "portal",
            f"{prefix}-receipt_reference": "",
        },
    )
    assert response.status_code == 200
    assert "a payment on the portal needs its receipt reference" in (
        response.content.decode()
    )
    assert not DuesPayment.objects.filter(member=tree.member).exists()
    response = secretary_client.post(
        sheet_url(tree.cell),
        {
            f"{prefix}-paid_amount": "5000",
            f"{prefix}-paid_on": "05/03/2026",
            f"{prefix}-channel": "portal",
            f"{prefix}-receipt_reference": "DVC-123",
        },
    )
    assert response.status_code == 302
    payment = DuesPayment.objects.get(member=tree.member)
    assert (payment.paid_amount, payment.due_amount, payment.receipt_reference) == (
        5000,
        5000,
        "DVC-123",
    )
    assert payment.recorded_by == users.secretary
    cash = reverse("members:dues-cash", args=[tree.cell.pk, 2026, 3])
    secretary_client.post(
        cash,
        {"paid_on": "03/03/2026", "member": [tree.secretary.pk, tree.member.pk]},
    )
    paid = DuesPayment.objects.get(member=tree.secretary)
    assert (paid.channel, paid.paid_on, paid.paid_amount) == (
        "cash",
        date(2026, 3, 3),
        10_000,  # no category recorded: "other", the 10,000 default
    )
    assert DuesPayment.objects.get(member=tree.member).channel == "portal"


def test_reduction_beyond_twelve_months_is_refused_with_a_message(
    tree, secretary_client, frozen, settings
):
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("members:member-dues", args=[tree.member.pk])
    response = secretary_client.post(
        url,
        {
            "action": "relief",
            "relief-kind": "reduction",
            "relief-percent": "50",
            "relief-first_month": "03/2026",
            "relief-last_month": "03/2027",
            "relief-decision": "Quyết định 5-QĐ/ĐU",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 12 months at a time: 13 months were asked" in html
    assert not DuesRelief.objects.exists()
    response = secretary_client.post(
        url,
        {
            "action": "relief",
            "relief-kind": "reduction",
            "relief-percent": "50",
            "relief-first_month": "03/2026",
            "relief-last_month": "02/2027",
            "relief-decision": "Quyết định 5-QĐ/ĐU",
        },
    )
    assert response.status_code == 302
    assert DuesRelief.objects.get().percent == 50


def _grow(cell, n):
    members = MemberFactory.create_batch(n, organization=cell)
    for index, member in enumerate(members):
        services.set_dues_category(member=member, category="insured", start=MARCH)
        services.set_dues_base(member=member, month=MARCH, amount=5_000_000 + index)
        if index % 2:
            services.add_dues_relief(
                member=member,
                kind="reduction",
                percent=30,
                first_month=MARCH,
                last_month=MARCH,
                decision="QĐ",
            )
    return members


SHEET_QUERIES = 18


@pytest.mark.parametrize("n", [1, 30])
def test_dues_sheet_queries_constant(
    tree, secretary_client, frozen, django_assert_num_queries, n
):
    _grow(tree.cell, n)
    services.record_cash_payments(
        cell=tree.cell,
        month=MARCH,
        member_ids=list(tree.cell.members.values_list("pk", flat=True)),
        paid_on=date(2026, 3, 3),
    )
    with django_assert_num_queries(SHEET_QUERIES):
        response = secretary_client.get(sheet_url(tree.cell))
    assert response.content.decode().count('data-member="') == 5 + n


LEDGER_QUERIES = 18


@pytest.mark.parametrize("n", [1, 30])
def test_dues_year_ledger_queries_constant(
    tree, secretary_client, frozen, django_assert_num_queries, n
):
    _grow(tree.cell, n)
    url = reverse("members:dues-year", args=[tree.cell.pk, 2026])
    with django_assert_num_queries(LEDGER_QUERIES):
        response = secretary_client.get(url)
    assert response.content.decode().count('<tr data-member="') == 5 + n


def test_dues_sheet_xlsx_numbers_are_numbers(tree, secretary_client, frozen):
    from openpyxl import load_workbook

    services.set_dues_category(member=tree.member, category="pensioner", start=MARCH)
    services.set_dues_base(member=tree.member, month=MARCH, amount=6_000_000)
    services.record_cash_payments(
        cell=tree.cell, month=MARCH, member_ids=[tree.member.pk], paid_on=MARCH
    )
    url = reverse("members:dues-sheet-xlsx", args=[tree.cell.pk, 2026, 3])
    response = secretary_client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    row = rows[tree.member.full_name]
    assert row[3:6] == (6_000_000, 30_000, 30_000)
    assert isinstance(row[4], int)
    assert row[6].date() == MARCH
    assert sheet.cell(1, 1).value == tree.cell.name


def test_dues_year_pdf_is_a_pdf_with_the_cells_name(tree, secretary_client, frozen):
    url = reverse("members:dues-year-pdf", args=[tree.cell.pk, 2026])
    response = secretary_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_member_enters_own_base_but_not_own_category(tree, persona_client, frozen):
    client = persona_client("member")
    url = reverse("members:member-dues", args=[tree.member.pk])
    response = client.post(
        url,
        {
            "action": "base",
            "base-month": "03/2026",
            "base-amount": "7200000",
            "base-declared_amount": "100000",
        },
    )
    assert response.status_code == 302
    base = tree.member.dues_bases.get()
    assert (base.month, base.amount, base.declared_amount) == (
        MARCH,
        7_200_000,
        100_000,
    )
    refused = client.post(
        url,
        {
            "action": "category",
            "category-category": "other",
            "category-start": "03/2026",
        },
    )
    assert refused.status_code == 403
    assert not tree.member.dues_categories.exists()
