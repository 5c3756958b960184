"""Pure rules of the admission pipeline (DOMAIN.md §2, §3.4). No ORM, no I/O.

The two-thirds rule of the cell's votes is `meetings.domain.admission_passes`: the
meetings app applies it when the vote is recorded and stores the outcome, which
these rules read as `vote_passed`.
"""

from datetime import timedelta

from members.domain import add_months, probation_end

CEREMONY_WORKING_DAYS = 30
RECOGNITION_WORKING_DAYS = 30
INTRODUCERS_NEEDED = 2


def add_working_days(day, days, *, holidays=()):
    """The `days`-th working day after `day` (Saturdays, Sundays and `holidays`
    skipped); `day` itself when `days` is 0."""
    holidays = frozenset(holidays)
    current, left = day, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


def ceremony_deadline(decision_date, *, holidays=()):
    """The last day for the admission ceremony: 30 working days after the decision."""
    return add_working_days(decision_date, CEREMONY_WORKING_DAYS, holidays=holidays)


def ceremony_overdue(*, decision_date, ceremony_date, today, holidays=()):
    """True when the decision is recorded, no ceremony yet, and its deadline passed."""
    if decision_date is None or ceremony_date is not None:
        return False
    return today > ceremony_deadline(decision_date, holidays=holidays)


def ceremony_late(*, decision_date, ceremony_date, holidays=()):
    """True when the ceremony was held after its 30-working-day deadline."""
    if decision_date is None or ceremony_date is None:
        return False
    return ceremony_date > ceremony_deadline(decision_date, holidays=holidays)


def recognition_deadline(admission_date, *, holidays=()):
    """The last day for the recognition vote: 30 working days after the 12 months of
    probation (counted from the ceremony)."""
    return add_working_days(
        probation_end(admission_date), RECOGNITION_WORKING_DAYS, holidays=holidays
    )


def recognition_overdue(*, is_probationary, admission_date, today, holidays=()):
    """True when a probationary member is still not recognised after the deadline."""
    if not is_probationary or admission_date is None:
        return False
    return today > recognition_deadline(admission_date, holidays=holidays)


def candidate_missing(
    *, certificate_date, introducer_ids, group_opinion, mass_org_opinion
):
    """What the candidate's file still lacks before the cell may vote, in order:
    "certificate", "introducers" (two different official members),
    "group_opinion", "mass_org_opinion"."""
    missing = []
    if certificate_date is None:
        missing.append("certificate")
    if len({pk for pk in introducer_ids if pk}) < INTRODUCERS_NEEDED:
        missing.append("introducers")
    if not (group_opinion or "").strip():
        missing.append("group_opinion")
    if not (mass_org_opinion or "").strip():
        missing.append("mass_org_opinion")
    return missing


def probation_missing(*, mentor_id, self_review, mentor_opinion, group_opinion):
    """What the recognition step still lacks before the cell may vote: "mentor",
    "self_review", "mentor_opinion", "group_opinion"."""
    missing = [] if mentor_id else ["mentor"]
    if not (self_review or "").strip():
        missing.append("self_review")
    if not (mentor_opinion or "").strip():
        missing.append("mentor_opinion")
    if not (group_opinion or "").strip():
        missing.append("group_opinion")
    return missing


def admission_decision_problems(*, missing, vote_passed, vote_date, decision_date):
    """Why the committee's admission decision cannot be recorded yet ([] when it
    can): "file_incomplete", "no_passed_vote", "decision_before_vote"."""
    problems = []
    if missing:
        problems.append("file_incomplete")
    if not vote_passed:
        problems.append("no_passed_vote")
    elif vote_date is not None and decision_date < vote_date:
        problems.append("decision_before_vote")
    return problems


def recognition_vote_open(*, admission_date, on):
    """Whether the cell may vote the recognition on day `on`: the 12 months of
    probation from the ceremony are over."""
    return admission_date is not None and on >= probation_end(admission_date)


def recognition_decision_problems(
    *, admission_date, missing, vote_passed, vote_date, decision_date
):
    """Why the committee's recognition decision cannot be recorded yet ([] when it
    can): "no_ceremony", "file_incomplete", "no_passed_vote", "vote_too_early",
    "decision_before_vote"."""
    if admission_date is None:
        return ["no_ceremony"]
    problems = []
    if missing:
        problems.append("file_incomplete")
    if not vote_passed:
        problems.append("no_passed_vote")
    elif vote_date is not None:
        if not recognition_vote_open(admission_date=admission_date, on=vote_date):
            problems.append("vote_too_early")
        if decision_date < vote_date:
            problems.append("decision_before_vote")
    return problems


def deciding_vote(votes):
    """The vote a decision rests on: the latest passed vote of adopted minutes, else
    the latest vote of adopted minutes, else None (`votes` oldest first, dicts with
    "passed" and "adopted")."""
    final = [vote for vote in votes if vote["adopted"]]
    passed = [vote for vote in final if vote["passed"]]
    if passed:
        return passed[-1]
    return final[-1] if final else None


def overdue_cutoff(deadline, *, today, start):
    """The first day d from `start` on whose deadline(d) is not before `today`: with
    a deadline that never moves back as d grows, every earlier day is overdue and
    no later one is, so a database can count the overdue with `date < cutoff`."""
    day = start
    while deadline(day) < today:
        day += timedelta(days=1)
    return day


def ceremony_cutoff(*, today, holidays=()):
    """Admission decisions dated before this day without a ceremony are overdue."""
    return overdue_cutoff(
        lambda day: ceremony_deadline(day, holidays=holidays),
        today=today,
        start=today - timedelta(days=90),
    )


def recognition_cutoff(*, today, holidays=()):
    """Probationary members whose ceremony is dated before this day are overdue for
    recognition."""
    return overdue_cutoff(
        lambda day: recognition_deadline(day, holidays=holidays),
        today=today,
        start=add_months(today, -12) - timedelta(days=90),
    )


def in_period(day, start, end):
    """Whether `day` falls in [start, end] (None never does)."""
    return day is not None and start <= day <= end
