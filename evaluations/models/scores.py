"""Meeting-quality rubrics, the rubric each organisation scores with, and the
scores given by a cell or a supervisor (DOMAIN.md §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations import domain
from meetings.models import Meeting
from members.models import Organization, TimeStamped, User


class Rubric(TimeStamped):
    """One version of a meeting-quality rubric. `groups` is the data:
    [{"key", "label", "max", "items": [{"key", "label", "max", "auto", "thematic"}]}].
    A version that scored a meeting is never edited again; a new version supersedes it.
    """

    class Kind(models.TextChoices):
        POINTS = "points", _("Points (100-point scale)")
        CHECKLIST = "checklist", _("Pass/fail checklist")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    source = models.CharField(_("source regulation"), max_length=255, blank=True)
    groups = models.JSONField(_("groups and items"), default=list)
    valid_from = models.DateField(_("valid from"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring rubric")
        verbose_name_plural = _("scoring rubrics")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="rubric_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_checklist(self):
        return self.kind == self.Kind.CHECKLIST


class RubricChoice(TimeStamped):
    """The rubric an organisation (and everything below it) scores with, from a date.
    The deepest node on the path wins, like members' rule settings."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rubric_choices"
    )
    rubric_code = models.SlugField(_("rubric"), max_length=40)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("rubric choice")
        verbose_name_plural = _("rubric choices")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "valid_from"],
                name="rubricchoice_unique_per_day",
            )
        ]

    def __str__(self):
        return f"{self.organization_id}: {self.rubric_code}"


class ScoreRole(models.TextChoices):
    SELF = "self", _("Cell's self-score")
    SUPERVISOR = "supervisor", _("Supervisor's score")


class QualityBand(models.TextChoices):
    """The §6 bands of a meeting score, for their labels (scores store the value)."""

    GOOD = domain.BAND_GOOD, _("Good")
    FAIR = domain.BAND_FAIR, _("Fair")
    AVERAGE = domain.BAND_AVERAGE, _("Average")
    POOR = domain.BAND_POOR, _("Poor")

    @classmethod
    def label_of(cls, band):
        """The label of a stored band value ("" when there is none)."""
        return cls(band).label if band else ""


class QualityScore(TimeStamped):
    """A meeting's score on one rubric version, by the cell or by a supervisor.
    `points` maps item keys to points; `facts` snapshots the data ◆ items came from."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="quality_scores"
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="scores")
    role = models.CharField(_("scored by"), max_length=12, choices=ScoreRole)
    points = models.JSONField(_("points"), default=dict)
    facts = models.JSONField(_("facts"), default=dict)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2)
    maximum = models.DecimalField(_("maximum"), max_digits=6, decimal_places=2)
    percent = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    band = models.CharField(_("band"), max_length=10)
    note = models.TextField(_("note"), blank=True)
    scored_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting quality score")
        verbose_name_plural = _("meeting quality scores")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role"], name="qualityscore_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.meeting_id} {self.role}: {self.percent}"

    @property
    def band_label(self):
        return QualityBand.label_of(self.band)

    @property
    def is_rescaled(self):
        """Whether the score was brought to 100 from another maximum (95 in a month
        without thematic content, 12 on the checklist): both figures are shown."""
        return self.maximum != 100
