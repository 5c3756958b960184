"""Notifications and reminders: the in-app notification centre, deliveries,
dispatches and members' preferences."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member, User

from .meeting import Meeting


class NotificationKind(models.TextChoices):
    MEETING_NOTICE = "meeting_notice", _("Meeting notice")
    RESCHEDULED = "rescheduled", _("Meeting moved")
    CANCELLED = "cancelled", _("Meeting cancelled")
    PREPARATION = "preparation", _("Preparation reminder")
    DOCUMENTS_MISSING = "documents_missing", _("Documents not sent yet")
    PRESENTER = "presenter", _("Topic presenter reminder")
    MINUTES_NAG = "minutes_nag", _("Minutes not locked yet")
    MISSED_MEETING = "missed_meeting", _("Meeting day passed with nothing recorded")
    REPORT_DUE = "report_due", _("Supervisor report due")
    REPORT_OVERDUE = "report_overdue", _("Supervisor report overdue")
    TASK_DUE = "task_due", _("Task due soon")
    TASK_OVERDUE = "task_overdue", _("Task overdue")
    MINUTES_REVIEWED = "minutes_reviewed", _("Minutes acknowledged or returned")
    DUES_ARREARS = "dues_arrears", _("Member with 3 unpaid months of dues")
    INSPECTION_DUE = "inspection_due", _("Inspection of a cell's meetings due")


# Members must be told of a meeting, and of its moving or cancelling: never optional.
MANDATORY_KINDS = frozenset(
    {
        NotificationKind.MEETING_NOTICE,
        NotificationKind.RESCHEDULED,
        NotificationKind.CANCELLED,
    }
)


class Notification(models.Model):
    """One line of a user's in-app notification centre (written by a Delivery)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_new"),
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class Delivery(models.Model):
    """One message to one person by one channel: the claim row that makes sending
    idempotent. Unique on (subject, member, kind, channel); a sender first moves it
    queued → sending with its own claim token, so nothing is sent twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        INAPP = "inapp", _("In the app")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (no longer due)")

    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind)
    # What the message is about: "meeting:42", "meeting:42:v2" (its second move),
    # "meeting:42:cancel"; a report or task hook uses its own prefix.
    subject = models.CharField(max_length=64)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "member", "kind", "channel"],
                name="delivery_unique_per_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="delivery_pending",
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.kind} → {self.member_id} ({self.channel})"


class Dispatch(models.Model):
    """That the recipients of one (subject, kind) were written as Delivery rows, in
    the same transaction: the scanner works out each recipient list once."""

    subject = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=NotificationKind)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
    )
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recipient list written")
        verbose_name_plural = _("recipient lists written")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind"], name="dispatch_unique_per_subject"
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.kind}"


class NotificationPreference(models.Model):
    """A person's choice to receive an optional kind of reminder. Kept per member,
    not per login: many members read email without ever logging in, and the
    unsubscribe link in an email must work for them too."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind)
    enabled = models.BooleanField(_("receive"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"], name="notificationpreference_unique"
            ),
            models.CheckConstraint(
                condition=Q(enabled=True)
                | ~Q(
                    kind__in=[
                        NotificationKind.MEETING_NOTICE,
                        NotificationKind.RESCHEDULED,
                        NotificationKind.CANCELLED,
                    ]
                ),
                name="notificationpreference_notices_stay_on",
                violation_error_message=_("Meeting notices cannot be switched off."),
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind}={self.enabled}"
