"""iCalendar feeds: a personal feed and per-cell feeds behind a secret token.

Calendar apps cannot log in, so the feed URLs carry a random token instead; the token
is the only credential, and replacing or deleting it makes every old URL a 404. The
feed shows what the token's owner may read *now*: reach is checked on every fetch.
"""

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chibo.ratelimit import by_ip, by_token, ratelimit
from members.api import can_read_org, get_scope, organizations_for_user
from members.models import Organization, OrgKind

from . import domain
from .models import CalendarToken, Meeting, MeetingChange, MeetingState

FEED_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
FEED_LANGUAGE = "vi"
PAST_DAYS = 60  # a feed keeps two months of history, and every future meeting
CACHE_SECONDS = 300
REFRESH = timedelta(hours=1)
PRODID = "-//chibo//chibo meetings//VI"
SETTINGS_CELL_LIMIT = 200
# Each of these changes what a subscriber must re-read, so each bumps SEQUENCE.
SEQUENCE_KINDS = (MeetingChange.Kind.RESCHEDULED, MeetingChange.Kind.CANCELLED)


# --- reads ----------------------------------------------------------------------------


def feed_meetings(cell_ids, *, now=None):
    """Meetings of `cell_ids` from PAST_DAYS ago onward, in time order, with their
    cell and `revision` (how many times they were moved or cancelled). One query."""
    since = (now or timezone.now()) - timedelta(days=PAST_DAYS)
    revisions = (
        MeetingChange.objects.filter(meeting=OuterRef("pk"), kind__in=SEQUENCE_KINDS)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Meeting.objects.filter(cell_id__in=list(cell_ids), starts_at__gte=since)
        .select_related("cell")
        .annotate(
            revision=Coalesce(
                Subquery(revisions, output_field=IntegerField()), Value(0)
            )
        )
        .order_by("starts_at", "pk")
    )


def get_token_owner(token):
    """The active user behind a feed token, with their scope; 404 otherwise."""
    row = (
        CalendarToken.objects.select_related("user__member")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if row is None:
        raise Http404
    return row.user, get_scope(row.user)


def feed_cells_for_user(user, *, limit):
    """Active cells in the user's reach, by name, at most `limit` (plus one to tell
    the page there are more). One query."""
    cells = organizations_for_user(user).filter(kind=OrgKind.CELL, is_active=True)
    return list(cells.order_by("name", "pk")[: limit + 1])


# --- writes ---------------------------------------------------------------------------


@transaction.atomic
def issue_calendar_token(*, user):
    """Give `user` a new feed token, replacing (and so revoking) any previous one.
    Returns (token, created)."""
    return CalendarToken.objects.update_or_create(
        user=user,
        defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()},
    )


@transaction.atomic
def revoke_calendar_token(*, user):
    """Delete the user's feed token: every feed URL they handed out stops working."""
    deleted, _by_model = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)


# --- the calendar itself --------------------------------------------------------------


def _duration(meeting):
    combined = meeting.is_combined
    return timedelta(
        minutes=domain.minimum_duration_minutes(combined_with_thematic=combined)
    )


def _summary(meeting):
    summary = meeting.topic or meeting.get_kind_display()
    if meeting.state == MeetingState.CANCELLED:
        return f"[{MeetingState.CANCELLED.label}] {summary}"
    return summary


def _description(meeting, url):
    lines = [meeting.cell.name]
    lines += [item["title"] for item in meeting.agenda if item.get("title")]
    if meeting.state == MeetingState.CANCELLED and meeting.cancel_reason:
        label = capfirst(Meeting._meta.get_field("cancel_reason").verbose_name)
        lines.append(f"{label}: {meeting.cancel_reason}")
    lines.append(url)
    return "\n".join(lines)


