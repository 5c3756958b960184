"""URLs of the dues ledger (included in the members namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("org/<int:pk>/dues/", views.dues_home, name="dues-home"),
    path(
        "org/<int:pk>/dues/<int:year>/<int:month>/",
        views.dues_sheet,
        name="dues-sheet",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/<int:month>/cash/",
        views.dues_cash,
        name="dues-cash",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/<int:month>/close/",
        views.dues_close,
        name="dues-close",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/<int:month>/adjust/",
        views.dues_adjust,
        name="dues-adjust",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/<int:month>/sheet.xlsx",
        views.dues_sheet_xlsx,
        name="dues-sheet-xlsx",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/<int:month>/sheet.pdf",
        views.dues_sheet_pdf,
        name="dues-sheet-pdf",
    ),
    path("org/<int:pk>/dues/<int:year>/", views.dues_year, name="dues-year"),
    path(
        "org/<int:pk>/dues/<int:year>/ledger.xlsx",
        views.dues_year_xlsx,
        name="dues-year-xlsx",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/ledger.pdf",
        views.dues_year_pdf,
        name="dues-year-pdf",
    ),
    path(
        "org/<int:pk>/dues/<int:year>/decide/<int:member_pk>/",
        views.dues_decide,
        name="dues-decide",
    ),
    path("org/<int:pk>/dues/import/", views.dues_import, name="dues-import"),
    path(
        "org/<int:pk>/dues/import/<int:batch>/",
        views.dues_import_preview,
        name="dues-import-preview",
    ),
    path("members/<int:pk>/dues/", views.member_dues, name="member-dues"),
]
