"""Meeting selectors: reach and roles, the year plan, rosters and attendance rows,
the reading list, the two books, and query counts that do not grow with the data."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings import selectors, services
from meetings.models import Meeting, VoteKind
from members import services as member_services
from members.models import RuleKey
from tests.factories.meetings import fill_minutes, locked_meeting, make_meeting, start
from tests.factories.members import official
from tests.factories.times import at

EPOCH = date(2000, 1, 1)


@pytest.fixture
def meetings(tree):
    """One meeting in each of the three cells of the tree."""
    return {
        name: make_meeting(getattr(tree, name), topic=f"Họp {name}")
        for name in ("cell", "cell2", "other_cell")
    }


# --- reach and roles ------------------------------------------------------------------

VISIBLE = {
    "secretary": {"cell"},
    "member": {"cell"},
    "committee": {"cell", "cell2"},  # the ward's subtree
    "supervisor": {"cell", "cell2"},  # own cell and the followed one
    "outsider": {"other_cell"},
    "admin": {"cell", "cell2", "other_cell"},
}


@pytest.mark.parametrize("persona", VISIBLE)
def test_meetings_for_user_is_the_reach(users, meetings, persona):
    # Act
    visible = set(selectors.meetings_for_user(getattr(users, persona)))

    # Assert
    assert visible == {meetings[name] for name in VISIBLE[persona]}


ACTIONS = {
    # persona: (read, manage, review) on a meeting of tree.cell
    "secretary": ("ok", "ok", 403),
    "member": ("ok", 403, 403),
    "committee": ("ok", 403, "ok"),
    "supervisor": ("ok", 403, 403),
    "outsider": (404, 404, 404),
    "admin": ("ok", "ok", "ok"),
}


@pytest.mark.parametrize("persona", ACTIONS)
def test_get_meeting_for_user_per_action(users, meetings, persona):
    # Arrange
    user = getattr(users, persona)
    meeting = meetings["cell"]

    for action, expected in zip(
        ("read", "manage", "review"), ACTIONS[persona], strict=True
    ):
        # Act / Assert
        if expected == "ok":
            got = selectors.get_meeting_for_user(user, meeting.pk, action=action)
            assert got == meeting
            assert got.cell == meeting.cell
        else:
            error = Http404 if expected == 404 else PermissionDenied
            with pytest.raises(error):
                selectors.get_meeting_for_user(user, meeting.pk, action=action)


def test_get_meeting_for_user_unknown_pk_is_404(users, meetings):
    # Act / Assert
    with pytest.raises(Http404):
        selectors.get_meeting_for_user(users.admin, 10**9)


# --- the year plan --------------------------------------------------------------------


def test_year_plan_in_date_order_in_one_query(tree, django_assert_num_queries):
    # Arrange
    services.generate_year_plan(cell=tree.cell, year=2026, by=None)
    services.generate_year_plan(cell=tree.cell, year=2027, by=None)
    extra = make_meeting(tree.cell, starts_at=at(2026, 6, 20), kind="extraordinary")
    Meeting.objects.filter(plan_slot="2026-M06").update(preparer=tree.member)

    # Act
    with django_assert_num_queries(1):
        plan = selectors.year_plan(tree.cell, 2026)
        preparers = [m.preparer for m in plan]

    # Assert
    assert len(plan) == 18  # 12 regular, 4 thematic, the review, the extraordinary
    assert [m.starts_at for m in plan] == sorted(m.starts_at for m in plan)
    assert extra in plan
    assert preparers.count(tree.member) == 1
    assert {m.planned_date.year for m in plan} == {2026}


def test_year_plan_keeps_december_shifted_into_next_year(tree):
    # Arrange: 31 December 2028 is a Sunday and 1 January 2029 a holiday
    member_services.set_rule(
        org=tree.ward, key=RuleKey.MEETING_DAY, value=31, valid_from=EPOCH
    )
    member_services.set_rule(
        org=tree.ward,
        key=RuleKey.MEETING_SHIFT,
        value="next_working_day",
        valid_from=EPOCH,
    )
    created = services.generate_year_plan(cell=tree.cell, year=2028, by=None)
    december = Meeting.objects.get(plan_slot="2028-M12")
    assert december.planned_date == date(2029, 1, 2)

    # Act
    plan = selectors.year_plan(tree.cell, 2028)

    # Assert
    assert len(created) == 17
    assert december in plan
    assert len(plan) == 17


def test_cell_roster_active_members_in_name_order(tree, django_assert_num_queries):
    # Arrange
    official(tree.cell, "Ân Văn Nghỉ", is_active=False)
    official(tree.cell, "An Văn Đầu")

    # Act
    with django_assert_num_queries(1):
        roster = selectors.cell_roster(tree.cell)
        flags = [(m.is_exempt, m.is_away, m.is_suspended) for m in roster]

    # Assert
    names = [m.full_name for m in roster]
    assert names[0] == "An Văn Đầu"
    assert "Ân Văn Nghỉ" not in names
    assert len(roster) == 6
    assert names == sorted(names)
    assert set(flags) == {(False, False, False)}


def test_attendance_rows_and_votes_in_constant_queries(tree, django_assert_num_queries):
    # Arrange
    meeting = make_meeting(tree.cell)
    minutes = start(meeting)
    for n in range(3):
        services.record_vote(
            minutes=minutes,
            subject=f"Biểu quyết {n}",
            kind=VoteKind.RESOLUTION,
            yes=3,
            no=1,
            abstain=0,
            reserved=[(tree.others[n], f"Ý kiến {n}")],
        )

    # Act
    with django_assert_num_queries(3):
        rows = selectors.attendance_rows(meeting)
        names = [row.member.full_name for row in rows]
        votes = selectors.minutes_votes(minutes)
        opinions = [
            (r.member.full_name, r.opinion)
            for vote in votes
            for r in vote.reserved_opinions.all()
        ]

    # Assert
    assert names == sorted(names)
    assert len(names) == 5
    assert [vote.subject for vote in votes] == [f"Biểu quyết {n}" for n in range(3)]
    assert opinions == [(tree.others[n].full_name, f"Ý kiến {n}") for n in range(3)]


def test_pending_excuses_only(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)
    waiting = services.request_excuse(meeting=meeting, member=tree.member, reason="A")
    decided = services.request_excuse(
        meeting=meeting, member=tree.others[0], reason="B"
    )
    services.decide_excuse(excuse=decided, accept=True, by=users.secretary)

    # Act
    pending = selectors.pending_excuses(meeting)

    # Assert
    assert pending == [waiting]


@pytest.mark.parametrize("size", [1, 4])
def test_meeting_detail_selector_in_constant_queries(
    tree, users, django_assert_num_queries, size
):
    # Arrange
    meeting = make_meeting(tree.cell)
    meeting.contributors.set([tree.member, *tree.others][:size])
    for n in range(size):
        services.reschedule_meeting(
            meeting=meeting,
            starts_at=at(2026, 11, 4 + n),
            reason="Lùi",
            by=users.member,
        )
    for member in [tree.member, *tree.others][:size]:
        services.request_excuse(meeting=meeting, member=member, reason="Bận")

    # Act
    with django_assert_num_queries(6):
        detail = selectors.meeting_detail(meeting, member_id=tree.member.pk)
        authors = [change.by.display_name for change in detail["changes"]]
        names = [excuse.member.full_name for excuse in detail["excuses"]]

    # Assert
    assert authors == [tree.member.full_name] * size
    assert len(names) == len(detail["excuses"]) == size
    assert detail["own_excuse"].member == tree.member
    assert len(detail["contributors"]) == size
    assert (detail["minutes"], detail["resolution"], detail["documents"]) == (
        None,
        None,
        [],
    )


# --- reading list and books -----------------------------------------------------------


@pytest.fixture
def records(tree):
    """Two locked meetings of the cell (one with a resolution), one upcoming, one
    locked meeting in the outsider's cell."""
    people = {"chair": tree.secretary, "taker": tree.member}
    roads, _ = locked_meeting(
        tree.cell,
        starts_at=at(2026, 10, 3),
        topic="Tháng 10",
        conclusion="Vận động làm đường bê tông",
        **people,
    )
    storm, _ = locked_meeting(
        tree.cell,
        starts_at=at(2026, 11, 3),
        topic="Tháng 11",
        conclusion="Phòng chống bão",
        **people,
    )
    services.issue_resolution(
        meeting=storm, title="Nghị quyết mùa mưa", text="Gia cố đê", by=None
    )
    upcoming = make_meeting(tree.cell, starts_at=at(2026, 12, 3), topic="Tháng 12")
    draft = make_meeting(tree.cell, starts_at=at(2026, 11, 20), topic="Đang họp")
    fill_minutes(
        start(draft), conclusion="bão", chair=tree.secretary, taker=tree.member
    )
    elsewhere, _ = locked_meeting(
        tree.other_cell,
        conclusion="Phòng chống bão",
        chair=tree.outsider,
        taker=tree.outsider,
    )
    return {
        "roads": roads,
        "storm": storm,
        "upcoming": upcoming,
        "draft": draft,
        "elsewhere": elsewhere,
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", ["storm", "roads"]),
        ("PHòng chống", ["storm"]),  # the conclusion, case-insensitive
        ("bê tông", ["roads"]),
        ("Tháng 10", ["roads"]),  # the topic
        ("mùa mưa", ["storm"]),  # the resolution's title
        ("gia cố", ["storm"]),  # the resolution's text
        ("không có", []),
    ],
)
def test_reading_list_search(users, records, search, expected):
    # Act
    found = selectors.reading_list(users.member, search=search)

    # Assert
    assert found["records"] == [records[name] for name in expected]
    assert found["upcoming"] == [records["upcoming"]]


