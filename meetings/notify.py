"""Reminders and notifications: what is due (pure rules), who receives it, and the
services that write the claim rows, hand them to the workers and send them.

How a notice travels (ARCHITECTURE.md, "Notify"):

1. Beat runs `scan_notifications` every few minutes. It works out from the meetings
   and the rules inherited down the tree what is due *now*; for each (subject, kind)
   not dispatched yet it writes one `Delivery` row per person and channel and one
   `Dispatch` row, in one transaction. From then on the intent is in the database.
2. It hands queued rows to the workers in batches of ids
   (`meetings.send_delivery_batch`) and stamps them `enqueued_at`. When the broker is
   down the stamp is taken back, and the next scan hands them out again.
3. A worker claims rows with a conditional UPDATE queued → sending under its own
   token and sends only what it claimed: a second scan, a duplicated beat or a
   redelivered task finds nothing left to claim.
4. Rows left "sending" by a killed worker go back to the queue after STALE_AFTER.
   A message accepted by the SMTP server in the instant before its row was marked
   sent is the one case sent twice; its Message-ID is the same both times.

Business time (`now`, what is due) can be passed in — tests freeze the clock that
way; liveness (claims, enqueue stamps) always uses the wall clock.
"""

import logging
import smtplib
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from chibo.broker import send_on_commit, send_to_broker
from members import audit
from members import selectors as member_selectors
from members.models import (
    OFFICER_ROLES,
    Member,
    Position,
    PositionRole,
    RuleKey,
    SupervisionAssignment,
)

