"""URLs of the lesson-drawing pages (included by evaluations/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<int:pk>/lessons/", views.lesson_sessions, name="lesson-sessions"),
    path(
        "orgs/<int:pk>/lessons/figures/",
        views.lesson_dashboard,
        name="lesson-dashboard",
    ),
    path("lessons/<int:pk>/", views.lesson_session, name="lesson-session"),
    path("lessons/<int:pk>/feedback/", views.lesson_feedback, name="lesson-feedback"),
    path("lessons/<int:pk>/conclude/", views.lesson_conclude, name="lesson-conclude"),
    path("lesson-promises/<int:pk>/apply/", views.promise_apply, name="promise-apply"),
]
