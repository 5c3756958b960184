"""The admission steps overdue among a cell's probationary members (ceremonies,
recognitions): no query, so the cell summary in members.selectors can show them
without reaching the admission pages' selectors."""

from django.utils import timezone

from members.holidays import holidays_around

from . import domain


def pipeline_alerts(probationers, *, today=None):
    """Of a cell's probationary members (already loaded, with their admission
    decision and ceremony dates): those whose ceremony is overdue and those whose
    recognition is overdue. No query."""
    today = today or timezone.localdate()
    holidays = holidays_around(today)
    ceremonies, recognitions = [], []
    for member in probationers:
        if domain.ceremony_overdue(
            decision_date=member.admission_decision_date,
            ceremony_date=member.admission_date,
            today=today,
            holidays=holidays,
        ):
            member.ceremony_deadline = domain.ceremony_deadline(
                member.admission_decision_date, holidays=holidays
            )
            ceremonies.append(member)
        if domain.recognition_overdue(
            is_probationary=True,
            admission_date=member.admission_date,
            today=today,
            holidays=holidays,
        ):
            member.recognition_deadline = domain.recognition_deadline(
                member.admission_date, holidays=holidays
            )
            recognitions.append(member)
    return {"ceremony_overdue": ceremonies, "recognition_overdue": recognitions}
