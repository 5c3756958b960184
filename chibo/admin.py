"""Admin building blocks shared by the apps."""

from django.apps import apps
from django.contrib import admin, messages
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop


class FrozenRecordAdmin(admin.ModelAdmin):
    """A record that locked minutes print is read-only here, and any write the
    database refuses anyway (a row moved into locked minutes) comes back as a
    Vietnamese message, never a 500."""

    def is_frozen(self, obj):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and not (obj is not None and self.is_frozen(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and not (obj is not None and self.is_frozen(obj))

    def _refused(self, request):
        self.message_user(
            request,
            _("This record belongs to locked minutes and cannot change."),
            messages.ERROR,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except IntegrityError:
            return self._refused(request)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except IntegrityError:
            return self._refused(request)

    def delete_queryset(self, request, queryset):
        try:
            super().delete_queryset(request, queryset)
        except IntegrityError:
            self._refused(request)


class BornInWorkflowMixin:
    """A record the meeting workflow creates (minutes, votes, attendance, scores,
    reports…): the admin offers no "add" for it, only reading and, where allowed,
    correcting — a hand-made row would skip the rules the workflow applies."""

    def has_add_permission(self, request, obj=None):
        return False


class WorkflowRecordAdmin(BornInWorkflowMixin, FrozenRecordAdmin):
    """A frozen-when-locked record born in the workflow."""


# django-axes ships no Vietnamese: its names are translated in our catalogue (the
# project's locale/ comes first), and gettext_noop keeps them there.
AXES_WORDS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Expires At"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Attempt Remaining"),
]


def dress_site(site=admin.site):
    """The admin speaks of chibo, in the user's language, not of Django."""
    site.site_header = gettext_lazy("chibo administration")
    site.site_title = gettext_lazy("chibo administration")
    site.index_title = gettext_lazy("The system's records")
    apps.get_app_config("axes").verbose_name = gettext_lazy("Sign-in security")
