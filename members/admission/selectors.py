"""Reads of the admission pipeline: candidates, probations, their votes and steps.

Every page reads a constant number of queries: candidates and probations in one
query each, the votes about all of them in one (members.hooks.votes_about)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from members import hooks, permissions
from members import selectors as member_selectors
from members.domain import probation_end
from members.holidays import holidays_around as _holidays_around
from members.models import Candidate, Member, MemberStatus, Probation

from . import domain


def get_cell_for_pipeline(user, pk):
    """A cell whose pipeline the user manages: its officers, committees above it and
    admins (404 outside reach or not a cell, 403 without the role)."""
    cell = member_selectors.get_organization_for_user(user, pk)
    if not cell.is_cell:
        raise Http404
    if not permissions.can_manage_cell(member_selectors.get_scope(user), cell):
        raise PermissionDenied
    return cell


def get_candidate_for_user(user, pk):
    """A candidate's file: read and written by whoever manages the cell (a
    candidate's personal data is not for every member to browse)."""
    candidate = (
        Candidate.objects.select_related(
            "cell", "party_group", "introducer_1", "introducer_2", "member"
        )
        .filter(pk=pk)
        .first()
    )
    scope = member_selectors.get_scope(user)
    if candidate is None or not permissions.can_read_org(scope, candidate.cell):
        raise Http404
    if not permissions.can_manage_cell(scope, candidate.cell):
        raise PermissionDenied
    return candidate


def get_probation_member_for_user(user, pk):
    """A member whose probation steps the user records (the cell's managers)."""
    return member_selectors.get_member_for_user(user, pk, write=True)


def _decorate_candidate(candidate, votes, today, holidays):
    candidate.votes = [vote for vote in votes if vote["candidate_id"] == candidate.pk]
    candidate.vote = domain.deciding_vote(candidate.votes)
    candidate.missing = domain.candidate_missing(
        certificate_date=candidate.certificate_date,
        introducer_ids=[candidate.introducer_1_id, candidate.introducer_2_id],
        group_opinion=candidate.group_opinion,
        mass_org_opinion=candidate.mass_org_opinion,
    )
    member = candidate.member if candidate.member_id else None
    ceremony = member.admission_date if member else None
    candidate.ceremony_date = ceremony
    candidate.ceremony_deadline = (
        domain.ceremony_deadline(candidate.decision_date, holidays=holidays)
        if candidate.decision_date
        else None
    )
    candidate.ceremony_overdue = domain.ceremony_overdue(
        decision_date=candidate.decision_date,
        ceremony_date=ceremony,
        today=today,
        holidays=holidays,
    )
    candidate.ceremony_late = domain.ceremony_late(
        decision_date=candidate.decision_date,
        ceremony_date=ceremony,
        holidays=holidays,
    )
    return candidate


def _decorate_probation(probation, member, votes, today, holidays):
    member.recognition_votes = [
        vote for vote in votes if vote["member_id"] == member.pk
    ]
    member.recognition_vote = domain.deciding_vote(member.recognition_votes)
    member.probation_record = probation
    member.probation_missing = domain.probation_missing(
        mentor_id=probation.mentor_id if probation else None,
        self_review=probation.self_review if probation else "",
        mentor_opinion=probation.mentor_opinion if probation else "",
        group_opinion=probation.group_opinion if probation else "",
    )
    admitted = member.admission_date
    member.probation_ends = probation_end(admitted) if admitted else None
    member.recognition_deadline = (
        domain.recognition_deadline(admitted, holidays=holidays) if admitted else None
    )
    member.recognition_overdue = domain.recognition_overdue(
        is_probationary=member.status == MemberStatus.PROBATIONARY,
        admission_date=admitted,
        today=today,
        holidays=holidays,
    )
    member.vote_open = domain.recognition_vote_open(admission_date=admitted, on=today)
    return member


def cell_pipeline(cell, *, today=None):
    """The cell's candidates (open first) and probationary members with their step
    state, deadlines and votes. Three queries whatever their number."""
    today = today or timezone.localdate()
    holidays = _holidays_around(today)
    candidates = list(
        Candidate.objects.filter(cell=cell)
        .select_related("member", "introducer_1", "introducer_2")
        .order_by("state", "-proposed_on", "full_name", "pk")
    )
    probationers = list(
        Member.objects.filter(
            organization=cell, is_active=True, status=MemberStatus.PROBATIONARY
        )
        .select_related("probation__mentor")
        .order_by("admission_date", "full_name", "pk")
    )
    votes = hooks.votes_about(
        candidate_ids=[c.pk for c in candidates],
        member_ids=[m.pk for m in probationers],
    )
    for candidate in candidates:
        _decorate_candidate(candidate, votes, today, holidays)
    for member in probationers:
        probation = getattr(member, "probation", None)
        _decorate_probation(probation, member, votes, today, holidays)
    return {
        "open": [c for c in candidates if c.state == Candidate.State.OPEN],
        "admitted": [c for c in candidates if c.state == Candidate.State.ADMITTED],
        "withdrawn": [c for c in candidates if c.state == Candidate.State.WITHDRAWN],
        "probationers": probationers,
    }


