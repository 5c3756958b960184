"""Helpers of the members view tests: personas, expected outcomes, HTML probes."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members import domain
from members.models import MemberEvent, MemberStatus
from tests.factories import MemberFactory

PERSONAS = (
    "secretary",
    "member",
    "committee",
    "supervisor",
    "outsider",
    "admin",
    "anonymous",
)
LOGIN = "login"  # expected: anonymous → 302 to the login page with ?next=
DONE = 302  # expected: a valid POST was carried out and redirected
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_CSV = "Họ và tên,Trạng thái,Ngày sinh\nNguyễn Văn Nhập,Dự bị,02/09/1995\n"


# --- helpers -------------------------------------------------------------------------


def fmt(day):
    return day.strftime("%d/%m/%Y")


def today():
    return timezone.localdate()


def english(client):
    """Ask for the English UI (labels are asserted in English, never Vietnamese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get_html(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def member_list_names(html):
    """Names linked in the #member-list table, in page order."""
    start = html.index('id="member-list"')
    table = html[start : html.index("</table>", start)]
    return re.findall(r'<td[^>]*><a href="/members/\d+/">([^<]+)</a></td>', table)


def stat_values(html, section_id):
    """The numbers of the stat cards inside the element with `section_id`."""
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return [int(n) for n in re.findall(r'"stat-value">(\d+)<', html[start:end])]


def between(html, marker, end):
    """The HTML from `marker` to the next `end`."""
    start = html.index(marker)
    return html[start : html.index(end, start)]


def section(html, section_id):
    """The HTML of the <section> that holds the element with `section_id`."""
    start = html.rindex("<section", 0, html.index(f'id="{section_id}"'))
    return html[start : html.index("</section>", start)]


def count_queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(context.captured_queries)


def due_admission_date():
    """An admission 11.5 months ago: the probation ends in about two weeks."""
    return domain.add_months(today(), -12) + timedelta(days=15)


def probationary(cell, name, admission_date, **fields):
    return MemberFactory(
        organization=cell,
        full_name=name,
        status=MemberStatus.PROBATIONARY,
        admission_date=admission_date,
        official_date=None,
        **fields,
    )


def events_of(member):
    return list(
        MemberEvent.objects.filter(member=member)
        .order_by("pk")
        .values_list("kind", "date", "note", "created_by__username")
    )
