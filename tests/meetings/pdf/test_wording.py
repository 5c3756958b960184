"""The printed documents read like documents (issue 16 §5): the user's text keeps its
case, numbers and votes read as Vietnamese sentences, the topic cover is centred,
and the minutes hold last month's task review and the cell's self-score."""

import io

from django.urls import reverse
from pypdf import PdfReader

from evaluations import services as evaluation_services
from evaluations.models import Task
from meetings import services
from meetings.models import Vote
from meetings.pdf import render
from meetings.pdf.context import minutes_context
from tests.factories.meetings import full_meeting
from tests.factories.times import at
from tests.support.pdf import text_of

TOPIC = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


def _thematic(tree, users, clock):
    clock(at(2026, 11, 20, 10, 0))
    return full_meeting(tree, users, kind="thematic", topic=TOPIC, tasks=False)


def test_minutes_keep_the_case_of_the_topic(tree, users, place, clock):
    meeting = _thematic(tree, users, clock)

    text = text_of(render.render_minutes(meeting).content)

    assert f"tiến hành sinh hoạt chuyên đề: {TOPIC}." in text
    assert "hồ chí minh" not in text


def test_regular_minutes_sentence_starts_the_kind_in_lower_case(
    tree, users, place, clock
):
    clock(at(2026, 11, 20, 10, 0))
    meeting = full_meeting(tree, users)

    text = text_of(render.render_minutes(meeting).content)

    assert "tiến hành sinh hoạt chi bộ thường kỳ tháng 11 năm 2026." in text


def test_vote_subject_follows_a_dash_as_typed(tree, users, place, clock):
    clock(at(2026, 11, 20, 10, 0))
    meeting = full_meeting(tree, users, lock=False)
    # The subject as a secretary types it: a capital, a final stop.
    Vote.objects.filter(minutes__meeting=meeting).update(
        subject="Thông qua chương trình công tác tháng 12."
    )

    text = text_of(render.render_minutes(meeting).content)

    assert "Biểu quyết — Thông qua chương trình công tác tháng 12: tán thành 2/" in text
    assert "Biểu quyết Thông qua" not in text


def test_resolution_number_in_a_sentence_says_so_once(
    tree, users, place, clock, secretary_client
):
    clock(at(2026, 11, 20, 10, 0))
    meeting = full_meeting(tree, users)

    response = secretary_client.post(
        reverse("meetings:resolution-issue", args=[meeting.pk]),
        {"title": "Về công tác tháng 12", "text": "Chi bộ quyết nghị."},
        follow=True,
    )
    text = text_of(render.render_minutes(meeting).content)

    page = response.content.decode()
    assert "Đã ban hành Nghị quyết số 01-NQ/CB." in page
    assert "số Số" not in page
    assert "Nghị quyết số 01-NQ/CB: Về công tác tháng 12." in text
    assert "Số Số" not in text
    assert "số Số" not in text


def _first_x_of(content, needle):
    """The x position (points) where the first line holding `needle` starts."""
    reader = PdfReader(io.BytesIO(content))
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text and not found:
            found.append(tm[4] * cm[0] + cm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    return found[0]


def test_topic_cover_title_is_centred_not_justified(tree, users, place, clock):
    clock(at(2026, 11, 20, 10, 0))
    meeting = services.create_meeting(
        cell=tree.cell,
        kind="thematic",
        starts_at=at(2026, 11, 25, 19, 30),
        by=users.secretary,
        topic="Ngắn gọn",
    )

    content = render.render_topic_cover(meeting).content

    # A4 is 595 pt wide, margins 30 mm (85 pt) and 15 mm: the text area's centre is
    # near 319 pt. Justified with a 1 cm indent, a short title started at 113 pt.
    x = _first_x_of(content, "NGẮN GỌN")
    assert 230 < x < 319


def test_minutes_hold_last_months_task_review_and_the_self_score(
    tree, users, place, clock
):
    clock(at(2026, 10, 20, 10, 0))
    october = full_meeting(tree, users, when=at(2026, 10, 3, 19, 30))
    task = Task.objects.get(meeting=october)
    clock(at(2026, 11, 3, 21, 45))  # after the recorded end (21:30)
    november = full_meeting(tree, users, lock=False)
    evaluation_services.review_tasks(
        meeting=november,
        outcomes={task.pk: ("done_on_time", "Đã thăm 3 gia đình")},
    )
    evaluation_services.score_meeting(meeting=november, role="self", manual={})

    context = minutes_context(november)
    text = text_of(render.render_minutes(november).content)

    assert [row["text"] for row in context["task_review"]] == [
        "Vận động hội viên tham gia Tết trồng cây"
    ]
    assert Task.objects.get(pk=task.pk).reviewed_in_id == november.pk
    assert "Kiểm điểm việc thực hiện nhiệm vụ tháng trước" in text
    assert "Vận động hội viên tham gia Tết trồng cây" in text
    assert "Hoàn thành đúng hạn: Đã thăm 3 gia đình" in text
    score = context["self_score"]
    assert (
        f"Chi bộ tự chấm điểm chất lượng buổi sinh hoạt: {score['total']}/"
        f"{score['maximum']} điểm, xếp loại {score['band'].lower()}." in text
    )


def test_minutes_say_when_nothing_was_reviewed_or_scored(tree, users, place, clock):
    clock(at(2026, 11, 20, 10, 0))
    meeting = full_meeting(tree, users, tasks=False)

    text = text_of(render.render_minutes(meeting).content)

    assert "Không có nhiệm vụ tháng trước được kiểm điểm tại cuộc họp." in text
    assert "Chi bộ tự chấm điểm chất lượng buổi sinh hoạt: chưa chấm." in text
