"""The demo cells' past: every cell lives the current year up to today (and in
January and February the whole year before as well, so there is always a past to
show) through the real services, on a travelled clock (timeline.py):

the yearly plan → preparation and the notice → the meeting held on its day (roll
call, last month's tasks reviewed, next month's assigned, a vote) → minutes written,
adopted after the recorded end, signed by the minute-taker and the chair → locked,
which queues the PDF → submitted and acknowledged (one returned and answered with a
signed addendum) · the cell's self-score · for the cells the supervisor follows, the
supervisor's score, report and recommendations · at the end the dashboards' rollups
rebuilt. The persona cell (Khối phố 5) lives the full story besides: documents sent
ahead, excuses asked and decided, a separate thematic meeting each quarter, its
resolutions issued and its members rated every month. The other cells hold the
quarter's thematic topic in the regular meeting of that month (a combined meeting;
the plan's separate slot is cancelled with that reason), as many cells do.

PDFs: locking queues each minutes' PDF as the real flow does. The persona cell's are
rendered at once, right after each lock, so its pages show finished records from the
start; the other cells' wait for the worker that `make run` starts (their pages say
the PDF is being prepared until then). Rendering all ~150 in the seed would take it
well past its minute.

A few departures are deliberate, so the dashboards have something to flag
(DEPARTURES): a missed month, minutes locked late, a late notice, a short meeting, a
rescheduled one, a supervisor's late report, returned minutes, a quarter without a
thematic meeting. They are counted back from each cell's latest past meeting (-1 is
the latest), so the demo looks alike whatever day it is seeded on.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from evaluations.dashboard import rollup
from evaluations.dashboard.periods import month_start
from meetings.api import generate_year_plan
from meetings.models import (
    Meeting,
    MeetingKind,
)
from members.models import (
    AttachmentDirection,
    Member,
    Position,
    PositionRole,
    User,
)

from . import texts
from .story import Story, local_at, local_day, report_filed_at
from .timeline import Timeline, travel

# (cell name) -> {position counted back from the latest past meeting: departures}
DEPARTURES = {
    "Chi bộ Khối phố 1": {-3: {"returned"}, -2: {"late_notice"}},
    "Chi bộ Khối phố 2": {-3: {"report_late", "unexcused"}},
    "Chi bộ Khối phố 3": {-4: {"missed"}, -2: {"late_lock"}},
    "Chi bộ Phòng Quản lý ngân sách": {-5: {"rescheduled"}, -3: {"short"}},
    "Chi bộ Khoa Ngoại": {-2: {"late_notice", "unexcused"}},
    "Chi bộ Công ty TNHH May Hoàng Mai": {-6: {"missed"}, -2: {"missed"}},
}
THEMATIC_DEPARTURES = {"Chi bộ Khoa Ngoại": {-2: {"missed"}}}
# The supervisor's recommendations: (cell name, report counted back) -> text index
# in texts.RECOMMENDATIONS; -1 falls back to the latest report already filed.
RECOMMENDED = {
    ("Chi bộ Khối phố 5", -5): 0,
    ("Chi bộ Khối phố 2", -4): 1,
    ("Chi bộ Khối phố 5", -1): 2,
}
PREPARE_DAYS = 7  # meetings this close ahead are prepared (and may be notified)


def past_years(today):
    """The years the demo lives: this one, and the one before in January and
    February (when this year has hardly begun)."""
    return [today.year - 1, today.year] if today.month <= 2 else [today.year]


def _slug(name):
    text = name.replace("Chi bộ ", "").replace("Đ", "D").replace("đ", "d")
    ascii_name = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    return "".join(c if c.isalnum() else "-" for c in ascii_name.decode().lower())


@dataclass
class Cast:
    """Who plays in the demo's past (built by seed_demo)."""

    province: object
    cells: list  # [(cell, members)]
    persona_cell: object
    member: object  # the member persona, minute-taker of the persona cell
    users: dict  # persona name -> User
    supervisor: object  # the supervisor persona's member record
    supervised: set  # cell ids the supervisor follows
    committee_cells: set  # cell ids whose minutes the committee persona reviews


@dataclass
class CellRun:
    """One cell's people and state while its past is lived."""

    cell: object
    members: list
    chair: object
    taker: object
    chair_user: object
    taker_user: object
    persona: bool  # the persona cell: the full story, its PDFs rendered at once
    steady: list = field(default_factory=list)  # never exempt, away or suspended
    stories: list = field(default_factory=list)


def _account(member, role):
    """The member's login, or one made for an officer of a non-persona cell (no
    usable password: the demo's six logins are the personas; these only sign their
    cell's minutes)."""
    user = User.objects.filter(member=member).first()
    return user or User.objects.create_user(
        username=f"{_slug(member.organization.name)}.{role}",
        password=None,
        member=member,
    )


