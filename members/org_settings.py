"""The registry of rules that are settings (DOMAIN.md marks them local or
unconfirmed): their national default, their type and the regulation they come from,
named in words the way a user cites it (never a file reference or a marker).

Values set on a node apply to its whole subtree unless overridden lower down; see
`members.selectors.effective_rules`. A deployment may replace any default with
`settings.CHIBO_RULE_DEFAULTS`.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import domain
from .models import RuleKey

SHIFT_CHOICES = [
    (domain.SHIFT_NONE, _("Keep the day")),
    (domain.SHIFT_NEXT_WORKING_DAY, _("Next working day")),
    (domain.SHIFT_PREVIOUS_WORKING_DAY, _("Previous working day")),
]


# Where a default comes from, as the settings page says it.
LOCAL = _("Local rule (set by each province or committee)")
LOCAL_OFF = _("Local rule, not applied unless a committee sets it")
UNCONFIRMED_PRACTICE = _("Common local practice, not yet confirmed by a regulation")
HD_42 = _("Guideline 42-HD/BTCTW (28/10/2025)")
HD_42_PREPARATION = _(
    "Guideline 42-HD/BTCTW, section 3.1 (the number of days is a local rule)"
)
HD_21_UNCONFIRMED = _("Guideline 21-HD/BTCTW (2019), not yet confirmed")
QD_294 = _("Regulation 294-QĐ/TW (2025)")
QD_294_LOCAL_MONTHS = _(
    "Regulation 294-QĐ/TW (2025); a term counted in months is a local rule"
)
QD_01 = _("Regulation 01-QĐ/TW (03/02/2026)")
QD_342 = _("Decision 342-QĐ/TW (2010)")
HD_42_UNCONFIRMED = _("Guideline 42-HD/BTCTW (28/10/2025), not yet confirmed")


def shift_label(code):
    """The words for a shift rule's value ("Next working day"), or the code itself
    if it is unknown."""
    return dict(SHIFT_CHOICES).get(code, code)


def value_label(key, value):
    """A setting's value in words: "Next working day" rather than its code, "yes"
    or "no" for a switch, the number or time itself otherwise."""
    rule = RULES[key]
    if rule.kind == RuleType.CHOICE:
        return shift_label(value)
    if rule.kind == RuleType.BOOL:
        return _("yes") if value else _("no")
    return str(value)


class RuleType(StrEnum):
    """What a rule's value is, and so which field edits it."""

    INT = "int"
    CHOICE = "choice"
    BOOL = "bool"
    TIME = "time"


@dataclass(frozen=True)
class Rule:
    key: str
    default: object
    kind: RuleType
    source: str  # lazy translated words
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple = ()
    # A rule that judges a cell (its score, flags or ratings) is set by a committee
    # above it; the cell's own officers see it read-only.
    judges: bool = False


