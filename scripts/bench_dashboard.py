"""`make bench-dashboard`: compliance dashboards against a province on PostgreSQL.

Uses its own database (chibo_bench_dash; BENCH_DATABASE_URL overrides) holding the
province built by `manage.py generate_province --members 200000 --cells 10000
--months 12 --seed 1` (built here first when missing: `make bench-dashboard-data`
rebuilds it from scratch). For the province root (year), a commune (quarter) and a
cell (year) it requests the dashboard page repeatedly in-process and prints the
median and p95 server time, the query count, and the time of the same headline
figures computed by one hand-written SQL query over the raw tables (no rollup), with
the ratio raw SQL / dashboard and whether both give the same numbers. Budget: root
≤ 300 ms median, commune and cell ≤ 100 ms.

    .venv/bin/python scripts/bench_dashboard.py [--repeat 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/chibo_bench_dash"
)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from evaluations import dashboard as dash  # noqa: E402
from evaluations.domain import HELD_STATES  # noqa: E402
from members.models import Organization, OrgKind, User  # noqa: E402

ROOT_NAME = "Đảng bộ tỉnh Mô Phỏng (seed 1)"
BUDGET_MS = {"root": 300, "commune": 100, "cell": 100}

RAW_SQL = """
WITH cells AS (
    SELECT id FROM members_organization
    WHERE kind = 'cell' AND is_active AND path LIKE %(path)s
), held AS (
    SELECT m.id, m.cell_id, m.kind, m.planned_date, m.is_combined, m.starts_at
    FROM meetings_meeting m JOIN cells c ON c.id = m.cell_id
    WHERE m.kind IN ('regular', 'thematic') AND m.state IN %(states)s
      AND m.planned_date >= %(first)s AND m.planned_date < %(end)s
), att AS (
    SELECT
      count(*) FILTER (WHERE NOT a.was_attached_in
                       AND a.status NOT IN ('exempt', 'away')) AS required,
      count(*) FILTER (WHERE NOT a.was_attached_in AND a.status = 'present') AS present,
      count(*) FILTER (WHERE NOT a.was_attached_in
                       AND a.status = 'absent_unexcused') AS unexcused,
      count(*) FILTER (WHERE a.status = 'present') AS attendees,
      count(*) FILTER (WHERE a.status = 'present' AND a.spoke) AS spoke
    FROM meetings_attendance a JOIN held h ON h.id = a.meeting_id
)
SELECT
  (SELECT count(*) FROM cells) AS cells,
  (SELECT count(DISTINCT (cell_id, date_trunc('month', planned_date)))
     FROM held WHERE kind = 'regular') AS regular_held,
  (SELECT count(*) FROM held WHERE kind = 'thematic' OR is_combined) AS thematic_held,
  (SELECT count(*) FROM held h JOIN meetings_minutes n ON n.meeting_id = h.id
     WHERE n.locked_at IS NOT NULL
       AND n.locked_at - coalesce(n.ended_at, h.starts_at) <= interval '2 days')
     AS minutes_locked_on_time,
  att.required, att.present, att.unexcused, att.attendees, att.spoke
FROM att
"""
COMPARED = [
    "cells",
    "regular_held",
    "thematic_held",
    "minutes_locked_on_time",
    "required",
    "present",
    "unexcused",
    "attendees",
    "spoke",
]


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def fetch(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return response


def ensure_data():
    if Organization.objects.filter(name=ROOT_NAME, parent=None).exists():
        return
    say("No generated province: generate_province --members 200000 --cells 10000 …")
    call_command("generate_province", members=200_000, cells=10_000, months=12, seed=1)


def raw_figures(node, period):
    with connection.cursor() as cursor:
        cursor.execute(
            RAW_SQL,
            {
                "path": node.path + "%",
                "states": tuple(HELD_STATES),
                "first": period.first,
                "end": period.end,
            },
        )
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def dashboard_figures(node, period):
    board = dash.build(node, period)
    s = board.total.sums
    return {
        "cells": board.total.cells,
        "regular_held": s["regular_held"],
        "thematic_held": s["thematic_held"],
        "minutes_locked_on_time": s["minutes_locked_on_time"],
        "required": s["att_required"],
        "present": s["att_present"],
        "unexcused": s["att_unexcused"],
        "attendees": s["att_attendees"],
        "spoke": s["att_spoke"],
    }


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def bench(client, label, node, period, repeat):
    url = f"{reverse('evaluations:dashboard', args=[node.pk])}?period={period.key}"
    for _ in range(2):  # warm up: connection, templates, translations
        fetch(client, url)
    times, cpu, counts = [], [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started, started_cpu = time.perf_counter(), time.process_time()
            fetch(client, url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        counts.add(len(ctx.captured_queries))
    raw_times = []
    for _ in range(max(3, repeat // 4)):
        started = time.perf_counter()
        raw = raw_figures(node, period)
        raw_times.append((time.perf_counter() - started) * 1000)
    ours = dashboard_figures(node, period)
    same = all(raw[k] == ours[k] for k in COMPARED)
    median = statistics.median(times)
    raw_median = statistics.median(raw_times)
    cells = ours["cells"]
    say(
        f"{label:8} {node.name[:34]:34} {period.key:8} cells {cells:6} | "
        f"median {median:7.1f} ms  p95 {percentile(times, 0.95):7.1f} ms  "
        f"min {min(times):6.1f} ms  (web CPU {statistics.median(cpu):6.1f} ms)  "
        f"queries {'/'.join(map(str, sorted(counts))):>5} | "
        f"raw SQL {raw_median:8.1f} ms  "
        f"ratio raw/dashboard {raw_median / median:6.1f}x  same figures: "
        f"{'yes' if same else 'NO'}  budget {BUDGET_MS[label]} ms: "
        f"{'ok' if median <= BUDGET_MS[label] else 'OVER'}"
    )
    if not same:
        for key in COMPARED:
            if raw[key] != ours[key]:
                say(f"    {key}: raw {raw[key]} vs dashboard {ours[key]}")
    return median <= BUDGET_MS[label] and same


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    ensure_data()
    root = Organization.objects.get(name=ROOT_NAME, parent=None)
    communes = Organization.objects.filter(
        parent=root, kind=OrgKind.COMMUNE_COMMITTEE
    ).order_by("pk")
    commune = communes[len(communes) // 2]
    cell = (
        Organization.objects.filter(kind=OrgKind.CELL, path__startswith=commune.path)
        .order_by("pk")
        .first()
    )
    admin, _ = User.objects.get_or_create(
        username="bench-dashboard", defaults={"is_superuser": True, "is_staff": True}
    )
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(admin)
    today = timezone.localdate()
    closed_quarter = (today.month - 1) // 3 or 4
    quarter_year = today.year if (today.month - 1) // 3 else today.year - 1
    say(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"PostgreSQL {connection.pg_version // 10000}, database "
        f"{connection.settings_dict['NAME']}, {args.repeat} requests each, "
        f"server time measured in-process (view + template rendering)"
    )
    ok = all(
        [
            bench(client, "root", root, dash.Period("year", today.year), args.repeat),
            bench(
                client,
                "commune",
                commune,
                dash.Period("quarter", quarter_year, closed_quarter),
                args.repeat,
            ),
            bench(client, "cell", cell, dash.Period("year", today.year), args.repeat),
        ]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
