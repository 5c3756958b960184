"""Writes for meetings: plans, lifecycle, preparation, attendance, minutes, votes."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import uploads
from members import api as members_api
from members.api import (
    audited_bulk_create,
    audited_bulk_update,
    audited_update,
    current_q,
    effective_rules,
    member_flags_annotations,
    public_holidays,
)
from members.models import MemberStatus, Position, PositionRole, RuleKey

from . import domain, hooks, notify, selectors
from .agenda import DEFAULT_AGENDAS
from .models import (
    Addendum,
    AgendaTemplate,
    Attendance,
    AttendanceStatus,
    ExcuseRequest,
    Guest,
    Meeting,
    MeetingChange,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesRevision,
    ReservedOpinion,
    Resolution,
    Vote,
    VoteKind,
)
from .pdf import services as pdf_services

MAX_DOCUMENT_BYTES = uploads.MAX_DOCUMENT_BYTES


class EditConflictError(Exception):
    """The minutes were saved by someone else since this editor loaded them."""

    def __init__(self, current_version):
        super().__init__("edit conflict")
        self.current_version = current_version


def _log(meeting, kind, by, *, before="", after="", reason=""):
    MeetingChange.objects.create(
        meeting=meeting,
        kind=kind,
        before=str(before)[:64],
        after=str(after)[:64],
        reason=reason,
        by=by if by and by.is_authenticated else None,
    )


def _start_time(rules):
    hour, minute = (
        int(part) for part in str(rules["meeting_time"]["value"]).split(":")
    )
    return time(hour, minute)


def agenda_for(cell, kind):
    """The agenda template for `kind` nearest to `cell` on its path, else national."""
    templates = {
        t.organization_id: t.items
        for t in AgendaTemplate.objects.filter(kind=kind).filter(
            organization_id__in=cell.ancestor_ids
        )
    }
    for org_id in reversed(cell.ancestor_ids):
        if org_id in templates:
            return list(templates[org_id])
    national = AgendaTemplate.objects.filter(kind=kind, organization=None).first()
    if national is not None:
        return list(national.items)
    return [{"title": title} for title in DEFAULT_AGENDAS.get(kind, [])]


def _aware(day, at):
    return timezone.make_aware(datetime.combine(day, at))


def _official_members_now(cell):
    """The cell's own official members today (one attached in from elsewhere
    belongs to the home cell)."""
    attached = member_flags_annotations()["is_attached_in"]
    return (
        cell.members.filter(is_active=True, status=MemberStatus.OFFICIAL)
        .annotate(attached=attached)
        .filter(attached=False)
        .count()
    )


def default_starts_at(cell):
    """When a meeting added by hand starts unless the secretary says otherwise:
    tomorrow at the cell's meeting time (the meeting_time rule)."""
    day = timezone.localdate() + timedelta(days=1)
    return timezone.localtime(_aware(day, _start_time(effective_rules(cell, on=day))))


def _default_signers(meeting):
    """(chair id, minute-taker id) a new record starts with: the cell's current
    secretary, and whoever took the minutes of the cell's previous meeting (if
    still an active member of the cell)."""
    today = timezone.localdate()
    chair_id = (
        Position.objects.filter(
            current_q(on=today),
            organization_id=meeting.cell_id,
            role=PositionRole.SECRETARY,
            member__is_active=True,
        )
        .order_by("-start", "pk")
        .values_list("member_id", flat=True)
        .first()
    )
    taker_id = (
        Minutes.objects.filter(
            meeting__cell_id=meeting.cell_id,
            minute_taker__isnull=False,
            minute_taker__organization_id=meeting.cell_id,
            minute_taker__is_active=True,
        )
        .exclude(meeting_id=meeting.pk)
        .order_by("-meeting__starts_at", "-pk")
        .values_list("minute_taker_id", flat=True)
        .first()
    )
    return chair_id, taker_id