def test_reading_list_in_constant_queries(users, records, django_assert_num_queries):
    # Act
    with django_assert_num_queries(5):  # scope (3), upcoming, records (joined)
        found = selectors.reading_list(users.member, search="bão")
        numbers = [
            (m.cell.name, m.minutes.locked_at is not None, m.resolution.number)
            for m in found["records"]
        ]
        cells = [m.cell.name for m in found["upcoming"]]

    # Assert
    assert numbers == [("Chi bộ Khối phố 5", True, "Số 01-NQ/CB")]
    assert cells == ["Chi bộ Khối phố 5"]


def test_minute_book_and_resolution_book(tree, records, django_assert_num_queries):
    # Act
    with django_assert_num_queries(2):
        book = selectors.minute_book(tree.cell)
        signers = [(m.chair.full_name, m.minute_taker.full_name) for m in book]
        resolutions = selectors.resolution_book(tree.cell)
        dates = [r.meeting.starts_at for r in resolutions]

    # Assert
    assert [m.meeting for m in book] == [records["roads"], records["storm"]]
    assert signers == [(tree.secretary.full_name, tree.member.full_name)] * 2
    assert [r.number for r in resolutions] == ["Số 01-NQ/CB"]
    assert dates == [at(2026, 11, 3)]
    assert selectors.minute_book(tree.cell, 2025) == []
    assert len(selectors.minute_book(tree.cell, 2026)) == 2


def test_reading_list_of_an_admin_without_a_cell_is_empty(users, records):
    # Act
    found = selectors.reading_list(users.admin)

    # Assert
    assert found == {"upcoming": [], "records": []}


def test_inactive_member_loses_reach(tree, users, meetings):
    # Arrange
    tree.member.is_active = False
    tree.member.save(update_fields=["is_active"])
    users.member.refresh_from_db()

    # Act
    visible = list(selectors.meetings_for_user(users.member))

    # Assert
    assert visible == []
    assert selectors.reading_list(users.member) == {"upcoming": [], "records": []}
