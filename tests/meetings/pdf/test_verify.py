"""Tamper evidence: verify_minutes and the chain page (meetings/pdf/verify.py)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from meetings import pdf
from tests.meetings.pdf.helpers import at, hold_meeting, stored


def test_verify_minutes_reports_exactly_the_altered_meeting(
    tree, users, place, persona_client
):
    meetings = [
        hold_meeting(tree, users, when=at(2026, month, 3), tasks=False)
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
