from django.contrib import admin

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


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "chair", "minute_taker", "adopted_at", "locked_at"]
    list_select_related = ["meeting", "chair", "minute_taker"]
    raw_id_fields = ["meeting", "chair", "minute_taker"]

    def has_change_permission(self, request, obj=None):
        # Locked minutes are refused by the database anyway; say so in the admin.
        return super().has_change_permission(request, obj) and not (
            obj is not None and obj.is_locked
        )


class MeetingChildAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting"]


for model in (MeetingChange, MeetingDocument, Guest):
    admin.site.register(model, MeetingChildAdmin)


@admin.register(ExcuseRequest, Attendance)
class MeetingMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "member"]
    list_select_related = ["meeting", "member"]
    raw_id_fields = ["meeting", "member"]


@admin.register(Vote, MinutesRevision, Addendum)
class MinutesChildAdmin(admin.ModelAdmin):
    list_display = ["__str__", "minutes"]
    list_select_related = ["minutes"]
    raw_id_fields = ["minutes"]


@admin.register(ReservedOpinion)
class ReservedOpinionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "vote", "member"]
    list_select_related = ["vote", "member"]
    raw_id_fields = ["vote", "member"]


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "cell", "term", "issued_on"]
    list_select_related = ["cell"]
    raw_id_fields = ["meeting", "cell"]


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
