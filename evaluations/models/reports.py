"""Supervisors' reports on cell meetings and the recommendations raised in them
(DOMAIN.md §7)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations import domain
from meetings.models import Meeting
from members.models import Member, Organization, TimeStamped, User

from .scores import QualityScore


class SupervisionReport(TimeStamped):
    """A supervisor's report on a cell meeting, due on the first deadline day
    (setting report_deadline_day) strictly after the meeting day."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="supervision_reports"
    )
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    supervisor = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="supervision_reports"
    )
    attended = models.BooleanField(_("attended the meeting"), default=True)
    summary = models.TextField(_("what happened"), blank=True)
    observations = models.TextField(_("quality observations"))
    score = models.ForeignKey(
        QualityScore,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervisor's report")
        verbose_name_plural = _("supervisors' reports")
        ordering = ["-due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "supervisor"], name="report_unique_per_supervisor"
            )
        ]

    def __str__(self):
        return f"{self.supervisor} — {self.meeting}"

    def get_absolute_url(self):
        return reverse("evaluations:report-detail", args=[self.pk])


class RecommendationStatus(models.TextChoices):
    OPEN = domain.OPEN, _("Open")
    IN_PROGRESS = domain.IN_PROGRESS, _("In progress")
    RESOLVED = domain.RESOLVED, _("Resolved")
    REJECTED = domain.REJECTED, _("Rejected")


class Recommendation(TimeStamped):
    """A recommendation (kiến nghị, đề xuất) raised about a cell, usually in a
    supervisor's report; the committee works it to resolved or rejected."""

    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="recommendations"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    report = models.ForeignKey(
        SupervisionReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    text = models.TextField(_("recommendation"))
    addressee = models.CharField(_("addressed to"), max_length=255)
    responsible = models.CharField(_("responsible body"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus,
        default=RecommendationStatus.OPEN,
    )
    response = models.TextField(_("response"), blank=True)
    raised_on = models.DateField(_("raised on"))
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    raised_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["cell", "status"])]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("evaluations:recommendation-detail", args=[self.pk])

    @property
    def is_in_progress(self):
        return self.status == RecommendationStatus.IN_PROGRESS

    @property
    def is_resolved(self):
        return self.status == RecommendationStatus.RESOLVED

    @property
    def is_rejected(self):
        return self.status == RecommendationStatus.REJECTED
