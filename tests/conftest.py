"""Shared fixtures: real PostgreSQL and Redis (never skipped), the demo personas, and
the fixtures several apps' tests use (a started meeting, a party group, the province's
place, the admission clock, the notification sink and worker).

Each app has its own conftest.py for what only its tests share; builders are in
tests/factories/, readers and real workers in tests/support/."""

import os
import uuid
import zoneinfo
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils import timezone

from meetings.models import MeetingKind
from members.models import OrgKind, PositionRole
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SupervisionFactory,
    UserFactory,
)
from tests.factories.admission import NOW as ADMISSION_NOW
from tests.factories.meetings import make_meeting, start
from tests.factories.times import at
from tests.support.access import world  # noqa: F401 — fixture (members/views has its own)
from tests.support.notify import people, sink, worker  # noqa: F401 — fixtures


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=None,
        help=(
            "Run every test as if the local time were this (YYYY-MM-DDTHH:MM, "
            "Asia/Ho_Chi_Minh), the clock ticking from there; tests that set their own "
            "clock keep it. `make test` reruns the date-sensitive modules at 03:00 on "
            "the 31st of a month."
        ),
    )


@pytest.fixture(autouse=True)
def _suite_clock(request):
    """The clock of --clock, for every test of the run (see pytest_addoption)."""
    value = request.config.getoption("--clock")
    if not value:
        yield None
        return
    import time_machine

    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def clock():
    """clock(aware datetime) — the time is that from now on in this test, ticking (a
    worker thread sees it too); clock(...) again moves it."""
    import time_machine

    travellers = []

    def travel(moment):
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield travel
    for traveller in reversed(travellers):
        traveller.stop()


def pytest_configure(config):
    # Hashing real passwords is the slowest part of building personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not os.environ.get("DATABASE_URL"):
        raise pytest.UsageError(
            "Tests run against a real database named by DATABASE_URL (PostgreSQL, or "
            "sqlite:///… for the embedded default's pass): use `make test`."
        )
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        _flush_past_sqlite_triggers()
    if not os.environ.get("REDIS_URL"):
        raise pytest.UsageError(
            "Tests run against real Redis: set REDIS_URL or use `make test`."
        )


def pytest_collection_modifyitems(config, items):
    """On SQLite, tests marked postgresql_only (each with its reason) are left out
    and counted; the count and reasons are printed at the end of the run."""
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        embedded = [i for i in items if i.get_closest_marker("embedded_default")]
        if embedded:
            config.hook.pytest_deselected(items=embedded)
            items[:] = [i for i in items if i not in embedded]
        return
    kept, left_out = [], []
    for item in items:
        marker = item.get_closest_marker("postgresql_only")
        if marker is None:
            kept.append(item)
            continue
        reason = marker.kwargs.get("reason") or (marker.args and marker.args[0])
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: postgresql_only needs a reason")
        left_out.append((item.nodeid, reason))
    if left_out:
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    config.stash[_POSTGRESQL_ONLY] = left_out


_POSTGRESQL_ONLY = pytest.StashKey()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    left_out = config.stash.get(_POSTGRESQL_ONLY, None)
    if left_out is None:
        return
    reasons = {}
    for _nodeid, reason in left_out:
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.write_sep("-", f"{len(left_out)} tests are PostgreSQL-only")
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"{count:4d}  {reason}")


def _allow_test_flush(sender, connection, **kwargs):
    """The audit log refuses TRUNCATE (members/migrations/0005_audit.py) unless the
    session allows it: tests that commit empty their throwaway database that way."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET chibo.audit_truncate = 'allow'")


connection_created.connect(_allow_test_flush, dispatch_uid="tests-allow-audit-flush")


def _flush_past_sqlite_triggers():
    """On SQLite, tests that commit are emptied by DELETE (there is no TRUNCATE),
    which the append-only and lock triggers rightly refuse: the flush after such a
    test sets them aside and puts them back at once."""
    from django.test.testcases import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        from django.db import connections

        saved = {}
        for alias in self._databases_names(include_mirrors=False):
            connection = connections[alias]
            if connection.vendor != "sqlite":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type='trigger'"
                )
                saved[alias] = cursor.fetchall()
                for name, _sql in saved[alias]:
                    cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            original(self)
        finally:
            for alias, triggers in saved.items():
                with connections[alias].cursor() as cursor:
                    for _name, sql in triggers:
                        cursor.execute(sql)

    TransactionTestCase._fixture_teardown = _fixture_teardown


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and rendered files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def rate_limit_counters(settings):
    """Each test counts its own requests: the rate-limit counters live in Redis,
    which outlives a test (chibo/ratelimit.py)."""
    settings.CHIBO_RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex}"
    return settings.CHIBO_RATE_LIMIT_PREFIX


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in English (the language
    cookie) leaves English active in the thread, which would change the words the
    next test reads."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def redis_client():
    """A client of the test Redis; fails (never skips) when Redis is unreachable."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {os.environ['REDIS_URL']} is unreachable: {error}")
    return client


