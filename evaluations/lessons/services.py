"""Writes for lesson-drawing sessions (DOMAIN.md §3.6)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import domain
from evaluations.models import LessonPromise, LessonSession, PeerFeedback, SessionKind
from meetings.api import committee_officials
from meetings.domain import HELD_STATES


def _lines(text):
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@transaction.atomic
def open_session(*, committee, kind, held_on, chair, model_meetings, place="", by=None):
    """Record a lesson-drawing session chaired by an official of `committee` on
    held model meetings of its subtree: exactly one for an on-site session, one or
    more for an extended one."""
    model_meetings = list(model_meetings)
    if not model_meetings:
        raise ValidationError({"model_meetings": _("Choose the model meetings.")})
    if kind == SessionKind.ON_SITE and len(model_meetings) != 1:
        raise ValidationError(
            {"model_meetings": _("An on-site session is about one model meeting.")}
        )
    for entry in model_meetings:
        if not entry.committee.path.startswith(committee.path):
            raise ValidationError(
                {"model_meetings": _("Choose model meetings of this committee.")}
            )
        if entry.meeting.state not in HELD_STATES:
            raise ValidationError(
                {"model_meetings": _("Lessons are drawn from model meetings held.")}
            )
    officials = {p.member_id for p in committee_officials(committee, on=held_on)}
    if chair.pk not in officials:
        raise ValidationError({"chair": _("The chair is a member of the committee.")})
    session = LessonSession(
        committee=committee,
        kind=kind,
        held_on=held_on,
        chair=chair,
        place=" ".join(place.split()),
        created_by=by,
    )
    session.full_clean()
    session.save()
    session.model_meetings.set(model_meetings)
    return session


@transaction.atomic
def record_feedback(
    *, session, invitation, worked, did_not_work="", will_adopt="", score=None, by=None
):
    """Save an invitee's feedback; each line of `will_adopt` becomes a lesson their
    cell promises to apply (a committee member's feedback promises nothing).
    Saving again replaces the lessons not applied yet."""
    if not session.model_meetings.filter(pk=invitation.model_meeting_id).exists():
        raise ValidationError(_("You were not invited to these model meetings."))
    if invitation.attended is not True:
        raise ValidationError(_("Only invitees recorded present give feedback."))
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("A score is between 0 and 100.")})
    feedback, _created = PeerFeedback.objects.get_or_create(
        session=session,
        invitation=invitation,
        defaults={"worked": worked},
    )
    feedback.worked = worked
    feedback.did_not_work = did_not_work
    feedback.will_adopt = will_adopt
    feedback.score = score
    feedback.band = domain.quality_band(score) if score is not None else ""
    feedback.full_clean()
    feedback.save()
    feedback.promises.filter(applied_on__isnull=True).delete()
    if invitation.peer_cell_id:
        LessonPromise.objects.bulk_create(
            LessonPromise(feedback=feedback, cell_id=invitation.peer_cell_id, text=line)
            for line in _lines(will_adopt)
        )
    return feedback


@transaction.atomic
def conclude_session(*, session, conclusions, lessons, by=None):
    """The chair's conclusions and the lessons drawn (one a line)."""
    session.conclusions = conclusions.strip()
    session.lessons = "\n".join(_lines(lessons))
    if not session.conclusions:
        raise ValidationError({"conclusions": _("Write the conclusions.")})
    session.concluded_at = session.concluded_at or timezone.now()
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def mark_promise_applied(*, promise, note, meeting=None, by=None):
    """The cell's secretary marks a promised lesson applied, saying how (and in
    which meeting); the committee sees it."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how the lesson was applied.")})
    if meeting is not None and meeting.cell_id != promise.cell_id:
        raise ValidationError(_("Choose a meeting of the cell."))
    promise.applied_on = timezone.localdate()
    promise.applied_note = note
    promise.applied_meeting = meeting
    promise.applied_by = by
    promise.full_clean()
    promise.save()
    return promise
