"""Tasks assigned in meetings and reviewed at a later one (DOMAIN.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations import domain
from meetings.models import Meeting
from members.models import Member, Organization, TimeStamped, User


class TaskOutcome(models.TextChoices):
    DONE_ON_TIME = domain.DONE_ON_TIME, _("Done on time")
    DONE_LATE = domain.DONE_LATE, _("Done late")
    NOT_DONE = domain.NOT_DONE, _("Not done")
    EXCEEDED = domain.EXCEEDED, _("Done beyond requirements")


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
