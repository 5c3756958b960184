"""Recompute the stored rollups with the counting rules of issue 15 (plan-slot months,
roster member counts, suspended members not required, the first report deadline
after the meeting, superior members' attendance and speaker groups)."""

from django.db import migrations


def recompute_rollups(apps, schema_editor):
    """Recompute every stored cell-month (and its periods) with the rollup's own code.

    The rollup code reads the current models; when a later migration still has to
    change the rollup tables, the cell-months are marked dirty instead and the
    periodic sweep recomputes them once the schema is complete."""
    from evaluations.dashboard import rollup
    from evaluations.models import CellMonth as LiveCellMonth

    CellMonth = apps.get_model("evaluations", "CellMonth")
    RollupDirty = apps.get_model("evaluations", "RollupDirty")
    alias = schema_editor.connection.alias
    pairs = list(
        CellMonth.objects.using(alias)
        .order_by("cell_id", "month")
        .values_list("cell_id", "month")
    )
    if not pairs:
        return
    historical = {f.name for f in CellMonth._meta.local_concrete_fields}
    live = {f.name for f in LiveCellMonth._meta.local_concrete_fields}
    if historical != live or alias != "default":
        RollupDirty.objects.using(alias).bulk_create(
            [RollupDirty(cell_id=cell, month=month) for cell, month in pairs],
            ignore_conflicts=True,
        )
        return
    by_year = {}
    for cell_id, month in pairs:
        by_year.setdefault(month.year, (set(), set()))
        by_year[month.year][0].add(cell_id)
        by_year[month.year][1].add(month)
    for _year, (cells, months) in sorted(by_year.items()):
        cells = sorted(cells)
        for start in range(0, len(cells), rollup.CHUNK):
            rollup.recompute(cells[start : start + rollup.CHUNK], sorted(months))


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_rollup_supervised_speaker_groups"),
        ("meetings", "0009_attendance_suspended"),
        ("members", "0008_rule_settings_issue_15"),
    ]

    operations = [
        migrations.RunPython(recompute_rollups, migrations.RunPython.noop),
    ]
