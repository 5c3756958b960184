from django.urls import path

from . import account_views, views
from .admission import urls as admission_urls
from .audit import views as audit_views
from .dues import urls as dues_urls
from .residence import views as residence_views

app_name = "members"

urlpatterns = [
    path("org/", views.org_tree, name="org-tree"),
    path("org/add/", views.org_create, name="org-create-root"),
    path("org/<int:pk>/", views.org_detail, name="org-detail"),
    path("org/<int:pk>/add/", views.org_create, name="org-create"),
    path("org/<int:pk>/edit/", views.org_edit, name="org-edit"),
    path("org/<int:pk>/rules/", views.org_rules, name="org-rules"),
    path(
        "org/<int:pk>/rules/<str:key>/clear/",
        views.org_rule_clear,
        name="org-rule-clear",
    ),
    path("org/<int:pk>/positions/add/", views.position_add, name="position-add"),
    path("positions/<int:pk>/end/", views.position_end, name="position-end"),
    path(
        "org/<int:pk>/supervisors/add/", views.supervision_add, name="supervision-add"
    ),
    path("supervisions/<int:pk>/end/", views.supervision_end, name="supervision-end"),
    path("org/<int:pk>/linked/add/", views.linked_add, name="linked-add"),
    path(
        "org/<int:pk>/linked/comments/",
        residence_views.residence_comments,
        name="residence-comments",
    ),
    path("org/<int:pk>/members/add/", views.member_create, name="member-create"),
    path("org/<int:pk>/import/", views.import_upload, name="import-upload"),
    path(
        "org/<int:pk>/import/<int:batch>/", views.import_preview, name="import-preview"
    ),
    path("org/<int:pk>/export.xlsx", views.export_members, name="export-members"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path(
        "members/<int:pk>/deactivate/",
        views.member_deactivate,
        name="member-deactivate",
    ),
    path(
        "members/<int:pk>/reactivate/",
        views.member_reactivate,
        name="member-reactivate",
    ),
    path(
        "members/<int:pk>/<str:kind>/add/",
        views.member_period_add,
        name="member-period-add",
    ),
    path(
        "members/<int:pk>/<str:kind>/<int:period_pk>/end/",
        views.member_period_end,
        name="member-period-end",
    ),
    # audit history (issue 8)
    path("members/<int:pk>/history/", audit_views.member_audit, name="member-audit"),
    path("org/<int:pk>/audit/", audit_views.org_audit, name="org-audit"),
    # display preferences (issue 8: larger text)
    path("account/preferences/", account_views.preferences, name="preferences"),
    # party dues ledger (issue 17)
    *dues_urls.urlpatterns,
    # the admission pipeline (issue 17)
    *admission_urls.urlpatterns,
]
