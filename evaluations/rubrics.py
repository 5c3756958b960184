"""The rubrics shipped as data (DOMAIN.md §6): the default 8-group, 100-point ward
rubric built on HD 42, and the HD 12 pass/fail checklist. Loaded by
`ensure_default_rubrics` (called by post_migrate and lazily by the selectors);
a deployment adds or supersedes versions as rows, never in code."""

from datetime import date

from django.utils.translation import gettext_noop

from .domain import DEFAULT_SCALES
from .models import Rubric

DEFAULT_CODE = "hd42-ward"
CHECKLIST_CODE = "hd12-checklist"


def _item(key, label, maximum, auto="", thematic=False):
    item = {
        "key": key,
        "label": label,
        "max": maximum,
        "auto": auto,
        "thematic": thematic,
    }
    if auto in DEFAULT_SCALES:  # the ◆ scales are rubric data too (§6)
        item["scale"] = DEFAULT_SCALES[auto]
    return item


DEFAULT_RUBRIC = {
    "code": DEFAULT_CODE,
    "version": 1,
    "name": gettext_noop("Cell meeting quality, 100 points (HD 42)"),
    "kind": "points",
    "source": "HD 42-HD/BTCTW (28/10/2025); ward rubric",
    "valid_from": date(2025, 10, 28),
    "groups": [
        {
            "key": "time",
            "label": gettext_noop("Time and duration"),
            "max": 5,
            "items": [
                _item(
                    "duration",
                    gettext_noop("At least 90 minutes (120 when combined)"),
                    5,
                    "duration",
                ),
            ],
        },
        {
            "key": "attendance",
            "label": gettext_noop("Attendance"),
            "max": 5,
            "items": [
                _item(
                    "attendance_rate",
                    gettext_noop("Attendance rate, no unexcused absence"),
                    4,
                    "attendance_rate",
                ),
                _item(
                    "absence_streak",
                    gettext_noop("Nobody absent more than 3 times in a row this year"),
                    1,
                    "absence_streak",
                ),
            ],
        },
        {
            "key": "preparation",
            "label": gettext_noop("Preparation"),
            "max": 10,
            "items": [
                _item("content", gettext_noop("Content correct and focused"), 3),
                _item("draft", gettext_noop("Draft conclusion or resolution"), 2),
                _item(
                    "committee_meeting",
                    gettext_noop("Cell committee meeting held and minuted"),
                    2,
                    "committee_meeting",
                ),
                _item(
                    "notified",
                    gettext_noop("Everyone notified in time, superior member included"),
                    1,
                    "notified",
                ),
                _item(
                    "documents_in_time",
                    gettext_noop("Documents sent at least 1 day before"),
                    2,
                    "documents_in_time",
                ),
            ],
        },
        {
            "key": "conduct",
            "label": gettext_noop("Conduct"),
            "max": 30,
            "items": [
                _item("steps", gettext_noop("All procedural steps"), 5),
                _item("regular_content", gettext_noop("Regular content"), 10),
                _item(
                    "thematic_content",
                    gettext_noop("Thematic content"),
                    5,
                    thematic=True,
                ),
                _item("praise", gettext_noop("Praise, reminders and criticism"), 2),
                _item(
                    "speaking_share",
                    gettext_noop("Share of attendees who spoke"),
                    5,
                    "speaking_share",
                ),
                _item(
                    "minutes_complete",
                    gettext_noop("Minutes complete"),
                    1,
                    "minutes_complete",
                ),
                _item(
                    "ideology",
                    gettext_noop("15-30 minutes on ideology and self-criticism"),
                    1,
                ),
                _item(
                    "documents_posted",
                    gettext_noop("Documents posted for members"),
                    1,
                    "documents_posted",
                ),
            ],
        },
        {
            "key": "chairing",
            "label": gettext_noop("Chairing by the secretary"),
            "max": 10,
            "items": [
                _item("flexible", gettext_noop("Flexible chairing"), 2),
                _item("orientation", gettext_noop("Orientation on new issues"), 4),
                _item("democratic", gettext_noop("Democratic atmosphere"), 3),
                _item("synthesis", gettext_noop("Synthesis into a conclusion"), 1),
            ],
        },
        {
            "key": "principles",
            "label": gettext_noop("Principles"),
            "max": 5,
            "items": [
                _item("centralism", gettext_noop("Democratic centralism"), 1),
                _item(
                    "self_criticism",
                    gettext_noop("Real self-criticism and criticism"),
                    2,
                ),
                _item("fighting", gettext_noop("Leadership and fighting character"), 1),
                _item(
                    "concerns",
                    gettext_noop("Members' concerns recorded and handled"),
                    1,
                ),
            ],
        },
        {
            "key": "results",
            "label": gettext_noop("Results of last month's resolution"),
            "max": 30,
            "items": [
                _item(
                    "task_results",
                    gettext_noop("Share of last month's tasks done"),
                    30,
                    "task_results",
                ),
            ],
        },
        {
            "key": "closing",
            "label": gettext_noop("Closing"),
            "max": 5,
            "items": [
                _item("conclusion_adopted", gettext_noop("Conclusion adopted"), 2),
                _item(
                    "adopted_tasks_assigned",
                    gettext_noop("Minutes adopted and tasks assigned"),
                    2,
                    "adopted_tasks_assigned",
                ),
                _item(
                    "locked_in_time",
                    gettext_noop("Documents finalised within 2 days"),
                    1,
                    "locked_in_time",
                ),
            ],
        },
    ],
}

