"""Meetings, their preparation, attendance, minutes, votes and resolutions."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chibo.validators import single_line
from members.models import Member, Organization, TimeStamped, User


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    COMMITTEE = "committee", _("Cell committee meeting")
    ANNUAL_REVIEW = "annual_review", _("Year-end review")
    CONGRESS = "congress", _("Cell congress")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOTIFIED = "notified", _("Notified")
    HELD = "held", _("Held")
    LOCKED = "locked", _("Minutes locked")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RETURNED = "returned", _("Returned for an addendum")
    CANCELLED = "cancelled", _("Cancelled")


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
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.meeting_id}: {self.kind} {self.before} → {self.after}"


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


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT_EXCUSED = "absent_excused", _("Absent with reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Absent without reason")
    EXEMPT = "exempt", _("Exempted")
    AWAY = "away", _("Away (transferred out / on duty)")


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
        ordering = ["role", "name"]

    def __str__(self):
        return self.name


class Minutes(TimeStamped):
    """The one minutes record of a held meeting. Once `locked_at` is set, the row (and
    its votes and attendance) can no longer change: a database trigger refuses it."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes"
    )
    chair = models.ForeignKey(
        Member,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        Member,
        verbose_name=_("minute-taker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    opening = models.TextField(_("opening and dues status"), blank=True)
    items = models.JSONField(_("agenda items"), default=list, blank=True)
    recommendations = models.TextField(
        _("recommendations to the superior level"), blank=True
    )
    conclusion = models.TextField(_("conclusion or resolution text"), blank=True)
    version = models.PositiveIntegerField(default=1)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    taker_signed_at = models.DateTimeField(null=True, blank=True)
    chair_signed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    attendance_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{_('Minutes')}: {self.meeting}"

    @property
    def is_locked(self):
        return self.locked_at is not None


class MinutesRevision(models.Model):
    """A snapshot of the minutes at each saved version before locking."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    data = models.JSONField()
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "version"], name="revision_unique_version"
            )
        ]

    def __str__(self):
        return f"v{self.version}"


class VoteKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution or conclusion (more than half)")
    ADMISSION = "admission", _("Admission or recognition (two thirds)")


class Vote(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="votes")
    subject = models.CharField(_("subject"), max_length=255)
    kind = models.CharField(
        _("rule"), max_length=12, choices=VoteKind, default=VoteKind.RESOLUTION
    )
    yes = models.PositiveIntegerField(_("votes in favour"))
    no = models.PositiveIntegerField(_("votes against"))
    abstain = models.PositiveIntegerField(_("abstentions"))
    denominator = models.PositiveIntegerField()
    denominator_detail = models.JSONField(default=dict)
    passed = models.BooleanField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.subject


class ReservedOpinion(models.Model):
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="reserved_opinions"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("reserved opinion"))

    def __str__(self):
        return f"{self.member_id}: {self.opinion[:40]}"


class Addendum(models.Model):
    """A dated correction to locked minutes, signed like the minutes themselves."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="addenda"
    )
    text = models.TextField(_("addendum"))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    taker_signed_at = models.DateTimeField(null=True, blank=True)
    chair_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.minutes_id}: {self.created_at:%d/%m/%Y}"


class Resolution(models.Model):
    """A numbered resolution of the cell, kept in its resolution book."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="resolution"
    )
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="resolutions"
    )
    term = models.CharField(_("committee term"), max_length=16)
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    issued_on = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["issued_on", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "term", "seq"], name="resolution_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number} — {self.title}"


class CalendarToken(models.Model):
    """A secret for a personal iCalendar feed; revoking replaces it."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id}"


# --- notifications and reminders ------------------------------------------------------


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
                | ~Q(kind__in=["meeting_notice", "rescheduled", "cancelled"]),
                name="notificationpreference_notices_stay_on",
                violation_error_message=_("Meeting notices cannot be switched off."),
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind}={self.enabled}"


# --- PDF records (issue 4) ---


class MinutesPdf(models.Model):
    """One stored PDF/A of locked minutes, rendered once: version 1 at locking, one
    more per signed addendum. Each record is a link of its cell's hash chain:
    `previous_sha256` is the SHA-256 of the cell's record at `position - 1`, so
    altering, swapping or removing any stored file breaks the chain (verify_minutes).
    The row is written in the locking transaction (the intent); a worker renders it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        DONE = "done", _("Stored")
        FAILED = "failed", _("Rendering failed")

    # Only locked minutes have PDF records, and the lock trigger (migration 0003)
    # refuses deleting them in the database; the foreign key constraint stays.
    minutes = models.ForeignKey(
        Minutes, on_delete=models.DO_NOTHING, related_name="pdfs"
    )
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    position = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    previous_sha256 = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes PDF")
        verbose_name_plural = _("minutes PDFs")
        ordering = ["cell", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "version"], name="minutespdf_unique_version"
            ),
            models.UniqueConstraint(
                fields=["cell", "position"], name="minutespdf_unique_chain_position"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="minutespdf_pending",
            ),
        ]

    def __str__(self):
        return f"{self.minutes_id} v{self.version} ({self.status})"


class MinuteBookJob(models.Model):
    """A minute book being built in the background: one cell's book of a year, or a
    zip of the books of every cell under a committee."""

    class Scope(models.TextChoices):
        CELL = "cell", _("Minute book of a cell")
        SUBTREE = "subtree", _("Minute books of the subtree")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("minute book", "Waiting")
        RUNNING = "running", pgettext_lazy("minute book", "Being built")
        DONE = "done", pgettext_lazy("minute book", "Ready")
        FAILED = "failed", pgettext_lazy("minute book", "Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.CELL)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=255, blank=True)
    error = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.organization_id} {self.year} {self.scope} ({self.status})"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
