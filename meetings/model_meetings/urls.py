"""URLs of the model-meeting pages (included by meetings/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<int:pk>/model-meetings/", views.model_plan, name="model-plan"),
    path(
        "model-meetings/<int:pk>/",
        views.model_meeting_detail,
        name="model-meeting-detail",
    ),
    path(
        "model-meetings/<int:pk>/invite/",
        views.model_meeting_invite,
        name="model-meeting-invite",
    ),
    path(
        "model-meetings/<int:pk>/attendance/",
        views.model_meeting_attendance,
        name="model-meeting-attendance",
    ),
]
