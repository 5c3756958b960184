"""What locked minutes print never changes, whatever the code path (ORM update(),
raw SQL, admin, shell): the database refuses

- any write to a vote, reserved opinion, attendance row or guest of locked minutes,
  checking the row's parent before the change (OLD) *and* after it (NEW), so a row
  can neither be moved out of locked minutes nor into them;
- changing a meeting's printed columns (cell, kind, date and time, place, topic,
  combined flag, draft resolution, presenter, agenda, model/online flags) once its
  minutes are locked, or moving its state back before "locked"; deleting it;
- changing or deleting an addendum someone signed (signatures are set once);
- changing or deleting an issued resolution;
- TRUNCATE of any of these tables (PostgreSQL; SQLite has no TRUNCATE). A session
  that says SET chibo.audit_truncate = 'allow' (the test suite emptying its
  throwaway database) may TRUNCATE, as for the audit log.

Replaces the vote/reserved-opinion/attendance triggers of 0003, which looked at one
side only (COALESCE(NEW, OLD)).
"""

from django.db import migrations

PRINTED_MEETING_COLUMNS = (
    "cell_id",
    "kind",
    "starts_at",
    "planned_date",
    "place",
    "topic",
    "is_combined",
    "draft_resolution",
    "presenter_id",
    "agenda",
    "is_model",
    "is_online",
)
AFTER_LOCK_STATES = ("locked", "submitted", "acknowledged", "returned")
# (table, parent column, how the parent leads to the minutes)
CHILDREN = (
    ("meetings_vote", "minutes_id", "minutes"),
    ("meetings_reservedopinion", "vote_id", "vote"),
    ("meetings_attendance", "meeting_id", "meeting"),
    ("meetings_guest", "meeting_id", "meeting"),
)
TRUNCATE_GUARDED = (
    "meetings_minutes",
    "meetings_meeting",
    "meetings_vote",
    "meetings_reservedopinion",
    "meetings_attendance",
    "meetings_guest",
    "meetings_addendum",
    "meetings_resolution",
)

_states = ", ".join(f"'{state}'" for state in AFTER_LOCK_STATES)
_old = ", ".join(f"OLD.{c}" for c in PRINTED_MEETING_COLUMNS)
_new = ", ".join(f"NEW.{c}" for c in PRINTED_MEETING_COLUMNS)

