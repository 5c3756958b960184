"""The residence cell's yearly comment on each linked resident (QĐ 213, DOMAIN.md
§2), read by the member's workplace cell in its annual rating sheet."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped
from .member import LinkedPerson
from .user import User


class ResidenceComment(TimeStamped):
    link = models.ForeignKey(
        LinkedPerson,
        verbose_name=_("linked resident"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    exemplary_role = models.TextField(_("exemplary role at home and in the area"))
    participation = models.TextField(_("participation in local activities"))
    commented_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("residence comment")
        verbose_name_plural = _("residence comments")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "year"], name="residencecomment_one_a_year"
            )
        ]

    def __str__(self):
        return f"{self.link} {self.year}"
