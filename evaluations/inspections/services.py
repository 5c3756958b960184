"""Writes for inspections of a cell's meetings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Inspection, Recommendation


@transaction.atomic
def record_inspection(
    *,
    cell,
    inspector,
    inspected_on,
    meetings,
    findings,
    conclusions="",
    recommendations=(),
    by=None,
):
    """Record an inspection of `cell`'s meetings; each line of `recommendations`
    becomes a recommendation to the cell, tracked like a supervisor's."""
    meetings = sorted(meetings, key=lambda m: m.starts_at)
    if not meetings:
        raise ValidationError({"meetings": _("Choose the meetings examined.")})
    if any(m.cell_id != cell.pk for m in meetings):
        raise ValidationError({"meetings": _("Choose meetings of the cell.")})
    inspection = Inspection(
        cell=cell,
        inspector=inspector,
        inspected_on=inspected_on,
        findings=findings.strip(),
        conclusions=conclusions.strip(),
        created_by=by,
    )
    inspection.full_clean()
    inspection.save()
    inspection.meetings.set(meetings)
    rows = []
    for line in recommendations:
        rec = Recommendation(
            cell=cell,
            meeting=meetings[-1],  # tracked with the last meeting examined
            text=line,
            addressee=cell.name,
            responsible=cell.name,
            raised_on=inspected_on,
            raised_by=by,
        )
        rec.full_clean()
        rec.save()
        rows.append(rec)
    inspection.recommendations.set(rows)
    return inspection
