"""Party members, their dated history and the residents linked to a cell."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import domain

from .base import Period, TimeStamped
from .organization import Organization, OrgKind


class MemberStatus(models.TextChoices):
    PROBATIONARY = domain.PROBATIONARY, _("Probationary")
    OFFICIAL = domain.OFFICIAL, _("Official")


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
                condition=Q(status=MemberStatus.PROBATIONARY)
                | Q(official_date__isnull=False),
                name="member_official_has_date",
                violation_error_message=_(
                    "An official member needs the recognition date."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "is_active"]),
            # The admission pipeline's overdue ceremonies and recognitions over a
            # province (dashboards): only the active probationary members, in the
            # order their names are listed.
            models.Index(
                fields=["admission_decision_date", "full_name", "id"],
                condition=Q(status=MemberStatus.PROBATIONARY, is_active=True),
                name="member_probationer_idx",
            ),
        ]

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
