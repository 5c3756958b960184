"""Writes for evaluations: tasks and their review, scores, reports, recommendations
and ratings. Every write that changes what a cell-month shows asks the rollup to
recompute that cell-month once the transaction commits."""

import logging
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import domain as meetings_domain
from meetings.models import MeetingKind, MeetingState
from members.api import audited_bulk_create, audited_update, current_q, rule_value
from members.models import OrgKind, RuleKey, SupervisionAssignment

from . import domain, selectors
from .dashboard.rollup import schedule_refresh
from .facts import facts_json, meeting_facts
from .models import (
    AnnualRating,
    MonthlyRating,
    QualityScore,
    RatingLevel,
    Recommendation,
    Rubric,
    RubricChoice,
    ScoreRole,
    SupervisionReport,
    Task,
    TaskOutcome,
)
from .selectors import review_candidates_q

logger = logging.getLogger(__name__)

MAX_TASK_ASSIGNEES = 50


def _meeting_day(meeting):
    return timezone.localtime(meeting.starts_at).date()


# --- tasks (DOMAIN.md §4) ------------------------------------------------------------


def _check_task_meeting(meeting):
    minutes = getattr(meeting, "minutes", None)
    adopted = bool(minutes and minutes.adopted_at)
    if not meetings_domain.can_write_minutes(meeting.state, adopted=adopted):
        raise ValidationError(
            _(
                "Tasks are assigned while the meeting is held, "
                "before the minutes are adopted."
            )
        )


@transaction.atomic
def assign_task(*, meeting, text, deadline, assignees=(), party_group=None, by=None):
    """Create a task assigned in `meeting` to members of its cell and/or one of its
    party groups. The deadline may not precede the meeting day."""
    _check_task_meeting(meeting)
    text = (text or "").strip()
    assignees = list(assignees)
    errors = {}
    if not text:
        errors["text"] = _("Write what is to be done.")
    if not assignees and party_group is None:
        errors["assignees"] = _("Choose at least one member or a party group.")
    if len(assignees) > MAX_TASK_ASSIGNEES:
        errors["assignees"] = _("Too many members for one task.")
    if any(m.organization_id != meeting.cell_id or not m.is_active for m in assignees):
        errors["assignees"] = _("Only active members of this cell can be assigned.")
    if party_group is not None and (
        party_group.kind != OrgKind.PARTY_GROUP
        or party_group.parent_id != meeting.cell_id
    ):
        errors["party_group"] = _("Choose a party group of this cell.")
    if deadline is None:
        errors["deadline"] = _("Give a deadline.")
    elif deadline < _meeting_day(meeting):
        errors["deadline"] = _("The deadline cannot be before the meeting day.")
    if errors:
        raise ValidationError(errors)
    task = Task(
        meeting=meeting,
        cell_id=meeting.cell_id,
        text=text,
        party_group=party_group,
        deadline=deadline,
        created_by=by,
    )
    task.full_clean(exclude=["cell", "meeting"])
    task.save()
    task.assignees.set(assignees)
    schedule_refresh(meeting.cell_id, _meeting_day(meeting))
    return task


@transaction.atomic
def remove_task(*, task):
    """Delete a task typed by mistake, while its meeting is still being minuted."""
    meeting = task.meeting
    _check_task_meeting(meeting)
    if task.outcome:
        raise ValidationError(_("A reviewed task cannot be removed."))
    task.assignees.clear()
    task.delete()
    schedule_refresh(meeting.cell_id, _meeting_day(meeting))


