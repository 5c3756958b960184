"""PDF records (issue 4): stored minutes PDFs and minute-book jobs."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Organization, User

from .minutes import Minutes


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
        verbose_name = _("minute book request")
        verbose_name_plural = _("minute book requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.organization_id} {self.year} {self.scope} ({self.status})"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
