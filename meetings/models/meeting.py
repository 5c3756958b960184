"""A meeting, the log of its moves, its documents and members' excuse requests."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line
from meetings import domain
from members.models import Member, Organization, TimeStamped, User

from .plan import MeetingKind, MeetingState


class Meeting(TimeStamped):
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=MeetingState,
        default=MeetingState.PLANNED,
    )
    # "2026-M11" for the regular meeting of November, "2026-Q4" for a quarter's
    # thematic meeting: a yearly plan never creates the same slot twice.
    plan_slot = models.CharField(max_length=10, blank=True, editable=False)
    planned_date = models.DateField(_("planned date"))
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(
        _("place"), max_length=255, blank=True, validators=[single_line]
    )
    topic = models.CharField(
        _("topic"), max_length=255, blank=True, validators=[single_line]
    )
    is_combined = models.BooleanField(
        _("combined regular and thematic"),
        default=False,
        help_text=_("The thematic meeting is held in the same session (≥ 120 min)."),
    )
    is_model = models.BooleanField(_("model meeting"), default=False)
    is_online = models.BooleanField(_("online"), default=False)
    is_ho_chi_minh_topic = models.BooleanField(
        _("yearly Hồ Chí Minh topic"), default=False
    )
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    preparer = models.ForeignKey(
        Member,
        verbose_name=_("content preparer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    news_briefer = models.ForeignKey(
        Member,
        verbose_name=_("current-affairs briefer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    presenter = models.ForeignKey(
        Member,
        verbose_name=_("topic presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contributors = models.ManyToManyField(
        Member, verbose_name=_("prepared contributions"), blank=True, related_name="+"
    )
    draft_resolution = models.TextField(_("draft resolution"), blank=True)
    documents_sent_at = models.DateTimeField(
        _("documents sent at"), null=True, blank=True
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=255, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("superior's comment"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "plan_slot"],
                condition=~Q(plan_slot=""),
                name="meeting_unique_plan_slot",
            ),
        ]
        indexes = [models.Index(fields=["cell", "starts_at"])]

    def __str__(self):
        label = self.topic or self.get_kind_display()
        return f"{label} — {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.state == MeetingState.CANCELLED

    @property
    def is_returned(self):
        """The superior committee returned the minutes for an addendum."""
        return self.state == MeetingState.RETURNED

    @property
    def is_thematic(self):
        """A thematic meeting, or a regular one combined with the thematic one."""
        return domain.is_thematic(self.kind, combined=self.is_combined)


# Reasons the system itself records on a change (stored as these codes).
NOTICES_SENT = "notices sent"
CHANGE_REASONS = {NOTICES_SENT: _("the notices were sent")}


class MeetingChange(models.Model):
    """Who moved, cancelled or advanced a meeting, when and why (append-only)."""

    class Kind(models.TextChoices):
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", _("Cancelled")
        STATE = "state", _("State changed")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    before = models.CharField(max_length=64, blank=True)
    after = models.CharField(max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return (
            f"{self.meeting_id}: {self.get_kind_display()} "
            f"{self.before_label} → {self.after_label}"
        )

    def _words(self, value):
        if self.kind in (self.Kind.STATE, self.Kind.CANCELLED) and value:
            return str(dict(MeetingState.choices).get(value, value))
        return value

    @property
    def before_label(self):
        """The state before in words ("Planned"), or the date and time moved from."""
        return self._words(self.before)

    @property
    def after_label(self):
        return self._words(self.after)

    @property
    def reason_label(self):
        """The reason typed by the user, or the words for one the system recorded."""
        return str(CHANGE_REASONS.get(self.reason, self.reason))


def document_path(instance, filename):
    return f"meetings/{instance.meeting.cell_id}/{instance.meeting_id}/{filename}"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class ExcuseRequest(TimeStamped):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretary")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="excuses"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("excuse request")
        verbose_name_plural = _("excuse requests")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="excuse_unique_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.reason}"