@transaction.atomic
def review_tasks(*, meeting, outcomes, by=None):
    """Record outcomes at `meeting`'s review item. `outcomes` maps task id to
    (outcome, comment); an empty outcome leaves the task open (or re-opens it).
    Tasks outside the meeting's review list are refused."""
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("Outcomes are recorded while the meeting is held."))
    tasks = {
        task.pk: task
        for task in Task.objects.select_for_update()
        .filter(review_candidates_q(meeting))
        .filter(pk__in=list(outcomes))
    }
    unknown = set(outcomes) - set(tasks)
    if unknown:
        raise ValidationError(_("Some tasks are not in this meeting's review."))
    now = timezone.now()
    touched = {meeting.cell_id: _meeting_day(meeting)}
    for pk, (outcome, comment) in outcomes.items():
        task = tasks[pk]
        if outcome and outcome not in TaskOutcome.values:
            raise ValidationError(_("Choose an outcome from the list."))
        comment = (comment or "").strip()[:500]
        if outcome:
            task.outcome, task.outcome_comment = outcome, comment
            task.reviewed_in, task.reviewed_at = meeting, now
        else:
            task.outcome, task.outcome_comment = "", comment
            task.reviewed_in, task.reviewed_at = None, None
        task.save(
            update_fields=[
                "outcome",
                "outcome_comment",
                "reviewed_in",
                "reviewed_at",
                "updated_at",
            ]
        )
    for cell_id, day in touched.items():
        schedule_refresh(cell_id, day)
    return list(tasks.values())


# --- rubrics and meeting-quality scores (DOMAIN.md §6) -------------------------------


def rubric_in_use(rubric):

    return QualityScore.objects.filter(rubric=rubric).exists()


@transaction.atomic
def revise_rubric(*, rubric, groups, name=None):
    """Edit a rubric version's data; refused once a meeting was scored with it."""

    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric_in_use(rubric) or rubric.superseded_at:
        raise ValidationError(
            _(
                "This rubric version is in use and cannot be edited; "
                "supersede it with a new version."
            )
        )
    rubric.groups = groups
    if name:
        rubric.name = name
    rubric.save(update_fields=["groups", "name", "updated_at"])
    return rubric


@transaction.atomic
def supersede_rubric(*, rubric, groups, valid_from, name=None):
    """Create the next version of a rubric; the old one stays for the meetings it
    scored and is marked superseded."""

    latest = (
        Rubric.objects.select_for_update()
        .filter(code=rubric.code)
        .order_by("-version")
        .first()
    )
    new = Rubric.objects.create(
        code=rubric.code,
        version=latest.version + 1,
        name=name or rubric.name,
        kind=rubric.kind,
        source=rubric.source,
        groups=groups,
        valid_from=valid_from,
    )
    audited_update(
        Rubric.objects.filter(
            code=rubric.code, version__lt=new.version, superseded_at=None
        ),
        superseded_at=timezone.now(),
    )
    return new


RUBRIC_PROBLEMS = {
    "negative": gettext_lazy("Points cannot be negative."),
    "total": gettext_lazy(
        "The items' maximum points must add up to 100 (the thematic item "
        "included); they add up to %(total)s."
    ),
    "scale_above_max": gettext_lazy(
        "A band gives more points than the item's maximum."
    ),
    "share_range": gettext_lazy("A share must be between 0 and 100%."),
    "bands_order": gettext_lazy(
        "The bands must go from the highest share (or the smallest shortfall) to "
        "the lowest, and their points may only stay the same or fall, down to the "
        "last line."
    ),
}


def _check_rubric(groups, kind):
    problems = domain.rubric_errors(groups, kind=kind)
    if not problems:
        return
    total = sum(
        Decimal(str(item["max"])) for group in groups for item in group["items"]
    )
    errors = {}
    for key, problem in problems:
        field = f"item-{key}-max" if key else "__all__"
        message = RUBRIC_PROBLEMS[problem]
        if problem == "total":
            message = message % {"total": f"{total.normalize():f}"}
        errors.setdefault(field, []).append(message)
    raise ValidationError(errors)


