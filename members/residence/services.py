"""Writes for residence comments."""

from django.db import transaction
from django.utils import timezone

from members.models import ResidenceComment


@transaction.atomic
def save_residence_comment(*, link, year, exemplary_role, participation, by=None):
    """The residence cell's comment of `year` on a linked resident: one a year,
    saving again corrects it."""
    comment = ResidenceComment.objects.filter(link=link, year=year).first()
    comment = comment or ResidenceComment(link=link, year=year)
    comment.exemplary_role = exemplary_role.strip()
    comment.participation = participation.strip()
    comment.commented_on = timezone.localdate()
    comment.created_by = comment.created_by or by
    comment.full_clean()
    comment.save()
    return comment