@pytest.fixture
def tree(db):
    """A province with a ward (two cells, a secretary, a member, an official and a
    supervisor) and a bloc with another cell (the outsider's).

    province ─┬─ ward ─┬─ cell (secretary, member, + 3 more official members)
              │        └─ cell2 (supervisor's own cell)
              └─ bloc ── other_cell (outsider)
    """
    province = OrganizationFactory(
        name="Đảng bộ tỉnh Thử", kind=OrgKind.PROVINCE_COMMITTEE
    )
    ward = OrganizationFactory(
        name="Đảng bộ phường Thử", kind=OrgKind.COMMUNE_COMMITTEE, parent=province
    )
    bloc = OrganizationFactory(
        name="Đảng bộ Khối Thử", kind=OrgKind.BLOC_COMMITTEE, parent=province
    )
    cell = OrganizationFactory(name="Chi bộ Khối phố 5", parent=ward)
    cell2 = OrganizationFactory(name="Chi bộ Khối phố 2", parent=ward)
    other_cell = OrganizationFactory(name="Chi bộ Khoa Nội", parent=bloc)
    secretary = MemberFactory(organization=cell, full_name="Lê Văn Bí Thư")
    PositionFactory(member=secretary, organization=cell, role=PositionRole.SECRETARY)
    member = MemberFactory(organization=cell, full_name="Trần Thị Đảng Viên")
    others = MemberFactory.create_batch(3, organization=cell)
    official = MemberFactory(organization=cell2, full_name="Phạm Văn Cấp Ủy")
    PositionFactory(
        member=official, organization=ward, role=PositionRole.COMMITTEE_MEMBER
    )
    supervisor = MemberFactory(organization=cell2, full_name="Hoàng Văn Theo Dõi")
    SupervisionFactory(supervisor=supervisor, cell=cell)
    outsider = MemberFactory(organization=other_cell, full_name="Ngô Thị Ngoài")
    return SimpleNamespace(
        province=province,
        ward=ward,
        bloc=bloc,
        cell=cell,
        cell2=cell2,
        other_cell=other_cell,
        secretary=secretary,
        member=member,
        others=others,
        official=official,
        supervisor=supervisor,
        outsider=outsider,
    )


@pytest.fixture
def users(tree):
    return SimpleNamespace(
        secretary=UserFactory(username="secretary", member=tree.secretary),
        member=UserFactory(username="member", member=tree.member),
        committee=UserFactory(username="committee", member=tree.official),
        supervisor=UserFactory(username="supervisor", member=tree.supervisor),
        outsider=UserFactory(username="outsider", member=tree.outsider),
        admin=UserFactory(username="admin", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def persona_client(client, users):
    """persona_client("secretary") → a test client logged in as that persona."""

    def make(name):
        from django.test import Client

        fresh = Client()
        if name != "anonymous":
            fresh.force_login(getattr(users, name))
        return fresh

    return make


@pytest.fixture
def secretary_client(persona_client):
    return persona_client("secretary")


@pytest.fixture
def member_client(persona_client):
    return persona_client("member")


@pytest.fixture
def committee_client(persona_client):
    return persona_client("committee")


@pytest.fixture
def supervisor_client(persona_client):
    return persona_client("supervisor")


@pytest.fixture
def outsider_client(persona_client):
    return persona_client("outsider")


@pytest.fixture
def admin_client_(persona_client):
    return persona_client("admin")


# --- shared by several apps' tests ---------------------------------------------------


@pytest.fixture
def started_meeting(tree, users, clock):
    """An extraordinary meeting of the cell that began two hours ago, started by its
    secretary (attendance prefilled, minutes open); the clock stands at 21:30 on
    03/11/2026, so the day and hour never depend on when the test runs."""
    clock(at(2026, 11, 3, 21, 30))
    meeting = make_meeting(
        tree.cell,
        kind=MeetingKind.EXTRAORDINARY,
        starts_at=timezone.now() - timedelta(hours=2),
        by=users.secretary,
    )
    start(meeting, users.secretary)
    return meeting


@pytest.fixture
def group(tree):
    """A party group (tổ đảng) of the cell."""
    return OrganizationFactory(
        name="Tổ đảng số 1", kind=OrgKind.PARTY_GROUP, parent=tree.cell
    )


@pytest.fixture
def place(tree):
    """The province's place name, which documents are dated at."""
    tree.province.place = "Nghệ An"
    tree.province.save(update_fields=["place"])
    return "Nghệ An"


@pytest.fixture
def admission_clock(clock):
    """The admission tests' clock: Monday 15/06/2026, 10:00 in Vietnam."""
    return clock(ADMISSION_NOW)
