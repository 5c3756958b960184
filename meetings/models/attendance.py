"""Who attended a meeting: members' attendance and guests."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line
from meetings import domain
from members.models import Member

from .meeting import Meeting


class AttendanceStatus(models.TextChoices):
    PRESENT = domain.PRESENT, _("Present")
    ABSENT_EXCUSED = domain.ABSENT_EXCUSED, _("Absent with reason")
    ABSENT_UNEXCUSED = domain.ABSENT_UNEXCUSED, _("Absent without reason")
    EXEMPT = domain.EXEMPT, _("Exempted")
    AWAY = domain.AWAY, _("Away (transferred out / on duty)")
    SUSPENDED = domain.SUSPENDED, _("Suspended from party activities")


class Attendance(models.Model):
    """One member's attendance at one meeting, with their standing at the time."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20,
        choices=AttendanceStatus,
        default=AttendanceStatus.PRESENT,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    late = models.BooleanField(_("arrived late"), default=False)
    spoke = models.BooleanField(_("spoke"), default=False)
    was_official = models.BooleanField(default=True)
    was_attached_in = models.BooleanField(default=False)
    was_suspended = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="attendance_unique_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member_id}@{self.meeting_id}: {self.status}"


class Guest(models.Model):
    class Role(models.TextChoices):
        SUPERIOR = "superior", _("Superior committee delegate")
        INVITED = "invited", _("Invited")
        PEER = "peer", _("Peer secretary (model meeting)")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    title = models.CharField(
        _("position / unit"), max_length=255, blank=True, validators=[single_line]
    )
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["role", "name"]

    def __str__(self):
        return self.name
