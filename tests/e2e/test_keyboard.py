"""Keyboard only: log in, open a meeting, mark attendance and turn on larger text
with nothing but Tab, typing, arrow keys, Space and Enter — the way members who
cannot use a mouse work. Every step first reaches its control by Tab, so the focus
order itself is tested."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, AttendanceStatus
from tests.factories.times import at

pytestmark = pytest.mark.e2e
MAX_TABS = 150


def tab_to(page, selector, *, backwards=False):
    """Press Tab until the focused element matches `selector`; fails if it never
    does (the control cannot be reached by keyboard)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _press in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} is not reachable with {key}")


def focused(page):
    return page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.name || '',"
        " document.activeElement.textContent.trim()]"
    )


def test_secretary_marks_attendance_with_the_keyboard_only(page, tree, users, clock):
    # Arrange: a meeting planned for today (a fixed morning: a meeting is started
    # on its day, never before)
    clock(at(2026, 12, 8, 10, 0))
    meeting = services.create_meeting(
        cell=tree.cell,
        kind="regular",
        starts_at=timezone.now() + timedelta(hours=1),
        by=users.secretary,
        topic="Sinh hoạt thường kỳ bằng bàn phím",
    )
    absent = tree.others[1]

    # Log in (the user name field may already have the focus).
    page.goto("/accounts/login/")
    if focused(page)[:2] != ["INPUT", "username"]:
        tab_to(page, "input[name=username]")
    page.keyboard.type("secretary")
    page.keyboard.press("Tab")
    assert focused(page)[:2] == ["INPUT", "password"]
    page.keyboard.type("chibo-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The first Tab on a page lands on "skip to content"; then the main menu.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    tab_to(page, "a.nav-link[href='/meetings/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/")
    tab_to(page, f"a[href='/meetings/{meeting.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Sinh hoạt thường kỳ bằng bàn phím" in page.locator("h1").inner_text()

    # Start it: the roll call opens, prefilled.
    tab_to(page, f"form[action='/meetings/{meeting.pk}/start/'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/meetings/{meeting.pk}/attendance/")

    # One member absent with a reason (arrow key on the status list, then type),
    # another ticked as having spoken (Space), then save (Enter).
    tab_to(page, f"select[name=m{absent.pk}_status]")
    page.keyboard.press("ArrowDown")  # present → absent with reason
    assert page.locator(f"select[name=m{absent.pk}_status]").input_value() == (
        AttendanceStatus.ABSENT_EXCUSED
    )
    tab_to(page, f"input[name=m{absent.pk}_reason]")
    page.keyboard.type("Đi công tác")
    tab_to(page, f"input[name=m{tree.member.pk}_spoke]")
    page.keyboard.press("Space")
    tab_to(page, "#attendance-form button[type=submit]")
    page.keyboard.press("Enter")

    # Assert: saved as typed (the form also saves live, so wait for the last save)
    def saved():
        row = Attendance.objects.get(meeting=meeting, member=absent)
        spoke = Attendance.objects.get(meeting=meeting, member=tree.member).spoke
        return (row.status, row.reason, spoke)

    expected = (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác", True)
    for _attempt in range(60):
        if saved() == expected:
            break
        page.wait_for_timeout(250)
    assert saved() == expected


def test_larger_text_is_turned_on_with_the_keyboard(page, login, users):
    login("member")
    size = "() => getComputedStyle(document.body).fontSize"
    assert page.evaluate(size) == "16px"

    tab_to(page, "#text-size-toggle")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("() => document.documentElement.className") == "large-text"
    assert page.evaluate(size) == "20px"
    assert page.locator("#text-size-toggle").get_attribute("aria-pressed") == "true"
    users.member.refresh_from_db()
    assert users.member.large_text is True