def _steady(members):
    """The members who were never exempted, suspended or away: those a secretary
    asks to brief, present or take tasks."""
    ids = [m.pk for m in members]
    unsteady = set(
        Member.objects.filter(pk__in=ids)
        .filter(
            Q(exemptions__isnull=False)
            | Q(suspensions__isnull=False)
            | Q(attachments__direction=AttachmentDirection.OUT)
        )
        .values_list("pk", flat=True)
    )
    return [m for m in members if m.pk not in unsteady]


def _cell_run(cast, cell, members):
    officers = dict(
        Position.objects.filter(
            organization=cell,
            role__in=[PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY],
            end__isnull=True,
        ).values_list("role", "member")
    )
    by_id = {m.pk: m for m in members}
    chair = by_id[officers[PositionRole.SECRETARY]]
    if cell.pk == cast.persona_cell.pk:
        taker, chair_user, taker_user = (
            cast.member,
            cast.users["secretary"],
            cast.users["member"],
        )
    else:
        taker = by_id.get(officers.get(PositionRole.DEPUTY_SECRETARY), chair)
        chair_user = _account(chair, "bithu")
        taker_user = chair_user if taker == chair else _account(taker, "thuky")
    return CellRun(
        cell,
        members,
        chair,
        taker,
        chair_user,
        taker_user,
        persona=cell.pk == cast.persona_cell.pk,
        steady=_steady(members),
    )


def _flags(meetings, now, table):
    """{meeting id: departures} for the meetings already past, by position back."""
    past = [m for m in meetings if m.starts_at < now]
    flags = {}
    for position, names in table.items():
        if len(past) >= -position:
            flags[past[position].pk] = set(names)
    return flags


@dataclass
class Past:
    """What the demo's past amounts to (for the command's output and the tests)."""

    years: list
    steps: int = 0
    rendered: int = 0


def build_past(cast, *, now=None):
    """Live the demo cells' past up to `now` (default: the present) through the real
    services; return a Past. Call it once, inside the seeding transaction."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    years = past_years(today)
    runs = []
    with travel(local_at(today.replace(year=years[0] - 1, month=12, day=15), 9)):
        for cell, members in cast.cells:
            runs.append(_cell_run(cast, cell, members))
    for year in years:
        with travel(local_at(today.replace(year=year - 1, month=12, day=15), 9)):
            for run in runs:
                generate_year_plan(cell=run.cell, year=year, by=run.chair_user)
    timeline = Timeline(now)
    horizon = today + timedelta(days=PREPARE_DAYS)
    for run in runs:
        in_plan = Q()
        for year in years:
            in_plan |= Q(plan_slot__startswith=f"{year}-")
        # The demo lives the regular and thematic meetings; the plan's committee
        # meetings and year-end review stay as planned for the secretary to hold.
        meetings = list(
            Meeting.objects.filter(
                in_plan,
                cell=run.cell,
                planned_date__lte=horizon,
                kind__in=[MeetingKind.REGULAR, MeetingKind.THEMATIC],
            )
            .select_related("cell")
            .order_by("starts_at", "pk")
        )
        regular = [m for m in meetings if m.kind == MeetingKind.REGULAR]
        thematic = [m for m in meetings if m.kind == MeetingKind.THEMATIC]
        name = run.cell.name
        flags = _flags(regular, now, DEPARTURES.get(name, {}))
        flags |= _flags(thematic, now, THEMATIC_DEPARTURES.get(name, {}))
        if not run.persona:  # the other cells combine the quarter's thematic topic
            for meeting in thematic:
                if "missed" in flags.get(meeting.pk, ()):
                    continue
                flags.setdefault(meeting.pk, set()).add("merged")
                month = month_start(meeting.planned_date)
                for other in regular:
                    if month_start(other.planned_date) == month:
                        flags.setdefault(other.pk, set()).add("combined")
        recommendations = _recommendations(run, regular, now)
        for meeting in meetings:
            rng = random.Random(f"{name}/{meeting.plan_slot}")  # noqa: S311 — demo
            story = Story(cast, run, meeting, flags.get(meeting.pk, set()), rng)
            story.schedule(timeline, recommendation=recommendations.get(meeting.pk))
            run.stories.append(story)
    past = Past(years=years)
    past.steps = timeline.run()
    past.rendered = sum(story.rendered for run in runs for story in run.stories)
    rollup.rebuild(org=cast.province, years=years)
    return past


def _recommendations(run, regular, now):
    """{meeting id: recommendation} of the cell's reports that carry one."""
    past = [m for m in regular if m.starts_at < now]
    chosen = {}
    for (name, position), index in RECOMMENDED.items():
        if name != run.cell.name or len(past) < -position:
            continue
        meeting = past[position]
        filed = report_filed_at(run.cell, local_day(meeting.starts_at), late=False)
        if position == -1 and len(past) > 1 and filed > now:
            meeting = past[-2]  # the latest report is not filed yet
        chosen.setdefault(meeting.pk, texts.RECOMMENDATIONS[index])
    return chosen
