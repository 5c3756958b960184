"""Writes of the admission pipeline. Keyword-only, atomic, validated.

The cell's votes are recorded by the meetings app (a Vote naming the candidate or
the member); these services read them through members.hooks.votes_about."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo import uploads
from members import hooks
from members import services as member_services
from members.domain import probation_end
from members.models import (
    Candidate,
    CandidateDocument,
    EventKind,
    Member,
    MemberStatus,
    Probation,
)

from . import domain

CANDIDATE_FIELDS = (
    "party_group",
    "proposed_on",
    "full_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "residence",
    "workplace",
    "certificate_date",
    "certificate_issuer",
    "introducer_1",
    "introducer_2",
    "group_opinion",
    "group_opinion_date",
    "mass_org_name",
    "mass_org_opinion",
    "mass_org_opinion_date",
)

PROBLEM_MESSAGES = {
    "file_incomplete": gettext_lazy(
        "The file is not complete: certificate, two introducers and both opinions."
    ),
    "no_passed_vote": gettext_lazy(
        "The cell's vote has not passed yet (two thirds of N, in adopted minutes)."
    ),
    "decision_before_vote": gettext_lazy(
        "The decision cannot precede the cell's vote."
    ),
    "vote_too_early": gettext_lazy(
        "The recognition vote was held before the 12 months ended."
    ),
    "no_ceremony": gettext_lazy("Record the admission ceremony first."),
}


def _problem_error(problems):
    return ValidationError([str(PROBLEM_MESSAGES[code]) for code in problems])


def _check_candidate(candidate):
    introducers = [candidate.introducer_1, candidate.introducer_2]
    if (
        candidate.introducer_1_id
        and candidate.introducer_1_id == candidate.introducer_2_id
    ):
        raise ValidationError(
            {"introducer_2": _("The two introducers must be different members.")}
        )
    for field, person in zip(
        ("introducer_1", "introducer_2"), introducers, strict=True
    ):
        if person is not None and not (
            person.is_active and person.status == MemberStatus.OFFICIAL
        ):
            raise ValidationError(
                {field: _("An introducer must be an active official member.")}
            )
    if (
        candidate.party_group_id
        and candidate.party_group.parent_id != candidate.cell_id
    ):
        raise ValidationError(
            {"party_group": _("The party group must belong to the cell.")}
        )
    candidate.full_clean()


@transaction.atomic
def propose_candidate(*, cell, by, **fields):
    """Open a candidate's file in `cell`."""
    if not cell.is_cell:
        raise ValidationError(_("Candidates are proposed by a cell."))
    candidate = Candidate(
        cell=cell, created_by=by if by is not None and by.is_authenticated else None
    )
    for name in CANDIDATE_FIELDS:
        if name in fields:
            setattr(candidate, name, fields[name])
    _check_candidate(candidate)
    candidate.save()
    return candidate


def _check_open(candidate):
    if candidate.state != Candidate.State.OPEN:
        raise ValidationError(_("This candidate's file is closed."))


@transaction.atomic
def update_candidate(*, candidate, by, **fields):
    """Change an open candidate's file."""
    _check_open(candidate)
    for name in CANDIDATE_FIELDS:
        if name in fields:
            setattr(candidate, name, fields[name])
    _check_candidate(candidate)
    candidate.save()
    return candidate