@transaction.atomic
def author_rubric(*, org, base, groups, name, valid_from):
    """Create the next version of `org`'s own rubric from `groups` (a copy of `base`,
    the version in force, edited) and choose it for `org` and its subtree from
    `valid_from`. The data is checked first (domain.rubric_errors); earlier versions
    are kept for the meetings they scored and the days before `valid_from`, which
    must fall after the previous version's first day."""
    _check_rubric(groups, base.kind)
    code = selectors.own_rubric_code(org)
    latest = (
        Rubric.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _(
                    "The new version must take effect after the previous one "
                    "(from %(day)s)."
                )
                % {"day": latest.valid_from.strftime("%d/%m/%Y")}
            }
        )
    if latest is not None:
        rubric = supersede_rubric(
            rubric=latest, groups=groups, valid_from=valid_from, name=name
        )
    else:
        rubric = Rubric.objects.create(
            code=code,
            version=1,
            name=name,
            kind=base.kind,
            source=org.name[:255],
            groups=groups,
            valid_from=valid_from,
        )
    choose_rubric(org=org, rubric_code=code, valid_from=valid_from)
    return rubric


@transaction.atomic
def edit_own_rubric(*, rubric, groups, name):
    """Correct a version of an organisation's own rubric that has not scored any
    meeting yet (checked like a new one); a version in use stays as it is."""
    _check_rubric(groups, rubric.kind)
    return revise_rubric(rubric=rubric, groups=groups, name=name)


def _decimal(value):

    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def score_meeting(*, meeting, role, manual, by=None, note="", rubric=None):
    """Save the cell's self-score or the supervisor's score of a held meeting on the
    rubric in force for the cell (or the one an earlier score of it used). ◆ items
    are computed from the meeting's data; the facts are stored with the score."""

    if role not in ScoreRole.values:
        raise ValidationError(_("Unknown scorer."))
    if meeting.state not in domain.HELD_STATES:
        raise ValidationError(_("Only a meeting that was held can be scored."))
    existing = (
        QualityScore.objects.select_for_update()
        .filter(meeting=meeting, role=role)
        .select_related("rubric")
        .first()
    )
    if rubric is None:
        rubric = existing.rubric if existing else selectors.rubric_for_meeting(meeting)
    facts, evidence = meeting_facts(meeting)
    thematic = meeting.is_thematic
    try:
        result = domain.rubric_score(
            rubric.groups, facts=facts, manual=manual, thematic_month=thematic
        )
    except (ValueError, TypeError) as error:
        key = str(error).split(":", 1)[0]
        raise ValidationError(
            {key: _("Points must be between 0 and the item's maximum.")}
        ) from error
    values = {
        "rubric": rubric,
        "points": {key: str(value) for key, value in result["items"].items()},
        "facts": facts_json(facts, evidence),
        "total": _decimal(result["total"]),
        "maximum": _decimal(result["maximum"]),
        "percent": _decimal(result["percent"]),
        "band": result["band"],
        "note": (note or "").strip(),
        "scored_by": by,
    }
    score, _created = QualityScore.objects.update_or_create(
        meeting=meeting, role=role, defaults=values
    )
    schedule_refresh(meeting.cell_id, _meeting_day(meeting))
    return score


# --- supervisors' reports and recommendations (DOMAIN.md §7) -------------------------


def _clean_recommendations(rows):
    cleaned, errors = [], []
    for row in rows:
        text = (row.get("text") or "").strip()
        addressee = (row.get("addressee") or "").strip()
        responsible = (row.get("responsible") or "").strip()
        if not (text or addressee or responsible):
            continue
        if not (text and addressee and responsible):
            errors.append(
                _(
                    "A recommendation needs its text, the body it is addressed "
                    "to and the responsible body."
                )
            )
            continue
        cleaned.append(
            {
                "text": text,
                "addressee": addressee[:255],
                "responsible": responsible[:255],
            }
        )
    if errors:
        raise ValidationError({"recommendations": errors[0]})
    return cleaned


