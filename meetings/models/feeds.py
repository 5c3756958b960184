"""The secret behind a personal iCalendar feed."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User


class CalendarToken(models.Model):
    """A secret for a personal iCalendar feed; revoking replaces it."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return f"{self.user_id}"
