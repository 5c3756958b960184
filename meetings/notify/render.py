"""Turn claimed Delivery rows into messages: a Vietnamese email (text, HTML, and an
.ics for meeting notices) or an in-app notification.

Everything a batch needs about its meetings is loaded once per batch (a handful of
queries however many rows), and what is the same for every recipient of a meeting
— subject, summary, calendar file — is rendered once.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, parseaddr
from functools import lru_cache

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count
from django.template import Context
from django.template.loader import get_template, render_to_string, select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from meetings.feeds import (
    FEED_LANGUAGE,
    FEED_TIME_ZONE,
    PRODID,
    SEQUENCE_KINDS,
    build_event,
)
from meetings.models import (
    MANDATORY_KINDS,
    MeetingChange,
    MeetingDocument,
    NotificationKind,
)
from members.models import Member, RuleKey

from .preferences import unsubscribe_token
from .recipients import rules_for_cells
from .registry import registered_specs, template_for

EMAIL_LANGUAGE = "vi"
Kind = NotificationKind
ICS_KINDS = frozenset({Kind.MEETING_NOTICE, Kind.RESCHEDULED, Kind.CANCELLED})
# What a link in each kind of message opens.
LINK_VIEWS = {Kind.MINUTES_NAG: "meetings:minutes-edit"}


# Stand-ins replaced per recipient in bodies rendered once per (meeting, kind).
NAME, UNSUBSCRIBE = "CHIBO-RECIPIENT-NAME", "CHIBO-UNSUBSCRIBE-URL"


@dataclass(frozen=True)
class Person:
    full_name: str
    pk: int


@lru_cache(maxsize=1)
def _vtimezone():
    """Asia/Ho_Chi_Minh as a VTIMEZONE: slow to build (tens of ms), so once a
    process."""
    return icalendar.Timezone.from_tzid(str(FEED_TIME_ZONE))


def meeting_calendar(meeting, *, base_url):
    """The .ics of one meeting: the calendar feeds' own VEVENT (so SEQUENCE and
    STATUS follow moves and cancellations the same way) with the time zone."""
    with translation.override(FEED_LANGUAGE):
        calendar = icalendar.Calendar.new(
            name=f"chibo — {meeting.cell.name}",
            prodid=PRODID,
            uid=f"notice-{meeting.pk}@chibo",
        )
        calendar.add("X-WR-TIMEZONE", str(FEED_TIME_ZONE))
        calendar.add_component(_vtimezone())
        calendar.add_component(build_event(meeting, base_url=base_url))
        return calendar.to_ical()


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    summary: str
    path: str
    unsubscribe_token: str = ""


def base_url():
    """The site's address for links in messages, without a trailing slash."""
    return getattr(settings, "CHIBO_BASE_URL", "").rstrip("/")


def mail_domain():
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "chibo.localhost"


