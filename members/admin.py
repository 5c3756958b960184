from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    Candidate,
    Exemption,
    ImportBatch,
    LinkedPerson,
    Member,
    MemberEvent,
    Organization,
    Position,
    Probation,
    RuleSetting,
    SupervisionAssignment,
    Suspension,
    TemporaryAttachment,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "member", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["member"]
    raw_id_fields = ["member"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ["member", "large_text"]}),
    ]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cell_type", "code", "parent", "is_active"]
    list_filter = ["kind", "cell_type", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth"]


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["organization", "key", "value", "valid_from", "source"]
    list_filter = ["key"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "organization",
        "status",
        "party_card_number",
        "is_active",
    ]
    list_filter = ["status", "is_active", "gender"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "party_card_number"]
    raw_id_fields = ["organization", "party_group"]


class MemberPeriodAdmin(admin.ModelAdmin):
    list_display = ["member", "start", "end"]
    list_select_related = ["member"]
    raw_id_fields = ["member"]
    date_hierarchy = "start"


for model in (Exemption, Suspension, TemporaryAttachment):
    admin.site.register(model, MemberPeriodAdmin)


@admin.register(Position)
class PositionAdmin(MemberPeriodAdmin):
    list_display = ["member", "role", "organization", "start", "end"]
    list_select_related = ["member", "organization"]
    raw_id_fields = ["member", "organization"]


@admin.register(MemberEvent)
class MemberEventAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "date", "created_by"]
    list_select_related = ["member", "created_by"]
    raw_id_fields = ["member", "created_by"]


@admin.register(LinkedPerson)
class LinkedPersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "residence_cell", "home_unit", "start", "end"]
    list_select_related = ["residence_cell"]
    raw_id_fields = ["residence_cell", "member"]


@admin.register(SupervisionAssignment)
class SupervisionAssignmentAdmin(admin.ModelAdmin):
    list_display = ["supervisor", "cell", "start", "end"]
    list_select_related = ["supervisor", "cell"]
    raw_id_fields = ["supervisor", "cell"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "organization", "created_by", "status", "created_at"]
    list_select_related = ["organization", "created_by"]
    exclude = ["content"]
    raw_id_fields = ["organization", "created_by"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "cell", "state", "proposed_on", "decision_date"]
    list_filter = ["state"]
    list_select_related = ["cell"]
    search_fields = ["full_name"]
    raw_id_fields = ["cell", "party_group", "introducer_1", "introducer_2", "member"]


@admin.register(Probation)
class ProbationAdmin(admin.ModelAdmin):
    list_display = ["member", "mentor", "decision_date"]
    list_select_related = ["member", "mentor"]
    raw_id_fields = ["member", "mentor"]
