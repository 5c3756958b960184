"""Evaluations in a real browser: the secretary assigns two tasks in a meeting's
minutes, the next meeting reviews them and its quality score fills its ◆ items from
data; the supervisor files a report with a recommendation; the committee resolves
it; the member sees their tasks and monthly rating."""

import pytest

from evaluations.models import MonthlyRating, QualityScore, Recommendation, Task
from meetings import services as meeting_services
from tests.e2e.checks import AXE, axe_problems, html_errors, vnu_jar
from tests.factories.evaluations import october_and_november
from tests.factories.meetings import attendance_rows, held
from tests.factories.times import at

pytestmark = pytest.mark.e2e


def relogin(page, login, username):
    page.context.clear_cookies()
    login(username)


def test_tasks_review_score_report_recommendation_rating(
    page, login, screenshot, tree, users
):
    october, _ = held(
        tree.cell, starts_at=at(2026, 10, 3, 8), chair=tree.secretary, taker=tree.member
    )

    # The secretary assigns two tasks in October's minutes.
    login("secretary")
    page.goto(f"/meetings/{october.pk}/minutes/")
    for text, deadline, assignees in [
        ("Vận động đóng góp quỹ khuyến học", "25/10/2026", [tree.member]),
        ("Rà soát danh sách hộ nghèo", "30/10/2026", [tree.member, tree.others[0]]),
    ]:
        page.locator("#task-form textarea[name=text]").fill(text)
        page.locator("#task-form input[name=deadline]").fill(deadline)
        for member in assignees:
            page.locator(
                f"#task-form input[name=assignees][value='{member.pk}']"
            ).check()
        page.locator("#task-add-button").click()
        page.wait_for_load_state()
        assert text in page.locator("#assigned-tasks").inner_text()
    assert Task.objects.filter(meeting=october).count() == 2
    meeting_services.adopt_minutes(minutes=october.minutes, by=None)

    # November's meeting reviews them.
    november, _ = held(
        tree.cell, starts_at=at(2026, 11, 3, 8), chair=tree.secretary, taker=tree.member
    )
    meeting_services.record_attendance(
        meeting=november,
        rows=attendance_rows(
            november, {tree.member: {"status": "present", "spoke": True}}
        ),
        by=None,
    )
    page.goto(f"/meetings/{november.pk}/")
    page.locator("#evaluation-links a[href$='/review/']").click()
    page.wait_for_url(f"**/evaluations/meetings/{november.pk}/review/")
    first, second = Task.objects.filter(meeting=october).order_by("deadline")
    page.locator(f"select[name=outcome-{first.pk}]").select_option("exceeded")
    page.locator(f"input[name=comment-{first.pk}]").fill("Vượt 20% chỉ tiêu")
    page.locator(f"select[name=outcome-{second.pk}]").select_option("done_on_time")
    page.locator("#review-save").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert (first.outcome, first.reviewed_in_id) == ("exceeded", november.pk)

    # Its quality score fills the ◆ items from data.
    page.goto(f"/evaluations/meetings/{november.pk}/score/self/")
    assert page.locator(".auto-points[data-item=task_results]").inner_text() == "30"
    assert page.locator(".auto-points[data-item=duration]").inner_text() == "5"
    page.locator("input[name=item-content]").fill("3")
    page.locator("input[name=item-regular_content]").fill("9")
    page.locator("#score-save").click()
    page.wait_for_url(f"**/evaluations/meetings/{november.pk}/quality/")
    score = QualityScore.objects.get(meeting=november, role="self")
    assert score.points["task_results"] == "30"
    assert page.locator("#self-band").is_visible()
    screenshot("evaluations-quality")

    # Monthly ratings: the member's proposal is excellent; confirm it.
    page.goto(f"/evaluations/meetings/{november.pk}/ratings/")
    assert page.locator(f"#level-{tree.member.pk}").input_value() == "excellent"
    page.locator("#ratings-save").click()
    page.wait_for_load_state()
    assert MonthlyRating.objects.get(member=tree.member).level == "excellent"

    # The supervisor files the report with a recommendation.
    relogin(page, login, "supervisor")
    page.goto(f"/meetings/{november.pk}/")
    page.locator("#evaluation-links a[href$='/report/']").click()
    page.locator("textarea[name=observations]").fill(
        "Sinh hoạt nghiêm túc, nhiều ý kiến"
    )
    page.locator("textarea[name=rec-0-text]").fill(
        "Tổ chức sinh hoạt chuyên đề về chuyển đổi số"
    )
    page.locator("input[name=rec-0-addressee]").fill("Đảng ủy phường")
    page.locator("input[name=rec-0-responsible]").fill("Chi ủy chi bộ")
    page.locator("#report-save").click()
    page.wait_for_url("**/evaluations/reports/*/")
    assert "Tổ chức sinh hoạt chuyên đề" in page.locator("main").inner_text()

    # The committee sees it in its list and resolves it.
    relogin(page, login, "committee")
    page.goto(f"/evaluations/orgs/{tree.ward.pk}/recommendations/")
    page.locator(
        "#recommendations-table a", has_text="Tổ chức sinh hoạt chuyên đề"
    ).click()
    page.locator("select[name=status]").select_option("resolved")
    page.locator("textarea[name=response]").fill("Đã đưa vào kế hoạch quý I")
    page.locator("#rec-save").click()
    page.wait_for_load_state()
    rec = Recommendation.objects.get()
    assert (rec.status, rec.response) == ("resolved", "Đã đưa vào kế hoạch quý I")
    page.goto(f"/evaluations/orgs/{tree.ward.pk}/recommendations/?status=resolved")
    assert (
        "Tổ chức sinh hoạt chuyên đề"
        in page.locator("#recommendations-table").inner_text()
    )

    # The member sees their tasks and monthly rating on the home page.
    relogin(page, login, "member")
    page.goto("/")
    home = page.locator("#home-tasks").locator("xpath=../..").inner_text()
    assert "Vận động đóng góp quỹ khuyến học" in home
    assert "Rà soát danh sách hộ nghèo" in home
    assert "11/2026" in page.locator("#home-ratings").inner_text()
    screenshot("evaluations-member-home")


