"""The kinds and states of a meeting, and the agenda templates (DOMAIN.md §3.2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings import domain
from members.models import Organization, TimeStamped


class MeetingKind(models.TextChoices):
    REGULAR = domain.REGULAR, _("Regular monthly meeting")
    THEMATIC = domain.THEMATIC, _("Thematic meeting")
    EXTRAORDINARY = domain.EXTRAORDINARY, _("Extraordinary meeting")
    COMMITTEE = domain.COMMITTEE, _("Cell committee meeting")
    ANNUAL_REVIEW = domain.ANNUAL_REVIEW, _("Year-end review")
    CONGRESS = domain.CONGRESS, _("Cell congress")


class MeetingState(models.TextChoices):
    PLANNED = domain.PLANNED, _("Planned")
    NOTIFIED = domain.NOTIFIED, _("Notified")
    HELD = domain.HELD, _("Held")
    LOCKED = domain.LOCKED, _("Minutes locked")
    SUBMITTED = domain.SUBMITTED, _("Submitted")
    ACKNOWLEDGED = domain.ACKNOWLEDGED, _("Acknowledged")
    RETURNED = domain.RETURNED, _("Returned for an addendum")
    CANCELLED = domain.CANCELLED, _("Cancelled")


class AgendaTemplate(TimeStamped):
    """The order of business for a kind of meeting, as data (DOMAIN.md §3.2).

    National templates have no organisation; a node may override them below it."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_templates",
    )
    items = models.JSONField(_("items"), default=list)

    class Meta:
        verbose_name = _("agenda template")
        verbose_name_plural = _("agenda templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organization"], name="agendatemplate_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(organization__isnull=True),
                name="agendatemplate_unique_national",
            ),
        ]

    def __str__(self):
        scope = self.organization or _("national")
        return f"{self.get_kind_display()} ({scope})"
