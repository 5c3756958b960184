"""Rule settings: local values of the rules, set on a node for its subtree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped
from .organization import Organization


class RuleKey(models.TextChoices):
    MEETING_DAY = "meeting_day", _("Monthly meeting day")
    MEETING_SHIFT = "meeting_shift", _("Shift when the day is not a working day")
    MEETING_TIME = "meeting_time", _("Usual meeting start time")
    NOTICE_DAYS = "notice_days", _("Notice days before a meeting")
    DOCUMENT_DAYS = "document_days", _("Days before a meeting documents are sent")
    REPORT_DEADLINE_DAY = "report_deadline_day", _("Supervisor report deadline day")
    MONTHLY_RATING = "monthly_rating", _("Monthly member rating")
    MIN_ATTENDANCE = "min_attendance_percent", _("Minimum attendance (percent)")
    EXCELLENT_QUOTA = (
        "excellent_quota_percent",
        _("Excellent rating quota (percent of good)"),
    )
    TERM_START_YEAR = "term_start_year", _("First year of the committee term")
    TERM_LENGTH = "term_length_years", _("Committee term length (years)")
    TERM_START_MONTH = "term_start_month", _("First month of the committee term")
    TERM_LENGTH_MONTHS = (
        "term_length_months",
        _("Committee term length in months (0: whole years as above)"),
    )
    PREPARATION_REMINDER_DAYS = (
        "preparation_reminder_days",
        _("Days before a meeting the preparers are reminded"),
    )
    PRESENTER_REMINDER_DAYS = (
        "presenter_reminder_days",
        _("Days before a thematic meeting the presenter is reminded"),
    )
    MINUTES_NAG_DAYS = (
        "minutes_nag_days",
        _("Days after a meeting to remind that the minutes are not locked"),
    )
    TASK_REMINDER_DAYS = (
        "task_reminder_days",
        _("Days before a task's deadline the assignees are reminded"),
    )
    RECOMMENDATION_DAYS = (
        "recommendation_days",
        _("Days before an open recommendation is overdue"),
    )
    MINUTES_FINAL_DAYS = (
        "minutes_final_days",
        _("Days after a meeting within which its documents are finalised"),
    )
    LONG_MEETING_MEMBERS = (
        "long_meeting_members",
        _("Members from which every meeting lasts at least 120 minutes (0: off)"),
    )
    THEMATIC_OFFSET_DAYS = (
        "thematic_offset_days",
        _("Days after the monthly meeting day the thematic meeting is planned"),
    )
    YOUNG_MEMBER_AGE = (
        "young_member_age",
        _("Age under which a member counts as young (speaking share)"),
    )
    REPORT_REMINDER_DAYS = (
        "report_reminder_days",
        _("Days before the report deadline the supervisors are reminded"),
    )
    DUES_OTHER_AMOUNT = (
        "dues_other_amount",
        _("Monthly dues of members in no other category (đồng)"),
    )
    DUES_STUDENT_AMOUNT_QD342 = (
        "dues_student_amount_qd342",
        _("Monthly dues of pupils and students before February 2026 (đồng)"),
    )
    DUES_RETAINED_PERCENT = (
        "dues_retained_percent",
        _("Share of the dues collected that the cell keeps (percent)"),
    )
    INSPECTION_MONTHS = (
        "inspection_months",
        _("Months between inspections of a cell's meetings"),
    )


class RuleSetting(TimeStamped):
    """A value of a local or unconfirmed rule set on one node, applying to its subtree
    from `valid_from` on, with the regulation it comes from."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="rule_settings",
    )
    key = models.CharField(_("setting"), max_length=40, choices=RuleKey)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source regulation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")
        ordering = ["organization", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key", "valid_from"],
                name="rulesetting_unique_per_date",
            )
        ]

    def __str__(self):
        return f"{self.organization}: {self.key}={self.value}"
