"""Builders of the admission pipeline (members.admission): every step through the
real services, the cell's vote through the meetings app's minutes as a secretary
records it."""

from datetime import date, timedelta

from meetings import services as meeting_services
from meetings.models import VoteKind
from members.admission import services

from .meetings import fill_minutes, make_meeting, start
from .times import at, on

# The clock of the admission tests: Monday 15/06/2026, 10:00 in Vietnam (the fixture
# `admission_clock` sets it).
NOW = at(2026, 6, 15, 10, 0)


def candidate(cell, tree, name="Nguyễn Thị Ưu Tú", *, complete=True, **fields):
    """A candidate of `cell` proposed by its secretary; with a complete file
    (certificate, two introducers, both opinions) unless complete=False."""
    data = {
        "full_name": name,
        "proposed_on": date(2025, 1, 6),
        "workplace": "Trường Tiểu học Lê Lợi",
        "birth_date": date(1998, 4, 2),
    }
    if complete:
        data.update(
            certificate_date=date(2025, 1, 20),
            certificate_issuer="Trung tâm Chính trị phường",
            introducer_1=tree.secretary,
            introducer_2=tree.member,
            group_opinion="Tổ đảng đề nghị kết nạp.",
            group_opinion_date=date(2025, 2, 10),
            mass_org_name="Đoàn Thanh niên",
            mass_org_opinion="Đoàn giới thiệu đoàn viên ưu tú.",
            mass_org_opinion_date=date(2025, 2, 12),
        )
    data.update(fields)
    return services.propose_candidate(cell=cell, by=None, **data)


def vote(
    cell, *, starts_at, yes, candidate=None, about_member=None, chair, taker, adopt=True
):
    """A meeting of `cell` whose minutes record a two-thirds vote about the person
    (everyone present, as prefilled), then adopted unless adopt=False."""
    meeting = make_meeting(cell, starts_at=starts_at)
    minutes = start(meeting)
    person = candidate or about_member
    recorded = meeting_services.record_vote(
        minutes=minutes,
        subject=f"Biểu quyết về {person.full_name}",
        kind=VoteKind.ADMISSION,
        yes=yes,
        no=0,
        abstain=0,
        candidate=candidate,
        about_member=about_member,
    )
    minutes = fill_minutes(minutes, chair=chair, taker=taker)
    if adopt:
        meeting_services.adopt_minutes(minutes=minutes, by=None)
    return meeting, recorded


def admit(tree, person, *, decided_on=date(2025, 3, 10), mentor=None):
    """The cell votes for `person` a week before `decided_on` (4 of N = 5, minutes
    adopted) and the committee's decision admits them: the probationary member."""
    voted = decided_on - timedelta(days=7)
    vote(
        person.cell,
        starts_at=on(voted, 19, 30),
        yes=4,
        candidate=person,
        chair=tree.secretary,
        taker=tree.member,
    )
    return services.record_admission_decision(
        candidate=person,
        number="125-QĐ/ĐU",
        decided_on=decided_on,
        issuer="Đảng ủy phường Thử",
        by=None,
        mentor=mentor,
    )
