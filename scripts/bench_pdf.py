"""`make bench-pdf`: how long WeasyPrint takes to render chibo's party documents.

Builds a cell in its own throwaway PostgreSQL test database (Django's test-database
machinery, dropped at the end), holds and locks 12 monthly meetings whose minutes
make a typical 3-page document, then prints the median of several renders of:

- one locked minutes as PDF/A-3b with its JSON attachment (what the worker stores);
- the 12-meeting minute book (cover, table of contents, 12 minutes; one PDF/A);
- where LibreOffice is installed (`libreoffice`/`soffice`), the time it takes to
  convert an equivalent .docx to PDF headless (what secretaries do today), and the
  ratio to WeasyPrint's time. The .docx is made by LibreOffice from the same HTML.

Budgets (issue 4): ≤ 1.0 s per minutes, ≤ 10 s per minute book on a 2-core machine.

    .venv/bin/python scripts/bench_pdf.py [--runs 7] [--book-runs 3]
"""

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTES_BUDGET = 1.0
BOOK_BUDGET = 10.0


def say(*parts):
    print("bench-pdf:", *parts, flush=True)  # noqa: T201 — a command-line report


def timed(function, runs):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def build_cell():
    """A cell of 12 members with a year of 12 locked regular meetings."""
    from meetings import services
    from members.models import OrgKind, PositionRole
    from tests.factories import (
        MemberFactory,
        OrganizationFactory,
        PositionFactory,
        UserFactory,
    )

    province = OrganizationFactory(
        name="Tỉnh ủy Nghệ An", kind=OrgKind.PROVINCE_COMMITTEE, place="Nghệ An"
    )
    ward = OrganizationFactory(
        name="Đảng bộ phường Trường Vinh",
        kind=OrgKind.COMMUNE_COMMITTEE,
        parent=province,
    )
    cell = OrganizationFactory(name="Chi bộ Khối phố 5", parent=ward)
    secretary = MemberFactory(organization=cell, full_name="Lê Văn Hùng")
    PositionFactory(member=secretary, organization=cell, role=PositionRole.SECRETARY)
    taker = MemberFactory(organization=cell, full_name="Trần Thị Mai")
    others = MemberFactory.create_batch(10, organization=cell)
    chair_user = UserFactory(username="bench-secretary", member=secretary)
    taker_user = UserFactory(username="bench-taker", member=taker)
    speakers = [secretary, taker, *others[:4]]
    meetings = []
    for month in range(1, 13):
        when = datetime(2026, month, 5, 19, 30, tzinfo=HANOI)
        meeting = services.create_meeting(
            cell=cell,
            kind="regular",
            starts_at=when,
            by=chair_user,
            place="Nhà văn hóa khối phố 5",
        )
        minutes = services.start_meeting(meeting=meeting, by=chair_user)
        services.record_attendance(
            meeting=meeting,
            rows={
                others[0].pk: {"status": "absent_excused", "reason": "Đi công tác"},
                others[1].pk: {"status": "absent_unexcused"},
            },
            by=chair_user,
        )
        minutes = services.save_minutes(
            minutes=minutes,
            version=minutes.version,
            by=chair_user,
            chair=secretary,
            minute_taker=taker,
            started_at=when,
            ended_at=when + timedelta(minutes=120),
            opening="Chi bộ đã thu đảng phí đầy đủ; thông qua chương trình.",
            items=[
                {
                    "title": title,
                    "speakers": [
                        {
                            "name": person.full_name,
                            "gist": "Nhất trí với báo cáo; đề nghị chi ủy phân công "
                            "cụ thể việc vận động nhân dân giữ gìn an ninh trật tự "
                            "và vệ sinh môi trường khu dân cư.",
                        }
                        for person in speakers[:4]
                    ],
                    "conclusion": "Chi bộ thống nhất giao chi ủy tổ chức thực hiện.",
                }
                for title in (
                    "Đánh giá kết quả thực hiện nghị quyết tháng trước",
                    "Thông tin thời sự, chủ trương mới của cấp trên",
                    "Tình hình tư tưởng đảng viên; phê bình và tự phê bình",
                    "Phương hướng, nhiệm vụ tháng tới",
                )
            ],
            recommendations="Đề nghị Đảng ủy phường hỗ trợ sửa chữa nhà văn hóa.",
            conclusion="Chi bộ thống nhất ban hành nghị quyết về nhiệm vụ tháng tới.",
        )
        services.record_vote(
            minutes=minutes,
            subject="thông qua nghị quyết",
            kind="resolution",
            yes=9,
            no=0,
            abstain=1,
        )
        services.adopt_minutes(minutes=minutes, by=chair_user)
        services.sign_minutes(minutes=minutes, user=chair_user)
        services.sign_minutes(minutes=minutes, user=taker_user)
        services.lock_minutes(minutes=minutes, by=chair_user)
        meetings.append(meeting)
    return cell, meetings


def libreoffice_ratio(meeting, weasy_seconds, runs):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        say("LibreOffice: not installed (libreoffice/soffice not on PATH) — no ratio")
        return
    from django.template.loader import render_to_string

    from meetings import pdf

    context = pdf.minutes_context(meeting)
    context["draft"] = False
    css = (ROOT / "static" / "pdf" / "print.css").read_text()
    html = render_to_string("pdf/minutes.html", context).replace(
        "</head>", f"<style>{css}</style></head>"
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        profile = f"-env:UserInstallation=file://{work / 'profile'}"
        (work / "bien-ban.html").write_text(html, encoding="utf-8")
        subprocess.run(  # noqa: S603 — the local LibreOffice, our own file
            [
                office,
                profile,
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(work),
                str(work / "bien-ban.html"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        docx = work / "bien-ban.docx"

        def convert():
            subprocess.run(  # noqa: S603 — the local LibreOffice, our own file
                [
                    office,
                    profile,
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work / "out"),
                    str(docx),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )

        convert()  # the first start builds LibreOffice's profile: not timed
        seconds, _ = timed(convert, runs)
    say(
        f"LibreOffice headless .docx → PDF: median {seconds:.2f} s over {runs} runs "
        f"(process start included) — ratio LibreOffice / WeasyPrint = "
        f"{seconds / weasy_seconds:.1f}×"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--book-runs", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    # Locking enqueues renders and rollups: keep them in memory, away from any broker.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.setdefault(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/chibo_bench_pdf"
    )
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from meetings import pdf

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("meetings.notify").setLevel(logging.ERROR)
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    say(f"database {name} (dropped at the end)")
    try:
        cell, meetings = build_cell()
        meeting = meetings[10]
        pdf.render_minutes(meeting)  # fonts and stylesheet load once per process
        seconds, rendered = timed(lambda: pdf.render_minutes(meeting), args.runs)
        say(
            f"minutes PDF/A-3b ({rendered.pages} pages, {len(rendered.content):,} "
            f"bytes): median {seconds:.3f} s over {args.runs} runs "
            f"(budget {MINUTES_BUDGET:.1f} s) — "
            + ("OK" if seconds <= MINUTES_BUDGET else "OVER BUDGET")
        )
        book_seconds, book = timed(
            lambda: pdf.render_minute_book(cell, 2026), args.book_runs
        )
        say(
            f"minute book of 12 meetings ({book.pages} pages, "
            f"{len(book.content):,} bytes): median {book_seconds:.2f} s over "
            f"{args.book_runs} runs (budget {BOOK_BUDGET:.0f} s) — "
            + ("OK" if book_seconds <= BOOK_BUDGET else "OVER BUDGET")
        )
        libreoffice_ratio(meeting, seconds, max(3, args.runs // 2))
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
