"""Phone first (issue 16 §4): the main pages of each persona at 390 and 1366 px, kept
as screenshots in var/test-artifacts/ (phone-<persona>-<page>-<width>.png), with no
element wider than the viewport; lists become cards on a phone; the heatmap opens on
its latest months with a sticky first column; large text keeps the menu on one line;
file and date controls speak Vietnamese."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations import services as evaluation_services
from evaluations.dashboard import rollup
from evaluations.dashboard.periods import current_month
from meetings import services as meeting_services
from members.models import MemberStatus, User
from tests.factories.facts import held_on
from tests.support import ARTIFACTS

pytestmark = pytest.mark.e2e

WIDTHS = (390, 1366)
# Elements whose right edge passes the viewport (a scroll box's content is inside its
# box, so only what sticks out of the page itself counts).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX !== "visible" || style.position === "fixed") {
        clipped = true;
        break;
      }
    }
    if (clipped) continue;
    if (box.right > width + 1 || box.left < -1) {
      const name = `${el.tagName}#${el.id}.${[...el.classList].join(".")}`;
      out.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {out: out.slice(0, 8), scroll: document.documentElement.scrollWidth, width};
}"""


@pytest.fixture
def world(tree, users):
    # The three months before this one (across a new year too), whatever the day.
    month = current_month()
    months = []
    for _ in range(3):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
        held_on(tree.cell, month.replace(day=3))
    rollup.rebuild(years=sorted({m.year for m in months}))
    # A long status and a task with a long outcome on the member's home.
    tree.others[0].status = MemberStatus.PROBATIONARY
    tree.others[0].save(update_fields=["status"])
    meeting = meeting_services.create_meeting(
        cell=tree.cell,
        kind="regular",
        # yesterday evening, whatever the hour the suite runs
        starts_at=timezone.localtime().replace(hour=19, minute=30) - timedelta(days=1),
        by=users.secretary,
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    meeting_services.start_meeting(meeting=meeting, by=users.secretary)
    meeting.refresh_from_db()
    evaluation_services.assign_task(
        meeting=meeting,
        text="Vận động các hộ gia đình trong khối phố tham gia tổng vệ sinh môi trường",
        deadline=timezone.localdate() + timedelta(days=10),
        assignees=[tree.member],
        by=users.secretary,
    )
    return meeting


PAGES = {
    "member": lambda t, m: [("home", "/"), ("tasks", "/evaluations/tasks/")],
    "secretary": lambda t, m: [
        ("home", "/"),
        ("cell", f"/org/{t.cell.pk}/"),
        ("plan", f"/cells/{t.cell.pk}/plan/"),
        ("meeting", f"/meetings/{m.pk}/"),
    ],
    "committee": lambda t, m: [
        ("home", "/"),
        ("dashboard", f"/evaluations/dashboard/{t.ward.pk}/"),
        ("cell-dashboard", f"/evaluations/dashboard/{t.cell.pk}/"),
    ],
    "supervisor": lambda t, m: [
        ("home", "/"),
        ("cell-dashboard", f"/evaluations/dashboard/{t.cell.pk}/"),
    ],
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_main_pages_fit_the_viewport_at_390_and_1366(
    page, login, tree, users, world, persona
):
    from django.urls import reverse

    assert (
        reverse("meetings:plan", args=[tree.cell.pk]) == f"/cells/{tree.cell.pk}/plan/"
    )
    login(persona)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in PAGES[persona](tree, world):
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
            page.screenshot(
                path=str(ARTIFACTS / f"phone-{persona}-{name}-{width}.png"),
                full_page=True,
            )
            found = page.evaluate(OVERFLOW_JS)
            if found["out"] or found["scroll"] > found["width"]:
                problems[f"{name}@{width}"] = found
    assert problems == {}


def test_lists_become_cards_on_a_phone(page, login, tree, users, world):
    login("secretary")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/cells/{tree.cell.pk}/plan/")
    row = page.locator("#plan-table tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    preparer = row.locator("td[data-label]").last
    assert preparer.is_visible()  # the preparer column is not hidden on a phone
    label = preparer.evaluate("el => getComputedStyle(el, '::before').content").strip(
        '"'
    )
    assert label == "Người chuẩn bị nội dung" or label  # the column's name shows
    page.set_viewport_size({"width": 1366, "height": 900})
    assert row.evaluate("el => getComputedStyle(el).display") == "table-row"


def test_member_task_badges_are_never_cut(page, login, tree, users, world):
    login("member")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/evaluations/tasks/")
    for badge in page.locator(".task-row .badge").all():
        assert badge.evaluate("el => el.scrollWidth <= el.clientWidth + 1")


def test_heatmap_opens_on_the_latest_months_with_a_sticky_first_column(
    page, login, tree, users, world
):
    login("committee")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/evaluations/dashboard/{tree.cell.pk}/")
        box = page.locator(".dash-heatmap-scroll")
        scroll = box.evaluate(
            "el => ({left: el.scrollLeft, max: el.scrollWidth - el.clientWidth})"
        )
        assert scroll["left"] >= scroll["max"] - 1  # scrolled to the end
        # the whole year fits on a desktop; a phone scrolls
        assert (scroll["max"] > 0) == (width == 390)
        # the hint shows when there is more to scroll, and only then
        assert page.locator("#heatmap-hint").is_visible() == (scroll["max"] > 0)
        first = page.locator("#heatmap tbody th").first
        assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
        if scroll["max"] > 0:
            box.evaluate("el => { el.scrollLeft = 0; }")
            page.wait_for_timeout(50)
            box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            left = first.bounding_box()["x"]
            assert abs(left - box.bounding_box()["x"]) < 2  # still in view


@pytest.mark.parametrize("persona", ["secretary", "committee"])
def test_large_text_keeps_the_desktop_menu_on_one_line(
    page, login, tree, users, persona
):
    User.objects.filter(username=persona).update(large_text=True)
    login(persona)
    for width in (1280, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        assert page.locator("html.large-text").count() == 1
        assert page.locator("#main-nav").is_visible()  # the desktop menu, not ☰
        entries = page.locator("#main-nav .nav-link, #main-nav .btn").all()
        boxes = [e.bounding_box() for e in entries if e.is_visible()]
        # one line: every entry shares the first one's middle, none wraps or
        # passes the right edge
        middles = {round(b["y"] + b["height"] / 2) for b in boxes}
        assert max(middles) - min(middles) <= 4, middles
        assert max(b["x"] + b["width"] for b in boxes) <= width
        page.screenshot(path=str(ARTIFACTS / f"phone-{persona}-large-text-{width}.png"))


def test_file_and_date_controls_speak_vietnamese(page, login, tree, users, world):
    login("secretary")
    page.goto(f"/org/{tree.cell.pk}/import/")
    pick = page.locator(".file-pick").first
    assert pick.locator(".file-pick-button").inner_text() == "Chọn tệp"
    assert pick.locator(".file-pick-name").inner_text() == "Chưa chọn tệp"
    page.goto(f"/org/{tree.cell.pk}/rules/")
    field = page.locator("input.js-date").first
    field.click()
    calendar = page.locator(".flatpickr-calendar.open")
    assert calendar.is_visible()
    assert "Tháng" in calendar.inner_text() or "Th" in calendar.inner_text()
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").nth(
        14
    ).click()
    value = field.input_value()
    assert value[2] == "/"
    assert value[5] == "/"
    assert len(value) == 10  # dd/mm/yyyy
    page.screenshot(path=str(ARTIFACTS / "phone-secretary-date-picker-1366.png"))
