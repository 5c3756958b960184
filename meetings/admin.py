from django.contrib import admin

from chibo.admin import FrozenRecordAdmin, WorkflowRecordAdmin

from .models import (
    Addendum,
    AgendaTemplate,
    Attendance,
    CalendarToken,
    ExcuseRequest,
    Guest,
    Meeting,
    MeetingChange,
    MeetingDocument,
    Minutes,
    MinutesRevision,
    ReservedOpinion,
    Resolution,
    Vote,
)


def _minutes_locked(**lookup):
    return Minutes.objects.filter(locked_at__isnull=False, **lookup).exists()


@admin.register(Meeting)
class MeetingAdmin(FrozenRecordAdmin):
    list_display = ["__str__", "cell", "kind", "state", "starts_at"]
    list_filter = ["kind", "state", "is_model", "is_online"]
    list_select_related = ["cell"]
    search_fields = ["topic", "cell__name"]
    raw_id_fields = [
        "cell",
        "preparer",
        "news_briefer",
        "presenter",
        "reviewed_by",
        "created_by",
    ]
    filter_horizontal = ["contributors"]
    date_hierarchy = "starts_at"

    def is_frozen(self, obj):
        return _minutes_locked(meeting_id=obj.pk)


@admin.register(Minutes)
class MinutesAdmin(WorkflowRecordAdmin):
    list_display = ["meeting", "chair", "minute_taker", "adopted_at", "locked_at"]
    list_select_related = ["meeting", "chair", "minute_taker"]
    raw_id_fields = ["meeting", "chair", "minute_taker"]

    def is_frozen(self, obj):
        return obj.is_locked


class MeetingChildAdmin(WorkflowRecordAdmin):
    list_display = ["__str__", "meeting"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting"]

    def is_frozen(self, obj):
        return _minutes_locked(meeting_id=obj.meeting_id)


for model in (MeetingChange, MeetingDocument, Guest):
    admin.site.register(model, MeetingChildAdmin)


@admin.register(ExcuseRequest, Attendance)
class MeetingMemberAdmin(WorkflowRecordAdmin):
    list_display = ["__str__", "meeting", "member"]
    list_select_related = ["meeting", "member"]
    raw_id_fields = ["meeting", "member"]

    def is_frozen(self, obj):
        return _minutes_locked(meeting_id=obj.meeting_id)


@admin.register(Vote, MinutesRevision)
class MinutesChildAdmin(WorkflowRecordAdmin):
    list_display = ["__str__", "minutes"]
    list_select_related = ["minutes"]
    raw_id_fields = ["minutes"]

    def is_frozen(self, obj):
        return _minutes_locked(pk=obj.minutes_id)


@admin.register(Addendum)
class AddendumAdmin(MinutesChildAdmin):
    def is_frozen(self, obj):
        return bool(obj.taker_signed_at or obj.chair_signed_at)


@admin.register(ReservedOpinion)
class ReservedOpinionAdmin(WorkflowRecordAdmin):
    list_display = ["__str__", "vote", "member"]
    list_select_related = ["vote", "member"]
    raw_id_fields = ["vote", "member"]

    def is_frozen(self, obj):
        return _minutes_locked(votes=obj.vote_id)


@admin.register(Resolution)
class ResolutionAdmin(WorkflowRecordAdmin):
    list_display = ["number", "title", "cell", "term", "issued_on"]
    list_select_related = ["cell"]
    raw_id_fields = ["meeting", "cell"]

    def is_frozen(self, obj):
        return True  # an issued resolution is final


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "organization"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    exclude = ["token"]