def candidate_file(candidate, *, today=None):
    """One candidate with votes, missing items and deadlines, and its documents."""
    today = today or timezone.localdate()
    votes = hooks.votes_about(candidate_ids=[candidate.pk])
    _decorate_candidate(candidate, votes, today, _holidays_around(today))
    return {"candidate": candidate, "documents": list(candidate.documents.all())}


def member_probation(member, *, today=None):
    """A member's probation record (or None) decorated with votes and deadlines."""
    today = today or timezone.localdate()
    probation = Probation.objects.select_related("mentor").filter(member=member)
    probation = probation.first()
    votes = hooks.votes_about(member_ids=[member.pk])
    _decorate_probation(probation, member, votes, today, _holidays_around(today))
    return probation


def _step(day, label, *, detail="", url="", state="done"):
    return {"date": day, "label": label, "detail": detail, "url": url, "state": state}


def admission_path(member, *, today=None):
    """The member's dated path from candidate to official (DOMAIN.md §2), oldest
    first, with links to the minutes of both votes. Four queries."""
    today = today or timezone.localdate()
    holidays = _holidays_around(today)
    candidate = (
        Candidate.objects.select_related("introducer_1", "introducer_2", "member")
        .filter(member=member)
        .first()
    )
    probation = Probation.objects.select_related("mentor").filter(member=member)
    probation = probation.first()
    votes = hooks.votes_about(
        candidate_ids=[candidate.pk] if candidate else [], member_ids=[member.pk]
    )
    steps = []
    if candidate is not None:
        _decorate_candidate(candidate, votes, today, holidays)
        steps.append(_step(candidate.proposed_on, _("Proposed as a candidate")))
        if candidate.certificate_date:
            steps.append(
                _step(
                    candidate.certificate_date,
                    _("Political-theory course certificate"),
                    detail=candidate.certificate_issuer,
                )
            )
        introducers = [
            str(person)
            for person in (candidate.introducer_1, candidate.introducer_2)
            if person
        ]
        if introducers:
            steps.append(
                _step(
                    None,
                    _("Introduced by"),
                    detail=", ".join(introducers),
                )
            )
        if candidate.group_opinion_date or candidate.group_opinion:
            steps.append(
                _step(candidate.group_opinion_date, _("Party group's opinion"))
            )
        if candidate.mass_org_opinion_date or candidate.mass_org_opinion:
            steps.append(
                _step(
                    candidate.mass_org_opinion_date,
                    _("Mass organisation's opinion"),
                    detail=candidate.mass_org_name,
                )
            )
        steps.extend(
            _vote_step(vote, _("Cell's admission vote")) for vote in candidate.votes
        )
    if member.admission_decision_date:
        detail = candidate.decision_number if candidate else ""
        steps.append(
            _step(
                member.admission_decision_date,
                _("Admission decision"),
                detail=detail,
            )
        )
    if member.admission_decision_date or member.admission_date:
        deadline = (
            domain.ceremony_deadline(member.admission_decision_date, holidays=holidays)
            if member.admission_decision_date
            else None
        )
        if member.admission_date:
            late = deadline is not None and member.admission_date > deadline
            steps.append(
                _step(
                    member.admission_date,
                    _("Admission ceremony"),
                    state="late" if late else "done",
                )
            )
        else:
            steps.append(
                _step(
                    deadline,
                    _("Admission ceremony due by"),
                    state="overdue" if today > deadline else "due",
                )
            )
    if probation is not None and probation.mentor_id:
        steps.append(
            _step(
                probation.mentor_assigned_on,
                _("Mentor assigned"),
                detail=str(probation.mentor),
            )
        )
    if probation is not None:
        for day, label, text in (
            (probation.self_review_date, _("Self-review"), probation.self_review),
            (
                probation.mentor_opinion_date,
                _("Mentor's opinion"),
                probation.mentor_opinion,
            ),
            (
                probation.group_opinion_date,
                _("Party group's opinion on recognition"),
                probation.group_opinion,
            ),
        ):
            if day or text:
                steps.append(_step(day, label))
    steps.extend(
        _vote_step(vote, _("Cell's recognition vote"))
        for vote in votes
        if vote["member_id"] == member.pk
    )
    if member.status == MemberStatus.OFFICIAL:
        if probation is not None and probation.decision_date:
            steps.append(
                _step(
                    probation.decision_date,
                    _("Recognition decision"),
                    detail=probation.decision_number,
                )
            )
        steps.append(_step(member.official_date, _("Official member from")))
    elif member.admission_date:
        deadline = domain.recognition_deadline(member.admission_date, holidays=holidays)
        overdue = today > deadline
        steps.append(
            _step(
                probation_end(member.admission_date),
                _("End of the 12 months' probation"),
                state="done"
                if today >= probation_end(member.admission_date)
                else "due",
            )
        )
        steps.append(
            _step(
                deadline,
                _("Recognition vote due by"),
                state="overdue" if overdue else "due",
            )
        )
    return {"candidate": candidate, "probation": probation, "steps": steps}


