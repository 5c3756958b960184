"""Tasks assigned in meetings, ratings, meeting-quality rubrics and scores, supervisor
reports and recommendations (DOMAIN.md §4-7)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Member, Organization, TimeStamped, User


class TaskOutcome(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    NOT_DONE = "not_done", _("Not done")
    EXCEEDED = "exceeded", _("Done beyond requirements")


class Task(TimeStamped):
    """A task assigned in a meeting's closing section to members or a party group,
    reviewed (with an outcome) at a later meeting."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("assigned in meeting"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    # Denormalised from the meeting: "tasks of my cell" without a join.
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    text = models.TextField(_("task"))
    assignees = models.ManyToManyField(
        Member, verbose_name=_("assigned members"), blank=True, related_name="tasks"
    )
    party_group = models.ForeignKey(
        Organization,
        verbose_name=_("assigned party group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_tasks",
    )
    deadline = models.DateField(_("deadline"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=TaskOutcome, blank=True
    )
    outcome_comment = models.CharField(_("comment"), max_length=500, blank=True)
    reviewed_in = models.ForeignKey(
        Meeting,
        verbose_name=_("reviewed in meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_tasks",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["cell", "deadline"])]

    def __str__(self):
        return self.text[:60]


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


class SupervisionReport(TimeStamped):
    """A supervisor's report on a cell meeting, due by the deadline day of the next
    month (setting report_deadline_day)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="supervision_reports"
    )
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    supervisor = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="supervision_reports"
    )
    attended = models.BooleanField(_("attended the meeting"), default=True)
    summary = models.TextField(_("what happened"), blank=True)
    observations = models.TextField(_("quality observations"))
    score = models.ForeignKey(
        QualityScore,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervisor's report")
        verbose_name_plural = _("supervisors' reports")
        ordering = ["-due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "supervisor"], name="report_unique_per_supervisor"
            )
        ]

    def __str__(self):
        return f"{self.supervisor} — {self.meeting}"

    def get_absolute_url(self):
        return reverse("evaluations:report-detail", args=[self.pk])


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")


class Recommendation(TimeStamped):
    """A recommendation (kiến nghị, đề xuất) raised about a cell, usually in a
    supervisor's report; the committee works it to resolved or rejected."""

    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="recommendations"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    report = models.ForeignKey(
        SupervisionReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    text = models.TextField(_("recommendation"))
    addressee = models.CharField(_("addressed to"), max_length=255)
    responsible = models.CharField(_("responsible body"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus,
        default=RecommendationStatus.OPEN,
    )
    response = models.TextField(_("response"), blank=True)
    raised_on = models.DateField(_("raised on"))
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    raised_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["cell", "status"])]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("evaluations:recommendation-detail", args=[self.pk])


class RatingLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently completed")
    GOOD = "good", _("Well completed")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class MonthlyRating(TimeStamped):
    """A member's rating for one month [local, setting monthly_rating]: proposed from
    the month's facts, confirmed or adjusted (with a reason) by the secretary."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="monthly_ratings"
    )
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # first day of the month
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed = models.CharField(_("proposed"), max_length=16, choices=RatingLevel)
    level = models.CharField(_("rating"), max_length=16, choices=RatingLevel)
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    facts = models.JSONField(_("facts"), default=dict)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly rating")
        verbose_name_plural = _("monthly ratings")
        ordering = ["-month", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], name="monthlyrating_unique_month"
            ),
            models.CheckConstraint(
                condition=Q(level=models.F("proposed")) | ~Q(reason=""),
                name="monthlyrating_change_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.month:%m/%Y}: {self.level}"


class AnnualRating(TimeStamped):
    """The year's rating of a member (member set) or of the cell (member null):
    self-assessment, the cell committee's proposal, the competent level's decision."""

    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_ratings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    self_score = models.DecimalField(
        _("self-assessed score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_level = models.CharField(
        _("self-assessment"), max_length=16, choices=RatingLevel, blank=True
    )
    proposed_level = models.CharField(
        _("committee's proposal"), max_length=16, choices=RatingLevel, blank=True
    )
    decided_level = models.CharField(
        _("decision"), max_length=16, choices=RatingLevel, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    facts = models.JSONField(_("facts"), default=dict)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(member__isnull=False),
                name="annualrating_unique_member_year",
            ),
            models.UniqueConstraint(
                fields=["cell", "year"],
                condition=Q(member__isnull=True),
                name="annualrating_unique_cell_year",
            ),
        ]

    def __str__(self):
        return f"{self.cell_id}/{self.member_id} {self.year}"


from evaluations.models_rollup import CellMonth, CellPeriod, RollupDirty  # noqa: E402,F401
