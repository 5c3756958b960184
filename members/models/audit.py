"""The audit log's entries (written by members.audit only)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .member import Member
from .user import User


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class AuditEntry(models.Model):
    """Who created, changed or deleted a party record, when, and which fields changed
    (before → after). Written by the members.audit package only; append-only: database
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
