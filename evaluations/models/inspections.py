"""Inspections of a cell's meetings by the grassroots committee (DOMAIN.md §3.7,
seed 000): one per cell per period (six months by default, a setting)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Member, Organization, TimeStamped, User

from .reports import Recommendation


class Inspection(TimeStamped):
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspector = models.ForeignKey(
        Member, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_on = models.DateField(_("date"))
    meetings = models.ManyToManyField(
        Meeting, verbose_name=_("meetings examined"), related_name="inspections"
    )
    findings = models.TextField(_("findings"))
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["cell", "inspected_on"])]

    def __str__(self):
        return f"{self.cell} {self.inspected_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("evaluations:inspection-detail", args=[self.pk])