POSTGRES = f"""
DROP TRIGGER IF EXISTS vote_locked ON meetings_vote;
DROP TRIGGER IF EXISTS reservedopinion_locked ON meetings_reservedopinion;
DROP TRIGGER IF EXISTS attendance_locked ON meetings_attendance;
DROP FUNCTION IF EXISTS chibo_refuse_child_of_locked();

CREATE OR REPLACE FUNCTION chibo_parent_locked(via text, parent bigint)
RETURNS boolean AS $$
BEGIN
    IF parent IS NULL THEN RETURN false; END IF;
    IF via = 'minutes' THEN
        RETURN EXISTS (SELECT 1 FROM meetings_minutes
                       WHERE id = parent AND locked_at IS NOT NULL);
    ELSIF via = 'meeting' THEN
        RETURN EXISTS (SELECT 1 FROM meetings_minutes
                       WHERE meeting_id = parent AND locked_at IS NOT NULL);
    ELSIF via = 'vote' THEN
        RETURN EXISTS (SELECT 1 FROM meetings_vote v
                       JOIN meetings_minutes m ON m.id = v.minutes_id
                       WHERE v.id = parent AND m.locked_at IS NOT NULL);
    ELSIF via = 'task' THEN
        RETURN EXISTS (SELECT 1 FROM evaluations_task t
                       JOIN meetings_minutes m ON m.meeting_id = t.meeting_id
                       WHERE t.id = parent AND m.locked_at IS NOT NULL);
    END IF;
    RAISE EXCEPTION 'chibo_parent_locked: unknown parent kind %', via;
END $$ LANGUAGE plpgsql STABLE;

-- TG_ARGV: the parent column, the kind of parent. Both sides of an UPDATE count.
CREATE OR REPLACE FUNCTION chibo_refuse_child_of_locked() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND chibo_parent_locked(
            TG_ARGV[1], (to_jsonb(OLD) ->> TG_ARGV[0])::bigint)
       OR TG_OP IN ('UPDATE', 'INSERT') AND chibo_parent_locked(
            TG_ARGV[1], (to_jsonb(NEW) ->> TG_ARGV[0])::bigint) THEN
        RAISE EXCEPTION 'chibo: % belongs to locked minutes', TG_TABLE_NAME
            USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_locked_meeting() RETURNS trigger AS $$
BEGIN
    IF chibo_parent_locked('meeting', OLD.id) THEN
        IF TG_OP = 'DELETE'
           OR ({_new}) IS DISTINCT FROM ({_old})
           OR NEW.state NOT IN ({_states}) THEN
            RAISE EXCEPTION 'chibo: meeting % has locked minutes', OLD.id
                USING ERRCODE = '23514';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_signed_addendum() RETURNS trigger AS $$
BEGIN
    IF OLD.taker_signed_at IS NOT NULL OR OLD.chair_signed_at IS NOT NULL THEN
        IF TG_OP = 'DELETE'
           OR (NEW.text, NEW.minutes_id, NEW.created_at)
              IS DISTINCT FROM (OLD.text, OLD.minutes_id, OLD.created_at)
           OR OLD.taker_signed_at IS NOT NULL
              AND NEW.taker_signed_at IS DISTINCT FROM OLD.taker_signed_at
           OR OLD.chair_signed_at IS NOT NULL
              AND NEW.chair_signed_at IS DISTINCT FROM OLD.chair_signed_at THEN
            RAISE EXCEPTION 'chibo: addendum % is signed', OLD.id
                USING ERRCODE = '23514';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_issued_resolution() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'chibo: resolution % is issued', OLD.id USING ERRCODE = '23514';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('chibo.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'chibo: % keeps party records: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER meeting_locked BEFORE UPDATE OR DELETE ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_locked_meeting();
CREATE TRIGGER addendum_signed BEFORE UPDATE OR DELETE ON meetings_addendum
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_signed_addendum();
CREATE TRIGGER resolution_issued BEFORE UPDATE OR DELETE ON meetings_resolution
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_issued_resolution();
""" + "".join(
    f"""
CREATE TRIGGER {table[9:]}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_child_of_locked('{column}', '{via}');
"""
    for table, column, via in CHILDREN
) + "".join(
    f"""
CREATE TRIGGER {table[9:]}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION chibo_refuse_truncate();
"""
    for table in TRUNCATE_GUARDED
)

POSTGRES_REVERSE = (
    "".join(
        f"DROP TRIGGER IF EXISTS {table[9:]}_no_truncate ON {table};\n"
        for table in TRUNCATE_GUARDED
    )
    + "".join(
        f"DROP TRIGGER IF EXISTS {table[9:]}_locked ON {table};\n"
        for table, _column, _via in CHILDREN
    )
    + """
DROP TRIGGER IF EXISTS meeting_locked ON meetings_meeting;
DROP TRIGGER IF EXISTS addendum_signed ON meetings_addendum;
DROP TRIGGER IF EXISTS resolution_issued ON meetings_resolution;
DROP FUNCTION IF EXISTS chibo_refuse_truncate();
DROP FUNCTION IF EXISTS chibo_refuse_issued_resolution();
DROP FUNCTION IF EXISTS chibo_refuse_signed_addendum();
DROP FUNCTION IF EXISTS chibo_refuse_locked_meeting();
DROP FUNCTION IF EXISTS chibo_refuse_child_of_locked();
DROP FUNCTION IF EXISTS chibo_parent_locked(text, bigint);
"""
)

# SQLite: RAISE takes a literal message; one trigger per table and operation.
SQLITE_LOCKED = {
    "minutes": "SELECT 1 FROM meetings_minutes WHERE id = {ref} AND locked_at IS NOT NULL",
    "meeting": (
        "SELECT 1 FROM meetings_minutes WHERE meeting_id = {ref} "
        "AND locked_at IS NOT NULL"
    ),
    "vote": (
        "SELECT 1 FROM meetings_vote v JOIN meetings_minutes m ON m.id = v.minutes_id "
        "WHERE v.id = {ref} AND m.locked_at IS NOT NULL"
    ),
    "task": (
        "SELECT 1 FROM evaluations_task t JOIN meetings_minutes m "
        "ON m.meeting_id = t.meeting_id WHERE t.id = {ref} AND m.locked_at IS NOT NULL"
    ),
}
OLD_SQLITE_NAMES = [
    f"{table}_locked_{op}"
    for table in ("meetings_vote", "meetings_attendance", "meetings_reservedopinion")
    for op in ("insert", "update", "delete")
]