from .models import (
    MANDATORY_KINDS,
    Delivery,
    Dispatch,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingState,
    Minutes,
    Notification,
    NotificationKind,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

Kind = NotificationKind
BATCH_SIZE = 500  # deliveries per worker task
INSERT_CHUNK = 5000  # delivery rows per fan-out transaction
HORIZON = timedelta(days=31)  # no "days before" rule may exceed 30
LOOKBACK_DAYS = 14  # after-meeting nags stop this many days after they became due
CHANGE_WINDOW = timedelta(days=7)  # moves and cancellations are told within a week
STALE_AFTER = timedelta(minutes=10)  # a claim older than this was lost with its worker
REQUEUE_AFTER = timedelta(minutes=15)  # enqueued but never claimed: hand out again
MAX_ATTEMPTS = 5
SEND_FROM, SEND_UNTIL = time(7, 0), time(21, 0)  # no scheduled reminder at night
SOON = timedelta(hours=12)  # …unless the meeting starts this soon
UPCOMING = frozenset({MeetingState.PLANNED, MeetingState.NOTIFIED})
# Committee meetings are for the cell committee only.
OFFICERS_ONLY_KINDS = frozenset({MeetingKind.COMMITTEE})
UNSUBSCRIBE_SALT = "chibo.notify.unsubscribe"
# The kinds the meetings scanner itself finds; other apps register the rest.
MEETING_BOUND_KINDS = frozenset(
    {
        Kind.MEETING_NOTICE,
        Kind.RESCHEDULED,
        Kind.CANCELLED,
        Kind.PREPARATION,
        Kind.DOCUMENTS_MISSING,
        Kind.PRESENTER,
        Kind.MINUTES_NAG,
        Kind.MISSED_MEETING,
    }
)
OFFSET_KEYS = (
    RuleKey.NOTICE_DAYS,
    RuleKey.DOCUMENT_DAYS,
    RuleKey.PREPARATION_REMINDER_DAYS,
    RuleKey.PRESENTER_REMINDER_DAYS,
    RuleKey.MINUTES_NAG_DAYS,
    RuleKey.REPORT_DEADLINE_DAY,
)


# --- the rules of what is due (pure: no database, no clock) -----------------------


@dataclass(frozen=True)
class Offsets:
    """The day offsets in force for one cell (each a rule inherited down the tree)."""

    notice_days: int = 3
    document_days: int = 1
    preparation_days: int = 7
    presenter_days: int = 7
    minutes_nag_days: int = 2

    @classmethod
    def from_rules(cls, values):
        """From {rule key: value}, as `effective_rules` or `rules_for_cells` give."""
        return cls(
            notice_days=int(values[RuleKey.NOTICE_DAYS]),
            document_days=int(values[RuleKey.DOCUMENT_DAYS]),
            preparation_days=int(values[RuleKey.PREPARATION_REMINDER_DAYS]),
            presenter_days=int(values[RuleKey.PRESENTER_REMINDER_DAYS]),
            minutes_nag_days=int(values[RuleKey.MINUTES_NAG_DAYS]),
        )


@dataclass(frozen=True)
class MeetingFacts:
    state: str
    kind: str
    starts_at: datetime  # aware
    is_combined: bool = False
    has_presenter: bool = False
    documents_sent: bool = False


def in_sending_hours(now):
    """Scheduled reminders go out between 07:00 and 21:00 local time."""
    return SEND_FROM <= now.time() < SEND_UNTIL


def due_meeting_kinds(facts, offsets, *, now):
    """The reminder kinds due for a meeting at `now` (an aware local datetime).

    A kind is due from its day on (never before), so a scan that was missed catches
    up; whether it was already sent is the claim rows' business, not this rule's.
    Days count in local dates: with notice_days=3 a meeting on the 3rd is noticed
    from 07:00 on the 30th/31st. Scheduled reminders wait for sending hours, except
    a notice for a meeting starting within 12 hours.
    """
    day = facts.starts_at.astimezone(now.tzinfo).date()
    today = now.date()
    upcoming = facts.state in UPCOMING and now < facts.starts_at
    daytime = in_sending_hours(now)
    due = []
    if upcoming:
        if today >= day - timedelta(days=offsets.notice_days) and (
            daytime or facts.starts_at - now <= SOON
        ):
            due.append(Kind.MEETING_NOTICE)
        if daytime and today < day:
            if today >= day - timedelta(days=offsets.preparation_days):
                due.append(Kind.PREPARATION)
            if (
                facts.has_presenter
                and (facts.kind == MeetingKind.THEMATIC or facts.is_combined)
                and today >= day - timedelta(days=offsets.presenter_days)
            ):
                due.append(Kind.PRESENTER)
        if (
            daytime
            and not facts.documents_sent
            and today >= day - timedelta(days=offsets.document_days)
        ):
            due.append(Kind.DOCUMENTS_MISSING)
    if (
        daytime
        and facts.state in UPCOMING
        and day < today <= day + timedelta(days=LOOKBACK_DAYS)
    ):
        due.append(Kind.MISSED_MEETING)
    if daytime and facts.state == MeetingState.HELD:
        nag_day = day + timedelta(days=offsets.minutes_nag_days)
        if nag_day <= today <= nag_day + timedelta(days=LOOKBACK_DAYS):
            due.append(Kind.MINUTES_NAG)
    return due


def report_deadline(held_on, *, deadline_day):
    """The day the supervisor's report on a meeting held on `held_on` is due: the
    `deadline_day` of the following month (DOMAIN.md §7)."""
    year, month = (
        (held_on.year + 1, 1)
        if held_on.month == 12
        else (
            held_on.year,
            held_on.month + 1,
        )
    )
    return date(year, month, deadline_day)


def report_reminder_kind(*, today, deadline, filed, days_before):
    """REPORT_DUE from `days_before` days before the deadline (rule
    report_reminder_days), REPORT_OVERDUE after it, None when filed or not yet due."""
    if filed or today < deadline - timedelta(days=days_before):
        return None
    return Kind.REPORT_OVERDUE if today > deadline else Kind.REPORT_DUE


def meeting_subject(meeting_id, *, version=None, cancelled=False):
    """The claim subject: "meeting:42", "meeting:42:v2" (second move), or
    "meeting:42:cancel"."""
    if cancelled:
        return f"meeting:{meeting_id}:cancel"
    if version:
        return f"meeting:{meeting_id}:v{version}"
    return f"meeting:{meeting_id}"


# --- rules of many cells at once ------------------------------------------------------


def rules_for_cells(cells, *, on, keys=OFFSET_KEYS):
    """{cell id: {key: value}} for `keys`, resolved like
    `members.selectors.effective_rules` for any number of cells in one query."""
    return member_selectors.rules_for_paths(
        {cell.pk: cell.ancestor_ids or [cell.pk] for cell in cells}, keys, on
    )


# --- who receives what ---------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    """One thing to tell: a kind about a subject, to these members."""

    kind: str
    subject: str
    meeting_id: int | None
    member_ids: tuple = ()


@dataclass(frozen=True)
class Contact:
    email: str
    user_id: int | None


def _contacts(rows):
    return {
        pk: Contact(email=(email or "").strip(), user_id=user_id if active else None)
        for pk, email, user_id, active in rows
    }


def contacts_for(member_ids):
    """{member id: Contact} for these members (one query)."""
    if not member_ids:
        return {}
    return _contacts(
        Member.objects.filter(pk__in=list(member_ids)).values_list(
            "pk", "email", "user__id", "user__is_active"
        )
    )


def required_members(cell_ids, *, on):
    """Active members of the cells minus exempted and away ones on day `on`:
    ({cell id: [member ids]}, {member id: Contact}). One query."""
    flags = member_selectors.member_flags_annotations(on)
    rows = (
        Member.objects.filter(organization_id__in=list(cell_ids), is_active=True)
        .annotate(is_exempt=flags["is_exempt"], is_away=flags["is_away"])
        .filter(is_exempt=False, is_away=False)
        .values_list("pk", "organization_id", "email", "user__id", "user__is_active")
    )
    by_cell, contacts = defaultdict(list), {}
    for pk, cell_id, email, user_id, active in rows:
        by_cell[cell_id].append(pk)
        contacts[pk] = Contact((email or "").strip(), user_id if active else None)
    return by_cell, contacts


def officers_of(cell_ids, *, on, roles=OFFICER_ROLES):
    """{cell id: [member ids]} of the current holders of `roles` (one query)."""
    found = defaultdict(list)
    for cell_id, member_id in Position.objects.filter(
        member_selectors.current_q(on=on),
        organization_id__in=list(cell_ids),
        role__in=list(roles),
        member__is_active=True,
    ).values_list("organization_id", "member_id"):
        found[cell_id].append(member_id)
    return found


def supervisors_of(cell_ids, *, on):
    """{cell id: [member ids]} of the superior members assigned to follow each cell."""
    found = defaultdict(list)
    for cell_id, member_id in SupervisionAssignment.objects.filter(
        member_selectors.current_q(on=on), cell_id__in=list(cell_ids)
    ).values_list("cell_id", "supervisor_id"):
        found[cell_id].append(member_id)
    return found


def already_told(meeting_ids):
    """{meeting id: {member ids}} of people a notice (or a move) of the meeting was
    sent to, or is being sent to right now."""
    told = defaultdict(set)
    for meeting_id, member_id in (
        Delivery.objects.filter(
            meeting_id__in=list(meeting_ids),
            kind__in=[Kind.MEETING_NOTICE, Kind.RESCHEDULED],
            status__in=[Delivery.Status.SENT, Delivery.Status.SENDING],
        )
        .values_list("meeting_id", "member_id")
        .distinct()
    ):
        told[meeting_id].add(member_id)
    return told


def _unique(*groups):
    seen = {}
    for group in groups:
        for member_id in group:
            if member_id:
                seen[member_id] = None
    return tuple(seen)


unique_members = _unique  # for kinds registered by other apps: ids once, in order


# --- kinds registered by other apps (NOTIFY_API.md) -----------------------------------


@dataclass(frozen=True)
class KindSpec:
    """How the scanner finds, checks and renders kinds that are not about a meeting.

    - `find(now)` returns the Work due at `now` (an aware datetime) for these kinds,
      with `meeting_id=None`; it may return work already dispatched (the scanner
      drops a (subject, kind) it has written before), so it only has to be bounded.
    - `context(subjects)` returns {subject: template context} for a batch; each
      context should hold "path" (the link, e.g. "/evaluations/tasks/7/") and may
      hold "cell" (an Organization, named in the subject line and the header).
    - `still_due(subjects)` returns the subjects whose reason still holds when the
      worker is about to send (e.g. the task is not done yet); None: always.
    - `templates` maps each kind to its text template ("app/email/kind.txt", with
      the `subject` and `summary` partials); an .html next to it is used when it
      exists, the generic layout otherwise.
    """

    kinds: tuple
    find: Callable
    context: Callable | None = None
    still_due: Callable | None = None
    templates: dict = field(default_factory=dict)

    def template(self, kind):
        return self.templates.get(kind, f"meetings/email/{kind}.txt")


REGISTRY = {}  # kind → KindSpec


def register(kinds, *, find, context=None, still_due=None, templates=None):
    """Let another app remind people of its own things (see NOTIFY_API.md). Call
    from an AppConfig.ready(); registering the same kinds again replaces them."""
    kinds = tuple(kinds)
    for kind in kinds:
        if kind not in Kind.values or kind in MEETING_BOUND_KINDS:
            raise ValueError(f"{kind!r} is not a kind another app can register")
    spec = KindSpec(kinds, find, context, still_due, dict(templates or {}))
    for kind in kinds:
        REGISTRY[kind] = spec
    return spec


def registered_specs():
    return list({id(spec): spec for spec in REGISTRY.values()}.values())


def registered_works(*, now):
    """The Work every registered kind finds due at `now`."""
    works = []
    for spec in registered_specs():
        for work in spec.find(now):
            if work.kind not in spec.kinds:
                raise ValueError(f"{spec.find!r} returned a {work.kind!r} work")
            works.append(work)
    return works


# --- the scanner ----------------------------------------------------------------------


@dataclass
class ScanResult:
    works: int = 0
    created: int = 0
    requeued: int = 0
    enqueued: int = 0
    batches: int = 0
    broker_down: bool = False
    kinds: dict = field(default_factory=dict)


def _candidate_meetings(now, meeting_ids):
    window = Q(
        state__in=list(UPCOMING),
        starts_at__gte=now - timedelta(days=LOOKBACK_DAYS + 1),
        starts_at__lt=now + HORIZON,
    ) | Q(
        state=MeetingState.HELD,
        starts_at__gte=now - timedelta(days=LOOKBACK_DAYS + 31),
        starts_at__lt=now,
    )
    meetings = Meeting.objects.filter(window)
    if meeting_ids is not None:
        meetings = meetings.filter(pk__in=list(meeting_ids))
    return list(
        meetings.select_related("cell").only(
            "id",
            "state",
            "kind",
            "starts_at",
            "is_combined",
            "presenter_id",
            "preparer_id",
            "documents_sent_at",
            "cell__id",
            "cell__path",
        )
    )


def _change_works(now, meeting_ids):
    """Moves and cancellations of the last week whose notice is still owed."""
    changes = MeetingChange.objects.filter(
        kind__in=[MeetingChange.Kind.RESCHEDULED, MeetingChange.Kind.CANCELLED],
        at__gte=now - CHANGE_WINDOW,
    )
    if meeting_ids is not None:
        changes = changes.filter(meeting_id__in=list(meeting_ids))
    recent = {}
    for meeting_id, kind in changes.values_list("meeting_id", "kind").order_by(
        "at", "pk"
    ):
        recent.setdefault(meeting_id, set()).add(kind)
    if not recent:
        return []
    meetings = Meeting.objects.in_bulk(list(recent))
    versions = defaultdict(int)
    for meeting_id in MeetingChange.objects.filter(
        meeting_id__in=list(recent), kind=MeetingChange.Kind.RESCHEDULED
    ).values_list("meeting_id", flat=True):
        versions[meeting_id] += 1
    told = already_told(recent)
    works = []
    for meeting_id, kinds in recent.items():
        meeting = meetings[meeting_id]
        if MeetingChange.Kind.CANCELLED in kinds and meeting.is_cancelled:
            subject = meeting_subject(meeting_id, cancelled=True)
            works.append(
                Work(Kind.CANCELLED, subject, meeting_id, tuple(told[meeting_id]))
            )
        elif (
            MeetingChange.Kind.RESCHEDULED in kinds
            and meeting.state in UPCOMING
            and meeting.starts_at > now
        ):
            # Only the latest move is told: earlier ones are superseded.
            subject = meeting_subject(meeting_id, version=versions[meeting_id])
            works.append(
                Work(Kind.RESCHEDULED, subject, meeting_id, tuple(told[meeting_id]))
            )
    return works


def due_work(*, now, meeting_ids=None):
    """Everything due at `now` and not dispatched yet, with its recipients, plus
    {member id: Contact} for all of them. A few queries whatever the count."""
    local_now = timezone.localtime(now)
    today = local_now.date()
    meetings = _candidate_meetings(now, meeting_ids)
    rules = rules_for_cells({m.cell for m in meetings}, on=today)
    due = []  # (meeting, kind)
    for meeting in meetings:
        facts = MeetingFacts(
            state=meeting.state,
            kind=meeting.kind,
            starts_at=meeting.starts_at,
            is_combined=meeting.is_combined,
            has_presenter=meeting.presenter_id is not None,
            documents_sent=meeting.documents_sent_at is not None,
        )
        offsets = Offsets.from_rules(rules[meeting.cell_id])
        due.extend(
            (meeting, kind) for kind in due_meeting_kinds(facts, offsets, now=local_now)
        )
    changes = _change_works(now, meeting_ids)
    candidates = {meeting_subject(m.pk): m for m, _kind in due}
    done = set(
        Dispatch.objects.filter(
            subject__in=list(candidates) + [w.subject for w in changes]
        ).values_list("subject", "kind")
    )
    due = [(m, k) for m, k in due if (meeting_subject(m.pk), k) not in done]
    changes = [w for w in changes if (w.subject, w.kind) not in done]

    cells = {m.cell_id for m, _kind in due}
    notice_cells = {m.cell_id for m, k in due if k == Kind.MEETING_NOTICE}
    members, contacts = required_members(notice_cells, on=today)
    officers = officers_of(cells, on=today)
    secretaries = officers_of(cells, on=today, roles={PositionRole.SECRETARY})
    supervisors = supervisors_of(cells, on=today)
    presenters = _contributors({m.pk for m, k in due if k == Kind.PRESENTER})
    takers = dict(
        Minutes.objects.filter(
            meeting_id__in=[m.pk for m, k in due if k == Kind.MINUTES_NAG]
        ).values_list("meeting_id", "minute_taker_id")
    )
    works = []
    for meeting, kind in due:
        cell_id = meeting.cell_id
        if kind == Kind.MEETING_NOTICE:
            people = (
                [m for m in members[cell_id] if m in set(officers[cell_id])]
                if meeting.kind in OFFICERS_ONLY_KINDS
                else members[cell_id]
            )
            recipients = _unique(people, supervisors[cell_id])
        elif kind == Kind.PREPARATION:
            recipients = _unique(secretaries[cell_id], [meeting.preparer_id])
        elif kind == Kind.PRESENTER:
            recipients = _unique([meeting.presenter_id], presenters[meeting.pk])
        elif kind == Kind.DOCUMENTS_MISSING:
            recipients = _unique(secretaries[cell_id])
        elif kind == Kind.MINUTES_NAG:
            recipients = _unique(secretaries[cell_id], [takers.get(meeting.pk)])
        else:  # MISSED_MEETING
            recipients = _unique(secretaries[cell_id], supervisors[cell_id])
        works.append(Work(kind, meeting_subject(meeting.pk), meeting.pk, recipients))
    works += changes
    if meeting_ids is None:
        others = registered_works(now=now)
        done = set(
            Dispatch.objects.filter(
                subject__in=[w.subject for w in others]
            ).values_list("subject", "kind")
        )
        works += [w for w in others if (w.subject, w.kind) not in done]
    missing = {p for w in works for p in w.member_ids} - set(contacts)
    contacts |= contacts_for(missing)
    return works, contacts


def _contributors(meeting_ids):
    found = defaultdict(list)
    if meeting_ids:
        through = Meeting.contributors.through
        for meeting_id, member_id in through.objects.filter(
            meeting_id__in=list(meeting_ids)
        ).values_list("meeting_id", "member_id"):
            found[meeting_id].append(member_id)
    return found


def opted_out(works):
    """{(member id, kind)} of people who switched off an optional kind."""
    optional = {w.kind for w in works if w.kind not in MANDATORY_KINDS}
    people = {p for w in works if w.kind in optional for p in w.member_ids}
    if not people:
        return set()
    return set(
        NotificationPreference.objects.filter(
            kind__in=list(optional), member_id__in=list(people), enabled=False
        ).values_list("member_id", "kind")
    )


def delivery_rows(work, contacts, skip=frozenset(), *, now):
    """The Delivery rows of one work item: email when the person has an address,
    in-app when they have an active login; none for a kind they switched off."""
    rows = []
    for member_id in work.member_ids:
        contact = contacts.get(member_id)
        if contact is None or (member_id, work.kind) in skip:
            continue
        for channel, reachable in (
            (Delivery.Channel.EMAIL, bool(contact.email)),
            (Delivery.Channel.INAPP, contact.user_id is not None),
        ):
            if reachable:
                rows.append(
                    Delivery(
                        kind=work.kind,
                        subject=work.subject,
                        meeting_id=work.meeting_id,
                        member_id=member_id,
                        channel=channel,
                        created_at=now,
                        updated_at=now,
                    )
                )
    return rows


def fan_out(works, contacts, on_flush=None):
    """Write the Delivery rows and the Dispatch row of each work item, each item in
    the same transaction as its rows. Conflicts (a concurrent scan wrote them
    first) are ignored. Returns the number of rows offered."""
    skip = opted_out(works)
    wall = timezone.now()
    offered = 0
    chunk, dispatches = [], []

    def flush():
        with transaction.atomic():
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True, batch_size=2000)
            Dispatch.objects.bulk_create(dispatches, ignore_conflicts=True)
        if on_flush is not None:  # workers start on the first rows at once
            on_flush()

    for work in works:
        rows = delivery_rows(work, contacts, skip, now=wall)
        offered += len(rows)
        chunk += rows
        dispatches.append(
            Dispatch(
                subject=work.subject,
                kind=work.kind,
                meeting_id=work.meeting_id,
                recipients=len(work.member_ids),
                created_at=wall,
            )
        )
        if len(chunk) >= INSERT_CHUNK:
            flush()
            chunk, dispatches = [], []
    if chunk or dispatches:
        flush()
    return offered


