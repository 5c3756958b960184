"""The registry of rules that are settings (DOMAIN.md marks them [local] or
[unconfirmed]): their national default, their type and the regulation they come from.

Values set on a node apply to its whole subtree unless overridden lower down; see
`members.selectors.effective_rules`. A deployment may replace any default with
`settings.CHIBO_RULE_DEFAULTS`.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import RuleKey

SHIFT_CHOICES = [
    ("none", _("Keep the day")),
    ("next_working_day", _("Next working day")),
    ("previous_working_day", _("Previous working day")),
]


@dataclass(frozen=True)
class Rule:
    key: str
    default: object
    kind: str  # "int", "choice", "bool", "time"
    source: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple = ()
    # A rule that judges a cell (its score, flags or ratings) is set by a committee
    # above it; the cell's own officers see it read-only.
    judges: bool = False


RULES = {
    rule.key: rule
    for rule in [
        Rule(RuleKey.MEETING_DAY, 3, "int", "[local] Seeds 001, 004", 1, 31),
        Rule(
            RuleKey.MEETING_SHIFT,
            "none",
            "choice",
            "[local]",
            choices=tuple(c for c, _label in SHIFT_CHOICES),
        ),
        Rule(RuleKey.MEETING_TIME, "08:00", "time", "[local]"),
        Rule(RuleKey.NOTICE_DAYS, 3, "int", "[local] Seed 001", 0, 30, judges=True),
        Rule(
            RuleKey.DOCUMENT_DAYS,
            1,
            "int",
            "HD 42-HD/BTCTW (28/10/2025)",
            0,
            30,
            judges=True,
        ),
        Rule(
            RuleKey.REPORT_DEADLINE_DAY,
            10,
            "int",
            "[local] Seed 004",
            1,
            28,
            judges=True,
        ),
        Rule(RuleKey.MONTHLY_RATING, True, "bool", "[local] Seed 001", judges=True),
        Rule(
            RuleKey.MIN_ATTENDANCE,
            0,
            "int",
            "[local] off by default",
            0,
            100,
            judges=True,
        ),
        Rule(
            RuleKey.EXCELLENT_QUOTA,
            20,
            "int",
            "[unconfirmed] HD 21 (2019)",
            0,
            100,
            judges=True,
        ),
        Rule(RuleKey.TERM_START_YEAR, 2025, "int", "QĐ 294-QĐ/TW (2025)", 1930, 2100),
        Rule(RuleKey.TERM_LENGTH, 5, "int", "QĐ 294-QĐ/TW (2025)", 1, 10),
        Rule(RuleKey.PREPARATION_REMINDER_DAYS, 7, "int", "[local] HD 42 §3.1", 0, 30),
        Rule(RuleKey.PRESENTER_REMINDER_DAYS, 7, "int", "[local] HD 42 §3.1", 0, 30),
        Rule(
            RuleKey.MINUTES_NAG_DAYS,
            2,
            "int",
            "[unconfirmed] DOMAIN §3.2",
            0,
            30,
            judges=True,
        ),
        Rule(RuleKey.TASK_REMINDER_DAYS, 3, "int", "[local]", 0, 30),
        Rule(
            RuleKey.RECOMMENDATION_DAYS,
            30,
            "int",
            "[local] DOMAIN §7",
            1,
            365,
            judges=True,
        ),
        Rule(RuleKey.REPORT_REMINDER_DAYS, 3, "int", "[local]", 0, 28),
        Rule(
            RuleKey.INSPECTION_MONTHS,
            6,
            "int",
            "[local] Seed 000",
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
