"""`make run` as a new user meets it: scripts/run.sh on a fresh folder and a free port
(SQLite, the filesystem broker, email to files), every demo persona signed in through
the real login form, every link of the home page and one level below followed, the
worker's notice found in the mail folder, and Ctrl-C stopping everything.

This is the embedded default itself, so it runs in the SQLite pass of `make test`."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = ["secretary", "member", "committee", "supervisor", "outsider", "admin"]
PASSWORD = "chibo-demo"  # the demo's documented password (README)
# Pages below the home page visited per persona: enough for every kind of page.
MAX_PAGES = 60
# English exception names or Python's own words never belong on a page.
ENGLISH_ERROR = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b|does not exist|"
    r"database is locked|NoReverseMatch|Server Error"
)
# Links that change state on GET are not links; these only leave the site's pages.
SKIP = re.compile(r"^/(static|media)/|^/admin/logout|\.(ics|pdf|xlsx|csv|zip|json)$")

pytestmark = pytest.mark.embedded_default


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []
        self.csrf = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf = attrs.get("value")


def parse(html):
    links = Links()
    links.feed(html)
    return links


class Browser:
    """A cookie-keeping HTTP client that never follows a redirect off the site."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path, data=None):
        request = urllib.request.Request(  # noqa: S310 — http://127.0.0.1 only
            urllib.parse.urljoin(self.base, path),
            data=urllib.parse.urlencode(data).encode() if data else None,
            headers={"Accept-Language": "vi", "Referer": self.base},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, response.geturl(), response.headers, body
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            return error.code, error.geturl(), error.headers, body

    def login(self, username):
        status, _url, _headers, body = self.open("/accounts/login/")
        assert status == 200, body[:500]
        token = parse(body).csrf
        status, url, _headers, body = self.open(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert status == 200
        assert "/accounts/login/" not in url, f"{username} could not sign in"
        return body


def same_site(base, href, current):
    url = urllib.parse.urljoin(current, href)
    parts = urllib.parse.urlsplit(url)
    if url.startswith(base) and parts.scheme in ("http", "https"):
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(parts.path) and "logout" not in parts.path:
            return path
    return None


@pytest.fixture
def running(tmp_path):
    """scripts/run.sh started as a user does, in its own process group."""
    var = tmp_path / "var"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SQLITE_TEST_NAME", "MEDIA_ROOT"}
    }
    env.update(CHIBO_VAR_DIR=str(var), PORT=str(port), HOST="127.0.0.1")
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh"],  # noqa: S607 — as `make run` calls it
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    try:
        while f"running at {base}" not in log.read_text(errors="replace"):
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "run.sh printed no URL in 5 minutes"
            time.sleep(0.5)
        while True:  # the URL is printed as the server starts: wait for it to answer
            try:
                with urllib.request.urlopen(base + "accounts/login/", timeout=5):  # noqa: S310
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.3)
        yield process, base, var, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def group_alive(process):
    process.poll()  # reaps run.sh itself once it has exited (no zombie counted)
    pgid = process.pid
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_serves_every_persona_sends_a_notice_and_stops_on_ctrl_c(running):
    process, base, var, log = running
    problems = []
    visited = {}

    for persona in PERSONAS:
        browser = Browser(base)
        home = browser.login(persona)
        visited[persona] = 1
        queue = [
            path
            for href in parse(home).hrefs
            if (path := same_site(base, href, base)) is not None
        ]
        seen = set()
        first_level = set(queue)
        while queue and len(seen) < MAX_PAGES:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            status, url, headers, body = browser.open(path)
            visited[persona] += 1
            if status >= 500:
                problems.append(f"{persona} {path}: {status}")
            if "text/html" in headers.get("Content-Type", "") and (
                found := ENGLISH_ERROR.search(body)
            ):
                problems.append(f"{persona} {path}: English error text {found[0]!r}")
            if path in first_level and "text/html" in headers.get("Content-Type", ""):
                queue.extend(
                    below
                    for href in parse(body).hrefs
                    if (below := same_site(base, href, url)) is not None
                    and below not in seen
                )

    output = log.read_text(errors="replace")
    assert problems == []
    assert all(count > 5 for count in visited.values()), visited
    where = output.find("Traceback")
    assert where == -1, output[max(0, where - 500) : where + 4000]
    # The dev server's access log is there, one line a request.
    assert re.search(r'"GET /accounts/login/ HTTP/1\.1" 200', output), output[-3000:]

    # The worker (started by run.sh) writes the demo's notices as email files.
    mail = var / "mail"
    deadline = time.monotonic() + 240
    while not any(mail.glob("*.log")):
        assert time.monotonic() < deadline, "no notice reached the mail folder"
        time.sleep(1)
    message = next(iter(sorted(mail.glob("*.log")))).read_text(errors="replace")
    assert "Subject:" in message
    worker_log = (var / "log" / "worker.log").read_text(errors="replace")
    assert "Traceback" not in worker_log, worker_log[-5000:]
    assert "database is locked" not in worker_log

    # Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it.
    os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 15
    while group_alive(process):
        assert time.monotonic() < deadline, (
            "still running 15 s after Ctrl-C:\n"
            + subprocess.run(  # noqa: S603 — ps with our own arguments
                ["ps", "-o", "pid,stat,etime,cmd", "-g", str(process.pid)],  # noqa: S607
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            + log.read_text(errors="replace")[-2000:]
        )
        time.sleep(0.2)
    assert process.wait(timeout=1) is not None
    assert "Stopping chibo" in log.read_text(errors="replace")