RULES = {
    rule.key: rule
    for rule in [
        Rule(RuleKey.MEETING_DAY, 3, RuleType.INT, LOCAL, 1, 31),
        Rule(
            RuleKey.MEETING_SHIFT,
            domain.SHIFT_NONE,
            RuleType.CHOICE,
            LOCAL,
            choices=tuple(c for c, _label in SHIFT_CHOICES),
        ),
        Rule(RuleKey.MEETING_TIME, "08:00", RuleType.TIME, LOCAL),
        Rule(RuleKey.NOTICE_DAYS, 3, RuleType.INT, LOCAL, 0, 30, judges=True),
        Rule(
            RuleKey.DOCUMENT_DAYS,
            1,
            RuleType.INT,
            HD_42,
            0,
            30,
            judges=True,
        ),
        Rule(
            RuleKey.REPORT_DEADLINE_DAY,
            10,
            RuleType.INT,
            LOCAL,
            1,
            28,
            judges=True,
        ),
        Rule(RuleKey.MONTHLY_RATING, True, RuleType.BOOL, LOCAL, judges=True),
        Rule(
            RuleKey.MIN_ATTENDANCE,
            0,
            RuleType.INT,
            LOCAL_OFF,
            0,
            100,
            judges=True,
        ),
        Rule(
            RuleKey.EXCELLENT_QUOTA,
            20,
            RuleType.INT,
            HD_21_UNCONFIRMED,
            0,
            100,
            judges=True,
        ),
        Rule(RuleKey.TERM_START_YEAR, 2025, RuleType.INT, QD_294, 1930, 2100),
        Rule(RuleKey.TERM_LENGTH, 5, RuleType.INT, QD_294, 1, 10),
        Rule(RuleKey.TERM_START_MONTH, 1, RuleType.INT, LOCAL, 1, 12),
        Rule(RuleKey.TERM_LENGTH_MONTHS, 0, RuleType.INT, QD_294_LOCAL_MONTHS, 0, 120),
        Rule(
            RuleKey.PREPARATION_REMINDER_DAYS, 7, RuleType.INT, HD_42_PREPARATION, 0, 30
        ),
        Rule(
            RuleKey.PRESENTER_REMINDER_DAYS, 7, RuleType.INT, HD_42_PREPARATION, 0, 30
        ),
        Rule(
            RuleKey.MINUTES_NAG_DAYS,
            2,
            RuleType.INT,
            UNCONFIRMED_PRACTICE,
            0,
            30,
            judges=True,
        ),
        Rule(
            RuleKey.MINUTES_FINAL_DAYS,
            2,
            RuleType.INT,
            HD_42_UNCONFIRMED,
            0,
            30,
            judges=True,
        ),
        Rule(RuleKey.YOUNG_MEMBER_AGE, 35, RuleType.INT, LOCAL, 18, 60),
        Rule(RuleKey.THEMATIC_OFFSET_DAYS, 7, RuleType.INT, LOCAL, 0, 27),
        Rule(
            RuleKey.LONG_MEETING_MEMBERS,
            0,
            RuleType.INT,
            LOCAL_OFF,
            0,
            500,
            judges=True,
        ),
        Rule(RuleKey.TASK_REMINDER_DAYS, 3, RuleType.INT, LOCAL, 0, 30),
        Rule(
            RuleKey.RECOMMENDATION_DAYS,
            30,
            RuleType.INT,
            LOCAL,
            1,
            365,
            judges=True,
        ),
        Rule(RuleKey.REPORT_REMINDER_DAYS, 3, RuleType.INT, LOCAL, 0, 28),
        # Party dues (DOMAIN.md §9). QĐ 01-QĐ/TW leaves the amount of members in no
        # other category to the levels below (unconfirmed): 10,000 đồng a month by
        # default. Under QĐ 342-QĐ/TW pupils and students paid a flat amount: 3,000
        # by default. The share a cell keeps before remitting the rest upward is
        # given differently by different sources: 30% by default, set per node.
        Rule(
            RuleKey.DUES_OTHER_AMOUNT,
            10_000,
            RuleType.INT,
            QD_01,
            0,
            10_000_000,
            judges=True,
        ),
        Rule(
            RuleKey.DUES_STUDENT_AMOUNT_QD342,
            3_000,
            RuleType.INT,
            QD_342,
            0,
            1_000_000,
            judges=True,
        ),
        Rule(
            RuleKey.DUES_RETAINED_PERCENT,
            30,
            RuleType.INT,
            QD_01,
            0,
            100,
            judges=True,
        ),
        Rule(
            RuleKey.INSPECTION_MONTHS,
            6,
            RuleType.INT,
            LOCAL,
            1,
            12,
            judges=True,
        ),
    ]
}

# Every rule starts applying from this date unless a node says otherwise.
EPOCH = date(2000, 1, 1)


def default_value(key):
    """The deployment's default for a rule key (settings override the registry)."""
    overrides = getattr(settings, "CHIBO_RULE_DEFAULTS", {}) or {}
    return overrides.get(key, RULES[key].default)
