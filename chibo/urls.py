from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from chibo.admin import dress_site
from chibo.ratelimit import by_ip, ratelimit
from members import views as member_views

dress_site()

urlpatterns = [
    path("", member_views.home, name="home"),
    path("healthz", member_views.healthz, name="healthz"),
    path("", include("members.urls")),
    path("", include("meetings.urls")),
    path("evaluations/", include("evaluations.urls")),
    # Password reset by email is left out: the cell secretary or an admin resets it.
    path(
        "accounts/login/",
        ratelimit(("login-ip", by_ip), methods={"POST"})(
            auth_views.LoginView.as_view()
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin's login form is limited like the site's (same counter per address).
    path(
        "admin/login/",
        ratelimit(("login-ip", by_ip), methods={"POST"})(admin.site.login),
    ),
    path("admin/", admin.site.urls),
]
