"""`make bench-reminders`: notify a whole province; check nothing is lost or doubled.

Builds a province-scale roster (200,000 members in 10,000 cells of 20 by default,
one supervisor per 100 cells) in its own PostgreSQL database, starts an SMTP sink
process (aiosmtpd) and a real Celery worker (`-Q notify -c 4`, Redis db 11), runs
the notification scanner with the clock frozen on the notice day, waits until
every delivery is settled, then compares what the sink received (each message's
X-Chibo-Delivery / Message-ID and envelope recipient) with the Delivery rows.

Prints deliveries per second, the total time, duplicates and losses (both must be
0; the exit status is 1 otherwise). Stops every process it started, and drops its
database unless --keep-db.

    .venv/bin/python scripts/bench_reminders.py [--members 200000] [--cell-size 20]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CELLS_PER_COMMUNE = 100
HEADER = re.compile(rb"^X-Chibo-Delivery: *(\d+)\r?$", re.MULTILINE | re.IGNORECASE)


def say(*parts):
    print("bench:", *parts, flush=True)  # noqa: T201 — a command-line report


# --- the SMTP sink (a separate process: `bench_reminders.py sink PORT FILE`) ---------


def run_sink(port, out_path):
    """Accept every message; write "<delivery id>\\t<recipient>" per message."""
    import threading

    from aiosmtpd.controller import Controller

    out = open(out_path, "w", buffering=1 << 16)  # noqa: SIM115 — closed on exit
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            head = envelope.content.split(b"\r\n\r\n", 1)[0]
            found = HEADER.search(head)
            key = found.group(1).decode() if found else "?"
            with lock:
                for rcpt in envelope.rcpt_tos:
                    out.write(f"{key}\t{rcpt}\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("sink ready", flush=True)  # noqa: T201 — read by the bench
    stop.wait()
    controller.stop()
    with lock:
        out.close()


# --- the bench ------------------------------------------------------------------------


def database_urls(name):
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parts = urlsplit(base)
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    return bench, admin


def recreate_database(admin_url, name):
    import psycopg2

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def drop_database(admin_url, name):
    import psycopg2

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_roster(*, members, cell_size, meeting_day):
    """Province → communes of 100 cells → cells of `cell_size` members, one meeting
    per cell on `meeting_day` at 19:30, one supervisor per commune following all its
    cells. Bulk inserts; paths set in one UPDATE per level."""
    from django.db import connection

    from meetings.models import Meeting, MeetingKind
    from members.models import (
        CellType,
        Member,
        MemberStatus,
        Organization,
        OrgKind,
        Position,
        PositionRole,
        SupervisionAssignment,
    )
    from members.services import create_organization

    cells_n = members // cell_size
    communes_n = max(1, -(-cells_n // CELLS_PER_COMMUNE))
    province = create_organization(
        parent=None, name="Tỉnh Đảm Bảo", kind=OrgKind.PROVINCE_COMMITTEE
    )
    Organization.objects.bulk_create(
        Organization(
            parent=province,
            name=f"Đảng bộ xã {i + 1}",
            kind=OrgKind.COMMUNE_COMMITTEE,
            depth=1,
        )
        for i in range(communes_n)
    )
    communes = list(Organization.objects.filter(parent=province).order_by("pk"))
    Organization.objects.bulk_create(
        (
            Organization(
                parent=communes[i // CELLS_PER_COMMUNE],
                name=f"Chi bộ thôn {i + 1}",
                kind=OrgKind.CELL,
                cell_type=CellType.RURAL,
                code="CB",
                depth=2,
            )
            for i in range(cells_n)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        for _level in (1, 2):
            cursor.execute(
                "UPDATE members_organization c SET path = p.path || "
                "lpad(c.id::text, 8, '0') || '/' FROM members_organization p "
                "WHERE c.parent_id = p.id AND c.path = '' AND p.path <> ''"
            )
    cells = list(
        Organization.objects.filter(kind=OrgKind.CELL)
        .order_by("pk")
        .values_list("pk", "parent_id")
    )
    batch = []
    for index in range(cells_n * cell_size):
        cell_id = cells[index // cell_size][0]
        batch.append(
            Member(
                organization_id=cell_id,
                full_name=f"Nguyễn Văn Đảng Viên {index + 1}",
                email=f"dv{index + 1}@bench.chibo.test",
                status=MemberStatus.OFFICIAL,
                birth_date=date(1960, 1, 1),
                admission_date=date(1990, 1, 1),
                official_date=date(1991, 1, 1),
            )
        )
        if len(batch) == 10_000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)
    first_member = dict(
        Member.objects.filter(organization_id__in=[c for c, _p in cells])
        .order_by("organization_id", "pk")
        .distinct("organization_id")
        .values_list("organization_id", "pk")
    )
    first_cell = {}
    for cell_id, commune_id in cells:
        first_cell.setdefault(commune_id, cell_id)
    supervisor_of = {}
    positions = []
    for commune_id, cell_id in first_cell.items():
        supervisor = first_member[cell_id]
        supervisor_of[commune_id] = supervisor
        positions.append(
            Position(
                member_id=supervisor,
                organization_id=commune_id,
                role=PositionRole.COMMITTEE_MEMBER,
                start=date(2024, 1, 1),
            )
        )
    Position.objects.bulk_create(positions)
    SupervisionAssignment.objects.bulk_create(
        (
            SupervisionAssignment(
                supervisor_id=supervisor_of[commune_id],
                cell_id=cell_id,
                start=date(2024, 1, 1),
            )
            for cell_id, commune_id in cells
        ),
        batch_size=5000,
    )
    starts_at = datetime(
        meeting_day.year, meeting_day.month, meeting_day.day, 19, 30, tzinfo=HANOI
    )
    agenda = [
        {"title": title}
        for title in (
            "Khai mạc, điểm danh, tình hình đảng phí",
            "Đánh giá tình hình tháng",
            "Thông tin thời sự",
            "Tự phê bình và phê bình",
            "Nhiệm vụ tháng tới",
            "Biểu quyết nghị quyết",
        )
    ]
    Meeting.objects.bulk_create(
        (
            Meeting(
                cell_id=cell_id,
                kind=MeetingKind.REGULAR,
                planned_date=meeting_day,
                starts_at=starts_at,
                place=f"Nhà văn hoá thôn {n + 1}",
                topic=f"Sinh hoạt chi bộ thường kỳ tháng {meeting_day:%m/%Y}",
                agenda=agenda,
            )
            for n, (cell_id, _commune) in enumerate(cells)
        ),
        batch_size=5000,
    )
    return {"cells": len(cells), "communes": len(communes)}


def wait_for_line(path, text, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


def stop(process, name, timeout=30):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        say(f"{name} did not stop in {timeout}s: killing it")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--cell-size", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--db-name", default="chibo_notify_bench")
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--timeout", type=int, default=1200, help="seconds")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    # A TERM (or Ctrl-C) still runs the clean-up below: worker, sink, database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    bench_url, admin_url = database_urls(args.db_name)
    redis_base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis_url = f"{redis_base.rsplit('/', 1)[0]}/{args.redis_db}"
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    sink_file, worker_log = work / "sink.tsv", work / "worker.log"
    for path in (sink_file, worker_log):
        path.unlink(missing_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "DEFAULT_FROM_EMAIL": "Chi bộ <no-reply@bench.chibo.test>",
        "BASE_URL": "https://chibo.bench.test",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_ENV", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    say(f"database {args.db_name}, Redis {redis_url}, SMTP sink on 127.0.0.1:{port}")
    recreate_database(admin_url, args.db_name)
    sink = worker = None
    status = 1
    try:
        subprocess.run(  # noqa: S603 — our own manage.py
            [PY, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        import django

        django.setup()
        import redis
        from django.db.models import Count
        from django.utils import timezone

        from meetings import notify
        from meetings.models import Delivery

        redis.Redis.from_url(redis_url).flushdb()  # the bench's own Redis database
        meeting_day = timezone.localdate() + timedelta(days=10)
        began = time.monotonic()
        shape = build_roster(
            members=args.members, cell_size=args.cell_size, meeting_day=meeting_day
        )
        say(
            f"roster: {args.members:,} members in {shape['cells']:,} cells of "
            f"{args.cell_size} under {shape['communes']} communes, one meeting per "
            f"cell on {meeting_day:%d/%m/%Y} ({time.monotonic() - began:.1f}s)"
        )

        sink = subprocess.Popen(  # noqa: S603
            [PY, __file__, "sink", str(port), str(sink_file)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        if sink.stdout.readline().strip() != "sink ready":
            raise RuntimeError("the SMTP sink did not start")
        worker_out = open(work / "worker.out", "w")  # noqa: SIM115 — closed below
        worker = subprocess.Popen(  # noqa: S603
            [
                str(Path(PY).with_name("celery")),
                "-A",
                "chibo",
                "worker",
                "-Q",
                "notify",
                "-c",
                str(args.concurrency),
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                "bench@%h",
                "--logfile",
                str(worker_log),
            ],
            cwd=ROOT,
            env=env,
            stdout=worker_out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker_out.close()  # the child keeps its own copy
        if not wait_for_line(worker_log, "ready.", 60):
            raise RuntimeError(f"the worker did not start (see {worker_log})")
        say(f"worker ready (-Q notify -c {args.concurrency}); scanning")

        notice_day = meeting_day - timedelta(days=3)
        now = datetime(
            notice_day.year, notice_day.month, notice_day.day, 8, 0, tzinfo=HANOI
        )
        began = time.monotonic()
        result = notify.scan_notifications(now=now)
        scanned = time.monotonic() - began
        say(
            f"scan: {result.works:,} things due, {result.created:,} delivery rows "
            f"written, {result.enqueued:,} enqueued in {result.batches} batches "
            f"({scanned:.1f}s)"
        )
        total = Delivery.objects.count()
        last_report = 0.0
        while True:
            counts = dict(
                Delivery.objects.values("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
            pending = counts.get("queued", 0) + counts.get("sending", 0)
            elapsed = time.monotonic() - began
            if elapsed - last_report >= 15:
                say(f"{elapsed:6.0f}s  {counts}")
                last_report = elapsed
            if not pending:
                break
            if elapsed > args.timeout:
                raise RuntimeError(f"not settled after {args.timeout}s: {counts}")
            if worker.poll() is not None:
                raise RuntimeError(f"the worker died (see {worker_log})")
            time.sleep(0.5)
        elapsed = time.monotonic() - began
        stop(sink, "sink")
        sink = None

        received = [
            line.split("\t")
            for line in sink_file.read_text().splitlines()
            if line.strip()
        ]
        ids = [int(key) for key, _rcpt in received if key.isdigit()]
        emails = dict(
            Delivery.objects.filter(channel="email").values_list("pk", "member__email")
        )
        sent = set(
            Delivery.objects.filter(channel="email", status="sent").values_list(
                "pk", flat=True
            )
        )
        duplicates = len(ids) - len(set(ids))
        losses = len(set(emails) - set(ids))
        strangers = len(set(ids) - set(emails))
        misaddressed = sum(
            1
            for key, rcpt in received
            if key.isdigit() and emails.get(int(key)) != rcpt
        )
        not_sent = len(set(emails) - sent)
        rate = len(ids) / elapsed if elapsed else 0
        say("---------------------------------------------------------------")
        say(f"members            {args.members:,} ({shape['cells']:,} cells)")
        say(f"delivery rows      {total:,} ({len(emails):,} email)")
        say(f"emails received    {len(ids):,}")
        say(f"scan (fan-out)     {scanned:.1f} s")
        say(f"total time         {elapsed:.1f} s (scan start → all settled)")
        say(f"deliveries/second  {rate:,.0f}")
        say(f"duplicates         {duplicates}")
        say(f"losses             {losses} (rows not sent: {not_sent})")
        say(f"strangers / misaddressed  {strangers} / {misaddressed}")
        ok = not (duplicates or losses or strangers or misaddressed or not_sent)
        say("OK" if ok else "FAILED")
        status = 0 if ok else 1
    finally:
        stop(worker, "worker")
        stop(sink, "sink")
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            drop_database(admin_url, args.db_name)
    return status


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sink":
        run_sink(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(main())