@transaction.atomic
def add_candidate_document(*, candidate, upload, title, by):
    """Attach a paper to the file, checked by content like meeting documents."""
    _check_open(candidate)
    content_type = uploads.checked_document_type(upload)
    document = CandidateDocument(
        candidate=candidate,
        title=title.strip() or upload.name[:255],
        file=upload,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    document.save()
    return document


@transaction.atomic
def withdraw_candidate(*, candidate, on, reason, by):
    """Close a file without admission (the candidate withdrew, or the vote failed)."""
    _check_open(candidate)
    candidate.state = Candidate.State.WITHDRAWN
    candidate.withdrawn_on = on
    candidate.withdrawal_reason = reason.strip()
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def record_admission_decision(
    *, candidate, number, decided_on, issuer, by, mentor=None
):
    """The competent committee's admission decision: the candidate becomes a
    probationary member of the cell with this admission decision date, and a
    probation record (with the mentor, when given) starts."""
    _check_open(candidate)
    votes = hooks.votes_about(candidate_ids=[candidate.pk])
    vote = domain.deciding_vote(votes)
    missing = domain.candidate_missing(
        certificate_date=candidate.certificate_date,
        introducer_ids=[candidate.introducer_1_id, candidate.introducer_2_id],
        group_opinion=candidate.group_opinion,
        mass_org_opinion=candidate.mass_org_opinion,
    )
    problems = domain.admission_decision_problems(
        missing=missing,
        vote_passed=bool(vote and vote["passed"]),
        vote_date=vote["date"] if vote else None,
        decision_date=decided_on,
    )
    if problems:
        raise _problem_error(problems)
    member = member_services.create_member(
        cell=candidate.cell,
        by=by,
        party_group=candidate.party_group,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        phone=candidate.phone,
        email=candidate.email,
        residence=candidate.residence,
        workplace=candidate.workplace,
        status=MemberStatus.PROBATIONARY,
        admission_decision_date=decided_on,
    )
    candidate.decision_number = number.strip()
    candidate.decision_date = decided_on
    candidate.decision_issuer = issuer.strip()
    candidate.member = member
    candidate.state = Candidate.State.ADMITTED
    candidate.full_clean()
    candidate.save()
    probation = Probation(member=member)
    if mentor is not None:
        _set_mentor(probation, mentor, decided_on)
    probation.full_clean()
    probation.save()
    return member


def _set_mentor(probation, mentor, on):
    if mentor.pk == probation.member_id:
        raise ValidationError({"mentor": _("A member cannot mentor themselves.")})
    if not (mentor.is_active and mentor.status == MemberStatus.OFFICIAL):
        raise ValidationError({"mentor": _("The mentor must be an official member.")})
    probation.mentor = mentor
    probation.mentor_assigned_on = on


def _probation_of(member):
    probation = Probation.objects.filter(member=member).first()
    return probation or Probation(member=member)


def _check_probationary(member):
    if member.status != MemberStatus.PROBATIONARY or not member.is_active:
        raise ValidationError(_("This member is not on probation."))


@transaction.atomic
def record_ceremony(*, member, on, by, mentor=None):
    """The admission ceremony was held on `on`: the 12 months of probation start."""
    _check_probationary(member)
    if member.admission_date is not None:
        raise ValidationError(_("The ceremony is already recorded."))
    if on > timezone.localdate():
        raise ValidationError({"on": _("The ceremony cannot be in the future.")})
    if member.admission_decision_date and on < member.admission_decision_date:
        raise ValidationError(
            {"on": _("The ceremony cannot precede the admission decision.")}
        )
    fresh = Member.objects.get(pk=member.pk)
    member_services.update_member(member=fresh, by=by, admission_date=on)
    member_services.record_event(member=fresh, kind=EventKind.ADMITTED, by=by, date=on)
    if mentor is not None:
        assign_mentor(member=fresh, mentor=mentor, on=on, by=by)
    return fresh


@transaction.atomic
def assign_mentor(*, member, mentor, on, by):
    """Assign (or change) the official member who mentors a probationary member."""
    _check_probationary(member)
    probation = _probation_of(member)
    _set_mentor(probation, mentor, on)
    probation.full_clean()
    probation.save()
    return probation


RECOGNITION_FIELDS = (
    "self_review",
    "self_review_date",
    "mentor_opinion",
    "mentor_opinion_date",
    "group_opinion",
    "group_opinion_date",
)


@transaction.atomic
def save_recognition_file(*, member, by, **fields):
    """The member's self-review and the mentor's and party group's opinions."""
    _check_probationary(member)
    probation = _probation_of(member)
    for name in RECOGNITION_FIELDS:
        if name in fields:
            setattr(probation, name, fields[name])
    for text, day in (
        ("self_review", "self_review_date"),
        ("mentor_opinion", "mentor_opinion_date"),
        ("group_opinion", "group_opinion_date"),
    ):
        if getattr(probation, text).strip() and getattr(probation, day) is None:
            raise ValidationError({day: _("Give the date of this text.")})
    probation.full_clean()
    probation.save()
    return probation


@transaction.atomic
def record_recognition_decision(*, member, number, decided_on, issuer, by):
    """The committee recognises the member as official: official from the end of
    the 12 months' probation; the decision's number and date are kept."""
    _check_probationary(member)
    probation = _probation_of(member)
    votes = hooks.votes_about(member_ids=[member.pk])
    vote = domain.deciding_vote(votes)
    missing = domain.probation_missing(
        mentor_id=probation.mentor_id,
        self_review=probation.self_review,
        mentor_opinion=probation.mentor_opinion,
        group_opinion=probation.group_opinion,
    )
    problems = domain.recognition_decision_problems(
        admission_date=member.admission_date,
        missing=missing,
        vote_passed=bool(vote and vote["passed"]),
        vote_date=vote["date"] if vote else None,
        decision_date=decided_on,
    )
    if problems:
        raise _problem_error(problems)
    probation.decision_number = number.strip()
    probation.decision_date = decided_on
    probation.decision_issuer = issuer.strip()
    probation.full_clean()
    probation.save()
    fresh = Member.objects.get(pk=member.pk)
    return member_services.update_member(
        member=fresh,
        by=by,
        status=MemberStatus.OFFICIAL,
        official_date=probation_end(member.admission_date),
    )
