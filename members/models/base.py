"""Abstract bases: timestamps and dated periods."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Period(TimeStamped):
    """A dated period; `end` empty means open-ended."""

    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or on <= self.end)
