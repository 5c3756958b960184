from django.urls import path

from . import views
from .dashboard import views as dashboard_views
from .inspections import urls as inspection_urls
from .lessons import urls as lesson_urls

app_name = "evaluations"

urlpatterns = [
    path("tasks/", views.my_tasks, name="my-tasks"),
    path("meetings/<int:pk>/tasks/add/", views.task_add, name="task-add"),
    path("tasks/<int:pk>/remove/", views.task_remove, name="task-remove"),
    path("meetings/<int:pk>/review/", views.task_review, name="task-review"),
    path("meetings/<int:pk>/quality/", views.quality, name="quality"),
    path("meetings/<int:pk>/score/<str:role>/", views.score_edit, name="score-edit"),
    path("meetings/<int:pk>/report/", views.report_file, name="report-file"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("orgs/<int:pk>/reports/", views.reports_overview, name="reports-overview"),
    path(
        "orgs/<int:pk>/recommendations/",
        views.recommendation_list,
        name="recommendation-list",
    ),
    path(
        "recommendations/<int:pk>/",
        views.recommendation_detail,
        name="recommendation-detail",
    ),
    path("meetings/<int:pk>/ratings/", views.monthly_ratings, name="monthly-ratings"),
    path("my-ratings/", views.my_ratings, name="my-ratings"),
    # Compliance dashboards: evaluations/dashboard/views.py
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard-home"),
    path("dashboard/<int:pk>/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/<int:pk>/cells/",
        dashboard_views.dashboard_cells,
        name="dashboard-cells",
    ),
    path(
        "dashboard/<int:pk>/meetings/",
        dashboard_views.dashboard_cell_meetings,
        name="dashboard-meetings",
    ),
    path(
        "dashboard/<int:pk>/export.xlsx",
        dashboard_views.dashboard_xlsx,
        name="dashboard-xlsx",
    ),
    path(
        "dashboard/<int:pk>/summary.pdf",
        dashboard_views.dashboard_pdf,
        name="dashboard-pdf",
    ),
    path(
        "orgs/<int:pk>/annual/<int:year>/", views.annual_ratings, name="annual-ratings"
    ),
    path("orgs/<int:pk>/rubric/", views.rubric_settings, name="rubric-settings"),
    path("orgs/<int:pk>/rubric/new/", views.rubric_new, name="rubric-new"),
    path(
        "orgs/<int:pk>/rubric/<int:rubric_pk>/edit/",
        views.rubric_edit,
        name="rubric-edit",
    ),
]

# Lesson-drawing after model meetings (evaluations/lessons/).
urlpatterns += lesson_urls.urlpatterns

# Inspections of cells' meetings (evaluations/inspections/).
urlpatterns += inspection_urls.urlpatterns
