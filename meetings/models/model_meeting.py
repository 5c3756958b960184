"""Model meetings (sinh hoạt chi bộ điểm, DOMAIN.md §3.6): a committee's yearly plan
of one demonstration meeting per cell type in its subtree, and the peers and
committee members invited to attend it."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line
from members.models import CellType, Member, Organization, TimeStamped, User

from .attendance import Guest
from .meeting import Meeting


class ModelMeeting(TimeStamped):
    """One line of a committee's model-meeting plan: which cell of a cell type holds
    its model meeting in which month of the year, on which topic."""

    committee = models.ForeignKey(
        Organization,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="planned_model_meetings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cell_type = models.CharField(_("cell type"), max_length=32, choices=CellType)
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="model_meetings",
    )
    month = models.PositiveSmallIntegerField(_("month"))
    topic = models.CharField(_("topic"), max_length=255, validators=[single_line])
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="model_plan",
    )
    invitations_sent_at = models.DateTimeField(
        _("invitations sent at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("model meeting")
        verbose_name_plural = _("model meetings")
        ordering = ["year", "month", "cell_type", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year", "month"], name="modelmeeting_unique_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="modelmeeting_month_range",
            ),
        ]

    def __str__(self):
        return f"{self.cell} — {self.month:02d}/{self.year}"

    def get_absolute_url(self):
        return reverse("meetings:model-meeting-detail", args=[self.pk])


class InvitationRole(models.TextChoices):
    PEER_SECRETARY = "peer_secretary", _("Secretary of a peer cell")
    PEER_DEPUTY = "peer_deputy", _("Deputy secretary of a peer cell")
    COMMITTEE = "committee", _("Committee member")


class ModelMeetingInvitation(models.Model):
    """A person invited to a model meeting: a peer cell's secretary or deputy, or a
    member of the committee. The invitee is listed as a guest of the meeting (so the
    meeting notice reaches them) until recorded absent."""

    model_meeting = models.ForeignKey(
        ModelMeeting,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("invitee"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("invited as"), max_length=16, choices=InvitationRole)
    peer_cell = models.ForeignKey(
        Organization,
        verbose_name=_("peer cell"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    guest = models.OneToOneField(
        Guest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("model meeting invitation")
        verbose_name_plural = _("model meeting invitations")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_meeting", "member"],
                name="modelinvitation_unique_member",
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.model_meeting}"

    @property
    def is_peer(self):
        return self.role != InvitationRole.COMMITTEE
