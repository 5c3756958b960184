"""The opening of a regular meeting reads out the dues status: the minutes record
it when the meeting starts, the editor shows it as it stands, the PDF prints it."""

from datetime import date

from django.urls import reverse
from django.utils import translation

from meetings.models import MeetingKind
from meetings.pdf.render import render_minutes
from members.dues import services as dues
from tests.factories.meetings import make_meeting, start
from tests.factories.times import at
from tests.support.pdf import text_of

OCTOBER = date(2026, 10, 1)


def _dues(tree, users):
    student, other, _worker = tree.others
    dues.set_dues_category(member=tree.secretary, category="insured", start=OCTOBER)
    dues.set_dues_base(member=tree.secretary, month=OCTOBER, amount=10_000_000)
    dues.set_dues_category(member=student, category="student", start=OCTOBER)
    dues.record_cash_payments(
        cell=tree.cell,
        month=OCTOBER,
        member_ids=[tree.secretary.pk, tree.member.pk, other.pk, _worker.pk],
        paid_on=date(2026, 10, 3),
    )


def test_regular_meeting_opening_records_the_dues_status(tree, users, clock):
    clock(at(2026, 11, 3, 19, 0))
    _dues(tree, users)
    student = tree.others[0]
    meeting = make_meeting(tree.cell, starts_at=at(2026, 11, 3, 19, 30))
    with translation.override("en"):
        minutes = start(meeting)
    expected = (
        "Party dues of 10/2026: 4 of 5 members paid; 130.000 of 135.000 đồng "
        f"collected. Not paid: {student.full_name}. "
        f"In arrears this year: {student.full_name} (1 month)."
    )
    assert minutes.opening == expected
    with translation.override("en"):
        text = text_of(render_minutes(meeting).content)
    assert "Party dues of 10/2026: 4 of 5 members paid" in text
    assert f"In arrears this year: {student.full_name} (1 month)." in text


def test_other_meetings_have_no_dues_opening(tree, users, clock):
    clock(at(2026, 11, 20, 19, 0))
    meeting = make_meeting(
        tree.cell, starts_at=at(2026, 11, 20, 19, 30), kind=MeetingKind.EXTRAORDINARY
    )
    assert start(meeting).opening == ""


def test_minutes_editor_shows_the_dues_status(tree, users, clock, persona_client):
    clock(at(2026, 11, 3, 19, 0))
    _dues(tree, users)
    meeting = make_meeting(tree.cell, starts_at=at(2026, 11, 3, 19, 30))
    start(meeting)
    client = persona_client("secretary")
    html = client.get(reverse("meetings:minutes-edit", args=[meeting.pk])).content
    html = html.decode()
    status = html[html.index('id="dues-status"') :]
    assert "10/2026" in status[: status.index("</span>")]
