"""Backups: `make backup` dumps the database and the stored files with a manifest of
SHA-256 hashes; `make restore` verifies the manifest and restores into a fresh
database, where every locked minutes and its PDF are intact and the hash chain
verifies. The scripts run for real (pg_dump, pg_restore, sha256sum)."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from meetings import pdf
from meetings.models import Minutes, MinutesPdf
from members.models import AuditEntry
from tests.factories.meetings import locked_meeting
from tests.factories.times import at

ROOT = Path(__file__).resolve().parents[1]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run(script, *args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "MEDIA_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 — our own scripts
        ["bash", f"scripts/{script}", *map(str, args)],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def url_of(name):
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    return f"postgresql://{params['USER']}@{host}:{port}/{name}"


def admin():
    params = connection.settings_dict
    link = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    link.autocommit = True
    return link


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database to restore into, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    link = admin()
    with link.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with link.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    link.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only(reason="backs up with pg_dump, restores with pg_restore")
def test_backup_and_restore_keep_locked_minutes_pdfs_and_chain(
    tree, users, tmp_path, media_root, fresh_database
):
    # Arrange: two locked minutes of the cell, their PDFs rendered and chained
    for day in (3, 10):
        locked_meeting(
            tree.cell,
            chair=tree.secretary,
            taker=tree.member,
            by=users.secretary,
            starts_at=at(2026, 11, day, 19, 30),
            conclusion=f"Kết luận ngày {day}",
        )
    pdf.render_pending(cell_id=tree.cell.pk)
    records = list(MinutesPdf.objects.filter(status="done").order_by("position"))
    assert len(records) == 2
    originals = {r.file.name: sha256(media_root / r.file.name) for r in records}
    audit_count = AuditEntry.objects.count()
    backup = tmp_path / "backup"

    # Act: back up the test database, restore into an empty one
    made = run(
        "backup.sh",
        backup,
        DATABASE_URL=url_of(connection.settings_dict["NAME"]),
        MEDIA_ROOT=media_root,
    )
    restored_media = tmp_path / "restored-media"
    restored = run(
        "restore.sh",
        backup,
        DATABASE_URL=url_of(fresh_database),
        MEDIA_ROOT=restored_media,
    )

    # Assert: the backup's manifest covers the dump and every stored file
    assert made.returncode == 0, made.stderr
    manifest = (backup / "MANIFEST.sha256").read_text().splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in manifest}
    assert "database.pgdump" in listed
    for name, digest in originals.items():
        assert listed[f"media/{name}"] == digest
    # … and the restore verified it, restored it and found the chain intact
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "every chain verifies" in restored.stdout
    for name, digest in originals.items():
        assert sha256(restored_media / name) == digest
    link = psycopg2.connect(url_of(fresh_database))
    try:
        with link.cursor() as cursor:
            cursor.execute(
                "SELECT m.conclusion, p.file, p.sha256, p.previous_sha256"
                " FROM meetings_minutes m JOIN meetings_minutespdf p"
                " ON p.minutes_id = m.id WHERE m.locked_at IS NOT NULL"
                " ORDER BY p.position"
            )
            rows = cursor.fetchall()
            cursor.execute("SELECT count(*) FROM members_auditentry")
            restored_audit = cursor.fetchone()[0]
    finally:
        link.close()
    assert [(c, f, s) for c, f, s, _p in rows] == [
        (m.conclusion, r.file.name, r.sha256)
        for r in records
        for m in [Minutes.objects.get(pk=r.minutes_id)]
    ]
    assert rows[1][3] == rows[0][2]  # the chain link survives
    assert restored_audit == audit_count


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only(reason="backs up with pg_dump, restores with pg_restore")
def test_restore_refuses_a_non_empty_database_and_an_altered_backup(
    tree, tmp_path, media_root, fresh_database
):
    # Arrange: a backup restored once
    (media_root / "meetings").mkdir(parents=True)
    (media_root / "meetings" / "doc.pdf").write_bytes(b"%PDF-1.4 original")
    backup = tmp_path / "backup"
    source = url_of(connection.settings_dict["NAME"])
    assert (
        run("backup.sh", backup, DATABASE_URL=source, MEDIA_ROOT=media_root).returncode
        == 0
    )
    target = {"DATABASE_URL": url_of(fresh_database), "MEDIA_ROOT": tmp_path / "m2"}
    assert run("restore.sh", backup, **target).returncode == 0

    # Act
    again = run("restore.sh", backup, **{**target, "MEDIA_ROOT": tmp_path / "m3"})
    altered = tmp_path / "altered"
    shutil.copytree(backup, altered)
    (altered / "media" / "meetings" / "doc.pdf").write_bytes(b"%PDF-1.4 forged")
    forged = run("restore.sh", altered, "--force", **target)
    forced = run("restore.sh", backup, "--force", **target)

    # Assert
    assert again.returncode == 4
    assert "already holds" in again.stderr
    assert forged.returncode == 3
    assert "does not match its manifest" in forged.stderr
    assert (
        tmp_path / "m2" / "meetings" / "doc.pdf"
    ).read_bytes() == b"%PDF-1.4 original"
    assert forced.returncode == 0, forced.stderr


def test_backup_and_restore_of_the_embedded_sqlite_database(tmp_path):
    # Arrange: the embedded default's database, migrated, with a stored file
    source = tmp_path / "chibo.sqlite3"
    media = tmp_path / "media"
    (media / "meetings").mkdir(parents=True)
    (media / "meetings" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    env = {"DATABASE_URL": f"sqlite:///{source}", "CHIBO_VAR_DIR": str(tmp_path)}
    migrate = subprocess.run(  # noqa: S603 — our own manage.py
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    tables = (
        sqlite3.connect(source)
        .execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .fetchone()[0]
    )

    # Act
    made = run("backup.sh", tmp_path / "backup", MEDIA_ROOT=media, **env)
    target = tmp_path / "restored.sqlite3"
    restored = run(
        "restore.sh",
        tmp_path / "backup",
        DATABASE_URL=f"sqlite:///{target}",
        CHIBO_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=tmp_path / "restored-media",
    )

    # Assert
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "backup" / "database.sqlite3").exists()
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert (
        sqlite3.connect(target)
        .execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .fetchone()[0]
        == tables
    )
    assert (tmp_path / "restored-media" / "meetings" / "a.pdf").read_bytes() == (
        b"%PDF-1.4 a"
    )
