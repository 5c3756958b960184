"""A secretary adds a member in a real browser and sees them listed."""

import pytest

from members.models import Member, MemberEvent

pytestmark = pytest.mark.e2e


def test_secretary_adds_member_and_sees_it_listed(page, login, screenshot, tree, users):
    login("secretary")
    page.get_by_role("link", name="Mở chi bộ").first.click()
    page.wait_for_url(f"**/org/{tree.cell.pk}/")
    assert page.locator("h1").inner_text() == "Chi bộ Khối phố 5"
    assert page.locator("#member-list").get_by_text("Trần Thị Đảng Viên").is_visible()

    page.get_by_role("link", name="Thêm đảng viên").first.click()
    page.locator("input[name=full_name]").fill("Đinh Thị Mới")
    page.locator("select[name=gender]").select_option("female")
    page.locator("input[name=birth_date]").fill("12/08/1992")
    page.locator("input[name=party_card_number]").fill("79.123456")
    page.locator("select[name=status]").select_option("probationary")
    page.locator("input[name=admission_date]").fill("03/02/2026")
    page.locator("#member-form button[type=submit]").click()

    page.wait_for_url(f"**/org/{tree.cell.pk}/")
    listed = page.locator("#member-list").get_by_role("link", name="Đinh Thị Mới")
    assert listed.is_visible()
    notice = page.locator(".messages").inner_text()
    assert "Đinh Thị Mới đã được thêm vào chi bộ." in notice
    screenshot("members-cell-after-add")

    member = Member.objects.get(full_name="Đinh Thị Mới")
    assert member.organization_id == tree.cell.pk
    assert member.party_card_number == "79.123456"
    assert str(member.birth_date) == "1992-08-12"
    assert MemberEvent.objects.filter(member=member, kind="joined_cell").count() == 1


def test_invalid_member_form_keeps_what_was_typed(page, login, tree, users):
    login("secretary")
    page.goto(f"/org/{tree.cell.pk}/members/add/")
    page.locator("input[name=full_name]").fill("Vũ Văn Sai Ngày")
    page.locator("input[name=birth_date]").fill("31/02/1990")
    page.locator("select[name=status]").select_option("official")
    page.locator("#member-form button[type=submit]").click()

    assert page.locator("input[name=full_name]").input_value() == "Vũ Văn Sai Ngày"
    assert page.locator("input[name=birth_date]").input_value() == "31/02/1990"
    assert page.locator("input[name=birth_date].is-invalid").count() == 1
    assert not Member.objects.filter(full_name="Vũ Văn Sai Ngày").exists()
