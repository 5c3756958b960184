"""No internal code reaches a user (STYLE.md "Words the user sees").

Every page of the access matrix, as every persona that may open it, the admin, every
e-mail template, the printed documents (minutes, dashboard) and every spreadsheet or
CSV export is read as the user reads it (the visible text of a page, the text of a
PDF, the cells of a workbook) and searched for setting keys, raw state codes, file
references, markers like "[local]", Django's English admin words and exception names.
"""

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from meetings.models import MeetingState
from members.models import RuleKey
from tests.factories.meetings import full_meeting
from tests.factories.times import at
from tests.support.access import MATRIX, PERSONAS
from tests.support.pdf import text_of

# A setting key, a state code or any snake_case identifier shown as text.
CODE_WORD = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
FORBIDDEN = [
    re.compile(pattern)
    for pattern in [
        r"\[local\]",
        r"\[unconfirmed\]",
        r"\bDOMAIN\b",
        r"\b\w+\.md\b",
        r"§",
        r"\bSeeds? 0",
        r"→ ?(?:" + "|".join(MeetingState.values) + r")\b",
        r"\b(?:" + "|".join(MeetingState.values) + r") ?→",
        r"Django administration|Django site admin|cho Django|website Django",
        r"\b[A-Z]\w*(?:Error|Exception)\b",
        r"Traceback",
    ]
]
SETTING_KEYS = {key.value for key in RuleKey}


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        # What a screen reader or a tooltip says is seen too.
        for name, value in attrs:
            if name in {"title", "aria-label", "placeholder", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def offences(text):
    """Every forbidden pattern found in a text, with a little context."""
    found = []
    for pattern in FORBIDDEN:
        found += [
            text[max(0, m.start() - 40) : m.end() + 40] for m in pattern.finditer(text)
        ]
    for m in CODE_WORD.finditer(text):
        found.append(text[max(0, m.start() - 40) : m.end() + 40])
    found += [key for key in SETTING_KEYS if key in text]
    return found


def readable(response):
    """What the user reads in a response, whatever its kind."""
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    kind = response.headers.get("Content-Type", "")
    if "pdf" in kind:
        if len(content) < 100:
            return ""  # the world's stand-in minute book, not a rendered document
        return text_of(content)
    if "spreadsheetml" in kind:
        return workbook_text(content)
    if "csv" in kind:
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return " ".join(" ".join(row) for row in rows)
    if "calendar" in kind:
        return ""  # iCalendar fields are for programs (UIDs, RRULEs), checked elsewhere
    if "html" in kind:
        return visible_text(content.decode())
    return content.decode(errors="replace")


def workbook_text(content):
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return " ".join([*book.sheetnames, *cells])


def test_scanner_finds_each_kind_of_code():
    assert visible_text('<p title="x">a <script>b_c</script> d</p>') == "x a d"
    for bad in [
        "Quy tắc next_working_day",
        "[local] Seeds 001",
        "(DOMAIN.md §3.3)",
        "planned → notified",
        "→ documents_sent",
        "Trang quản trị cho Django",
        "ValueError: boom",
        "minutes_nag_days",
    ]:
        assert offences(bad), bad
    assert offences("Hướng dẫn 21-HD/BTCTW (2019), quy định địa phương, 3 ngày") == []


@pytest.mark.django_db
def test_no_code_on_any_page_of_the_access_matrix(world, users, clock):
    seen = {}
    for name, (method, build_args, expected) in sorted(MATRIX.items()):
        if method != "get":
            continue
        url = reverse(name, args=build_args(world))
        for persona, outcome in zip(PERSONAS, expected, strict=True):
            if outcome != "o":
                continue
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(users, persona))
            response = client.get(url, follow=True)
            found = offences(readable(response))
            if found:
                seen[f"{name} as {persona}"] = found[:5]
    assert seen == {}, "\n".join(f"{k}: {v}" for k, v in seen.items())


@pytest.mark.django_db
def test_no_code_in_the_admin(world, users):
    client = Client()
    client.force_login(users.admin)
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]
                )
            )
    seen = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        # The admin shows field names in its filters' query strings, not as text;
        # what it shows as text must be Vietnamese.
        found = [f for f in offences(text) if "_" not in f or "→" in f]
        found += [w for w in ENGLISH_ADMIN_WORDS if w in text]
        if found:
            seen[url] = found[:5]
    assert seen == {}


ENGLISH_ADMIN_WORDS = [
    "Addendums",
    "Votes",
    "Guests",
    "Calendar tokens",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Site administration",
]


def test_every_model_has_a_vietnamese_name():
    english = {}
    with translation.override("vi"):
        for model in admin.site._registry:
            opts = model._meta
            plural = str(opts.verbose_name_plural)
            if plural.lower() == f"{opts.verbose_name_raw}s".lower() or not re.search(
                r"[^\x00-\x7f]|\b(?:chi|sinh|ban|thu|hoa)\b", plural
            ):
                english[opts.label] = plural
    assert english == {}


def test_admin_is_titled_in_vietnamese():
    reverse("admin:index")  # the URL configuration dresses the admin site
    with translation.override("vi"):
        assert str(admin.site.site_header) == "Trang quản trị chibo"
        assert str(admin.site.site_title) == "Trang quản trị chibo"
        assert str(admin.site.index_title) == "Dữ liệu của hệ thống"
        assert str(apps.get_app_config("axes").verbose_name) == "Bảo mật đăng nhập"


EMAIL_DIR = Path(settings.BASE_DIR) / "templates" / "meetings" / "email"


@pytest.mark.django_db
def test_no_code_in_any_email(world, tree):
    meeting = world.planned
    context = {
        "meeting": meeting,
        "cell": tree.cell,
        "when": timezone.localtime(meeting.starts_at),
        "person": tree.member,
        "meeting_label": str(meeting),
        "kind_label": meeting.get_kind_display(),
        "agenda": ["Thông tin thời sự"],
        "url": "https://chibo.example/",
        "preferences_url": "https://chibo.example/p/",
        "unsubscribe_url": "https://chibo.example/u/",
        "deadline": meeting.planned_date,
        "assigned_on": meeting.planned_date,
        "task": world.task,
        "change": None,
    }
    seen = {}
    for path in sorted(EMAIL_DIR.iterdir()):
        if path.name.startswith("_"):
            continue
        rendered = get_template(f"meetings/email/{path.name}").render(context)
        text = visible_text(rendered) if path.suffix == ".html" else rendered
        found = [f for f in offences(text) if "chibo.example" not in f]
        if found:
            seen[path.name] = found
    assert seen == {}


@pytest.mark.django_db
def test_no_code_in_the_minutes_pdf(tree, users, place, clock):
    from meetings.pdf import render

    clock(at(2026, 11, 20, 10, 0))
    meeting = full_meeting(tree, users, topic="Học tập phong cách Hồ Chí Minh")
    text = text_of(render.render_minutes(meeting).content)
    assert "Biên bản" in text or "BIÊN BẢN" in text
    assert offences(text) == []


def test_every_model_is_known():
    # The admin test above reads every registered model: none is left out.
    assert set(admin.site._registry) <= set(apps.get_models())
