"""Validators shared by the apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def single_line(value):
    """A one-line field (a topic, a place, a name) holds no line break: it goes into
    e-mail subjects, calendar entries and one-line layouts."""
    if any(char in value for char in "\r\n\v\f\x85\u2028\u2029"):
        raise ValidationError(
            _("Write this on one line (no line breaks)."), code="single_line"
        )