def render_text(name, context):
    """A plain-text template (a subject, an in-app summary) rendered without HTML
    escaping: `"Đoàn kết" & kỷ luật` stays as typed (it is escaped once, where an
    HTML page shows it)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _one_line(text):
    return " ".join(text.split())


@lru_cache(maxsize=1024)
def encoded_subject(subject):
    """The subject as RFC 2047 encoded words short enough that the first one fits
    on the "Subject:" line. Django 5.2 encodes a long Vietnamese subject as one
    run the legacy folder then breaks right after "Subject:", which the modern
    parser reads back with a leading space; short words fold cleanly and decode the
    same with either parser."""
    if subject.isascii():
        return subject
    return Header(subject, "utf-8", maxlinelen=60).encode(linesep=" ")


class _Email(EmailMultiAlternatives):
    """Sets each MIME boundary itself: the standard generator otherwise compiles a
    fresh regular expression per boundary to check it against the whole text,
    a tenth of the sending time at province scale. A random 32-hex boundary cannot
    occur in our bodies."""

    def message(self, **kwargs):
        msg = super().message(**kwargs)
        for part in msg.walk():
            if part.is_multipart():
                part.set_boundary(f"=_chibo_{uuid.uuid4().hex}")
        return msg


# Django sends a text part as 8-bit UTF-8 unless a line is longer than 998 octets
# (then quoted-printable, where a stand-in could be split); leave room for the
# longest name and unsubscribe token put in its place.
RAW_LINE_LIMIT = 998 - 300


def has_long_lines(*bodies):
    return any(
        len(line.encode()) > RAW_LINE_LIMIT
        for body in bodies
        for line in body.splitlines()
    )


class Renderer:
    """Renders the messages of one batch of claimed rows."""

    def __init__(self, rows):
        self.base = base_url()
        self.domain = mail_domain()
        meetings = {r.meeting_id: r.meeting for r in rows if r.meeting_id}
        for row in rows:  # one instance per meeting, whatever row it came with
            if row.meeting_id:
                row.meeting = meetings[row.meeting_id]
        self.meetings = meetings
        self.documents = dict(
            MeetingDocument.objects.filter(meeting_id__in=list(meetings))
            .values("meeting_id")
            .annotate(n=Count("pk"))
            .values_list("meeting_id", "n")
        )
        self.changes = defaultdict(list)
        for change in MeetingChange.objects.filter(
            meeting_id__in=list(meetings), kind__in=SEQUENCE_KINDS
        ).order_by("at", "pk"):
            self.changes[change.meeting_id].append(change)
        people = {
            pk
            for m in meetings.values()
            for pk in (m.preparer_id, m.news_briefer_id, m.presenter_id)
            if pk
        }
        self.names = dict(
            Member.objects.filter(pk__in=people).values_list("pk", "full_name")
        )
        self.rules = rules_for_cells(
            {m.cell for m in meetings.values()}, on=timezone.localdate()
        )
        self.extra = {}  # subject → context of a kind registered by another app
        for spec in registered_specs():
            subjects = {r.subject for r in rows if r.kind in spec.kinds}
            if subjects and spec.context is not None:
                self.extra |= spec.context(subjects)
        self._shared = {}
        self._raw_cache = {}
        self.sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        self._ics = {}
        self._bodies_cache = {}
        self.preferences_url = self.base + reverse("meetings:notification-preferences")

    # -- per meeting ---------------------------------------------------------------

    def _meeting_context(self, meeting):
        changes = self.changes[meeting.pk]
        moves = [c for c in changes if c.kind == MeetingChange.Kind.RESCHEDULED]
        meeting.revision = len(changes)
        rules = self.rules.get(meeting.cell_id, {})
        return {
            "meeting": meeting,
            "cell": meeting.cell,
            "when": timezone.localtime(meeting.starts_at),
            "meeting_label": meeting.topic or meeting.get_kind_display(),
            "kind_label": meeting.get_kind_display(),
            "agenda": [item["title"] for item in meeting.agenda if item.get("title")],
            "documents_count": self.documents.get(meeting.pk, 0),
            "document_days": rules.get(RuleKey.DOCUMENT_DAYS, 1),
            "preparer": self.names.get(meeting.preparer_id, ""),
            "news_briefer": self.names.get(meeting.news_briefer_id, ""),
            "presenter": self.names.get(meeting.presenter_id, ""),
            "last_move": moves[-1] if moves else None,
        }

    def _shared_parts(self, row):
        """Subject, summary and context shared by every recipient of (meeting, kind)."""
        key = (row.subject, row.kind)
        if key not in self._shared:
            context = {"kind": row.kind, "base_url": self.base}
            if row.meeting is not None:
                context |= self._meeting_context(row.meeting)
                view = LINK_VIEWS.get(row.kind, "meetings:meeting-detail")
                context["path"] = reverse(view, args=[row.meeting_id])
            else:
                context |= self.extra.get(row.subject, {})
                context.setdefault("path", reverse("meetings:notifications"))
            context["url"] = self.base + context["path"]
            template = template_for(row.kind)
            subject = _one_line(render_text(f"{template}#subject", context))
            summary = _one_line(render_text(f"{template}#summary", context))
            self._shared[key] = (context, subject, summary)
        return self._shared[key]

    def ics(self, meeting):
        if meeting.pk not in self._ics:
            self._ics[meeting.pk] = meeting_calendar(meeting, base_url=self.base)
        return self._ics[meeting.pk]

    # -- per recipient -------------------------------------------------------------

    def _bodies(self, row, context):
        """Text and HTML for every recipient of (meeting, kind) alike, rendered once
        with stand-ins for the recipient's name and unsubscribe link."""
        presenter = row.kind == Kind.PRESENTER and (
            row.meeting is not None and row.member_id == row.meeting.presenter_id
        )
        key = (row.subject, row.kind, presenter)
        if key not in self._bodies_cache:
            stand_in = {
                "person": Person(full_name=NAME, pk=row.member_id if presenter else 0),
                "unsubscribe_url": "" if row.kind in MANDATORY_KINDS else UNSUBSCRIBE,
                "preferences_url": self.preferences_url,
            }
            template = template_for(row.kind)
            text = render_to_string(template, context | stand_in).strip()
            body = text.split("\n--\n", 1)[0]  # the HTML layout has its own footer
            html = select_template(
                [
                    template.removesuffix(".txt") + ".html",
                    "meetings/email/_generic.html",
                ]
            ).render(context | stand_in | {"text_body": body})
            self._bodies_cache[key] = (text + "\n", html)
        return self._bodies_cache[key]

    def message(self, row):
        with translation.override(EMAIL_LANGUAGE):
            context, subject, summary = self._shared_parts(row)
            if row.channel == row.Channel.INAPP:
                return Message(subject, "", "", summary, context["path"])
            text, html = self._bodies(row, context | {"subject": subject})
        name = row.member.full_name
        unsubscribe = token = ""
        if row.kind not in MANDATORY_KINDS:
            token = unsubscribe_token(row.member_id, row.kind)
            unsubscribe = self.base + reverse("meetings:unsubscribe", args=[token])
        text = text.replace(NAME, name).replace(UNSUBSCRIBE, unsubscribe)
        html = html.replace(NAME, escape(name)).replace(
            UNSUBSCRIBE, escape(unsubscribe)
        )
        return Message(subject, text, html, summary, context["path"], token)

    def raw(self, row):
        """(envelope sender, envelope recipient, message bytes) of one claimed
        email row for SMTP, or None when the address is not plain ASCII.

        The message of a (subject, kind) is built and serialized once, with
        stand-ins for what differs per recipient (address, name, delivery id,
        unsubscribe token); each recipient's bytes are that template with the
        stand-ins replaced. The text parts are 8-bit UTF-8 (Django encodes them so
        when no line exceeds 998 octets), so a replaced name stays readable."""
        address = row.member.email.strip()
        if not address.isascii():
            return None
        with translation.override(EMAIL_LANGUAGE):
            context, subject, _summary = self._shared_parts(row)
            text, html = self._bodies(row, context | {"subject": subject})
        presenter = row.kind == Kind.PRESENTER and (
            row.meeting is not None and row.member_id == row.meeting.presenter_id
        )
        key = (row.subject, row.kind, presenter)
        if key not in self._raw_cache:
            self._raw_cache[key] = (
                None
                if has_long_lines(text, html)
                else self._raw_template(row, subject, text, html)
            )
        template = self._raw_cache[key]
        if template is None:  # quoted-printable parts: the EmailMessage path
            return None
        name = row.member.full_name
        token = ""
        if row.kind not in MANDATORY_KINDS:
            token = unsubscribe_token(row.member_id, row.kind)
        raw = (
            template.replace(b"CHIBO-TO-HEADER", formataddr((name, address)).encode())
            .replace(b"CHIBO-HTML-NAME", escape(name).encode())
            .replace(NAME.encode(), name.encode())
            .replace(b"CHIBO-UNSUB-TOKEN", token.encode())
            .replace(b"CHIBO-DELIVERY-ID", str(row.pk).encode())
        )
        return self.sender, address, raw

    def _raw_template(self, row, subject, text, html):
        url = self.base + reverse("meetings:unsubscribe", args=["CHIBO-UNSUB-TOKEN"])
        text = text.replace(UNSUBSCRIBE, url)
        html = html.replace(NAME, "CHIBO-HTML-NAME").replace(UNSUBSCRIBE, url)
        headers = {
            "To": "CHIBO-TO-HEADER",
            "Message-ID": f"<delivery.CHIBO-DELIVERY-ID@{self.domain}>",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Content-Language": EMAIL_LANGUAGE,
            "X-Chibo-Delivery": "CHIBO-DELIVERY-ID",
        }
        if row.kind not in MANDATORY_KINDS:
            one_click = self.base + reverse(
                "meetings:unsubscribe-one-click", args=["CHIBO-UNSUB-TOKEN"]
            )
            headers["List-Unsubscribe"] = f"<{one_click}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = _Email(
            subject=encoded_subject(subject),
            body=text,
            to=["recipient@chibo.invalid"],
            headers=headers,
        )
        email.attach_alternative(html, "text/html")
        if row.kind in ICS_KINDS and row.meeting is not None:
            email.attach("lich-sinh-hoat.ics", self.ics(row.meeting), "text/calendar")
        return email.message().as_bytes(linesep="\r\n")

    def email(self, row, *, connection=None):
        """The email of one claimed row, ready to send over `connection`."""
        message = self.message(row)
        headers = {
            "Message-ID": f"<delivery.{row.pk}@{self.domain}>",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Content-Language": EMAIL_LANGUAGE,
            "X-Chibo-Delivery": str(row.pk),
        }
        if message.unsubscribe_token:
            token = message.unsubscribe_token
            one_click = self.base + reverse(
                "meetings:unsubscribe-one-click", args=[token]
            )
            headers["List-Unsubscribe"] = f"<{one_click}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = _Email(
            subject=encoded_subject(message.subject),
            body=message.text,
            to=[formataddr((row.member.full_name, row.member.email.strip()))],
            headers=headers,
            connection=connection,
        )
        email.attach_alternative(message.html, "text/html")
        if row.kind in ICS_KINDS and row.meeting is not None:
            email.attach("lich-sinh-hoat.ics", self.ics(row.meeting), "text/calendar")
        return email
