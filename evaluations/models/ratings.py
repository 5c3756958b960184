"""Members' monthly ratings and the year's ratings of members and cells
(DOMAIN.md §5)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations import domain
from meetings.models import AttendanceStatus, Meeting
from members.models import Member, Organization, TimeStamped, User


class RatingLevel(models.TextChoices):
    EXCELLENT = domain.EXCELLENT, _("Excellently completed")
    GOOD = domain.GOOD, _("Well completed")
    COMPLETED = domain.COMPLETED, _("Completed")
    NOT_COMPLETED = domain.NOT_COMPLETED, _("Not completed")


class MonthlyRating(TimeStamped):
    """A member's rating for one month [local, setting monthly_rating]: proposed from
    the month's facts, confirmed or adjusted (with a reason) by the secretary."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="monthly_ratings"
    )
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # first day of the month
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed = models.CharField(_("proposed"), max_length=16, choices=RatingLevel)
    level = models.CharField(_("rating"), max_length=16, choices=RatingLevel)
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    facts = models.JSONField(_("facts"), default=dict)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly rating")
        verbose_name_plural = _("monthly ratings")
        ordering = ["-month", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], name="monthlyrating_unique_month"
            ),
            models.CheckConstraint(
                condition=Q(level=models.F("proposed")) | ~Q(reason=""),
                name="monthlyrating_change_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.month:%m/%Y}: {self.level}"

    @property
    def attendance_label(self):
        """The member's attendance in the month's facts, as its label."""
        status = self.facts.get("attendance", "")
        return AttendanceStatus(status).label if status in AttendanceStatus else status


class AnnualRating(TimeStamped):
    """The year's rating of a member (member set) or of the cell (member null):
    self-assessment, the cell committee's proposal, the competent level's decision."""

    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_ratings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    self_score = models.DecimalField(
        _("self-assessed score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_level = models.CharField(
        _("self-assessment"), max_length=16, choices=RatingLevel, blank=True
    )
    proposed_level = models.CharField(
        _("committee's proposal"), max_length=16, choices=RatingLevel, blank=True
    )
    decided_level = models.CharField(
        _("decision"), max_length=16, choices=RatingLevel, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    facts = models.JSONField(_("facts"), default=dict)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(member__isnull=False),
                name="annualrating_unique_member_year",
            ),
            models.UniqueConstraint(
                fields=["cell", "year"],
                condition=Q(member__isnull=True),
                name="annualrating_unique_cell_year",
            ),
        ]

    def __str__(self):
        return f"{self.cell_id}/{self.member_id} {self.year}"
