"""Uploaded member files kept between preview and commit."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .organization import Organization
from .user import User


class ImportBatch(models.Model):
    """An uploaded member file kept between preview and commit."""

    class Status(models.TextChoices):
        STAGED = "staged", _("Waiting for confirmation")
        COMMITTED = "committed", _("Imported")
        EXPIRED = "expired", _("Deleted unconfirmed")

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Members")
        DUES = "dues", _("Party dues: opening balances and categories")

    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBERS
    )
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

    @property
    def is_staged(self):
        return self.status == self.Status.STAGED
