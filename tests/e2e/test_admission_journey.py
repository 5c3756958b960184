"""The admission pipeline in a real browser, from candidate to official member:
the secretary opens the file, attaches a paper, records the cell's vote in the
minutes, the committee's decision, the ceremony, the recognition file and vote,
and the recognition decision; the member's page then shows the dated path with
links to both votes' minutes."""

from datetime import date

import pytest

from meetings.models import Vote
from members.models import Candidate, MemberStatus
from tests.factories.admission import NOW
from tests.factories.files import pdf_bytes
from tests.factories.meetings import held
from tests.factories.times import at

pytestmark = pytest.mark.e2e


def _held(tree, when):
    """A meeting held at `when` with its minutes open (chair, taker, times filled)."""
    meeting, _minutes = held(
        tree.cell, starts_at=when, chair=tree.secretary, taker=tree.member
    )
    return meeting


def _vote_in_minutes(page, meeting, value, yes):
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    form = page.locator("#vote-form")
    form.locator("select[name=about]").select_option(value)
    form.locator("input[name=yes]").fill(str(yes))
    form.locator("input[name=no]").fill("0")
    form.locator("input[name=abstain]").fill("0")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/minutes/")
    page.locator("#adopt-button").click()  # adoption is confirmed on its own page
    page.wait_for_url(f"**/meetings/{meeting.pk}/minutes/adopt/")
    page.locator("#confirm-form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")


def test_candidate_to_official_member_through_the_pages(
    page, login, screenshot, tree, users, clock, tmp_path
):
    clock(NOW)  # Monday 15/06/2026 10:00
    admission_meeting = _held(tree, at(2025, 3, 3, 19, 30))
    recognition_meeting = _held(tree, at(2026, 3, 25, 19, 30))
    login("secretary")

    # The cell page leads to the pipeline; the candidate's file is opened there.
    page.goto(f"/org/{tree.cell.pk}/")
    page.locator(f"a[href='/org/{tree.cell.pk}/admission/']").first.click()
    page.wait_for_url(f"**/org/{tree.cell.pk}/admission/")
    page.locator(f"a[href='/org/{tree.cell.pk}/candidates/add/']").click()
    form = page.locator("#candidate-form")
    form.locator("input[name=full_name]").fill("Hà Thị Ưu Tú")
    form.locator("input[name=workplace]").fill("Trường Tiểu học Lê Lợi")
    form.locator("input[name=proposed_on]").fill("06/01/2025")
    form.locator("input[name=certificate_date]").fill("20/01/2025")
    form.locator("input[name=certificate_issuer]").fill("Trung tâm Chính trị phường")
    form.locator("select[name=introducer_1]").select_option(str(tree.secretary.pk))
    form.locator("select[name=introducer_2]").select_option(str(tree.member.pk))
    form.locator("textarea[name=group_opinion]").fill("Tổ đảng đề nghị kết nạp.")
    form.locator("input[name=group_opinion_date]").fill("10/02/2025")
    form.locator("input[name=mass_org_name]").fill("Đoàn Thanh niên")
    form.locator("textarea[name=mass_org_opinion]").fill("Đoàn giới thiệu.")
    form.locator("input[name=mass_org_opinion_date]").fill("12/02/2025")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/candidates/*/")
    person = Candidate.objects.get(full_name="Hà Thị Ưu Tú")
    assert page.locator("h1").inner_text() == "Hà Thị Ưu Tú"
    assert page.locator("#missing").count() == 0  # the file is complete

    # A paper of the file, checked by its content.
    paper = tmp_path / "don-xin-vao-dang.pdf"
    paper.write_bytes(pdf_bytes())
    page.locator("#document-form input[name=title]").fill("Đơn xin vào Đảng")
    page.locator("#document-form input[name=file]").set_input_files(str(paper))
    page.locator("#document-form button[type=submit]").click()
    page.wait_for_url(f"**/candidates/{person.pk}/")
    assert page.get_by_role("link", name="Đơn xin vào Đảng").is_visible()

    # The cell votes in the minutes of its meeting (4 of N = 5) and adopts them.
    _vote_in_minutes(page, admission_meeting, f"c{person.pk}", 4)
    vote = Vote.objects.get(candidate=person)
    assert (vote.kind, vote.passed) == ("admission", True)

    # The committee's decision creates the probationary member.
    page.goto(f"/candidates/{person.pk}/")
    decision = page.locator("#decision-form")
    decision.locator("input[name=number]").fill("125-QĐ/ĐU")
    decision.locator("input[name=decided_on]").fill("10/03/2025")
    decision.locator("input[name=issuer]").fill("Đảng ủy phường Thử")
    decision.locator("select[name=mentor]").select_option(str(tree.others[0].pk))
    decision.locator("button[type=submit]").click()
    page.wait_for_url("**/members/*/probation/")
    person.refresh_from_db()
    member = person.member
    assert member.status == MemberStatus.PROBATIONARY

    # The ceremony, then the recognition file.
    page.locator("#ceremony-form input[name=on]").fill("20/03/2025")
    page.locator("#ceremony-form button[type=submit]").click()
    page.wait_for_url(f"**/members/{member.pk}/probation/")
    file_form = page.locator("#recognition-form")
    file_form.locator("textarea[name=self_review]").fill("Hoàn thành tốt nhiệm vụ.")
    file_form.locator("input[name=self_review_date]").fill("01/03/2026")
    file_form.locator("textarea[name=mentor_opinion]").fill("Đủ tư cách.")
    file_form.locator("input[name=mentor_opinion_date]").fill("05/03/2026")
    file_form.locator("textarea[name=group_opinion]").fill("Đề nghị công nhận.")
    file_form.locator("input[name=group_opinion_date]").fill("06/03/2026")
    file_form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/members/{member.pk}/probation/")
    assert page.locator("#missing").count() == 0

    # The recognition vote in the minutes, then the committee's decision.
    _vote_in_minutes(page, recognition_meeting, f"m{member.pk}", 5)
    page.goto(f"/members/{member.pk}/probation/")
    recognition = page.locator("#recognition-decision-form")
    recognition.locator("input[name=number]").fill("310-QĐ/ĐU")
    recognition.locator("input[name=decided_on]").fill("01/04/2026")
    recognition.locator("input[name=issuer]").fill("Đảng ủy phường Thử")
    recognition.locator("button[type=submit]").click()
    page.wait_for_url(f"**/members/{member.pk}/")

    # The member's page: official, with the whole dated path and both minutes.
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.official_date == date(2026, 3, 20)
    path = page.locator("#admission-path")
    text = path.inner_text()
    for line in (
        "06/01/2025",
        "03/03/2025",
        "10/03/2025",
        "20/03/2025",
        "25/03/2026",
        "01/04/2026 — Quyết định công nhận đảng viên chính thức: 310-QĐ/ĐU",
        "20/03/2026 — Đảng viên chính thức từ ngày",
    ):
        assert line in text
    links = path.locator("a").evaluate_all("links => links.map(a => a.pathname)")
    assert links == [
        f"/meetings/{admission_meeting.pk}/",
        f"/meetings/{recognition_meeting.pk}/",
    ]
    screenshot("admission-member-path")
    path.locator("a").nth(1).click()
    page.wait_for_url(f"**/meetings/{recognition_meeting.pk}/")
    assert "Công nhận đảng viên chính thức cho đồng chí Hà Thị Ưu Tú" in page.content()
