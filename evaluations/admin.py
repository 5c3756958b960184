from django.contrib import admin

from chibo.admin import BornInWorkflowMixin, WorkflowRecordAdmin

from . import services
from .models import (
    AnnualRating,
    MonthlyRating,
    QualityScore,
    Recommendation,
    Rubric,
    RubricChoice,
    SupervisionReport,
    Task,
)


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    """A rubric version that scored a meeting is read-only: supersede it instead
    (services.supersede_rubric)."""

    list_display = ["name", "code", "version", "kind", "valid_from", "superseded_at"]
    list_filter = ["code", "kind"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.superseded_at or services.rubric_in_use(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.rubric_in_use(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RubricChoice)
class RubricChoiceAdmin(admin.ModelAdmin):
    list_display = ["organization", "rubric_code", "valid_from"]
    raw_id_fields = ["organization"]


@admin.register(Task)
class TaskAdmin(WorkflowRecordAdmin):
    # Not read-only: the review outcome stays writable; the database refuses the
    # printed fields of a task of locked minutes and the admin says so.
    list_display = ["text", "cell", "deadline", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["meeting", "reviewed_in", "party_group", "assignees"]


@admin.register(QualityScore)
class QualityScoreAdmin(BornInWorkflowMixin, admin.ModelAdmin):
    list_display = ["meeting", "role", "percent", "band", "rubric"]
    raw_id_fields = ["meeting"]


@admin.register(SupervisionReport)
class SupervisionReportAdmin(BornInWorkflowMixin, admin.ModelAdmin):
    list_display = ["meeting", "supervisor", "due_on", "submitted_at"]
    raw_id_fields = ["meeting", "supervisor", "score"]


@admin.register(Recommendation)
class RecommendationAdmin(BornInWorkflowMixin, admin.ModelAdmin):
    list_display = ["text", "cell", "status", "raised_on"]
    list_filter = ["status"]
    raw_id_fields = ["cell", "meeting", "report"]


@admin.register(AnnualRating, MonthlyRating)
class RatingAdmin(BornInWorkflowMixin, admin.ModelAdmin):
    """Ratings are confirmed from the meeting's rating sheet."""
