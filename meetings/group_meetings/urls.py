"""URLs of the party-group meeting pages (included by meetings/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cells/<int:pk>/group-meetings/", views.group_meetings, name="group-meetings"),
]
