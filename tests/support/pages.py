"""Asking for pages and reading them back: the English UI, URLs by name, HTML probes
and query counts."""

import re

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def english(client):
    """Ask for the English UI (labels are asserted in English, never Vietnamese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def meeting_url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def evaluation_url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def fmt(day):
    """A date as the pages write it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def body(response):
    return response.content.decode()


def get_html(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def count_queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(context.captured_queries)


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
