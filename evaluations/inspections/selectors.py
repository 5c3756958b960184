"""Reads for inspections: which cells of a committee's subtree were inspected in
the current period, and one cell's inspections."""

from django.db.models import Count, Max, Q

from evaluations.models import Inspection
from members.api import effective_rules
from members.models import Organization, OrgKind, RuleKey

from .rules import inspection_period


def period_months(org, on):
    """The inspection period in force for `org` (a setting; 6 when unusable)."""
    value = effective_rules(org, on=on)[RuleKey.INSPECTION_MONTHS]
    months = int(value["value"])
    return months if months >= 1 and 12 % months == 0 else 6


def inspection_overview(committee, *, on):
    """Every active cell below `committee` with its last inspection and whether it
    has one in the period holding `on` (one query beyond the rules)."""
    start, end = inspection_period(on, months=period_months(committee, on))
    cells = list(
        Organization.objects.filter(
            path__startswith=committee.path, kind=OrgKind.CELL, is_active=True
        )
        .annotate(
            last_inspection=Max("inspections__inspected_on"),
            in_period=Count(
                "inspections",
                filter=Q(
                    inspections__inspected_on__gte=start,
                    inspections__inspected_on__lte=end,
                ),
            ),
        )
        .order_by("path")
    )
    return {
        "cells": cells,
        "period_start": start,
        "period_end": end,
        "missing": sum(1 for cell in cells if not cell.in_period),
    }


def inspections_of_cell(cell):
    """A cell's inspections with their inspector, meetings and recommendations."""
    return list(
        Inspection.objects.filter(cell=cell)
        .select_related("inspector")
        .prefetch_related("meetings", "recommendations")
    )
