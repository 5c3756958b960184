"""What the printed documents show (meetings/pdf/context.py): constant queries,
and the sections other apps provide through meetings.hooks."""

from meetings import hooks, pdf
from meetings.models import Meeting
from tests.factories.meetings import full_meeting
from tests.factories.times import at


def test_pdf_context_queries_do_not_grow(tree, users, django_assert_num_queries):
    small = full_meeting(tree, users, items=1, speakers=1, votes=1)
    large = full_meeting(
        tree, users, when=at(2026, 12, 3, 19, 30), items=6, speakers=5, votes=3
    )

    for meeting in (small, large):
        meeting = Meeting.objects.select_related("cell").get(pk=meeting.pk)
        # 10 + last month's tasks reviewed in it + the cell's self-score
        with django_assert_num_queries(12):
            pdf.minutes_context(meeting)


def test_minutes_tasks_come_from_the_apps_that_provide_them(tree, users, monkeypatch):
    # Arrange: the evaluations app registered its tasks from ready()
    meeting = full_meeting(tree, users, lock=False)

    # Act / Assert: its task is printed, formatted for the minutes
    assert pdf.minutes_context(meeting)["tasks"] == [
        {
            "text": "Vận động hội viên tham gia Tết trồng cây",
            "assignees": tree.member.full_name,
            "deadline": "23/11/2026",
        }
    ]
    # without any provider the section is simply empty
    monkeypatch.setattr(hooks, "_MINUTES_SECTIONS", {})
    assert pdf.minutes_context(meeting)["tasks"] == []


def test_minutes_section_provider_registered_twice_counts_once(monkeypatch):
    monkeypatch.setattr(hooks, "_MINUTES_SECTIONS", {})

    def provider(meeting):
        return [{"text": f"row of {meeting}"}]

    hooks.provide_minutes_section("tasks", provider)
    hooks.provide_minutes_section("tasks", provider)

    assert hooks.minutes_section_rows("tasks", "m1") == [{"text": "row of m1"}]
    assert hooks.minutes_section_rows("other", "m1") == []