def requeue_stale():
    """Put back in the queue the rows a worker claimed and never finished."""
    wall = timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=wall - STALE_AFTER
    ).update(status=Delivery.Status.QUEUED, enqueued_at=None, claim="", updated_at=wall)


def enqueue_pending(*, batch_size=BATCH_SIZE, limit=None):
    """Hand the queued rows nobody holds to the workers, `batch_size` ids a task.

    Rows are stamped `enqueued_at` under FOR UPDATE SKIP LOCKED, so two scans hand
    out different rows; when the broker refuses, the stamp is taken back and the
    rows wait for the next scan. Returns (rows enqueued, batches, broker_down).
    """
    from .notify_tasks import send_delivery_batch

    enqueued = batches = 0
    while limit is None or enqueued < limit:
        wall = timezone.now()
        with transaction.atomic():
            ids = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(status=Delivery.Status.QUEUED)
                .filter(
                    Q(enqueued_at__isnull=True)
                    | Q(enqueued_at__lt=wall - REQUEUE_AFTER)
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            Delivery.objects.filter(pk__in=ids).update(enqueued_at=wall)
        if not send_to_broker(send_delivery_batch, delivery_ids=ids):
            Delivery.objects.filter(
                pk__in=ids, status=Delivery.Status.QUEUED, enqueued_at=wall
            ).update(enqueued_at=None)
            return enqueued, batches, True
        enqueued += len(ids)
        batches += 1
    return enqueued, batches, False


def scan_notifications(*, now=None, meeting_ids=None, batch_size=BATCH_SIZE):
    """Find what is due at `now`, write its delivery rows once, re-queue lost
    claims and hand every waiting row to the workers. Safe to run at any moment,
    twice, or concurrently: the unique rows decide who gets what."""
    now = now or timezone.now()
    result = ScanResult()
    works, contacts = due_work(now=now, meeting_ids=meeting_ids)
    result.works = len(works)
    for work in works:
        result.kinds[work.kind] = result.kinds.get(work.kind, 0) + 1

    def hand_out():
        if not result.broker_down:
            enqueued, batches, result.broker_down = enqueue_pending(
                batch_size=batch_size
            )
            result.enqueued += enqueued
            result.batches += batches

    result.created = fan_out(works, contacts, on_flush=hand_out)
    result.requeued = requeue_stale()
    result.broker_down = False  # try again: the broker may be back by now
    hand_out()
    return result


# --- the broker: never let it fail a request ------------------------------------------


def scan_on_commit(meeting_id):
    """After the current transaction commits, ask a worker to scan one meeting
    (e.g. right after it was moved or cancelled). Never raises."""
    from .notify_tasks import scan_notifications_task

    send_on_commit(scan_notifications_task, meeting_ids=[meeting_id])


# --- sending --------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retry_ids: list = field(default_factory=list)


def still_due(delivery):
    """Whether the reason for a claimed row still holds when it is about to go."""
    meeting = delivery.meeting
    if meeting is None:
        return True
    if delivery.kind in {
        Kind.MEETING_NOTICE,
        Kind.PREPARATION,
        Kind.PRESENTER,
        Kind.RESCHEDULED,
    }:
        return meeting.state in UPCOMING
    if delivery.kind == Kind.DOCUMENTS_MISSING:
        return meeting.state in UPCOMING and meeting.documents_sent_at is None
    if delivery.kind == Kind.MISSED_MEETING:
        return meeting.state in UPCOMING
    if delivery.kind == Kind.MINUTES_NAG:
        return meeting.state == MeetingState.HELD
    if delivery.kind == Kind.CANCELLED:
        return meeting.is_cancelled
    return True


class _StillDue(set):
    kinds = frozenset()


def registered_still_due(rows):
    """The subjects of registered kinds among `rows` whose reason still holds (one
    call per kind spec); `.kinds` says which kinds were checked."""
    holding = _StillDue()
    checked = set()
    for spec in registered_specs():
        if spec.still_due is None:
            continue
        subjects = {r.subject for r in rows if r.kind in spec.kinds}
        if subjects:
            holding |= set(spec.still_due(subjects))
            checked |= set(spec.kinds)
    holding.kinds = frozenset(checked)
    return holding


def claim(delivery_ids):
    """Move these rows queued → sending under a fresh token; return the rows this
    call won (with person, login and meeting), in id order."""
    token = uuid.uuid4().hex
    wall = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING,
        claim=token,
        claimed_at=wall,
        attempts=F("attempts") + 1,
        updated_at=wall,
    )
    return token, list(
        Delivery.objects.filter(
            pk__in=delivery_ids, claim=token, status=Delivery.Status.SENDING
        )
        .select_related("member__user", "meeting__cell")
        .order_by("pk")
    )


