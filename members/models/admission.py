"""The admission pipeline (DOMAIN.md §2): a candidate's file up to the committee's
decision, and a probationary member's path to official recognition.

The cell's two votes (admission, recognition) are recorded in a meeting's minutes by
the meetings app; its Vote names the candidate or the member voted on.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line

from .base import TimeStamped
from .member import Gender, Member
from .organization import Organization, OrgKind


class Candidate(TimeStamped):
    """An outstanding non-member (quần chúng ưu tú) proposed for admission by a cell.

    Kept after the decision: it is the file of the member it became (`member`)."""

    class State(models.TextChoices):
        OPEN = "open", _("In preparation")
        ADMITTED = "admitted", _("Admitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="candidates",
        limit_choices_to={"kind": OrgKind.CELL},
    )
    party_group = models.ForeignKey(
        Organization,
        verbose_name=_("party group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrgKind.PARTY_GROUP},
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.OPEN
    )
    proposed_on = models.DateField(_("proposed on"))
    full_name = models.CharField(
        _("full name"), max_length=120, validators=[single_line]
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    residence = models.CharField(
        _("place of residence"), max_length=255, blank=True, validators=[single_line]
    )
    workplace = models.CharField(
        _("workplace"), max_length=255, blank=True, validators=[single_line]
    )
    certificate_date = models.DateField(
        _("course certificate date"), null=True, blank=True
    )
    certificate_issuer = models.CharField(
        _("certificate issued by"),
        max_length=255,
        blank=True,
        validators=[single_line],
    )
    introducer_1 = models.ForeignKey(
        Member,
        verbose_name=_("first introducing member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    introducer_2 = models.ForeignKey(
        Member,
        verbose_name=_("second introducing member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    group_opinion = models.TextField(_("party group's opinion"), blank=True)
    group_opinion_date = models.DateField(
        _("party group's opinion date"), null=True, blank=True
    )
    mass_org_name = models.CharField(
        _("mass organisation"),
        max_length=255,
        blank=True,
        validators=[single_line],
        help_text=_("e.g. the Youth Union, the trade union, the Women's Union."),
    )
    mass_org_opinion = models.TextField(_("mass organisation's opinion"), blank=True)
    mass_org_opinion_date = models.DateField(
        _("mass organisation's opinion date"), null=True, blank=True
    )
    decision_number = models.CharField(
        _("admission decision number"),
        max_length=64,
        blank=True,
        validators=[single_line],
    )
    decision_date = models.DateField(
        _("admission decision date"), null=True, blank=True
    )
    decision_issuer = models.CharField(
        _("deciding committee"), max_length=255, blank=True, validators=[single_line]
    )
    member = models.OneToOneField(
        Member,
        verbose_name=_("member record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacy",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("reason"), max_length=255, blank=True, validators=[single_line]
    )
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        ordering = ["-proposed_on", "full_name", "pk"]
        indexes = [models.Index(fields=["cell", "state"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("members:candidate-detail", args=[self.pk])


def candidate_document_path(instance, filename):
    return f"candidates/{instance.candidate.cell_id}/{instance.candidate_id}/{filename}"


class CandidateDocument(models.Model):
    """A paper of the candidate's file (application, CV, certificate, letters of
    introduction…), checked by content like meeting documents."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("file"), upload_to=candidate_document_path, max_length=255
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "members.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("candidate document")
        verbose_name_plural = _("candidate documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class Probation(TimeStamped):
    """A probationary member's 12 months: the mentor, then the recognition step
    (self-review, the mentor's and the party group's opinions, the committee's
    decision). One per member; created at admission or when the step is opened."""

    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, related_name="probation"
    )
    mentor = models.ForeignKey(
        Member,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentees",
    )
    mentor_assigned_on = models.DateField(
        _("mentor assigned on"), null=True, blank=True
    )
    self_review = models.TextField(_("member's self-review"), blank=True)
    self_review_date = models.DateField(_("self-review date"), null=True, blank=True)
    mentor_opinion = models.TextField(_("mentor's opinion"), blank=True)
    mentor_opinion_date = models.DateField(
        _("mentor's opinion date"), null=True, blank=True
    )
    group_opinion = models.TextField(_("party group's opinion"), blank=True)
    group_opinion_date = models.DateField(
        _("party group's opinion date"), null=True, blank=True
    )
    decision_number = models.CharField(
        _("recognition decision number"),
        max_length=64,
        blank=True,
        validators=[single_line],
    )
    decision_date = models.DateField(
        _("recognition decision date"), null=True, blank=True
    )
    decision_issuer = models.CharField(
        _("deciding committee"), max_length=255, blank=True, validators=[single_line]
    )

    class Meta:
        verbose_name = _("probation")
        verbose_name_plural = _("probations")

    def __str__(self):
        return str(self.member_id)