@transaction.atomic
def file_report(
    *,
    meeting,
    supervisor,
    attended,
    observations,
    summary="",
    recommendations=(),
    by=None,
):
    """File (or complete) the supervisor's report on a held meeting, with any new
    recommendations. The due day is the first report_deadline_day after the meeting; the
    first filing time is kept, so a later correction does not hide lateness."""

    if meeting.state not in domain.HELD_STATES:
        raise ValidationError(_("A report is filed after the meeting was held."))
    day = _meeting_day(meeting)
    assigned = SupervisionAssignment.objects.filter(
        current_q(on=day),
        supervisor=supervisor,
        cell_id=meeting.cell_id,
    ).exists()
    if not assigned:
        raise ValidationError(
            _("Only a supervisor assigned to this cell files its report.")
        )
    observations = (observations or "").strip()
    if not observations:
        raise ValidationError(
            {"observations": _("Write your observations on the meeting's quality.")}
        )
    rows = _clean_recommendations(recommendations)
    deadline_day = rule_value(meeting.cell, RuleKey.REPORT_DEADLINE_DAY, day)
    report, _created = SupervisionReport.objects.select_for_update().get_or_create(
        meeting=meeting,
        supervisor=supervisor,
        defaults={
            "cell_id": meeting.cell_id,
            "observations": observations,
            "due_on": domain.report_due_date(day, deadline_day=int(deadline_day)),
        },
    )
    report.attended = bool(attended)
    report.summary = (summary or "").strip()
    report.observations = observations
    report.score = QualityScore.objects.filter(
        meeting=meeting, role=ScoreRole.SUPERVISOR
    ).first()
    report.submitted_at = report.submitted_at or timezone.now()
    report.created_by = report.created_by or by
    report.save()
    today = timezone.localdate()
    audited_bulk_create(
        [
            Recommendation(
                cell_id=meeting.cell_id,
                meeting=meeting,
                report=report,
                raised_on=today,
                raised_by=by,
                **row,
            )
            for row in rows
        ]
    )
    schedule_refresh(meeting.cell_id, day)
    return report


@transaction.atomic
def respond_recommendation(*, recommendation, status, response, by=None):
    """Move a recommendation along open → in progress → resolved / rejected with the
    committee's response; closing needs a response."""

    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    response = (response or "").strip()
    if status != rec.status and not domain.can_move_recommendation(rec.status, status):
        raise ValidationError({"status": _("This status change is not allowed.")})
    if status in domain.RECOMMENDATION_CLOSED and not response:
        raise ValidationError(
            {"response": _("Write the response before closing the recommendation.")}
        )
    today = timezone.localdate()
    if response and response != rec.response:
        rec.responded_on = today
    rec.response = response
    if status != rec.status and status in domain.RECOMMENDATION_CLOSED:
        rec.closed_on = today
    rec.status = status
    rec.save()
    schedule_refresh(
        rec.cell_id, rec.meeting.starts_at.date() if rec.meeting_id else today
    )
    return rec


# --- monthly member ratings [local] ---------------------------------------------------