def _finish(rows, token, status, *, error="", wall=None):
    wall = wall or timezone.now()
    values = {"status": status, "updated_at": wall}
    if error or status != Delivery.Status.SENT:  # a sent row keeps why it was retried
        values["last_error"] = error[:255]
    if status == Delivery.Status.SENT:
        values["sent_at"] = wall
    if status == Delivery.Status.QUEUED:
        values["enqueued_at"] = wall  # a retry is scheduled: the scanner waits
    return Delivery.objects.filter(pk__in=[row.pk for row in rows], claim=token).update(
        **values
    )


def _mark_sent(pk, token):
    """One accepted email → its row sent, at once (a worker killed right after
    loses nothing and sends nothing twice). Plain SQL: this runs once a message,
    and the ORM's query building was a sixth of the sending time."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    wall = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s "  # noqa: S608 — our table name
            "WHERE id = %s AND claim = %s",
            [Delivery.Status.SENT, wall, wall, pk, token],
        )
        return cursor.rowcount


def _fast_commits():
    """Status updates need not wait for the disk: a killed worker loses nothing
    committed (only a crash of PostgreSQL itself could lose the last instant)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def send_deliveries(*, delivery_ids):
    """Send the rows among `delivery_ids` that this call can claim: in-app ones in
    one transaction with their notifications, emails one by one over one SMTP
    connection, each marked the moment the server accepted it. Returns a SendResult
    whose `retry_ids` were put back in the queue after a temporary failure."""
    token, rows = claim(delivery_ids)
    result = SendResult()
    if not rows:
        return result
    _fast_commits()
    try:
        _send_claimed(rows, token, result)
    except Exception as error:
        release(rows, token, error)
        raise
    return result


