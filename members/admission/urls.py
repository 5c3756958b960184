"""Routes of the admission pipeline (included in the members app's URLs)."""

from django.urls import path

from . import views

urlpatterns = [
    path("org/<int:pk>/admission/", views.pipeline, name="pipeline"),
    path(
        "org/<int:pk>/candidates/add/", views.candidate_create, name="candidate-create"
    ),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate-edit"),
    path(
        "candidates/<int:pk>/documents/",
        views.candidate_document_upload,
        name="candidate-document-upload",
    ),
    path(
        "candidate-documents/<int:pk>/",
        views.candidate_document_download,
        name="candidate-document-download",
    ),
    path(
        "candidates/<int:pk>/decision/",
        views.candidate_decision,
        name="candidate-decision",
    ),
    path(
        "candidates/<int:pk>/withdraw/",
        views.candidate_withdraw,
        name="candidate-withdraw",
    ),
    path("members/<int:pk>/probation/", views.probation, name="probation"),
    path("members/<int:pk>/ceremony/", views.ceremony, name="ceremony"),
    path("members/<int:pk>/mentor/", views.mentor, name="mentor"),
    path(
        "members/<int:pk>/recognition/",
        views.recognition_decision,
        name="recognition-decision",
    ),
]
