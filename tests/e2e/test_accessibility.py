"""Every page each persona can reach, checked in Chromium with axe-core (no serious or
critical violation) and its HTML with the Nu HTML Checker (no error).

The pages come from the access matrix (tests/support/access.py): every GET route a
persona may open, so a page added later is checked without extra work.
"""

import pytest
from django.urls import reverse

from tests.e2e.checks import AXE, axe_problems, html_errors, vnu_jar
from tests.support.access import MATRIX, PERSONAS

pytestmark = pytest.mark.e2e

NOT_HTML = {"healthz", "members:export-members", "meetings:document-download"}
# An htmx fragment (the navbar's unread count), not a page of its own.
NOT_HTML |= {"meetings:notification-badge"}
# The dashboard's panel of inspections and model meetings, loaded into the page.
NOT_HTML |= {"evaluations:quality-panel"}
# PDF and zip downloads (meetings/pdf/views.py).
NOT_HTML |= {
    "meetings:minutes-pdf",
    "meetings:resolution-pdf",
    "meetings:topic-cover-pdf",
    "meetings:minute-book-download",
}
# Dashboard exports (evaluations/dashboard/views.py).
NOT_HTML |= {"evaluations:dashboard-xlsx", "evaluations:dashboard-pdf"}
# Candidates' documents and the dues sheets and ledger as files (members app).
NOT_HTML |= {
    "members:candidate-document-download",
    "members:dues-sheet-pdf",
    "members:dues-sheet-xlsx",
    "members:dues-year-pdf",
    "members:dues-year-xlsx",
}
NOT_PAGES = {"logout", "password_reset_confirm"}


def pages_for(persona):
    for name, (method, build_args, expected) in sorted(MATRIX.items()):
        allowed = expected[PERSONAS.index(persona)] == "o"
        if method == "get" and allowed and name not in NOT_HTML | NOT_PAGES:
            if name.endswith("-feed"):
                continue
            yield name, build_args


def test_every_page_passes_axe_and_the_html_checker(
    page,
    browser,
    live_server,
    world,
    users,
    tmp_path,
):
    jar = vnu_jar()
    axe_source = AXE.read_text()
    problems, saved = [], []
    for persona in ["anonymous", *[p for p in PERSONAS if p != "anonymous"]]:
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        tab = context.new_page()
        if persona != "anonymous":
            tab.goto("/accounts/login/")
            tab.locator("input[name=username]").fill(persona)
            tab.locator("input[name=password]").fill("chibo-demo")
            tab.locator("#login-form button[type=submit]").click()
            tab.wait_for_url(lambda url: "/accounts/login/" not in url)
        routes = (
            [("login", lambda w: [])]
            if persona == "anonymous"
            else list(pages_for(persona))
        )
        for name, build_args in routes:
            url = reverse(name, args=build_args(world))
            response = tab.goto(url)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            problems.extend(axe_problems(tab, axe_source, f"{persona} {url}"))
            html_file = tmp_path / f"{persona}-{name.replace(':', '-')}.html"
            # the HTML we serve (the checker); axe reads the live page, picker included
            html_file.write_text(response.text())
            saved.append((html_file, f"{persona} {url}"))
        context.close()

    problems.extend(html_errors(jar, saved))

    assert len(saved) > 40
    assert problems == [], "\n".join(problems)