@transaction.atomic
def generate_year_plan(*, cell, year, by):
    """Create what the rules expect every year (DOMAIN.md §3): the 12 regular
    meetings on the cell's meeting day (with its shift rule and Vietnam's public
    holidays); one thematic meeting a quarter, `thematic_offset_days` after the
    meeting day under the same shift rule, the second quarter's on Hồ Chí Minh's
    example (unless the year already has one); where the cell has a committee (9 or
    more official members), the committee's meeting a few working days before each
    regular meeting; and the year-end review in December. Slots already planned are
    left alone, so running it twice creates nothing."""
    if not cell.is_cell:
        raise ValidationError(_("Plans are made for cells."))
    existing = set(
        Meeting.objects.filter(cell=cell, plan_slot__startswith=f"{year}-").values_list(
            "plan_slot", flat=True
        )
    )
    holidays = public_holidays(year, year + 1)
    created = []
    agenda_regular = agenda_for(cell, MeetingKind.REGULAR)
    agenda_thematic = agenda_for(cell, MeetingKind.THEMATIC)
    with_committee = domain.has_cell_committee(
        official_members=_official_members_now(cell)
    )
    has_hcm_topic = Meeting.objects.filter(
        cell=cell, is_ho_chi_minh_topic=True, planned_date__year=year
    ).exists()
    for month in range(1, 13):
        rules = effective_rules(cell, on=date(year, month, 1))
        shift = rules["meeting_shift"]["value"]
        day = domain.planned_meeting_date(
            year,
            month,
            day=int(rules["meeting_day"]["value"]),
            shift=shift,
            holidays=holidays,
        )
        at = _start_time(rules)
        slot = domain.slot_for(MeetingKind.COMMITTEE, year, month)
        if with_committee and slot not in existing:
            committee_day = domain.committee_meeting_date(day, holidays=holidays)
            created.append(
                Meeting(
                    cell=cell,
                    kind=MeetingKind.COMMITTEE,
                    plan_slot=slot,
                    planned_date=committee_day,
                    starts_at=_aware(committee_day, at),
                    created_by=by,
                    agenda=agenda_for(cell, MeetingKind.COMMITTEE),
                    topic=_("Cell committee meeting preparing %(month)02d/%(year)s")
                    % {"month": month, "year": year},
                )
            )
        slot = domain.slot_for(MeetingKind.REGULAR, year, month)
        if slot not in existing:
            created.append(
                Meeting(
                    cell=cell,
                    kind=MeetingKind.REGULAR,
                    plan_slot=slot,
                    planned_date=day,
                    starts_at=_aware(day, at),
                    created_by=by,
                    agenda=agenda_regular,
                    topic=_("Regular meeting of %(month)02d/%(year)s")
                    % {"month": month, "year": year},
                )
            )
        if domain.is_thematic_plan_month(month):
            slot = domain.slot_for(MeetingKind.THEMATIC, year, month)
            if slot not in existing:
                # `thematic_offset_days` after the monthly meeting day, moved by the
                # cell's own shift rule like the monthly meeting.
                thematic_day = domain.thematic_meeting_date(
                    year,
                    month,
                    day=int(rules["meeting_day"]["value"]),
                    offset_days=int(rules["thematic_offset_days"]["value"]),
                    shift=shift,
                    holidays=holidays,
                )
                quarter = domain.quarter_of(month)
                hcm = quarter == domain.HO_CHI_MINH_QUARTER and not has_hcm_topic
                topic = (
                    _(
                        "Thematic meeting, quarter %(q)s/%(year)s: studying and "
                        "following Hồ Chí Minh's ideology, ethics and style"
                    )
                    if hcm
                    else _("Thematic meeting, quarter %(q)s/%(year)s")
                )
                created.append(
                    Meeting(
                        cell=cell,
                        kind=MeetingKind.THEMATIC,
                        plan_slot=slot,
                        planned_date=thematic_day,
                        starts_at=_aware(thematic_day, at),
                        created_by=by,
                        agenda=agenda_thematic,
                        is_ho_chi_minh_topic=hcm,
                        topic=topic % {"q": quarter, "year": year},
                    )
                )
    slot = domain.slot_for(MeetingKind.ANNUAL_REVIEW, year, 12)
    if slot not in existing:
        rules = effective_rules(cell, on=date(year, 12, 1))
        review_day = domain.planned_meeting_date(
            year,
            12,
            day=domain.YEAR_END_REVIEW_DAY,
            shift=rules["meeting_shift"]["value"],
            holidays=holidays,
        )
        created.append(
            Meeting(
                cell=cell,
                kind=MeetingKind.ANNUAL_REVIEW,
                plan_slot=slot,
                planned_date=review_day,
                starts_at=_aware(review_day, _start_time(rules)),
                created_by=by,
                agenda=agenda_for(cell, MeetingKind.ANNUAL_REVIEW),
                topic=_("Year-end review %(year)s") % {"year": year},
            )
        )
    audited_bulk_create(created)  # bulk writes bypass the audit signals
    return created


