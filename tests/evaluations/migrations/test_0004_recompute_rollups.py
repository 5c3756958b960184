"""The data migration that recomputes stored rollups with issue 15's counting rules."""

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from evaluations.dashboard import rollup
from evaluations.models import CellMonth, RollupDirty
from tests.factories.facts import held_on
from tests.factories.times import freeze

pytestmark = pytest.mark.django_db

migration = importlib.import_module("evaluations.migrations.0004_recompute_rollups")


def test_migration_recomputes_stale_rollups(tree, monkeypatch, capsys):
    freeze(monkeypatch, date(2026, 11, 23))
    held_on(tree.cell, date(2026, 11, 3))
    rollup.rebuild(years=[2026])
    # Rows as the old rules stored them: members counted differently, no
    # superior attendance column yet.
    CellMonth.objects.filter(cell=tree.cell, month=date(2026, 11, 1)).update(
        members=99, official_members=98, att_required=42
    )
    call_command("rebuild_rollups", "--year", "2026", "--check")
    assert capsys.readouterr().out.startswith("differences: 1 ")

    migration.recompute_rollups(apps, SimpleNamespace(connection=connection))

    row = CellMonth.objects.get(cell=tree.cell, month=date(2026, 11, 1))
    assert (row.members, row.official_members, row.att_required) == (5, 5, 5)
    call_command("rebuild_rollups", "--year", "2026", "--check")
    assert capsys.readouterr().out.startswith("differences: 0 ")
    assert not RollupDirty.objects.exists()


def test_migration_on_an_empty_database_does_nothing(db):
    migration.recompute_rollups(apps, SimpleNamespace(connection=connection))
    assert not CellMonth.objects.exists()
    assert not RollupDirty.objects.exists()
