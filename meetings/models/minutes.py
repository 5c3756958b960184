"""The minutes of a meeting, their revisions, votes, reserved opinions, addenda
and the resolution."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Candidate, Member, Organization, TimeStamped, User

from .meeting import Meeting


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
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
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
    # The person voted on (DOMAIN.md §2): a candidate for admission, or a
    # probationary member for official recognition; both two-thirds votes.
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate voted on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    about_member = models.ForeignKey(
        Member,
        verbose_name=_("member voted on for recognition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["pk"]

    def __str__(self):
        return self.subject

    @property
    def is_admission(self):
        """An admission or recognition vote (two thirds), not a resolution."""
        return self.kind == VoteKind.ADMISSION


class ReservedOpinion(models.Model):
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="reserved_opinions"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("reserved opinion"))

    class Meta:
        verbose_name = _("reserved opinion")
        verbose_name_plural = _("reserved opinions")

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
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
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

    @property
    def number_in_sentence(self):
        """The number as a sentence writes it: "số 01-NQ/CB" after "Nghị quyết"
        (the number itself is written "Số 01-NQ/CB", as on the document's head)."""
        number = self.number
        return "số" + number[2:] if number.startswith("Số") else number