def release(rows, token, error):
    """After an unexpected error, give back the rows of this claim not finished yet:
    to the queue (the scanner hands them out again after REQUEUE_AFTER), or failed
    once out of attempts — instead of waiting STALE_AFTER as if the worker died."""
    wall = timezone.now()
    mine = Delivery.objects.filter(
        pk__in=[r.pk for r in rows], claim=token, status=Delivery.Status.SENDING
    )
    text = f"{type(error).__name__}: {error}"[:255]
    mine.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, last_error=text, updated_at=wall
    )
    mine.update(
        status=Delivery.Status.QUEUED,
        last_error=text,
        enqueued_at=wall,
        updated_at=wall,
    )
    logger.exception("notification batch failed; its rows were given back")


def _send_claimed(rows, token, result):
    from . import notify_render

    skip = set(
        NotificationPreference.objects.filter(
            member_id__in={r.member_id for r in rows},
            kind__in=[r.kind for r in rows if r.kind not in MANDATORY_KINDS],
            enabled=False,
        ).values_list("member_id", "kind")
    )
    holding = registered_still_due(rows)
    live, dropped = [], []
    for row in rows:
        due = row.subject in holding if row.kind in holding.kinds else still_due(row)
        if due and (row.member_id, row.kind) not in skip:
            live.append(row)
        else:
            dropped.append(row)
    if dropped:
        result.skipped = _finish(dropped, token, Delivery.Status.SKIPPED)
    renderer = notify_render.Renderer(live)
    inapp = [r for r in live if r.channel == Delivery.Channel.INAPP]
    emails = [r for r in live if r.channel == Delivery.Channel.EMAIL]
    if inapp:
        result.sent += _send_inapp(inapp, token, renderer)
    if emails:
        _send_emails(emails, token, renderer, result)
    _mark_meetings_notified(r for r in live if r.kind == Kind.MEETING_NOTICE)


