"""URLs of the inspection pages (included by evaluations/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "orgs/<int:pk>/inspections/",
        views.inspection_overview,
        name="inspection-overview",
    ),
    path(
        "cells/<int:pk>/inspections/", views.cell_inspections, name="cell-inspections"
    ),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path(
        "dashboard/<int:pk>/quality-rounds/",
        views.quality_panel,
        name="quality-panel",
    ),
]
