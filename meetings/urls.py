from django.urls import path

from . import feeds as views_feeds
from . import history, views
from .group_meetings import urls as group_meeting_urls
from .model_meetings import urls as model_meeting_urls

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.my_meetings, name="my-meetings"),
    path("cells/<int:pk>/plan/", views.plan, name="plan"),
    path("cells/<int:pk>/meetings/add/", views.meeting_create, name="meeting-create"),
    path("cells/<int:pk>/books/", views.books, name="books"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/prepare/", views.meeting_prepare, name="meeting-prepare"),
    path(
        "meetings/<int:pk>/reschedule/",
        views.meeting_reschedule,
        name="meeting-reschedule",
    ),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/notify/", views.meeting_notify, name="meeting-notify"),
    path("meetings/<int:pk>/start/", views.meeting_start, name="meeting-start"),
    path("meetings/<int:pk>/documents/", views.document_upload, name="document-upload"),
    path(
        "meetings/<int:pk>/documents/sent/", views.documents_sent, name="documents-sent"
    ),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("meetings/<int:pk>/excuse/", views.excuse_request, name="excuse-request"),
    path("excuses/<int:pk>/decide/", views.excuse_decide, name="excuse-decide"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/guests/", views.guest_add, name="guest-add"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes-edit"),
    path("meetings/<int:pk>/votes/", views.vote_add, name="vote-add"),
    path("meetings/<int:pk>/minutes/adopt/", views.minutes_adopt, name="minutes-adopt"),
    path("meetings/<int:pk>/minutes/sign/", views.minutes_sign, name="minutes-sign"),
    path("meetings/<int:pk>/minutes/lock/", views.minutes_lock, name="minutes-lock"),
    path("meetings/<int:pk>/submit/", views.minutes_submit, name="minutes-submit"),
    path("meetings/<int:pk>/review/", views.minutes_review, name="minutes-review"),
    path("meetings/<int:pk>/addenda/add/", views.addendum_add, name="addendum-add"),
    path("addenda/<int:pk>/sign/", views.addendum_sign, name="addendum-sign"),
    path(
        "meetings/<int:pk>/resolution/", views.resolution_issue, name="resolution-issue"
    ),
    path("calendar/", views_feeds.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views_feeds.personal_feed, name="personal-feed"),
    path(
        "calendar/<str:token>/cells/<int:pk>.ics",
        views_feeds.cell_feed,
        name="cell-feed",
    ),
    path("audit/meetings/<int:pk>/", history.meeting_audit, name="meeting-audit"),
]

# --- notifications (meetings/notify_views.py) ---------------------------------------
from .notify import views as notify_views  # noqa: E402

urlpatterns += [
    path("notifications/", notify_views.notifications, name="notifications"),
    path(
        "notifications/badge/",
        notify_views.notification_badge,
        name="notification-badge",
    ),
    path(
        "notifications/preferences/",
        notify_views.notification_preferences,
        name="notification-preferences",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notify_views.unsubscribe,
        name="unsubscribe",
    ),
    path(
        "notifications/unsubscribe/<str:token>/one-click/",
        notify_views.unsubscribe_one_click,
        name="unsubscribe-one-click",
    ),
    path(
        "meetings/<int:pk>/notifications/",
        notify_views.meeting_notifications,
        name="meeting-notifications",
    ),
]

# --- PDF documents and minute books (meetings/pdf/views.py) --------------------------
from .pdf import views as pdf_views  # noqa: E402

urlpatterns += [
    path("meetings/<int:pk>/minutes.pdf", pdf_views.minutes_pdf, name="minutes-pdf"),
    path(
        "meetings/<int:pk>/resolution.pdf",
        pdf_views.resolution_pdf,
        name="resolution-pdf",
    ),
    path(
        "meetings/<int:pk>/topic-cover.pdf",
        pdf_views.topic_cover_pdf,
        name="topic-cover-pdf",
    ),
    path(
        "meetings/<int:pk>/pdf/",
        pdf_views.minutes_pdf_status,
        name="minutes-pdf-status",
    ),
    path(
        "meetings/<int:pk>/minutes.pdf/retry/",
        pdf_views.minutes_pdf_retry,
        name="minutes-pdf-retry",
    ),
    path(
        "cells/<int:pk>/minutes-chain/",
        pdf_views.minutes_chain,
        name="minutes-chain",
    ),
    path("cells/<int:pk>/minute-book/", pdf_views.minute_book, name="minute-book"),
    path(
        "orgs/<int:pk>/minute-books/",
        pdf_views.minute_books_export,
        name="minute-books-export",
    ),
    path("minute-books/<int:pk>/", pdf_views.minute_book_job, name="minute-book-job"),
    path(
        "minute-books/<int:pk>/download/",
        pdf_views.minute_book_download,
        name="minute-book-download",
    ),
]

# Model meetings (meetings/model_meetings/).
urlpatterns += model_meeting_urls.urlpatterns

# Party-group meetings (meetings/group_meetings/).
urlpatterns += group_meeting_urls.urlpatterns