def sqlite_child_triggers(table, column, via, name=None):
    """CREATE TRIGGER statements refusing writes to `table` rows of locked minutes,
    on both sides of an UPDATE."""
    name = name or table
    locked = SQLITE_LOCKED[via]
    message = f"chibo: {table} belongs to locked minutes"
    sides = {
        "INSERT": f"EXISTS ({locked.format(ref='NEW.' + column)})",
        "UPDATE": (
            f"EXISTS ({locked.format(ref='OLD.' + column)}) "
            f"OR EXISTS ({locked.format(ref='NEW.' + column)})"
        ),
        "DELETE": f"EXISTS ({locked.format(ref='OLD.' + column)})",
    }
    return [
        f"""CREATE TRIGGER {name}_locked_{op.lower()} BEFORE {op} ON {table}
        FOR EACH ROW WHEN {condition}
        BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        for op, condition in sides.items()
    ]


_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in PRINTED_MEETING_COLUMNS)
_meeting_locked = SQLITE_LOCKED["meeting"].format(ref="OLD.id")
SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in OLD_SQLITE_NAMES),
    *(
        statement
        for table, column, via in CHILDREN
        for statement in sqlite_child_triggers(table, column, via)
    ),
    f"""CREATE TRIGGER meetings_meeting_locked_update BEFORE UPDATE ON meetings_meeting
    FOR EACH ROW WHEN EXISTS ({_meeting_locked})
        AND ({_changed} OR NEW.state NOT IN ({_states}))
    BEGIN SELECT RAISE(ABORT, 'chibo: the meeting has locked minutes'); END""",
    f"""CREATE TRIGGER meetings_meeting_locked_delete BEFORE DELETE ON meetings_meeting
    FOR EACH ROW WHEN EXISTS ({_meeting_locked})
    BEGIN SELECT RAISE(ABORT, 'chibo: the meeting has locked minutes'); END""",
    """CREATE TRIGGER meetings_addendum_signed_update BEFORE UPDATE ON meetings_addendum
    FOR EACH ROW WHEN (OLD.taker_signed_at IS NOT NULL OR OLD.chair_signed_at IS NOT NULL)
        AND (NEW.text IS NOT OLD.text OR NEW.minutes_id IS NOT OLD.minutes_id
             OR NEW.created_at IS NOT OLD.created_at
             OR (OLD.taker_signed_at IS NOT NULL
                 AND NEW.taker_signed_at IS NOT OLD.taker_signed_at)
             OR (OLD.chair_signed_at IS NOT NULL
                 AND NEW.chair_signed_at IS NOT OLD.chair_signed_at))
    BEGIN SELECT RAISE(ABORT, 'chibo: the addendum is signed'); END""",
    """CREATE TRIGGER meetings_addendum_signed_delete BEFORE DELETE ON meetings_addendum
    FOR EACH ROW WHEN OLD.taker_signed_at IS NOT NULL OR OLD.chair_signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'chibo: the addendum is signed'); END""",
    """CREATE TRIGGER meetings_resolution_issued_update BEFORE UPDATE
    ON meetings_resolution
    BEGIN SELECT RAISE(ABORT, 'chibo: the resolution is issued'); END""",
    """CREATE TRIGGER meetings_resolution_issued_delete BEFORE DELETE
    ON meetings_resolution
    BEGIN SELECT RAISE(ABORT, 'chibo: the resolution is issued'); END""",
]


def _run(schema_editor, sql):
    # A plain cursor: the PL/pgSQL "%" placeholders must not meet Python formatting.
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
            if statement.startswith("CREATE TRIGGER"):
                _run(schema_editor, f"DROP TRIGGER IF EXISTS {statement.split()[2]}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_pdf"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
