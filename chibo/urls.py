from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from members import views as member_views

urlpatterns = [
    path("", member_views.home, name="home"),
    path("healthz", member_views.healthz, name="healthz"),
    path("", include("members.urls")),
    path("", include("meetings.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
