"""Locked minutes cannot change: database triggers refuse any UPDATE or DELETE of a
locked minutes row, and any write to its votes, reserved opinions and attendance,
whatever the code path (ORM update(), raw SQL, admin)."""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION chibo_refuse_locked_minutes() RETURNS trigger AS $$
BEGIN
    IF OLD.locked_at IS NOT NULL THEN
        RAISE EXCEPTION 'chibo: minutes % are locked', OLD.id USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER minutes_locked BEFORE UPDATE OR DELETE ON meetings_minutes
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_locked_minutes();

CREATE OR REPLACE FUNCTION chibo_refuse_child_of_locked() RETURNS trigger AS $$
DECLARE
    locked boolean;
BEGIN
    IF TG_TABLE_NAME = 'meetings_vote' THEN
        SELECT m.locked_at IS NOT NULL INTO locked FROM meetings_minutes m
        WHERE m.id = COALESCE(NEW.minutes_id, OLD.minutes_id);
    ELSIF TG_TABLE_NAME = 'meetings_reservedopinion' THEN
        SELECT m.locked_at IS NOT NULL INTO locked FROM meetings_minutes m
        JOIN meetings_vote v ON v.minutes_id = m.id
        WHERE v.id = COALESCE(NEW.vote_id, OLD.vote_id);
    ELSE
        SELECT m.locked_at IS NOT NULL INTO locked FROM meetings_minutes m
        WHERE m.meeting_id = COALESCE(NEW.meeting_id, OLD.meeting_id);
    END IF;
    IF locked THEN
        RAISE EXCEPTION 'chibo: % belongs to locked minutes', TG_TABLE_NAME
            USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER vote_locked BEFORE INSERT OR UPDATE OR DELETE ON meetings_vote
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_child_of_locked();
CREATE TRIGGER reservedopinion_locked BEFORE INSERT OR UPDATE OR DELETE
    ON meetings_reservedopinion
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_child_of_locked();
CREATE TRIGGER attendance_locked BEFORE INSERT OR UPDATE OR DELETE
    ON meetings_attendance
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_child_of_locked();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS minutes_locked ON meetings_minutes;
DROP TRIGGER IF EXISTS vote_locked ON meetings_vote;
DROP TRIGGER IF EXISTS reservedopinion_locked ON meetings_reservedopinion;
DROP TRIGGER IF EXISTS attendance_locked ON meetings_attendance;
DROP FUNCTION IF EXISTS chibo_refuse_locked_minutes();
DROP FUNCTION IF EXISTS chibo_refuse_child_of_locked();
"""
SQLITE = [
    """CREATE TRIGGER minutes_locked_update BEFORE UPDATE ON meetings_minutes
       FOR EACH ROW WHEN OLD.locked_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'chibo: minutes are locked'); END""",
    """CREATE TRIGGER minutes_locked_delete BEFORE DELETE ON meetings_minutes
       FOR EACH ROW WHEN OLD.locked_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'chibo: minutes are locked'); END""",
]
for table, key, lookup in [
    ("meetings_vote", "minutes_id", "SELECT locked_at FROM meetings_minutes WHERE id = {ref}.minutes_id"),
    ("meetings_attendance", "meeting_id", "SELECT locked_at FROM meetings_minutes WHERE meeting_id = {ref}.meeting_id"),
    ("meetings_reservedopinion", "vote_id", "SELECT m.locked_at FROM meetings_minutes m JOIN meetings_vote v ON v.minutes_id = m.id WHERE v.id = {ref}.vote_id"),
]:
    for op, ref in [("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")]:
        SQLITE.append(
            f"""CREATE TRIGGER {table}_locked_{op.lower()} BEFORE {op} ON {table}
            FOR EACH ROW WHEN ({lookup.format(ref=ref)}) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'chibo: {table} belongs to locked minutes'); END"""
        )


def _run(schema_editor, sql):
    # A plain cursor: the PL/pgSQL "%" placeholders must not meet Python formatting.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            name = statement.split()[2]
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_agenda_templates")]
    operations = [migrations.RunPython(forwards, backwards)]
