"""Pages of notifications: the notification centre and its navbar badge, the
preferences page, the email unsubscribe link, and the secretary's "who was notified"
page of a meeting."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from meetings import selectors
from meetings.models import MANDATORY_KINDS, Notification, NotificationKind
from members.models import Member

from . import preferences, reads, services
from .rules import OPTIONAL_KINDS

PAGE_SIZE = 30


@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's notifications, newest first; POST marks one (`pk`) or all read."""
    if request.method == "POST":
        pk = request.POST.get("pk", "")
        services.mark_read(user=request.user, pk=int(pk) if pk.isdigit() else None)
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return redirect(target)
        return redirect("meetings:notifications")
    rows = Notification.objects.filter(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/notifications.html",
        {"page": page, "unread": reads.unread_count(request.user)},
    )


@require_GET
def notification_badge(request):
    """The unread count for the navbar (loaded by htmx, so pages keep their query
    counts): one query."""
    return render(
        request,
        "meetings/_notification_badge.html",
        {"unread": reads.unread_count(request.user)},
    )


class PreferencesForm(forms.Form):
    enabled = forms.MultipleChoiceField(
        label=gettext_lazy("Send me these reminders"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in OPTIONAL_KINDS],
    )


@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    member = request.user.member
    if member is None:
        raise Http404
    current = preferences.preferences_for(member)
    form = PreferencesForm(
        request.POST or None,
        initial={"enabled": [kind for kind, on in current.items() if on]},
    )
    if request.method == "POST" and form.is_valid():
        preferences.set_preferences(member=member, enabled=form.cleaned_data["enabled"])
        messages.success(request, _("Your notification choices were saved."))
        return redirect("meetings:notification-preferences")
    return render(
        request,
        "meetings/notification_preferences.html",
        {
            "form": form,
            "mandatory": [NotificationKind(k).label for k in sorted(MANDATORY_KINDS)],
        },
    )


def _unsubscribe_target(token):
    found = preferences.read_unsubscribe_token(token)
    if found is None or found[1] in MANDATORY_KINDS:
        raise Http404
    member = Member.objects.filter(pk=found[0]).first()
    if member is None or found[1] not in NotificationKind.values:
        raise Http404
    return member, NotificationKind(found[1])


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in an email: a GET only asks (mail scanners follow links), the
    button's POST switches the kind off. The signed token is the credential."""
    member, kind = _unsubscribe_target(token)
    done = False
    if request.method == "POST":
        preferences.unsubscribe(member_id=member.pk, kind=kind)
        done = True
    return render(
        request,
        "meetings/unsubscribe.html",
        {"member": member, "kind": kind, "done": done},
    )


@csrf_exempt  # mail providers POST here without a session (RFC 8058)
@login_not_required
@require_POST
def unsubscribe_one_click(request, token):
    member, kind = _unsubscribe_target(token)
    preferences.unsubscribe(member_id=member.pk, kind=kind)
    return HttpResponse(status=204)


@require_http_methods(["GET", "POST"])
def meeting_notifications(request, pk):
    """For the cell's officers: who was told what about this meeting, by which
    channel, when, and what failed and why; POST queues the failed ones again."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    if request.method == "POST":
        count = services.resend_failed(meeting=meeting)
        if count:
            messages.success(
                request, _("%(n)s messages will be sent again.") % {"n": count}
            )
        else:
            messages.info(request, _("Nothing to send again."))
        return redirect("meetings:meeting-notifications", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_notifications.html",
        {"meeting": meeting, **reads.meeting_deliveries(meeting)},
    )
