"""The organisation tree, party members and their history, and login accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PATH_STEP = 8  # digits per level of the materialized path


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OrgKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune/ward party committee")
    BLOC_COMMITTEE = "bloc_committee", _("Bloc party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial party committee")
    CELL = "cell", _("Party cell")
    PARTY_GROUP = "party_group", _("Party group")


COMMITTEE_KINDS = frozenset(
    {
        OrgKind.PROVINCE_COMMITTEE,
        OrgKind.COMMUNE_COMMITTEE,
        OrgKind.BLOC_COMMITTEE,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.PARTIAL_COMMITTEE,
    }
)


class CellType(models.TextChoices):
    RURAL = "rural", _("Rural village")
    URBAN = "urban", _("Urban residential group")
    AGENCY = "agency", _("Administrative agency")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Non-state enterprise")
    STUDENTS = "students", _("Students")
    ARMY = "army", _("Army")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class Organization(TimeStamped):
    """A node of the party tree: a committee, a cell or a party group, at any depth.

    `path` is the materialized path of zero-padded primary keys ("00000001/00000004/"),
    so a subtree is `path__startswith=node.path`; services keep it in step.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind)
    is_grassroots = models.BooleanField(
        _("grassroots cell"),
        default=False,
        help_text=_(
            "A cell that is itself the grassroots organisation (chi bộ cơ sở)."
        ),
    )
    cell_type = models.CharField(
        _("cell type"), max_length=32, choices=CellType, blank=True
    )
    code = models.CharField(
        _("document code"),
        max_length=16,
        blank=True,
        help_text=_(
            "Used in document numbers, e.g. CB for a cell, ĐU for a committee."
        ),
    )
    place = models.CharField(
        _("place name"),
        max_length=120,
        blank=True,
        help_text=_("Printed before the date on documents, e.g. Nghệ An."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="cell") | ~Q(cell_type=""),
                name="organization_cell_has_type",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:org-detail", args=[self.pk])

    @property
    def is_cell(self):
        return self.kind == OrgKind.CELL

    @property
    def is_committee(self):
        return self.kind in COMMITTEE_KINDS

    @property
    def ancestor_ids(self):
        """Primary keys from the root down to and including this node."""
        return [int(step) for step in self.path.split("/") if step]


class RuleKey(models.TextChoices):
    MEETING_DAY = "meeting_day", _("Monthly meeting day")
    MEETING_SHIFT = "meeting_shift", _("Shift when the day is not a working day")
    MEETING_TIME = "meeting_time", _("Usual meeting start time")
    NOTICE_DAYS = "notice_days", _("Notice days before a meeting")
    DOCUMENT_DAYS = "document_days", _("Days before a meeting documents are sent")
    REPORT_DEADLINE_DAY = "report_deadline_day", _("Supervisor report deadline day")
    MONTHLY_RATING = "monthly_rating", _("Monthly member rating")
    MIN_ATTENDANCE = "min_attendance_percent", _("Minimum attendance (percent)")
    EXCELLENT_QUOTA = (
        "excellent_quota_percent",
        _("Excellent rating quota (percent of good)"),
    )
    TERM_START_YEAR = "term_start_year", _("First year of the committee term")
    TERM_LENGTH = "term_length_years", _("Committee term length (years)")
    PREPARATION_REMINDER_DAYS = (
        "preparation_reminder_days",
        _("Days before a meeting the preparers are reminded"),
    )
    PRESENTER_REMINDER_DAYS = (
        "presenter_reminder_days",
        _("Days before a thematic meeting the presenter is reminded"),
    )
    MINUTES_NAG_DAYS = (
        "minutes_nag_days",
        _("Days after a meeting to remind that the minutes are not locked"),
    )
    TASK_REMINDER_DAYS = (
        "task_reminder_days",
        _("Days before a task's deadline the assignees are reminded"),
    )
    RECOMMENDATION_DAYS = (
        "recommendation_days",
        _("Days before an open recommendation is overdue"),
    )
    REPORT_REMINDER_DAYS = (
        "report_reminder_days",
        _("Days before the report deadline the supervisors are reminded"),
    )


class RuleSetting(TimeStamped):
    """A value of a local or unconfirmed rule set on one node, applying to its subtree
    from `valid_from` on, with the regulation it comes from."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="rule_settings",
    )
    key = models.CharField(_("setting"), max_length=40, choices=RuleKey)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source regulation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")
        ordering = ["organization", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key", "valid_from"],
                name="rulesetting_unique_per_date",
            )
        ]

    def __str__(self):
        return f"{self.organization}: {self.key}={self.value}"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class Member(TimeStamped):
    """A party member's record in the cell where they attend meetings.

    Members are deactivated, never deleted: party records keep them.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrgKind.CELL},
    )
    party_group = models.ForeignKey(
        Organization,
        verbose_name=_("party group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        limit_choices_to={"kind": OrgKind.PARTY_GROUP},
    )
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    party_card_number = models.CharField(
        _("party card number"), max_length=32, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    residence = models.CharField(_("place of residence"), max_length=255, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MemberStatus,
        default=MemberStatus.PROBATIONARY,
    )
    admission_decision_date = models.DateField(
        _("admission decision date"), null=True, blank=True
    )
    admission_date = models.DateField(
        _("admission ceremony date"),
        null=True,
        blank=True,
        help_text=_("Party age counts from this date."),
    )
    official_date = models.DateField(
        _("official recognition date"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)
    deactivation_reason = models.CharField(
        _("reason for deactivation"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_card_number"],
                condition=~Q(party_card_number=""),
                name="member_unique_party_card",
                violation_error_message=_(
                    "Another member already has this party card number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="probationary") | Q(official_date__isnull=False),
                name="member_official_has_date",
                violation_error_message=_(
                    "An official member needs the recognition date."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organization", "is_active"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("members:member-detail", args=[self.pk])

    @property
    def is_official(self):
        return self.status == MemberStatus.OFFICIAL


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted (probationary)")
    RECOGNISED = "recognised", _("Recognised as official member")
    JOINED_CELL = "joined_cell", _("Joined the cell")
    LEFT_CELL = "left_cell", _("Moved to another cell")
    UPDATED = "updated", _("Record updated")
    IMPORTED = "imported", _("Imported")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")


class MemberEvent(models.Model):
    """One dated line of a member's history; written by services, never edited."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["-date", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} {self.date}"


class Period(TimeStamped):
    """A dated period; `end` empty means open-ended."""

    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or on <= self.end)


class PositionRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Party group leader")
    GROUP_DEPUTY = "group_deputy", _("Party group deputy leader")


OFFICER_ROLES = frozenset(
    {
        PositionRole.SECRETARY,
        PositionRole.DEPUTY_SECRETARY,
        PositionRole.COMMITTEE_MEMBER,
    }
)


class Position(Period):
    """A member's office in an organisation: in a cell its committee, in a committee
    node an official of that committee (who then reaches the whole subtree)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    role = models.CharField(_("position"), max_length=20, choices=PositionRole)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organization", "role", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="position_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member} — {self.get_role_display()} ({self.organization})"


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


class LinkedPerson(Period):
    """A party member who lives in the cell's area but belongs to a cell where they
    work (QĐ 213): linked to the residence cell, not a member of it."""

    residence_cell = models.ForeignKey(
        Organization,
        verbose_name=_("residence cell"),
        on_delete=models.PROTECT,
        related_name="linked_people",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residence_links",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    home_unit = models.CharField(_("workplace party unit"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("linked resident")
        verbose_name_plural = _("linked residents")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


class SupervisionAssignment(Period):
    """A superior committee member assigned to follow a cell."""

    supervisor = models.ForeignKey(
        Member,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="supervisions",
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="supervisions",
        limit_choices_to={"kind": OrgKind.CELL},
    )

    class Meta:
        verbose_name = _("supervision assignment")
        verbose_name_plural = _("supervision assignments")
        ordering = ["cell", "-start"]

    def __str__(self):
        return f"{self.supervisor} → {self.cell}"


class User(AbstractUser):
    """A login. Party roles come from the linked member's positions and assignments."""

    member = models.OneToOneField(
        Member,
        verbose_name=_("party member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    large_text = models.BooleanField(_("larger text"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self):
        if self.member_id:
            return self.member.full_name
        return self.get_full_name() or self.username


class ImportBatch(models.Model):
    """An uploaded member file kept between preview and commit."""

    class Status(models.TextChoices):
        STAGED = "staged", _("Waiting for confirmation")
        COMMITTED = "committed", _("Imported")
        EXPIRED = "expired", _("Deleted unconfirmed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.STAGED
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


# --- Audit (issue 8) ---


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class AuditEntry(models.Model):
    """Who created, changed or deleted a party record, when, and which fields changed
    (before → after). Written by members/audit.py only; append-only: database
    triggers refuse any UPDATE, DELETE or TRUNCATE of this table.

    Links to users, members and meetings carry no database constraint, so deleting
    or renaming what they point at never touches a written entry."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # The username at the time, "system", "anonymous" or "task:<celery task name>".
    actor_label = models.CharField(max_length=150)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.BigIntegerField(_("record"))
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # Where the record sits, for reach: the materialized path of its organisation.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    member = models.ForeignKey(
        Member,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-at"], name="audit_member_at"),
            models.Index(fields=["meeting_id", "-at"], name="audit_meeting_at"),
            models.Index(fields=["model", "object_id"], name="audit_object"),
            models.Index(fields=["-at"], name="audit_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.model}"