MEETING_FIELDS = (
    "place",
    "topic",
    "is_combined",
    "is_model",
    "is_online",
    "is_ho_chi_minh_topic",
)


@transaction.atomic
def create_meeting(*, cell, kind, starts_at, by, **fields):
    """Add a meeting outside the yearly plan (extraordinary, committee, …)."""
    meeting = Meeting(
        cell=cell,
        kind=kind,
        starts_at=starts_at,
        planned_date=timezone.localtime(starts_at).date(),
        created_by=by,
        agenda=agenda_for(cell, kind),
        **fields,
    )
    meeting.full_clean()
    meeting.save()
    notify.scan_on_commit(meeting.pk)  # its notice may be due already
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)  # dashboards' rollup
    return meeting


@transaction.atomic
def update_meeting(*, meeting, by, contributors=None, **fields):
    """Change a meeting's preparation: place, topic, flags, agenda, people, draft."""
    check_record_open(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    if contributors is not None:
        meeting.contributors.set(contributors)
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)  # flags, e.g. combined
    return meeting


def _require_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required.")})


@transaction.atomic
def reschedule_meeting(*, meeting, starts_at, reason, by, place=None):
    """Move a planned or notified meeting; the change and its reason are kept."""
    _require_reason(reason)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state not in domain.RESCHEDULABLE_STATES:
        raise ValidationError(_("Only a planned or notified meeting can be moved."))
    before = timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")
    meeting.starts_at = starts_at
    if place is not None:
        meeting.place = place
    meeting.save(update_fields=["starts_at", "place", "updated_at"])
    after = timezone.localtime(starts_at).strftime("%d/%m/%Y %H:%M")
    _log(
        meeting,
        MeetingChange.Kind.RESCHEDULED,
        by,
        before=before,
        after=after,
        reason=reason,
    )
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)
    # The change row is the intent to tell everyone already notified; a worker
    # picks it up on commit, or the next scan if the broker is down.
    notify.scan_on_commit(meeting.pk)
    return meeting


def _transition(meeting, target, by, *, reason=""):
    if not domain.can_transition(meeting.state, target):
        raise ValidationError(
            _("A meeting that is “%(state)s” cannot become “%(target)s”.")
            % {
                "state": meeting.get_state_display(),
                "target": MeetingState(target).label,
            }
        )
    before = meeting.state
    meeting.state = target
    meeting.save(update_fields=["state", "updated_at"])
    kind = (
        MeetingChange.Kind.CANCELLED
        if target == MeetingState.CANCELLED
        else MeetingChange.Kind.STATE
    )
    _log(meeting, kind, by, before=before, after=target, reason=reason)
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)  # dashboards' rollup


@transaction.atomic
def cancel_meeting(*, meeting, reason, by):
    _require_reason(reason)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _transition(meeting, MeetingState.CANCELLED, by, reason=reason)
    meeting.cancel_reason = reason
    meeting.save(update_fields=["cancel_reason", "updated_at"])
    notify.scan_on_commit(meeting.pk)  # tell everyone already notified
    return meeting


