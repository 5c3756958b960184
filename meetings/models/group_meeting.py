"""Party-group meetings (sinh hoạt tổ đảng, DOMAIN.md §3.7, seed 002): minuted
briefly, counted in the cell's record and the members' history, never in the
regular-meeting figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organization, TimeStamped, User


class GroupMeeting(TimeStamped):
    group = models.ForeignKey(
        Organization,
        verbose_name=_("party group"),
        on_delete=models.PROTECT,
        related_name="group_meetings",
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        Member, verbose_name=_("present"), related_name="group_meetings"
    )
    content = models.TextField(_("content"))
    committee_member = models.ForeignKey(
        Member,
        verbose_name=_("cell committee member attending"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("party group meeting")
        verbose_name_plural = _("party group meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["group", "held_on"])]

    def __str__(self):
        return f"{self.group} {self.held_on:%d/%m/%Y}"
