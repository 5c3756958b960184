"""Recompute the stored rollups: the cell committee meeting of each month is counted
(expected for cells with a committee, held or not)."""

from importlib import import_module

from django.db import migrations


def recompute_rollups(apps, schema_editor):
    """The recompute of 0004 (the rollup's own code, or dirty marks when a later
    migration still changes the rollup tables)."""
    earlier = import_module("evaluations.migrations.0004_recompute_rollups")
    earlier.recompute_rollups(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0006_rollup_committee_meetings"),
    ]

    operations = [
        migrations.RunPython(recompute_rollups, migrations.RunPython.noop),
    ]
