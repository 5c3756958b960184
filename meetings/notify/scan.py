"""The scanner: what is due now, written once as claim rows, handed to the workers.

How a notice travels (ARCHITECTURE.md, "Notify"):

1. Beat runs `scan_notifications` every few minutes. It works out from the meetings
   and the rules inherited down the tree what is due *now* (`rules`), plus what the
   kinds registered by other apps find (`registry`); for each (subject, kind) not
   dispatched yet it writes one `Delivery` row per person and channel and one
   `Dispatch` row, in one transaction. From then on the intent is in the database.
2. It hands queued rows to the workers in batches of ids
   (`meetings.send_delivery_batch`) and stamps them `enqueued_at`. When the broker is
   down the stamp is taken back, and the next scan hands them out again.
3. A worker claims rows with a conditional UPDATE queued → sending under its own
   token and sends only what it claimed (`send`): a second scan, a duplicated beat
   or a redelivered task finds nothing left to claim.
4. Rows left "sending" by a killed worker go back to the queue after STALE_AFTER.

Tasks are published by name through `chibo.broker` (they are defined in
`notify.tasks`, which imports this module), so a broker that is down never fails
the caller. Business time (`now`, what is due) can be passed in — tests freeze the
clock that way; liveness (claims, enqueue stamps) always uses the wall clock.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chibo.broker import send_on_commit, send_to_broker
from meetings.models import (
    MANDATORY_KINDS,
    Delivery,
    Dispatch,
    Meeting,
    MeetingChange,
    MeetingState,
    Minutes,
    NotificationPreference,
)
from members.models import PositionRole

from .recipients import (
    Work,
    already_told,
    contacts_for,
    contributors_of,
    guests_of,
    officers_of,
    required_members,
    rules_for_cells,
    supervisors_of,
    unique_members,
)
from .registry import registered_works
from .rules import (
    CHANGE_WINDOW,
    HORIZON,
    LOOKBACK_DAYS,
    OFFICERS_ONLY_KINDS,
    UPCOMING,
    Kind,
    MeetingFacts,
    Offsets,
    due_meeting_kinds,
    meeting_subject,
)

# The Celery tasks (notify.tasks) by name, routed to the "notify" queue.
SCAN_TASK = "meetings.scan_notifications"
SEND_BATCH_TASK = "meetings.send_delivery_batch"
BATCH_SIZE = 500  # deliveries per worker task
INSERT_CHUNK = 5000  # delivery rows per fan-out transaction
STALE_AFTER = timedelta(minutes=10)  # a claim older than this was lost with its worker
REQUEUE_AFTER = timedelta(minutes=15)  # enqueued but never claimed: hand out again


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
    works = _review_works(now, meeting_ids)
    if not recent:
        return works
    meetings = Meeting.objects.in_bulk(list(recent))
    versions = defaultdict(int)
    for meeting_id in MeetingChange.objects.filter(
        meeting_id__in=list(recent), kind=MeetingChange.Kind.RESCHEDULED
    ).values_list("meeting_id", flat=True):
        versions[meeting_id] += 1
    told = already_told(recent)
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


def _review_works(now, meeting_ids):
    """The superior's reviews (acknowledged or returned) of the last week: the
    cell's secretaries are told the outcome and the comment, once per review."""
    reviews = MeetingChange.objects.filter(
        kind=MeetingChange.Kind.STATE,
        after__in=[MeetingState.ACKNOWLEDGED, MeetingState.RETURNED],
        at__gte=now - CHANGE_WINDOW,
    )
    if meeting_ids is not None:
        reviews = reviews.filter(meeting_id__in=list(meeting_ids))
    rows = list(reviews.values_list("pk", "meeting_id", "meeting__cell_id"))
    if not rows:
        return []
    secretaries = officers_of(
        {cell_id for _pk, _m, cell_id in rows},
        on=timezone.localdate(now),
        roles={PositionRole.SECRETARY},
    )
    return [
        Work(
            Kind.MINUTES_REVIEWED,
            meeting_subject(meeting_id, review=pk),
            meeting_id,
            unique_members(secretaries[cell_id]),
        )
        for pk, meeting_id, cell_id in rows
    ]


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
    guests = guests_of({m.pk for m, k in due if k == Kind.MEETING_NOTICE})
    presenters = contributors_of({m.pk for m, k in due if k == Kind.PRESENTER})
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
            recipients = unique_members(
                people, supervisors[cell_id], guests[meeting.pk]
            )
        elif kind == Kind.PREPARATION:
            recipients = unique_members(secretaries[cell_id], [meeting.preparer_id])
        elif kind == Kind.PRESENTER:
            recipients = unique_members([meeting.presenter_id], presenters[meeting.pk])
        elif kind == Kind.DOCUMENTS_MISSING:
            recipients = unique_members(secretaries[cell_id])
        elif kind == Kind.MINUTES_NAG:
            recipients = unique_members(secretaries[cell_id], [takers.get(meeting.pk)])
        else:  # MISSED_MEETING
            recipients = unique_members(secretaries[cell_id], supervisors[cell_id])
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
        if not send_to_broker(SEND_BATCH_TASK, delivery_ids=ids):
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


def scan_on_commit(meeting_id):
    """After the current transaction commits, ask a worker to scan one meeting
    (e.g. right after it was moved or cancelled). Never raises."""
    send_on_commit(SCAN_TASK, meeting_ids=[meeting_id])
