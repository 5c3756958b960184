"""Model meetings in a real browser (seed 003): the ward committee plans a model
meeting of an urban cell, invites the peer secretaries of the other urban cells
(they are notified, with the meeting's page open to them), the model cell records
who attended, the committee records the on-site lesson-drawing session, the peer
gives feedback and promises lessons, the chair concludes, and the peer's cell
marks a lesson applied in its next regular meeting; the figures count it all."""

import pytest

from evaluations.models import LessonPromise, LessonSession, PeerFeedback
from meetings import notify
from meetings.models import Delivery, Guest, ModelMeeting, Notification
from members.models import PositionRole
from tests.factories import MemberFactory, PositionFactory, UserFactory
from tests.factories.meetings import make_meeting, start
from tests.factories.times import at

pytestmark = pytest.mark.e2e


def relogin(page, login, username):
    page.context.clear_cookies()
    login(username)


def test_model_meeting_plan_invitations_lessons_applied(
    page, login, screenshot, tree, users, clock
):
    peer = MemberFactory(organization=tree.cell2, full_name="Đỗ Văn Bạn")
    PositionFactory(member=peer, organization=tree.cell2, role=PositionRole.SECRETARY)
    UserFactory(username="peer", member=peer, email="")
    clock(at(2026, 10, 27, 9))

    # The committee plans November's model meeting of Khối phố 5 (urban).
    login("committee")
    page.goto(f"/orgs/{tree.ward.pk}/model-meetings/?year=2026")
    page.locator("#id_cell").select_option(str(tree.cell.pk))
    page.locator("#id_month").select_option("11")
    page.locator("#id_topic").fill("Nâng cao chất lượng sinh hoạt chi bộ khu dân cư")
    page.locator("#model-plan-save").click()
    page.wait_for_url("**/model-meetings/*/")
    entry = ModelMeeting.objects.get()
    assert entry.meeting.is_model
    assert entry.meeting.starts_at == at(2026, 11, 3, 8)

    # Invitations: the peer secretary of Khối phố 2 and the chosen official.
    page.locator(
        f"#invite-form input[name=committee_members][value='{tree.official.pk}']"
    ).check()
    page.locator("#invite-send").click()
    page.wait_for_load_state()
    table = page.locator("#invitations-table").inner_text()
    assert "Đỗ Văn Bạn" in table
    assert "Khối phố 2" in table
    assert tree.official.full_name in table
    assert set(
        Guest.objects.filter(meeting=entry.meeting).values_list("member_id", flat=True)
    ) == {peer.pk, tree.official.pk}
    rows = Delivery.objects.filter(meeting=entry.meeting, member=peer)
    notify.send_deliveries(delivery_ids=list(rows.values_list("pk", flat=True)))
    assert Notification.objects.filter(user__member=peer).count() == 1

    # The peer is notified and may open the model meeting's page.
    relogin(page, login, "peer")
    page.goto("/notifications/")
    page.locator("main a[href*='/meetings/']").first.click()
    page.wait_for_url(f"**/meetings/{entry.meeting.pk}/")
    assert "Nâng cao chất lượng" in page.locator("h1").inner_text()

    # The meeting is held; the model cell's secretary records who came.
    clock(at(2026, 11, 3, 10))
    start(entry.meeting)
    relogin(page, login, "secretary")
    page.goto(f"/model-meetings/{entry.pk}/")
    for invitation in entry.invitations.all():
        page.locator(f"#invitee-attendance-form input[value='{invitation.pk}']").check()
    page.locator("#invitee-attendance-save").click()
    page.wait_for_load_state()
    assert entry.invitations.filter(attended=True).count() == 2

    # The committee records the on-site lesson-drawing session.
    relogin(page, login, "committee")
    page.goto(f"/evaluations/orgs/{tree.ward.pk}/lessons/?year=2026")
    page.locator("#id_kind").select_option("on_site")
    page.locator("#id_held_on").fill("03/11/2026")
    page.locator("#id_chair").select_option(str(tree.official.pk))
    page.locator(
        f"#session-form input[name=model_meetings][value='{entry.pk}']"
    ).check()
    page.locator("#session-save").click()
    page.wait_for_url("**/evaluations/lessons/*/")
    session = LessonSession.objects.get()

    # The peer gives feedback and promises two lessons.
    relogin(page, login, "peer")
    page.goto(f"/evaluations/lessons/{session.pk}/")
    page.locator("#id_worked").fill("Chuẩn bị chu đáo, đảng viên phát biểu sôi nổi")
    page.locator("#id_did_not_work").fill("Thời gian thông tin thời sự còn dài")
    page.locator("#id_will_adopt").fill(
        "Phân công chuẩn bị tham luận trước 3 ngày\nGhi biên bản điện tử"
    )
    page.locator("#id_score").fill("92")
    page.locator("#feedback-save").click()
    page.wait_for_load_state()
    feedback = PeerFeedback.objects.get()
    assert feedback.band == "good"
    assert "Ghi biên bản điện tử" in page.locator("#feedback-table").inner_text()

    # The chair concludes.
    relogin(page, login, "committee")
    page.goto(f"/evaluations/lessons/{session.pk}/")
    page.locator("#id_conclusions").fill("Cuộc sinh hoạt đạt yêu cầu, cần nhân rộng.")
    page.locator("#id_lessons").fill("Chuẩn bị nội dung sát thực tế")
    page.locator("#conclude-save").click()
    page.wait_for_load_state()
    assert "nhân rộng" in page.locator("#session-conclusions").inner_text()

    # Khối phố 2's next regular meeting shows the lessons; its secretary applies one.
    december = make_meeting(tree.cell2, starts_at=at(2026, 12, 3, 8))
    clock(at(2026, 12, 1, 9))
    relogin(page, login, "peer")
    page.goto(f"/meetings/{december.pk}/")
    lessons = page.locator("#lesson-promises")
    assert "Phân công chuẩn bị tham luận trước 3 ngày" in lessons.inner_text()
    promise = LessonPromise.objects.get(text="Ghi biên bản điện tử")
    form = page.locator(f"[data-promise='{promise.pk}'] form")
    form.locator("input[name=note]").fill("Đã dùng biên bản điện tử từ tháng 12")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{december.pk}/")
    assert "Đã dùng biên bản điện tử" in page.locator("#lesson-promises").inner_text()
    promise.refresh_from_db()
    assert promise.applied_meeting == december
    screenshot("model-meeting-lessons")

    # The committee sees the figures.
    relogin(page, login, "committee")
    page.goto(f"/evaluations/orgs/{tree.ward.pk}/lessons/figures/?year=2026")
    assert page.locator("#fig-held").inner_text() == "1 / 1"
    assert page.locator("#fig-on-site").inner_text() == "1"
    assert page.locator("#fig-extended").inner_text() == "0"
    assert page.locator("#fig-peers").inner_text() == "1"
    assert page.locator("#fig-lessons").inner_text() == "1 / 2"
