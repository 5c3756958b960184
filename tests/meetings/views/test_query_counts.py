"""Query counts of the meeting pages do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import (
    Meeting,
    VoteKind,
)
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    UserFactory,
)
from tests.factories.files import pdf_bytes, upload
from tests.factories.meetings import adopt_and_sign, fill_minutes, make_meeting, start
from tests.factories.times import at
from tests.support.pages import body, meeting_url


def populate(tree, *, members, meetings):
    """A cell with `members` members whose secretary has a user, `meetings` locked
    meetings (each with that many votes, reserved opinions, addenda, documents,
    guests, changes and a resolution), as many planned ones and one held meeting."""
    cell = OrganizationFactory(name="Chi bộ Đo Đếm", parent=tree.ward)
    secretary = MemberFactory(organization=cell, full_name="Bí Thư Đo")
    PositionFactory(member=secretary, organization=cell)
    user = UserFactory(member=secretary)
    people = [MemberFactory(organization=cell) for _ in range(members - 1)]
    taker = people[0]
    for index in range(meetings):
        meeting = make_meeting(
            cell,
            starts_at=at(2026, 1 + index, 3),
            topic=f"Họp {index}",
            kind="thematic",
            preparer=people[1],
            news_briefer=people[0],
            presenter=secretary,
        )
        meeting.contributors.set(people[:meetings])
        services.reschedule_meeting(
            meeting=meeting, starts_at=at(2026, 1 + index, 4), reason="Lùi", by=user
        )
        for n in range(meetings):
            services.request_excuse(meeting=meeting, member=people[n], reason="Bận")
            meeting.guests.create(name=f"Khách {n}", role="superior")
            services.add_document(
                meeting=meeting,
                upload=upload(f"tai-lieu-{n}.pdf", pdf_bytes()),
                title=f"Tài liệu {n}",
                by=user,
            )
        minutes = start(meeting)
        minutes = fill_minutes(minutes, chair=secretary, taker=taker)
        for n in range(meetings):
            services.record_vote(
                minutes=minutes,
                subject=f"Biểu quyết {n}",
                kind=VoteKind.RESOLUTION,
                yes=2,
                no=0,
                abstain=0,
                reserved=[(people[n], "Bảo lưu")],
            )
        adopt_and_sign(minutes, chair=secretary, taker=taker)
        services.lock_minutes(minutes=minutes, by=user)
        for _n in range(meetings):
            services.add_addendum(minutes=minutes, text="Bổ sung", by=user)
        services.issue_resolution(meeting=meeting, title="NQ", text="…", by=None)
        make_meeting(cell, starts_at=at(2026, 12, 10 + index), preparer=people[1])
    held = make_meeting(cell, starts_at=at(2026, 12, 3))
    minutes = fill_minutes(start(held), chair=secretary, taker=taker)
    for n in range(meetings):
        held.guests.create(name=f"Khách {n}", role="invited")
        services.record_vote(
            minutes=minutes,
            subject=f"Biểu quyết {n}",
            kind=VoteKind.ADMISSION,
            yes=2,
            no=0,
            abstain=0,
            reserved=[(people[n], "Bảo lưu")],
        )
    detail = Meeting.objects.filter(cell=cell, state="locked").last()
    return user, cell, detail, held


SIZES = [
    pytest.param({"members": 3, "meetings": 1}, id="3-members-1-meeting"),
    pytest.param({"members": 30, "meetings": 5}, id="30-members-5-meetings"),
]


PAGES = {
    "plan": lambda cell, detail, held: meeting_url("plan", cell.pk) + "?year=2026",
    "meeting-detail": lambda cell, detail, held: detail.get_absolute_url(),
    "held-meeting-detail": lambda cell, detail, held: held.get_absolute_url(),
    "attendance": lambda cell, detail, held: meeting_url("attendance", held.pk),
    "minutes-edit": lambda cell, detail, held: meeting_url("minutes-edit", held.pk),
    "my-meetings": lambda cell, detail, held: meeting_url("my-meetings"),
    "books": lambda cell, detail, held: meeting_url("books", cell.pk),
}


# The same literals for both sizes: a page whose count grows with the data fails.
QUERIES = {
    "plan": 10,
    "meeting-detail": 24,  # + the minimum attendance rule (one query)
    # + the minimum attendance rule; + lessons from model meetings the cell applies
    "held-meeting-detail": 22,
    "attendance": 10,
    # + the tasks section (evaluations): tasks, review count, form; + 11: the dues
    # status beside the opening (members.api.meeting_dues_status); + 2: the people
    # the cell may vote about (admission, recognition)
    "minutes-edit": 33,
    "my-meetings": 8,
    "books": 10,
}


@pytest.mark.parametrize("size", SIZES)
def test_page_queries_do_not_grow(client, tree, media, size):
    # Arrange
    user, cell, detail, held = populate(tree, **size)
    client.force_login(user)
    counted = {}

    for page, path_of in PAGES.items():
        # Act
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path_of(cell, detail, held))

        # Assert
        assert response.status_code == 200, page
        assert cell.name in body(response), page
        counted[page] = len(queries.captured_queries)
    assert counted == QUERIES
