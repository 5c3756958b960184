"""Lesson-drawing after model meetings (rút kinh nghiệm, DOMAIN.md §3.6): the
sessions a committee member chairs, each invited peer's feedback, and the lessons
peers' cells promised to apply, followed up in their next meetings."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line
from meetings.models import Meeting, ModelMeeting, ModelMeetingInvitation
from members.models import Member, Organization, TimeStamped, User

from .scores import QualityBand


class SessionKind(models.TextChoices):
    ON_SITE = "on_site", _("On-site, right after the model meeting")
    EXTENDED = "extended", _("Extended (several model meetings)")


class LessonSession(TimeStamped):
    """A lesson-drawing session (hội nghị rút kinh nghiệm) on one model meeting
    (on-site) or several (extended, e.g. town-wide), chaired by a committee member."""

    committee = models.ForeignKey(
        Organization,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="lesson_sessions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind)
    held_on = models.DateField(_("held on"))
    place = models.CharField(
        _("place"), max_length=255, blank=True, validators=[single_line]
    )
    chair = models.ForeignKey(
        Member, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    model_meetings = models.ManyToManyField(
        ModelMeeting, verbose_name=_("model meetings"), related_name="lesson_sessions"
    )
    conclusions = models.TextField(_("chair's conclusions"), blank=True)
    lessons = models.TextField(
        _("lessons drawn"), blank=True, help_text=_("One lesson a line.")
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lesson-drawing session")
        verbose_name_plural = _("lesson-drawing sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("evaluations:lesson-session", args=[self.pk])

    @property
    def lesson_lines(self):
        return [line.strip() for line in self.lessons.splitlines() if line.strip()]


class PeerFeedback(TimeStamped):
    """What one invitee thought of the model meeting, and may score it (on 100
    points, banded like the rubric)."""

    session = models.ForeignKey(
        LessonSession, on_delete=models.CASCADE, related_name="feedback"
    )
    invitation = models.ForeignKey(
        ModelMeetingInvitation, on_delete=models.PROTECT, related_name="+"
    )
    worked = models.TextField(_("what worked"))
    did_not_work = models.TextField(_("what did not work"), blank=True)
    will_adopt = models.TextField(
        _("what my cell will adopt"),
        blank=True,
        help_text=_("One lesson a line: each is followed up in your cell's meetings."),
    )
    score = models.DecimalField(
        _("score (out of 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    band = models.CharField(_("band"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("peer feedback")
        verbose_name_plural = _("peer feedback")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "invitation"], name="peerfeedback_unique_invitee"
            )
        ]

    def __str__(self):
        return f"{self.invitation_id}@{self.session_id}"

    @property
    def band_label(self):
        return QualityBand.label_of(self.band)


class LessonPromise(TimeStamped):
    """A lesson a peer cell's secretary promised to apply; shown in the cell's next
    meetings until the secretary marks it applied."""

    feedback = models.ForeignKey(
        PeerFeedback, on_delete=models.CASCADE, related_name="promises"
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="lesson_promises",
    )
    text = models.CharField(_("lesson"), max_length=500)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    applied_note = models.TextField(_("how it was applied"), blank=True)
    applied_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lesson to apply")
        verbose_name_plural = _("lessons to apply")
        ordering = ["pk"]
        indexes = [models.Index(fields=["cell", "applied_on"])]

    def __str__(self):
        return self.text[:60]

    @property
    def is_applied(self):
        return self.applied_on is not None
