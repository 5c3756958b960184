"""Turning a dashboard's figures into what its pages and exports show: headline
figures and table cells as text, the children table, the heatmap rows, the trend
chart's series, the cells behind a figure and a cell's meetings by month.

No queries: everything here works on a built `Dashboard`, `Stats` or rows already
read. HTML stays in the templates (templates/evaluations/dashboard/).
"""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from evaluations.domain import HELD_STATES
from meetings.models import MeetingKind
from members.models import OrgKind

from .figures import FIGURES, FLAG_BY_KEY, SORT_KEYS, ratio, sort_rows


class Share(str):
    """A share as shown ("92,3 %", or "—" when there is nothing to divide) that
    keeps its value (`fraction`, None for "—") for the spreadsheet."""

    fraction = None


class Ratio(str):
    """ "5 / 6" as shown, keeping its two numbers for the spreadsheet."""

    numerator = denominator = 0


class Number(str):
    """A count as shown, keeping the number for the spreadsheet."""

    number = 0


def pct(value):
    """A Fraction as a Vietnamese percentage with one decimal ("92,3 %"), or "—"."""
    if value is None:
        return Share("—")
    shown = Share(f"{number_format(round(float(value) * 100, 1), 1)} %")
    shown.fraction = value
    return shown


def of(numerator, denominator):
    shown = Ratio(f"{numerator} / {denominator}")
    shown.numerator, shown.denominator = numerator, denominator
    return shown


def count(number):
    shown = Number(number)
    shown.number = number
    return shown


def headlines(board):
    """[{key, label, note, value, detail, flag, available}] for the node's totals."""
    t = board.total
    s = t.sums
    quarters = board.period.quarters()
    thematic = (
        " · ".join(
            f"Q{q}: {t.thematic_cells.get(q, 0)}/{t.cells}" for q, _months in quarters
        )
        if quarters
        else "—"
    )
    values = {
        "cells": (count(t.cells), "", "few_officials"),
        "members": (count(t.members), "", ""),
        "regular": (
            of(s["regular_held"], t.regular_due),
            pct(ratio(s["regular_held"], t.regular_due)),
            "missed_regular",
        ),
        "on_plan": (
            of(s["regular_on_plan"], s["regular_held"]),
            pct(ratio(s["regular_on_plan"], s["regular_held"])),
            "",
        ),
        "thematic": (thematic, "", "no_thematic"),
        "hcm": (of(t.hcm_cells, t.cells), "", "no_hcm"),
        "attendance": (
            pct(t.attendance_rate),
            of(s["att_present"], s["att_required"]),
            "low_attendance",
        ),
        "unexcused": (count(s["att_unexcused"]), "", "unexcused"),
        "speaking": (pct(t.speaking_share), of(s["att_spoke"], s["att_attendees"]), ""),
        "speaking_groups": (
            _("young %(young)s · new %(new)s · no office %(no_office)s")
            % {
                group: pct(ratio(s[f"sp_{group}_spoke"], s[f"sp_{group}_attendees"]))
                for group in ("young", "new", "no_office")
            },
            _("young %(y)s · new %(n)s · no office %(o)s attendees")
            % {
                "y": s["sp_young_attendees"],
                "n": s["sp_new_attendees"],
                "o": s["sp_no_office_attendees"],
            },
            "",
        ),
        "supervised": (
            of(s["supervised"], s["meetings_held"]),
            pct(ratio(s["supervised"], s["meetings_held"])),
            "",
        ),
        "duration": (
            of(s["duration_ok"], s["duration_recorded"]),
            pct(ratio(s["duration_ok"], s["duration_recorded"])),
            "",
        ),
        "minutes": (
            of(s["minutes_locked_on_time"], s["minutes_due"]),
            _("submitted on time: %(n)s") % {"n": s["minutes_submitted_on_time"]},
            "minutes_late",
        ),
        "quality": (
            _("good %(good)s · fair %(fair)s · average %(average)s · poor %(poor)s")
            % {
                "good": s["band_good"],
                "fair": s["band_fair"],
                "average": s["band_average"],
                "poor": s["band_poor"],
            },
            _("%(n)s meetings scored") % {"n": s["scored"]},
            "",
        ),
        "reports": (
            of(s["reports_on_time"], t.reports_due),
            _("late or missing: %(n)s") % {"n": t.reports_late},
            "report_late",
        ),
        "recommendations": (of(t.recs_open, t.recs_overdue), "", ""),
        "tasks": (pct(t.tasks_rate), of(s["tasks_done"], s["tasks_total"]), ""),
    }
    if t.dues_months:
        values["dues"] = (
            pct(t.dues_rate),
            _("%(paid)s of %(due)s đồng, %(months)s closed cell-months")
            % {
                "paid": number_format(t.dues_paid, decimal_pos=0, force_grouping=True),
                "due": number_format(t.dues_due, decimal_pos=0, force_grouping=True),
                "months": t.dues_months,
            },
            "dues_arrears",
        )
    result = []
    for figure in FIGURES:
        value = values.get(figure.key)
        result.append(
            {
                "key": figure.key,
                "label": figure.label,
                "note": figure.note,
                "value": value[0] if value else None,
                "detail": value[1] if value else "",
                "flag": value[2] if value else "",
                "flag_cells": t.flags.get(value[2], 0) if value and value[2] else 0,
                "available": value is not None,
            }
        )
    return result


TABLE_COLUMNS = [
    ("cells", _("Cells")),
    ("members", _("Members")),
    ("regular", _("Regular held / due")),
    ("attendance", _("Attendance")),
    ("unexcused", _("Unexcused")),
    ("speaking", _("Spoke")),
    ("supervised", _("Superior attended")),
    ("minutes", _("Minutes on time")),
    ("reports", _("Reports on time")),
    ("tasks", _("Tasks done")),
    ("flags", _("Red flags")),
]