@transaction.atomic
def confirm_monthly_ratings(*, meeting, levels, by=None):
    """Save the month's ratings of the cell's members from `meeting`'s facts.
    `levels` maps member id to (level, reason); a level other than the proposal
    needs a reason. The facts are stored with each rating as evidence."""

    if meeting.kind != MeetingKind.REGULAR or meeting.state not in domain.HELD_STATES:
        raise ValidationError(_("Members are rated after a regular meeting was held."))
    if not rule_value(meeting.cell, RuleKey.MONTHLY_RATING):
        raise ValidationError(
            _("Monthly rating is switched off for this organisation.")
        )
    data = selectors.monthly_sheet(meeting)
    rows = {row["member"].pk: row for row in data["sheet"]}
    errors = {}
    now = timezone.now()
    for member_id, (level, reason) in levels.items():
        row = rows.get(member_id)
        if row is None:
            raise ValidationError(_("This member is not rated this month."))
        reason = (reason or "").strip()
        if level not in RatingLevel.values:
            errors[f"level-{member_id}"] = _("Choose a rating from the list.")
            continue
        if level != row["proposed"] and not reason:
            errors[f"reason-{member_id}"] = _(
                "Give the reason for changing the proposed rating."
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    for member_id, (level, reason) in levels.items():
        row = rows[member_id]
        facts = {
            "attendance": row["attendance"].status,
            "spoke": row["attendance"].spoke,
            "tasks": [
                {
                    "id": t.pk,
                    "text": t.text[:200],
                    "outcome": t.outcome,
                    "meeting_id": t.meeting_id,
                }
                for t in row["tasks"]
            ],
            "meeting_id": meeting.pk,
        }
        rating, _created = MonthlyRating.objects.update_or_create(
            member_id=member_id,
            month=data["month"],
            defaults={
                "cell_id": meeting.cell_id,
                "meeting": meeting,
                "proposed": row["proposed"],
                "level": level,
                "reason": "" if level == row["proposed"] else reason.strip()[:500],
                "facts": facts,
                "confirmed_by": by,
                "confirmed_at": now,
            },
        )
        saved.append(rating)
    schedule_refresh(meeting.cell_id, _meeting_day(meeting))
    return saved


# --- annual rating (QĐ 366) -----------------------------------------------------------


@transaction.atomic
def save_annual_ratings(*, cell, year, rows, can_decide, by=None):
    """Save the year's self-assessed scores, the cell committee's proposals and (for
    the competent level) decisions. `rows` maps a member id (None for the cell) to
    {"self_score", "proposed_level", "decided_level"}. Exempted and suspended
    members are refused. Facts are stored as evidence."""

    sheet = selectors.annual_sheet(cell, year)
    allowed = {row["member"].pk: row for row in sheet["rows"]}
    errors = {}
    cleaned = {}
    for member_id, data in rows.items():
        prefix = "cell" if member_id is None else str(member_id)
        if member_id is not None and member_id not in allowed:
            raise ValidationError(_("Exempted or suspended members are not rated."))
        raw = str(data.get("self_score") or "").strip().replace(",", ".")
        score = None
        if raw:
            try:
                score = Decimal(raw)
            except InvalidOperation:
                score = None
                errors[f"score-{prefix}"] = _("Enter a score from 0 to 100.")
            else:
                if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
                    errors[f"score-{prefix}"] = _("Enter a score from 0 to 100.")
        proposed = data.get("proposed_level") or ""
        decided = data.get("decided_level") or ""
        for key, value in (("proposed", proposed), ("decided", decided)):
            if value and value not in RatingLevel.values:
                errors[f"{key}-{prefix}"] = _("Choose a rating from the list.")
        cleaned[member_id] = (score, proposed, decided)
    if errors:
        raise ValidationError(errors)
    for member_id, (score, proposed, decided) in cleaned.items():
        row = allowed.get(member_id)
        facts = (
            {
                "tasks": {
                    k: (str(v) if k == "exceeded_share" else v)
                    for k, v in row["tally"].items()
                },
                "attendance": row["attendance"],
            }
            if row
            else {
                "meeting_scores": sheet["meeting_scores"],
                "average_score": str(sheet["average_score"] or ""),
            }
        )
        rating, _created = AnnualRating.objects.get_or_create(
            cell=cell, member_id=member_id, year=year
        )
        rating.self_score = score
        rating.self_level = domain_level(score, row) if score is not None else ""
        rating.proposed_level = proposed
        if can_decide:
            rating.decided_level = decided
            rating.decided_by = by if decided else None
        rating.facts = facts
        rating.save()
    schedule_refresh(cell.pk, timezone.localdate().replace(year=year, month=12, day=1))
    return True


def domain_level(score, row):

    if row is None:
        return domain.annual_rating(
            score=score, all_tasks_on_time=True, exceeded_share=Fraction(0)
        )
    return domain.annual_rating(
        score=score,
        all_tasks_on_time=row["tally"]["all_on_time"],
        exceeded_share=row["tally"]["exceeded_share"],
    )


# --- rubric choice per organisation ---------------------------------------------------


@transaction.atomic
def choose_rubric(*, org, rubric_code, valid_from):
    """Set the rubric for `org` and its subtree from `valid_from`; a choice on the
    same day is replaced."""
    if not Rubric.objects.filter(code=rubric_code).exists():
        raise ValidationError({"rubric_code": _("Choose a rubric from the list.")})
    choice, _created = RubricChoice.objects.update_or_create(
        organization=org,
        valid_from=valid_from,
        defaults={"rubric_code": rubric_code},
    )
    return choice