def _vote_step(vote, label):
    detail = _("%(yes)s in favour of N = %(n)s — %(verdict)s") % {
        "yes": vote["yes"],
        "n": vote["denominator"],
        "verdict": _("passed") if vote["passed"] else _("did not pass"),
    }
    return _step(
        vote["date"],
        label,
        detail=detail,
        url=vote["url"],
        state="done" if vote["passed"] else "failed",
    )


def vote_subjects(cell, *, on):
    """Whom the cell may vote about at a meeting on day `on`: open candidates whose
    file is complete (admission), and probationary members whose 12 months are over
    and whose recognition file is complete (recognition). Two queries."""
    candidates = [
        candidate
        for candidate in Candidate.objects.filter(
            cell=cell, state=Candidate.State.OPEN
        ).order_by("full_name", "pk")
        if not domain.candidate_missing(
            certificate_date=candidate.certificate_date,
            introducer_ids=[candidate.introducer_1_id, candidate.introducer_2_id],
            group_opinion=candidate.group_opinion,
            mass_org_opinion=candidate.mass_org_opinion,
        )
    ]
    members = [
        probation.member
        for probation in Probation.objects.filter(
            member__organization=cell,
            member__is_active=True,
            member__status=MemberStatus.PROBATIONARY,
            member__admission_date__isnull=False,
        )
        .select_related("member")
        .order_by("member__full_name", "pk")
        if domain.recognition_vote_open(
            admission_date=probation.member.admission_date, on=on
        )
        and not domain.probation_missing(
            mentor_id=probation.mentor_id,
            self_review=probation.self_review,
            mentor_opinion=probation.mentor_opinion,
            group_opinion=probation.group_opinion,
        )
    ]
    return {"candidates": candidates, "members": members}


NAMES_LIMIT = 20


def subtree_pipeline(node, *, first, end, scope, today=None):
    """The admission pipeline under `node` (itself included) for the dashboards:
    candidates proposed and still open, admissions and recognitions decided in
    [first, end), and ceremonies and recognitions overdue today — counts for the
    whole subtree, names (at most NAMES_LIMIT) only of members `scope` may read.
    Four queries whatever the size of the subtree."""
    today = today or timezone.localdate()
    holidays = _holidays_around(today)
    candidates = Candidate.objects.filter(cell__path__startswith=node.path).aggregate(
        open=Count("pk", filter=Q(state=Candidate.State.OPEN)),
        proposed=Count(
            "pk",
            filter=Q(proposed_on__gte=first, proposed_on__lt=end),
        ),
        admitted=Count(
            "pk",
            filter=Q(decision_date__gte=first, decision_date__lt=end),
        ),
    )
    recognised = Probation.objects.filter(
        member__organization__path__startswith=node.path,
        decision_date__gte=first,
        decision_date__lt=end,
    ).count()
    probationers = Member.objects.filter(
        organization__path__startswith=node.path,
        is_active=True,
        status=MemberStatus.PROBATIONARY,
    )
    ceremony_q = Q(
        admission_date__isnull=True,
        admission_decision_date__lt=domain.ceremony_cutoff(
            today=today, holidays=holidays
        ),
    )
    recognition_q = Q(
        admission_date__lt=domain.recognition_cutoff(today=today, holidays=holidays)
    )
    overdue = probationers.aggregate(
        ceremonies=Count("pk", filter=ceremony_q),
        recognitions=Count("pk", filter=recognition_q),
    )
    names = list(
        probationers.filter(ceremony_q | recognition_q)
        .select_related("organization")
        .order_by("admission_decision_date", "full_name", "pk")[:NAMES_LIMIT]
    )
    readable = [
        member
        for member in names
        if permissions.can_read_member(scope, member, member.organization)
    ]
    for member in readable:
        member.ceremony_is_overdue = member.admission_date is None
    return {
        "open": candidates["open"],
        "proposed": candidates["proposed"],
        "admitted": candidates["admitted"],
        "recognised": recognised,
        "ceremonies_overdue": overdue["ceremonies"],
        "recognitions_overdue": overdue["recognitions"],
        "overdue_names": readable,
        "more_names": overdue["ceremonies"] + overdue["recognitions"] > len(names),
    }