CHECKLIST_RUBRIC = {
    "code": CHECKLIST_CODE,
    "version": 1,
    "name": gettext_noop("HD 12 pass/fail checklist"),
    "kind": "checklist",
    "source": "HD 12-HD/BTCTW (6/7/2018)",
    "valid_from": date(2018, 7, 6),
    "groups": [
        {
            "key": "criteria",
            "label": gettext_noop("Criteria"),
            "max": 12,
            "items": [
                _item("on_schedule", gettext_noop("Held regularly on the set day"), 1),
                _item(
                    "attendance_above_85",
                    gettext_noop("Attendance above 85%"),
                    1,
                    "attendance_above_85",
                ),
                _item(
                    "documents_in_time",
                    gettext_noop("Content and documents prepared in advance"),
                    1,
                    "documents_in_time",
                ),
                _item("procedure", gettext_noop("Proper order of business"), 1),
                _item(
                    "regular_content",
                    gettext_noop("Regular content covers the cell's tasks"),
                    1,
                ),
                _item(
                    "thematic",
                    gettext_noop("Thematic meeting at least once a quarter"),
                    1,
                ),
                _item(
                    "speaking_majority",
                    gettext_noop("More than half of attendees spoke"),
                    1,
                    "speaking_majority",
                ),
                _item(
                    "self_criticism",
                    gettext_noop("Self-criticism and criticism practised"),
                    1,
                ),
                _item("democratic", gettext_noop("Democratic, frank atmosphere"), 1),
                _item(
                    "tasks_assigned",
                    gettext_noop("Conclusion with tasks assigned to members"),
                    1,
                    "tasks_assigned",
                ),
                _item(
                    "minutes_complete",
                    gettext_noop("Minutes complete"),
                    1,
                    "minutes_complete",
                ),
                _item("implemented", gettext_noop("Last resolution carried out"), 1),
            ],
        },
    ],
}

DEFAULT_RUBRICS = (DEFAULT_RUBRIC, CHECKLIST_RUBRIC)


def ensure_default_rubrics(using="default", **_kwargs):
    """Create the shipped rubric versions when missing (idempotent)."""
    for data in DEFAULT_RUBRICS:
        Rubric.objects.using(using).get_or_create(
            code=data["code"],
            version=data["version"],
            defaults={
                key: data[key]
                for key in ("name", "kind", "source", "valid_from", "groups")
            },
        )


def items_of(rubric, *, thematic_month):
    """(group, item) pairs that apply: thematic-only items only in a thematic month."""
    for group in rubric.groups:
        for item in group["items"]:
            if item.get("thematic") and not thematic_month:
                continue
            yield group, item