def _send_inapp(rows, token, renderer):
    notifications = []
    for row in rows:
        user = getattr(row.member, "user", None)
        if user is None or not user.is_active:
            continue
        message = renderer.message(row)
        notifications.append(
            Notification(
                user=user,
                kind=row.kind,
                meeting_id=row.meeting_id,
                title=message.subject[:255],
                body=message.summary,
                url=message.path,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(notifications)
        return _finish(rows, token, Delivery.Status.SENT)


def _permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _record_failure(rows, token, error, result):
    """A refused or failed send: permanent refusals (5xx) and rows out of attempts
    fail; the others go back to the queue for the task's retry."""
    text = f"{type(error).__name__}: {error}"
    permanent = _permanent(error)
    gave_up = [r for r in rows if permanent or r.attempts >= MAX_ATTEMPTS]
    again = [r for r in rows if not (permanent or r.attempts >= MAX_ATTEMPTS)]
    if gave_up:
        result.failed += _finish(gave_up, token, Delivery.Status.FAILED, error=text)
    if again:
        _finish(again, token, Delivery.Status.QUEUED, error=text)
        result.retry_ids += [r.pk for r in again]
    logger.warning(
        "SMTP: %s deliveries failed, %s to retry: %s", len(gave_up), len(again), text
    )


def _send_emails(rows, token, renderer, result):
    mail = get_connection(fail_silently=False)
    # Over SMTP the messages go as bytes built from one template per subject
    # (notify_render.Renderer.raw); other backends (files, tests) get EmailMessages.
    direct = isinstance(mail, SMTPBackend)
    index = 0
    try:
        mail.open()
        for index, row in enumerate(rows):  # noqa: B007 — read after the loop
            try:
                raw = renderer.raw(row) if direct else None
                if raw is None:
                    renderer.email(row, connection=mail).send()
                else:
                    mail.connection.sendmail(raw[0], [raw[1]], raw[2])
            except (
                smtplib.SMTPResponseException,
                smtplib.SMTPRecipientsRefused,
            ) as error:  # this message was refused; the connection still works
                _record_failure([row], token, error, result)
            else:
                result.sent += _mark_sent(row.pk, token)
        index = len(rows)
    except (smtplib.SMTPException, OSError) as error:
        # The server or the network went away: this row and the rest wait.
        _record_failure(rows[index:], token, error, result)
    finally:
        try:
            mail.close()
        except (smtplib.SMTPException, OSError):
            logger.info("SMTP connection already closed")


def _mark_meetings_notified(rows):
    """The first notices out move a planned meeting to notified (conditional UPDATE,
    so the manual "mark as notified" and a concurrent batch never clash)."""
    planned = {
        r.meeting_id
        for r in rows
        if r.meeting is not None and r.meeting.state == MeetingState.PLANNED
    }
    wall = timezone.now()
    for meeting_id in planned:
        with transaction.atomic():
            moved = audit.update(
                Meeting.objects.filter(pk=meeting_id, state=MeetingState.PLANNED),
                state=MeetingState.NOTIFIED,
                notified_at=wall,
                updated_at=wall,
            )
            if moved:
                MeetingChange.objects.create(
                    meeting_id=meeting_id,
                    kind=MeetingChange.Kind.STATE,
                    before=MeetingState.PLANNED,
                    after=MeetingState.NOTIFIED,
                    reason="notices sent",
                    at=wall,
                )


# --- services for the secretary and the member ----------------------------------------


@transaction.atomic
def resend_failed(*, meeting, now=None):
    """Queue again every failed delivery of `meeting`, and write notice rows for
    required members who have none yet (e.g. joined after the notice went out),
    then ask a worker to send them once this transaction commits. Returns the
    number of rows queued."""
    wall = timezone.now()
    count = Delivery.objects.filter(
        meeting=meeting, status=Delivery.Status.FAILED
    ).update(
        status=Delivery.Status.QUEUED,
        attempts=0,
        enqueued_at=None,
        claim="",
        updated_at=wall,
    )
    if (
        meeting.state in UPCOMING
        and Dispatch.objects.filter(
            subject=meeting_subject(meeting.pk), kind=Kind.MEETING_NOTICE
        ).exists()
    ):
        work, contacts = notice_work(meeting, on=timezone.localdate(now or wall))
        before = Delivery.objects.filter(meeting=meeting).count()
        Delivery.objects.bulk_create(
            delivery_rows(work, contacts, now=wall), ignore_conflicts=True
        )
        count += Delivery.objects.filter(meeting=meeting).count() - before
    scan_on_commit(meeting.pk)
    return count


def notice_work(meeting, *, on):
    """The meeting notice of one meeting with its recipients and their contacts."""
    members, contacts = required_members([meeting.cell_id], on=on)
    people = members[meeting.cell_id]
    if meeting.kind in OFFICERS_ONLY_KINDS:
        officers = set(officers_of([meeting.cell_id], on=on)[meeting.cell_id])
        people = [p for p in people if p in officers]
    supervisors = supervisors_of([meeting.cell_id], on=on)[meeting.cell_id]
    recipients = _unique(people, supervisors)
    contacts |= contacts_for(set(recipients) - set(contacts))
    work = Work(
        Kind.MEETING_NOTICE, meeting_subject(meeting.pk), meeting.pk, recipients
    )
    return work, contacts


OPTIONAL_KINDS = tuple(k for k in Kind if k not in MANDATORY_KINDS)


def preferences_for(member):
    """{kind: enabled} of every optional kind for `member` (one query)."""
    saved = dict(
        NotificationPreference.objects.filter(member=member).values_list(
            "kind", "enabled"
        )
    )
    return {kind: saved.get(kind, True) for kind in OPTIONAL_KINDS}


@transaction.atomic
def set_preferences(*, member, enabled):
    """Switch the optional kinds on (those in `enabled`) or off (the others).
    Meeting notices stay on whatever is asked."""
    for kind in OPTIONAL_KINDS:
        NotificationPreference.objects.update_or_create(
            member=member, kind=kind, defaults={"enabled": kind in set(enabled)}
        )


@transaction.atomic
def unsubscribe(*, member_id, kind):
    """Switch one optional kind off for a member (the email's unsubscribe link)."""
    if kind in MANDATORY_KINDS or kind not in Kind.values:
        return False
    NotificationPreference.objects.update_or_create(
        member_id=member_id, kind=kind, defaults={"enabled": False}
    )
    return True


def unsubscribe_token(member_id, kind):
    return signing.dumps([member_id, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(member id, kind) from a token, or None when forged or malformed."""
    try:
        member_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return member_id, kind


@transaction.atomic
def mark_read(*, user, pk=None):
    """Mark one notification (or, without `pk`, all of them) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


# --- reads for the pages --------------------------------------------------------------


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def meeting_deliveries(meeting):
    """Who was told what about `meeting`, by which channel and with what result,
    the counts by status, and (before the meeting) the people who should be told
    but have neither an email address nor a login — the secretary tells them in
    person. A constant number of queries."""
    rows = list(
        Delivery.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("kind", "member__full_name", "member_id", "channel")
    )
    counts = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    unreachable = []
    if meeting.state in UPCOMING:
        work, contacts = notice_work(meeting, on=timezone.localdate())
        unreachable = list(
            Member.objects.filter(
                pk__in=[
                    pk
                    for pk in work.member_ids
                    if not contacts[pk].email and contacts[pk].user_id is None
                ]
            ).order_by("full_name", "pk")
        )
    return {"deliveries": rows, "counts": dict(counts), "unreachable": unreachable}


def base_url():
    return getattr(settings, "CHIBO_BASE_URL", "").rstrip("/")
