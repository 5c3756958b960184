"""Tamper evidence: verify_minutes and the chain page (meetings/pdf/verify.py)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from meetings import pdf
from tests.factories.meetings import full_meeting
from tests.factories.times import at
from tests.support.pdf import stored


def test_verify_minutes_reports_exactly_the_altered_meeting(
    tree, users, place, persona_client
):
    meetings = [
        full_meeting(tree, users, when=at(2026, month, 3, 19, 30), tasks=False)
        for month in (9, 10, 11)
    ]
    pdf.render_pending(cell_id=tree.cell.pk)
    out = io.StringIO()
    call_command("verify_minutes", "--cell", str(tree.cell.pk), stdout=out)
    assert f"cell {tree.cell.pk}: OK — 3 stored, 0 pending" in out.getvalue()

    # Act: change one byte of the second stored file
    target = stored(meetings[1])
    path = Path(settings.MEDIA_ROOT) / target.file.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    # Assert
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 break"):
        call_command("verify_minutes", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "BROKEN" in line]
    assert lines == [
        f"cell {tree.cell.pk}: BROKEN at link 2 — meeting {meetings[1].pk} "
        f"(record {target.pk}): file altered (SHA-256 differs)"
    ]
    page = persona_client("member").get(
        reverse("meetings:minutes-chain", args=[tree.cell.pk]),
        headers={"HX-Request": "true"},
    )
    body = page.content.decode()
    assert 'id="minutes-chain-status"' in body
    assert reverse("meetings:meeting-detail", args=[meetings[1].pk]) in body
    assert reverse("meetings:meeting-detail", args=[meetings[0].pk]) not in body


def test_verify_minutes_reports_data_changed_behind_the_record(tree, users, place):
    """A change the locks cannot see (here a member renamed after the minutes were
    stored) makes the database differ from the data embedded in the PDF."""
    meetings = [
        full_meeting(tree, users, when=at(2026, month, 3, 19, 30), tasks=False)
        for month in (9, 10)
    ]
    pdf.render_pending(cell_id=tree.cell.pk)
    tree.member.full_name = "Tên Đã Bị Sửa"
    tree.member.save()

    out = io.StringIO()
    with pytest.raises(CommandError, match="2 break"):
        call_command("verify_minutes", "--cell", str(tree.cell.pk), stdout=out)

    lines = [line for line in out.getvalue().splitlines() if "BROKEN" in line]
    prefixes = [
        f"cell {tree.cell.pk}: BROKEN at link {n} — meeting {meeting.pk} "
        f"(record {stored(meeting).pk}): database differs from the stored PDF: "
        for n, meeting in enumerate(meetings, start=1)
    ]
    assert len(lines) == 2
    for line, prefix in zip(lines, prefixes, strict=True):
        assert line.startswith(prefix), line
        assert "attendance" in line.removeprefix(prefix).split(", ")


@pytest.mark.postgresql_only(reason="disables the lock triggers with ALTER TABLE")
def test_verify_minutes_reports_a_place_changed_with_the_locks_off(tree, users, place):
    from django.db import connection

    meeting = full_meeting(tree, users, when=at(2026, 9, 3, 19, 30), tasks=False)
    pdf.render_pending(cell_id=tree.cell.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE meetings_meeting DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE meetings_meeting SET place = 'Nơi giả' WHERE id = %s",
            [meeting.pk],
        )
        cursor.execute("ALTER TABLE meetings_meeting ENABLE TRIGGER USER")

    report = pdf.verify_chain(tree.cell.pk, compare_data=True)

    assert [(b.meeting_id, b.problem) for b in report.breaks] == [
        (meeting.pk, "database differs from the stored PDF: place")
    ]
