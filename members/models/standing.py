"""A member's standing over time: exemptions, suspensions, temporary attachments."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Period
from .member import Member


class ExemptionReason(models.TextChoices):
    OLD_AGE = "old_age", _("Old age")
    HEALTH = "health", _("Weak health")
    TREATMENT = "treatment", _("Long treatment far away")
    ABROAD = "abroad", _("Going abroad")
    REMOTE_WORK = "remote_work", _("Remote or mobile work")
    MATERNITY = "maternity", _("Maternity")
    OTHER = "other", _("Other")


class Exemption(Period):
    """Exemption from party work and meetings, granted by a cell resolution."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="exemptions",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ExemptionReason)
    detail = models.CharField(_("details"), max_length=255, blank=True)
    resolution_ref = models.CharField(
        _("cell resolution reference"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="exemption_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.get_reason_display()}"


class Suspension(Period):
    """Suspension from party activities (still a member, still pays dues)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="suspensions",
    )
    reason = models.CharField(_("reason"), max_length=255)
    decision_ref = models.CharField(_("decision reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="suspension_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.reason}"


class AttachmentDirection(models.TextChoices):
    IN = "in", _("Attached here temporarily (from elsewhere)")
    OUT = "out", _("Temporarily transferred out")


class TemporaryAttachment(Period):
    """Temporary attachment: `in` — the member's record is in this cell while their
    official home is `other_unit`; `out` — the member attends `other_unit` for a while
    and is left out of the vote denominator at home."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=AttachmentDirection
    )
    other_unit = models.CharField(_("other party unit"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("temporary attachment")
        verbose_name_plural = _("temporary attachments")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="attachment_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.get_direction_display()} {self.other_unit}"
