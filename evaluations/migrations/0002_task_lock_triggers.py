"""Tasks assigned in locked minutes are printed with them: the database refuses to
change their text, deadline, meeting, cell or party group, to add or remove their
assignees, to delete them, and to add a task to locked minutes — on both sides of an
UPDATE. Their review outcome (the next meeting's work) stays writable. TRUNCATE is
refused as for the meetings tables (meetings 0007)."""

from django.db import migrations

PRINTED = ("meeting_id", "cell_id", "text", "deadline", "party_group_id")
_old = ", ".join(f"OLD.{c}" for c in PRINTED)
_new = ", ".join(f"NEW.{c}" for c in PRINTED)

POSTGRES = f"""
CREATE OR REPLACE FUNCTION chibo_refuse_locked_task() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' AND chibo_parent_locked('meeting', NEW.meeting_id)
       OR TG_OP = 'DELETE' AND chibo_parent_locked('meeting', OLD.meeting_id)
       OR TG_OP = 'UPDATE' AND ({_new}) IS DISTINCT FROM ({_old})
          AND (chibo_parent_locked('meeting', OLD.meeting_id)
               OR chibo_parent_locked('meeting', NEW.meeting_id)) THEN
        RAISE EXCEPTION 'chibo: the task belongs to locked minutes'
            USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER task_locked BEFORE INSERT OR UPDATE OR DELETE ON evaluations_task
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_locked_task();
CREATE TRIGGER task_assignees_locked
    BEFORE INSERT OR UPDATE OR DELETE ON evaluations_task_assignees
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_child_of_locked('task_id', 'task');
CREATE TRIGGER task_no_truncate BEFORE TRUNCATE ON evaluations_task
    FOR EACH STATEMENT EXECUTE FUNCTION chibo_refuse_truncate();
CREATE TRIGGER task_assignees_no_truncate BEFORE TRUNCATE ON evaluations_task_assignees
    FOR EACH STATEMENT EXECUTE FUNCTION chibo_refuse_truncate();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS task_locked ON evaluations_task;
DROP TRIGGER IF EXISTS task_assignees_locked ON evaluations_task_assignees;
DROP TRIGGER IF EXISTS task_no_truncate ON evaluations_task;
DROP TRIGGER IF EXISTS task_assignees_no_truncate ON evaluations_task_assignees;
DROP FUNCTION IF EXISTS chibo_refuse_locked_task();
"""

LOCKED_MEETING = (
    "EXISTS (SELECT 1 FROM meetings_minutes WHERE meeting_id = {ref} "
    "AND locked_at IS NOT NULL)"
)
LOCKED_TASK = (
    "EXISTS (SELECT 1 FROM evaluations_task t JOIN meetings_minutes m "
    "ON m.meeting_id = t.meeting_id WHERE t.id = {ref} AND m.locked_at IS NOT NULL)"
)
_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in PRINTED)
MESSAGE = "SELECT RAISE(ABORT, 'chibo: the task belongs to locked minutes')"
SQLITE = [
    f"""CREATE TRIGGER evaluations_task_locked_insert BEFORE INSERT ON evaluations_task
    FOR EACH ROW WHEN {LOCKED_MEETING.format(ref="NEW.meeting_id")}
    BEGIN {MESSAGE}; END""",
    f"""CREATE TRIGGER evaluations_task_locked_update BEFORE UPDATE ON evaluations_task
    FOR EACH ROW WHEN ({_changed}) AND ({LOCKED_MEETING.format(ref="OLD.meeting_id")}
        OR {LOCKED_MEETING.format(ref="NEW.meeting_id")})
    BEGIN {MESSAGE}; END""",
    f"""CREATE TRIGGER evaluations_task_locked_delete BEFORE DELETE ON evaluations_task
    FOR EACH ROW WHEN {LOCKED_MEETING.format(ref="OLD.meeting_id")}
    BEGIN {MESSAGE}; END""",
    f"""CREATE TRIGGER evaluations_task_assignees_locked_insert BEFORE INSERT
    ON evaluations_task_assignees
    FOR EACH ROW WHEN {LOCKED_TASK.format(ref="NEW.task_id")}
    BEGIN {MESSAGE}; END""",
    f"""CREATE TRIGGER evaluations_task_assignees_locked_update BEFORE UPDATE
    ON evaluations_task_assignees
    FOR EACH ROW WHEN {LOCKED_TASK.format(ref="OLD.task_id")}
        OR {LOCKED_TASK.format(ref="NEW.task_id")}
    BEGIN {MESSAGE}; END""",
    f"""CREATE TRIGGER evaluations_task_assignees_locked_delete BEFORE DELETE
    ON evaluations_task_assignees
    FOR EACH ROW WHEN {LOCKED_TASK.format(ref="OLD.task_id")}
    BEGIN {MESSAGE}; END""",
]


def _run(schema_editor, sql):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            _run(schema_editor, statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            _run(schema_editor, f"DROP TRIGGER IF EXISTS {statement.split()[2]}")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("meetings", "0007_lock_everything_printed"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