def test_evaluation_pages_with_data_pass_axe_and_html_checker(
    browser, live_server, tree, users, tmp_path, transactional_db
):
    """The matrix walk sees these pages nearly empty; here they hold real rows."""

    from django.urls import reverse

    from evaluations import selectors, services

    _october, november, first, second = october_and_november(tree)
    services.review_tasks(
        meeting=november,
        outcomes={first.pk: ("exceeded", "Tốt"), second.pk: ("not_done", "")},
    )
    services.score_meeting(meeting=november, role="self", manual={"content": 3})
    services.score_meeting(meeting=november, role="supervisor", manual={"content": 2})
    report = services.file_report(
        meeting=november,
        supervisor=tree.supervisor,
        attended=True,
        observations="Nghiêm túc",
        recommendations=[
            {"text": "Kiến nghị A", "addressee": "Đảng ủy", "responsible": "Chi ủy"}
        ],
    )
    sheet = selectors.monthly_sheet(november)["sheet"]
    services.confirm_monthly_ratings(
        meeting=november, levels={r["member"].pk: (r["proposed"], "") for r in sheet}
    )
    rec = report.recommendations.get()
    pages = {
        "secretary": [
            reverse("meetings:minutes-edit", args=[november.pk]),
            reverse("meetings:meeting-detail", args=[november.pk]),
            reverse("evaluations:task-review", args=[november.pk]),
            reverse("evaluations:score-edit", args=[november.pk, "self"]),
            reverse("evaluations:quality", args=[november.pk]),
            reverse("evaluations:monthly-ratings", args=[november.pk]),
            reverse("evaluations:annual-ratings", args=[tree.cell.pk, 2026]),
            reverse("evaluations:rubric-settings", args=[tree.cell.pk]),
        ],
        "supervisor": [
            reverse("evaluations:report-file", args=[november.pk]),
            reverse("evaluations:report-detail", args=[report.pk]),
        ],
        "committee": [
            reverse("evaluations:reports-overview", args=[tree.ward.pk])
            + "?month=2026-11",
            reverse("evaluations:recommendation-list", args=[tree.ward.pk]),
            reverse("evaluations:recommendation-detail", args=[rec.pk]),
        ],
        "member": [
            "/",
            reverse("evaluations:my-tasks"),
            reverse("evaluations:my-ratings"),
        ],
    }
    jar = vnu_jar()
    axe_source = AXE.read_text()
    problems, saved = [], []
    for persona, urls in pages.items():
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        tab = context.new_page()
        tab.goto("/accounts/login/")
        tab.locator("input[name=username]").fill(persona)
        tab.locator("input[name=password]").fill("chibo-demo")
        tab.locator("#login-form button[type=submit]").click()
        tab.wait_for_url(lambda url: "/accounts/login/" not in url)
        for index, url in enumerate(urls):
            response = tab.goto(url)
            assert response.status == 200, url
            problems.extend(axe_problems(tab, axe_source, f"{persona} {url}"))
            html_file = tmp_path / f"{persona}-{index}.html"
            # the HTML we serve (the checker); axe reads the live page, picker included
            html_file.write_text(response.text())
            saved.append((html_file, f"{persona} {url}"))
        context.close()
    problems.extend(html_errors(jar, saved))
    assert problems == [], "\n".join(problems)