def table_values(stats):
    """The children table's cells for one row, as text, in TABLE_COLUMNS order."""
    s = stats.sums
    return {
        "cells": count(stats.cells),
        "members": count(stats.members),
        "regular": of(s["regular_held"], stats.regular_due),
        "attendance": pct(stats.attendance_rate),
        "unexcused": count(s["att_unexcused"]),
        "speaking": pct(stats.speaking_share),
        "supervised": of(s["supervised"], s["meetings_held"]),
        "minutes": of(s["minutes_locked_on_time"], s["minutes_due"]),
        "reports": of(s["reports_on_time"], stats.reports_due),
        "tasks": pct(stats.tasks_rate),
    }


def raised_flags(stats):
    """[(Flag, count)] of the flags raised on a row (count: cells, or for a cell the
    number of months, quarters, absences… behind it)."""
    return [(FLAG_BY_KEY[key], n) for key, n in stats.flags.items() if n]


def flag_badges(stats, period, *, cell_id=None, org_id=None):
    """The raised flags as badges ready to print: a cell's flags link to its
    meetings behind the flag, a unit's to its cells with the flag. Links and labels
    are made here once, so a page of many rows renders without a tag per flag."""
    if cell_id:
        base = reverse("evaluations:dashboard-meetings", args=[cell_id])
    else:
        base = reverse("evaluations:dashboard-cells", args=[org_id])
    return [
        {
            "key": flag.key,
            "href": f"{base}?period={period.key}&figure={flag.key}",
            "title": f"{flag.label}: {count}",
            "short": flag.short,
            "label": flag.label,
            "times": f" ×{count}" if count > 1 else "",
        }
        for flag, count in raised_flags(stats)
    ]


# --- pages ----------------------------------------------------------------------------


def _cols(stats):
    values = table_values(stats)
    return [(key, values.get(key)) for key, _label in TABLE_COLUMNS]


def children_rows(board, sort, descending):
    """The children table's rows, sorted: each unit with its cells as text and its
    raised flags; `cell_id` is set for a cell (its flags link to its meetings)."""
    return [
        {
            "org": org,
            "stats": stats,
            "cols": _cols(stats),
            "flags": flag_badges(
                stats,
                board.period,
                cell_id=org.pk if org.kind == OrgKind.CELL else None,
                org_id=org.pk,
            ),
        }
        for org, stats in sort_rows(board.rows, sort, descending)
    ]


def heatmap_rows(board):
    """The heatmap's rows: each unit (or the cell itself) and its month squares,
    each with its level, its text "held/cells", its title and its link (a cell's
    meetings of that month, or a unit's month dashboard), made here once per page."""
    key = board.period.key
    months = [(f"{m:%Y-%m}", f"{m:%m/%Y}") for m in board.heat_months]
    rows = []
    for org, squares in board.heatmap:
        if org.kind == OrgKind.CELL:
            base = reverse("evaluations:dashboard-meetings", args=[org.pk])
            link = f"{base}?period={key}&month="
        else:
            base = reverse("evaluations:dashboard", args=[org.pk])
            link = f"{base}?period="
        rows.append(
            {
                "name": org.name,
                "squares": [
                    {
                        "level": sq["level"],
                        "href": link + iso,
                        "title": f"{org.name} {shown}",
                        "text": f"{sq['held']}/{sq['cells']}",
                    }
                    for sq, (iso, shown) in zip(squares, months, strict=True)
                ],
            }
        )
    return rows


def chart_series(trends):
    """The trend chart's series as comma-separated data attributes ("" for none)."""
    return {
        key: ",".join("" if v is None else str(v) for v in values)
        for key, values in trends.items()
    }


def trend_rows(trends):
    """The trend chart as table rows: (month label, held, attendance, speaking,
    meetings a superior member attended in percent)."""
    return list(
        zip(
            trends["labels"],
            trends["held"],
            trends["attendance"],
            trends["speaking"],
            trends["supervised"],
            strict=True,
        )
    )


def cell_items(cells, figure, period):
    """The cells behind a figure or a flag (only the flagged ones for a flag), worst
    first: [{cell, stats, cols, flags, flag_count}]."""
    items = [
        {
            "cell": cell,
            "stats": stats,
            "cols": _cols(stats),
            "flags": flag_badges(stats, period, cell_id=cell["id"]),
            "flag_count": stats.flags.get(figure, 0),
        }
        for cell, stats in cells.values()
        if figure not in FLAG_BY_KEY or stats.flags[figure]
    ]
    sort_key = figure if figure in SORT_KEYS else "flags"
    if figure in FLAG_BY_KEY:
        items.sort(key=lambda item: (-item["flag_count"], item["cell"]["path"]))
    else:
        items.sort(
            key=lambda item: (
                -(item["stats"].flag_total),
                item["stats"].sort_value(sort_key) or 0,
                item["cell"]["path"],
            )
        )
    return items


def meetings_by_month(meetings, months, this_month):
    """A cell's meetings grouped by plan month (§8), each ended month without a held
    regular meeting marked missed: [{month, meetings, missed, closed}]."""
    held_months = {
        m.plan_month
        for m in meetings
        if m.kind == MeetingKind.REGULAR and m.state in HELD_STATES
    }
    return [
        {
            "month": month,
            "meetings": [m for m in meetings if m.plan_month == month],
            "missed": month < this_month and month not in held_months,
            "closed": month < this_month,
        }
        for month in months
    ]