@transaction.atomic
def mark_notified(*, meeting, by):
    """Record that members were told (until the reminders engine does it)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _transition(meeting, MeetingState.NOTIFIED, by)
    meeting.notified_at = timezone.now()
    meeting.save(update_fields=["notified_at", "updated_at"])
    return meeting


# --- documents ------------------------------------------------------------------------


@transaction.atomic
def add_document(*, meeting, upload, title, by):
    check_record_open(meeting)
    content_type = uploads.checked_document_type(upload, max_bytes=MAX_DOCUMENT_BYTES)
    document = MeetingDocument(
        meeting=meeting,
        title=title.strip() or upload.name[:255],
        file=upload,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.save()
    return document


@transaction.atomic
def mark_documents_sent(*, meeting, by):
    if not meeting.documents.exists():
        raise ValidationError(_("Attach the documents before sending them."))
    meeting.documents_sent_at = timezone.now()
    meeting.save(update_fields=["documents_sent_at", "updated_at"])
    _log(meeting, MeetingChange.Kind.STATE, by, after="documents_sent")
    return meeting


# --- excuses and attendance -----------------------------------------------------------


@transaction.atomic
def request_excuse(*, meeting, member, reason):
    """A member asks to be excused before the meeting; asking again updates it."""
    _require_reason(reason)
    if meeting.state not in domain.RESCHEDULABLE_STATES:
        raise ValidationError(_("Excuses are asked for before the meeting."))
    if member.organization_id != meeting.cell_id:
        raise PermissionDenied
    excuse, _created = ExcuseRequest.objects.update_or_create(
        meeting=meeting,
        member=member,
        defaults={
            "reason": reason.strip(),
            "status": ExcuseRequest.Status.PENDING,
            "decided_by": None,
            "decided_at": None,
        },
    )
    return excuse


@transaction.atomic
def decide_excuse(*, excuse, accept, by):
    check_record_open(excuse.meeting)
    excuse.status = (
        ExcuseRequest.Status.ACCEPTED if accept else ExcuseRequest.Status.REFUSED
    )
    excuse.decided_by = by
    excuse.decided_at = timezone.now()
    excuse.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return excuse


def _ensure_attendance(meeting):
    """One row per active member of the cell, prefilled from their standing on the
    meeting day (not the day the minutes are typed) and accepted excuses; existing
    rows are kept. A suspended member is never prefilled present (§3.3)."""
    have = set(
        Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True)
    )
    excused = dict(
        ExcuseRequest.objects.filter(
            meeting=meeting, status=ExcuseRequest.Status.ACCEPTED
        ).values_list("member_id", "reason")
    )
    rows = []
    day = timezone.localtime(meeting.starts_at).date()
    for member in selectors.cell_roster(meeting.cell, on=day):
        if member.pk in have:
            continue
        status = domain.prefilled_status(
            suspended=member.is_suspended,
            away=member.is_away,
            exempt=member.is_exempt,
            excused=member.pk in excused,
        )
        reason = excused[member.pk] if status == AttendanceStatus.ABSENT_EXCUSED else ""
        rows.append(
            Attendance(
                meeting=meeting,
                member=member,
                status=status,
                reason=reason,
                was_official=domain.official_on(
                    status=member.status, official_date=member.official_date, day=day
                ),
                was_attached_in=member.is_attached_in,
                was_suspended=member.is_suspended,
            )
        )
    audited_bulk_create(rows)


@transaction.atomic
def start_meeting(*, meeting, by):
    """The meeting is being held: prepare attendance and open the minutes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    scheduled = timezone.localtime(meeting.starts_at)
    today = timezone.localdate()
    if domain.is_upcoming(meeting.state) and not domain.can_start_meeting(
        today=today, scheduled_day=scheduled.date()
    ):
        raise ValidationError(
            _(
                "This meeting is scheduled for %(day)s: it cannot be started before "
                "that day. If the cell meets earlier, move the meeting first and give "
                "the reason."
            )
            % {"day": scheduled.strftime("%d/%m/%Y")}
        )
    _transition(meeting, MeetingState.HELD, by)
    _ensure_attendance(meeting)
    # "Started at" is the scheduled time when the meeting is held on its day (the
    # secretary clicks "Start" a few minutes before or after); the click time
    # otherwise.
    started = meeting.starts_at if scheduled.date() == today else timezone.now()
    chair_id, taker_id = _default_signers(meeting)
    opening = ""
    if meeting.kind == MeetingKind.REGULAR:
        # The opening reads out the dues status (DOMAIN.md §3.2): recorded in the
        # minutes as it stands when the meeting starts.
        opening = members_api.meeting_dues_text(
            members_api.meeting_dues_status(meeting.cell, meeting.planned_date)
        )
    minutes, _created = Minutes.objects.get_or_create(
        meeting=meeting,
        defaults={
            "started_at": started,
            "chair_id": chair_id,
            "minute_taker_id": taker_id,
            "opening": opening,
            "items": [
                {"title": item["title"], "speakers": [], "conclusion": ""}
                for item in meeting.agenda
            ],
        },
    )
    return minutes