def build_event(meeting, *, base_url=""):
    """One VEVENT for `meeting` (annotated by `feed_meetings`), times in Hanoi time."""
    url = base_url + meeting.get_absolute_url()
    start = timezone.localtime(meeting.starts_at, FEED_TIME_ZONE)
    cancelled = meeting.state == MeetingState.CANCELLED
    event = icalendar.Event.new(
        uid=f"meeting-{meeting.pk}@chibo",
        summary=_summary(meeting),
        start=start,
        end=start + _duration(meeting),
        location=meeting.place or None,
        description=_description(meeting, url),
        url=url,
        sequence=getattr(meeting, "revision", 0),
        created=meeting.created_at,
        last_modified=meeting.updated_at,
        # Without METHOD, DTSTAMP is when the information last changed (RFC 5545).
        stamp=meeting.updated_at,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    if cancelled:
        event.transparency = "TRANSPARENT"  # a cancelled meeting does not make you busy
    return event


def build_calendar(meetings, *, name, base_url="", uid=None):
    """The iCalendar bytes of `meetings`, titled `name`, in Vietnamese.

    `base_url` ("https://host") makes the meeting links absolute. The VTIMEZONE of
    Asia/Ho_Chi_Minh is included so that every client shows the same local time.
    """
    with translation.override(FEED_LANGUAGE):
        calendar = icalendar.Calendar.new(
            name=name, prodid=PRODID, uid=uid, refresh_interval=REFRESH
        )
        calendar.add("X-WR-TIMEZONE", str(FEED_TIME_ZONE))
        calendar.add("X-PUBLISHED-TTL", "PT1H")
        for meeting in meetings:
            calendar.add_component(build_event(meeting, base_url=base_url))
        calendar.add_missing_timezones()
        if not calendar.timezones:  # an empty feed still names its time zone
            calendar.add_component(icalendar.Timezone.from_tzid(str(FEED_TIME_ZONE)))
        return calendar.to_ical()


def _calendar_response(request, meetings, *, name, filename, uid):
    body = build_calendar(
        meetings,
        name=name,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        uid=uid,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


# --- views ----------------------------------------------------------------------------


def _webcal(url):
    """The same URL with the webcal scheme, which phones open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def _feed_link(request, name, *args):
    url = request.build_absolute_uri(reverse(f"meetings:{name}", args=args))
    return {"url": url, "webcal": _webcal(url)}


@never_cache  # the page shows secrets: no browser or proxy should keep a copy
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            _token, created = issue_calendar_token(user=request.user)
            if created:
                messages.success(request, _("Your calendar addresses are ready."))
            else:
                messages.success(
                    request,
                    _("New calendar addresses were made; the old ones no longer work."),
                )
        elif action == "revoke":
            if revoke_calendar_token(user=request.user):
                messages.success(
                    request,
                    _("The calendar feed is turned off; its addresses no longer work."),
                )
        else:
            return HttpResponseBadRequest()
        return redirect("meetings:calendar")
    token = CalendarToken.objects.filter(user=request.user).first()
    cells = feed_cells_for_user(request.user, limit=SETTINGS_CELL_LIMIT)
    truncated = len(cells) > SETTINGS_CELL_LIMIT
    cells = cells[:SETTINGS_CELL_LIMIT]
    context = {"token": token, "truncated": truncated, "cells": cells}
    if token is not None:
        context["personal"] = _feed_link(request, "personal-feed", token.token)
        context["cell_feeds"] = [
            {"cell": cell, **_feed_link(request, "cell-feed", token.token, cell.pk)}
            for cell in cells
        ]
    return render(request, "meetings/calendar.html", context)


@login_not_required
@ratelimit(("feed-ip", by_ip), ("feed-token", by_token), plain=True)
@require_safe
def personal_feed(request, token):
    user, scope = get_token_owner(token)
    meetings = feed_meetings(scope.read_cell_ids)
    return _calendar_response(
        request,
        meetings,
        name=f"chibo — {user.display_name}",
        filename="chibo.ics",
        uid=f"feed-user-{user.pk}@chibo",
    )


@login_not_required
@ratelimit(("feed-ip", by_ip), ("feed-token", by_token), plain=True)
@require_safe
def cell_feed(request, token, pk):
    _user, scope = get_token_owner(token)
    cell = Organization.objects.filter(pk=pk, kind=OrgKind.CELL).first()
    if cell is None or not can_read_org(scope, cell):
        raise Http404
    return _calendar_response(
        request,
        feed_meetings([cell.pk]),
        name=f"chibo — {cell.name}",
        filename=f"chibo-cell-{cell.pk}.ics",
        uid=f"feed-cell-{cell.pk}@chibo",
    )
