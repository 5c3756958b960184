"""The whole life of a meeting in a real browser: plan → prepare → attendance →
minutes with a vote and a reserved opinion → adopt → sign → lock → submit (each of
the last four confirmed on its own page); the member reads the minutes and the
committee acknowledges them. On a desktop and on a 390-px phone."""

import re

import pytest

from meetings.models import Meeting, MeetingState, Minutes, ReservedOpinion
from tests.factories.times import at

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def submit(page, action_fragment):
    page.locator(f"form[action*='{action_fragment}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def confirm(page, link_id, path):
    """Follow a step's link to its confirmation page, check it says the step cannot
    be undone, and confirm."""
    page.locator(f"#{link_id}").click()
    page.wait_for_url(f"**{path}")
    assert "không thể hoàn tác" in page.locator("#confirm-card").inner_text()
    page.locator("#confirm-form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_secretary_runs_a_meeting_from_plan_to_acknowledged(
    page, login, screenshot, tree, users, browser, live_server, clock, viewport
):
    # The meeting day of December, a few minutes after the plan's 08:00.
    clock(at(2026, 12, 3, 8, 5))
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    # The secretary generates the yearly plan.
    login("secretary")
    page.goto(f"/cells/{tree.cell.pk}/plan/?year=2026")
    page.locator("#generate-plan").click()
    page.wait_for_url(re.compile(r".*/plan/\?year=2026$"))
    rows = page.locator("#plan-table tbody tr")
    assert rows.count() == 17  # 12 regular + 4 thematic + the year-end review
    meeting = Meeting.objects.get(cell=tree.cell, plan_slot="2026-M12")
    assert meeting.planned_date.day == 3  # the default meeting day

    # Prepare it: agenda, briefer, draft resolution.
    page.goto(f"/meetings/{meeting.pk}/prepare/")
    page.locator("input[name=place]").fill("Nhà văn hóa khối 5")
    page.locator("select[name=news_briefer]").select_option(str(tree.others[0].pk))
    page.locator("textarea[name=draft_resolution]").fill("Dự thảo nghị quyết tháng 12")
    page.locator("#prepare-form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Nhà văn hóa khối 5" in page.locator("main").inner_text()

    # The secretary's home says what is next: today's meeting and its checklist.
    page.goto("/")
    assert page.locator("#home-next-meeting").count() == 0  # once, as a checklist
    checklist = page.locator("#home-prepare").inner_text()
    assert "Nhà văn hóa khối 5" in checklist
    assert "Đã phân công người thông tin thời sự" in checklist
    screenshot(f"home-secretary-{viewport}")
    page.goto(f"/meetings/{meeting.pk}/")

    # Hold it: attendance with one excused absence.
    submit(page, f"/meetings/{meeting.pk}/start/")
    page.wait_for_url(f"**/meetings/{meeting.pk}/attendance/")
    absent = tree.others[2].pk
    page.locator(f"select[name=m{absent}_status]").select_option("absent_excused")
    page.locator(f"input[name=m{absent}_reason]").fill("Đi công tác")
    page.locator(f"input[name=m{tree.others[0].pk}_spoke]").check()
    page.locator(f"input[name=m{tree.member.pk}_spoke]").check()
    page.locator("#attendance-form button[type=submit]").click()
    page.wait_for_load_state()
    counts = page.locator("#attendance-counts").inner_text()
    assert "4/5" in counts  # an excused absence is still required
    assert "80%" in counts

    # Write the minutes; autosave keeps them.
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.locator("select[name=chair]").select_option(str(tree.secretary.pk))
    page.locator("select[name=minute_taker]").select_option(str(tree.member.pk))
    page.locator("input[name=started_at]").fill("03/12/2026 08:00")
    page.locator("input[name=ended_at]").fill("03/12/2026 09:45")
    page.locator("textarea[name='items-5-speakers']").fill(
        "Lê Văn Bí Thư: báo cáo kết quả tháng 11"
    )
    page.locator("textarea[name=conclusion]").fill(
        "Chi bộ thống nhất nghị quyết tháng 12."
    )
    # Autosave: wait until the last typed text has reached the database.
    expected = "Chi bộ thống nhất nghị quyết tháng 12."
    for _attempt in range(40):
        page.wait_for_timeout(500)
        if Minutes.objects.get(meeting=meeting).conclusion == expected:
            break
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.conclusion == "Chi bộ thống nhất nghị quyết tháng 12."
    assert minutes.items[5]["speakers"] == [
        {"name": "Lê Văn Bí Thư", "gist": "báo cáo kết quả tháng 11"}
    ]

    # A vote with a reserved opinion.
    page.locator("#vote-form input[name=subject]").fill("Nghị quyết tháng 12")
    page.locator("#vote-form input[name=yes]").fill("3")
    page.locator("#vote-form input[name=no]").fill("1")
    page.locator("#vote-form input[name=abstain]").fill("0")
    page.locator("#vote-form select[name=reserved_member]").select_option(
        str(tree.others[1].pk)
    )
    page.locator("#vote-form textarea[name=reserved_opinion]").fill(
        "Đề nghị lùi thời hạn sang tháng 1"
    )
    page.locator("#vote-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "N = 4" in page.locator("#votes").inner_text()
    assert ReservedOpinion.objects.get().member_id == tree.others[1].pk

    # Adopt after the recorded end (09:45), then the chair (secretary) signs.
    clock(at(2026, 12, 3, 9, 50))
    confirm(page, "adopt-button", f"/meetings/{meeting.pk}/minutes/adopt/")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    confirm(page, "minutes-sign", f"/meetings/{meeting.pk}/minutes/sign/")
    assert page.locator("#minutes-sign").count() == 0  # signed: the button is gone
    screenshot(f"meeting-adopted-{viewport}")

    # The minute-taker signs with their own login.
    member_context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    member_page = member_context.new_page()
    member_page.goto("/accounts/login/")
    member_page.locator("input[name=username]").fill("member")
    member_page.locator("input[name=password]").fill("chibo-demo")
    member_page.locator("#login-form button[type=submit]").click()
    member_page.wait_for_url(lambda url: "/accounts/login/" not in url)
    member_page.goto(f"/meetings/{meeting.pk}/")
    confirm(member_page, "minutes-sign", f"/meetings/{meeting.pk}/minutes/sign/")

    # Lock and submit.
    page.reload()
    confirm(page, "minutes-lock", f"/meetings/{meeting.pk}/minutes/lock/")
    confirm(page, "minutes-submit", f"/meetings/{meeting.pk}/submit/")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SUBMITTED
    assert Minutes.objects.get(meeting=meeting).locked_at is not None

    # The member reads the locked minutes.
    member_page.goto("/meetings/")
    member_page.locator("#records a").first.click()
    member_page.wait_for_url(f"**/meetings/{meeting.pk}/")
    text = member_page.locator("main").inner_text()
    assert "Chi bộ thống nhất nghị quyết tháng 12." in text
    assert "Đề nghị lùi thời hạn sang tháng 1" in text
    assert "Đi công tác" in text
    member_context.close()

    # The committee acknowledges.
    page.context.clear_cookies()
    login("committee")
    page.goto(f"/meetings/{meeting.pk}/review/")
    assert (
        "Chi bộ thống nhất nghị quyết tháng 12."
        in page.locator("#review-minutes").inner_text()
    )
    screenshot(f"meeting-review-{viewport}")
    page.locator("input[name=decision][value=acknowledge]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.ACKNOWLEDGED
    screenshot(f"meeting-acknowledged-{viewport}")