def check_record_open(meeting):
    """Refuses (ValidationError) changes to what the minutes will print once they
    are adopted or locked."""
    adopted = (
        Minutes.objects.filter(meeting=meeting)
        .filter(Q(adopted_at__isnull=False) | Q(locked_at__isnull=False))
        .exists()
    )
    if not domain.is_record_open(meeting.state, adopted=adopted):
        raise ValidationError(
            _(
                "The minutes of this meeting are adopted: its preparation, guests, "
                "documents and excuses can no longer change."
            )
        )


def _check_not_locked(minutes):
    if minutes.is_locked:
        raise ValidationError(_("The minutes are locked: add an addendum instead."))


def _check_editable(minutes):
    """Votes, attendance and text change only until the cell adopts the minutes."""
    _check_not_locked(minutes)
    if minutes.adopted_at is not None:
        raise ValidationError(_("The minutes were adopted: no more edits."))


@transaction.atomic
def record_attendance(*, meeting, rows, by):
    """Save the roll call: rows maps member id → {status, reason, late, spoke}."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise ValidationError(_("Start the meeting before taking attendance."))
    _check_editable(minutes)
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    changed = []
    for member_id, data in rows.items():
        row = existing.get(member_id)
        if row is None:
            continue
        if (data["status"] == AttendanceStatus.SUSPENDED) != row.was_suspended:
            raise ValidationError(
                _(
                    "%(name)s: only a member suspended on the meeting day is "
                    "recorded as suspended, and such a member takes no part."
                )
                % {"name": row.member.full_name}
            )
        if data["status"] == AttendanceStatus.ABSENT_EXCUSED and not data.get("reason"):
            raise ValidationError(
                _("Give the reason of %(name)s's excused absence.")
                % {"name": row.member.full_name}
            )
        row.status = data["status"]
        row.reason = data.get("reason", "") or ""
        row.late = bool(data.get("late")) and row.status == AttendanceStatus.PRESENT
        row.spoke = bool(data.get("spoke")) and row.status == AttendanceStatus.PRESENT
        changed.append(row)
    audited_bulk_update(changed, ["status", "reason", "late", "spoke"])
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)
    return changed


@transaction.atomic
def add_guest(*, meeting, name, role, title="", by=None):
    """List a guest (superior delegate, invited person, peer secretary)."""
    check_record_open(meeting)
    guest = Guest(meeting=meeting, name=" ".join(name.split()), role=role, title=title)
    guest.full_clean()
    guest.save()
    return guest


# --- minutes --------------------------------------------------------------------------

MINUTES_FIELDS = (
    "chair",
    "minute_taker",
    "started_at",
    "ended_at",
    "opening",
    "items",
    "recommendations",
    "conclusion",
)


def _snapshot(minutes):
    return {
        "chair": minutes.chair_id,
        "minute_taker": minutes.minute_taker_id,
        "started_at": minutes.started_at.isoformat() if minutes.started_at else None,
        "ended_at": minutes.ended_at.isoformat() if minutes.ended_at else None,
        "opening": minutes.opening,
        "items": minutes.items,
        "recommendations": minutes.recommendations,
        "conclusion": minutes.conclusion,
    }


def _check_times(meeting, started_at, ended_at):
    """Refuses (ValidationError on the field) recorded times that contradict each
    other or the meeting's scheduled day."""
    problem = domain.minutes_times_problem(
        scheduled_day=timezone.localtime(meeting.starts_at).date(),
        started_at=timezone.localtime(started_at) if started_at else None,
        ended_at=timezone.localtime(ended_at) if ended_at else None,
    )
    if problem == "end_before_start":
        raise ValidationError({"ended_at": _("The end must be after the start.")})
    if problem == "start_before_day":
        raise ValidationError(
            {
                "started_at": _(
                    "The meeting is scheduled for %(day)s: it cannot have started "
                    "before that day."
                )
                % {"day": timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def save_minutes(*, minutes, version, by, **fields):
    """Save the editor's content if nobody saved since `version` was loaded; keeps a
    revision. Raises EditConflictError otherwise (nothing is overwritten)."""
    _check_not_locked(minutes)
    if minutes.adopted_at is not None:
        raise ValidationError(_("The minutes were adopted: no more edits."))
    _check_times(
        minutes.meeting,
        fields.get("started_at", minutes.started_at),
        fields.get("ended_at", minutes.ended_at),
    )
    values = {name: fields[name] for name in MINUTES_FIELDS if name in fields}
    values = {
        (f"{name}_id" if name in {"chair", "minute_taker"} else name): (
            value.pk if hasattr(value, "pk") else value
        )
        for name, value in values.items()
    }
    updated = audited_update(
        Minutes.objects.filter(pk=minutes.pk, version=version, locked_at__isnull=True),
        version=F("version") + 1,
        updated_at=timezone.now(),
        **values,
    )
    if not updated:
        current = Minutes.objects.values_list("version", flat=True).get(pk=minutes.pk)
        raise EditConflictError(current)
    minutes.refresh_from_db()
    MinutesRevision.objects.create(
        minutes=minutes, version=minutes.version, data=_snapshot(minutes), by=by
    )
    hooks.meeting_changed(minutes.meeting.cell_id, minutes.meeting.planned_date)
    return minutes


@transaction.atomic
def record_vote(
    *,
    minutes,
    subject,
    kind,
    yes,
    no,
    abstain,
    reserved=(),
    by=None,
    candidate=None,
    about_member=None,
):
    """Count a show-of-hands vote: only official members present vote; N and the
    outcome follow §3.4. `reserved` is a list of (member, opinion). A vote about a
    `candidate` (admission) or `about_member` (official recognition) names that
    person and takes two thirds of N."""
    _check_editable(minutes)
    _check_vote_person(minutes.meeting, kind, candidate, about_member)
    rows = selectors.attendance_rows(minutes.meeting)
    stats = selectors.attendance_stats(rows)
    voters = stats["official_present"]
    if yes + no + abstain > voters:
        raise ValidationError(
            _("%(n)s votes counted but only %(voters)s official members are present.")
            % {"n": yes + no + abstain, "voters": voters}
        )
    detail = stats["vote"]
    rule = (
        domain.admission_passes
        if kind == VoteKind.ADMISSION
        else domain.resolution_passes
    )
    denominator = detail["denominator"]
    passed = rule(yes=min(yes, denominator), denominator=denominator)
    vote = Vote.objects.create(
        minutes=minutes,
        subject=subject,
        kind=kind,
        yes=yes,
        no=no,
        abstain=abstain,
        denominator=denominator,
        denominator_detail=detail,
        passed=passed,
        candidate=candidate,
        about_member=about_member,
    )
    present_ids = {r.member_id for r in rows if r.status == AttendanceStatus.PRESENT}
    for member, opinion in reserved:
        if member.pk not in present_ids:
            raise ValidationError(
                _("%(name)s was not present.") % {"name": member.full_name}
            )
        ReservedOpinion.objects.create(vote=vote, member=member, opinion=opinion)
    return vote


def _check_vote_person(meeting, kind, candidate, about_member):
    if candidate is None and about_member is None:
        return
    if candidate is not None and about_member is not None:
        raise ValidationError(_("A vote is about one person."))
    if kind != VoteKind.ADMISSION:
        raise ValidationError(
            {"kind": _("Admission and recognition take two thirds of N.")}
        )
    if candidate is not None and (
        candidate.cell_id != meeting.cell_id
        or candidate.state != members_api.Candidate.State.OPEN
    ):
        raise ValidationError(
            {"about": _("This candidate cannot be voted on in this cell.")}
        )
    if about_member is not None and (
        about_member.organization_id != meeting.cell_id
        or about_member.status != MemberStatus.PROBATIONARY
    ):
        raise ValidationError(
            {"about": _("This member is not on probation in this cell.")}
        )


@transaction.atomic
def delete_vote(*, vote):
    _check_editable(vote.minutes)
    vote.delete()


@transaction.atomic
def adopt_minutes(*, minutes, by):
    """The minutes were read back and adopted by the cell."""
    _check_editable(minutes)
    missing = []
    if not minutes.chair_id:
        missing.append(_("the chair"))
    if not minutes.minute_taker_id:
        missing.append(_("the minute-taker"))
    if not (minutes.started_at and minutes.ended_at):
        missing.append(_("start and end times"))
    if not (minutes.conclusion or "").strip():
        missing.append(_("the conclusion (section III)"))
    if missing:
        raise ValidationError(
            _("Before adopting, fill in: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    _check_times(minutes.meeting, minutes.started_at, minutes.ended_at)
    if (
        domain.can_adopt_minutes(
            now=timezone.now(),
            ended_at=minutes.ended_at,
            conclusion=minutes.conclusion,
        )
        == "before_end"
    ):
        raise ValidationError(
            _(
                "The minutes say the meeting ends at %(end)s: they are adopted when "
                "they are read back at the end of the meeting, not before."
            )
            % {"end": timezone.localtime(minutes.ended_at).strftime("%H:%M %d/%m/%Y")}
        )
    stats = selectors.attendance_stats(selectors.attendance_rows(minutes.meeting))
    minutes.attendance_summary = {
        key: stats[key]
        for key in (
            "total",
            "official",
            "probationary",
            "attached_in",
            "required",
            "present",
            "spoke",
            "attendees",
        )
    } | {"rate": str(stats["rate"]) if stats["rate"] is not None else None}
    minutes.adopted_at = timezone.now()
    minutes.save(update_fields=["adopted_at", "attendance_summary", "updated_at"])
    return minutes


def _sign(record, minutes, user):
    """Set the signature of `user` on `record` (minutes or addendum) as minute-taker
    and/or chair of `minutes`; the names of the fields set. Nobody signs for another:
    PermissionDenied when the user holds neither role or has already signed."""
    member_id = getattr(user, "member_id", None)
    fields = []
    for role_id, field in (
        (minutes.minute_taker_id, "taker_signed_at"),
        (minutes.chair_id, "chair_signed_at"),
    ):
        if member_id and member_id == role_id and getattr(record, field) is None:
            setattr(record, field, timezone.now())
            fields.append(field)
    if not fields:
        raise PermissionDenied
    return fields


@transaction.atomic
def sign_minutes(*, minutes, user):
    """The minute-taker or the chair signs with their own login."""
    _check_not_locked(minutes)
    if minutes.adopted_at is None:
        raise ValidationError(_("The minutes must be adopted before signing."))
    fields = _sign(minutes, minutes, user)
    minutes.save(update_fields=[*fields, "updated_at"])
    return minutes


@transaction.atomic
def lock_minutes(*, minutes, by):
    """Lock signed minutes for ever; the meeting's state follows."""
    _check_not_locked(minutes)
    if not (minutes.adopted_at and minutes.taker_signed_at and minutes.chair_signed_at):
        raise ValidationError(
            _("Both the minute-taker and the chair must sign before locking.")
        )
    meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
    _transition(meeting, MeetingState.LOCKED, by)
    minutes.locked_at = timezone.now()
    minutes.save(update_fields=["locked_at", "updated_at"])
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)
    # The PDF/A is rendered once by a worker (meetings/pdf/services.py).
    pdf_services.queue_minutes_pdf(minutes=minutes)
    return minutes


@transaction.atomic
def submit_minutes(*, meeting, by):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if (
        meeting.state == MeetingState.RETURNED
        and not Addendum.objects.filter(
            minutes__meeting=meeting, created_at__gt=meeting.reviewed_at
        ).exists()
    ):
        raise ValidationError(_("Add an addendum answering the comment first."))
    _transition(meeting, MeetingState.SUBMITTED, by)
    meeting.submitted_at = timezone.now()
    meeting.save(update_fields=["submitted_at", "updated_at"])
    hooks.meeting_changed(meeting.cell_id, meeting.planned_date)
    return meeting


@transaction.atomic
def review_minutes(*, meeting, accept, comment, by):
    """The superior committee acknowledges the minutes or returns them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not accept and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the minutes are returned.")})
    target = MeetingState.ACKNOWLEDGED if accept else MeetingState.RETURNED
    _transition(meeting, target, by, reason=comment)
    meeting.reviewed_at = timezone.now()
    meeting.reviewed_by = by
    meeting.review_comment = comment
    meeting.save(
        update_fields=["reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    # The state change row is the intent to tell the cell's secretaries (with the
    # comment); a worker picks it up on commit, or the next scan.
    notify.scan_on_commit(meeting.pk)
    return meeting


@transaction.atomic
def add_addendum(*, minutes, text, by):
    if not minutes.is_locked:
        raise ValidationError(_("Edit the minutes directly until they are locked."))
    if not text.strip():
        raise ValidationError({"text": _("Write the addendum.")})
    return Addendum.objects.create(minutes=minutes, text=text.strip(), created_by=by)


@transaction.atomic
def sign_addendum(*, addendum, user):
    fields = _sign(addendum, addendum.minutes, user)
    addendum.save(update_fields=fields)
    if addendum.taker_signed_at and addendum.chair_signed_at:
        # A signed addendum is a new version of the record: render it once more.
        pdf_services.queue_minutes_pdf(minutes=addendum.minutes)
    return addendum


@transaction.atomic
def issue_resolution(*, meeting, title, text, by):
    """Number and file the meeting's resolution in the cell's resolution book."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.is_locked:
        raise ValidationError(_("Lock the minutes before issuing the resolution."))
    if Resolution.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("This meeting already has its resolution."))
    cell = meeting.cell
    day = timezone.localtime(meeting.starts_at).date()
    rules = effective_rules(cell, on=day)
    months = int(rules[RuleKey.TERM_LENGTH_MONTHS]["value"]) or 12 * int(
        rules[RuleKey.TERM_LENGTH]["value"]
    )
    term = domain.committee_term_of(
        day,
        start_year=int(rules[RuleKey.TERM_START_YEAR]["value"]),
        start_month=int(rules[RuleKey.TERM_START_MONTH]["value"]),
        months=months,
    )
    # Serialise numbering per cell so two officers never take the same number.
    type(cell).objects.select_for_update().filter(pk=cell.pk).first()
    last = (
        Resolution.objects.filter(cell=cell, term=term)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    ) or 0
    seq = last + 1
    try:
        return Resolution.objects.create(
            meeting=meeting,
            cell=cell,
            term=term,
            seq=seq,
            number=domain.document_number(
                seq=seq, doc_type="NQ", org_code=cell.code or "CB"
            ),
            title=title.strip(),
            text=text.strip(),
            issued_on=day,
        )
    except IntegrityError as error:
        raise ValidationError(_("The number was just taken; try again.")) from error


def default_times(meeting):
    start = meeting.starts_at
    minimum = selectors.minimum_duration(meeting)
    return start, start + timedelta(minutes=minimum)
