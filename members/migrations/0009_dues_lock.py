"""A closed month of dues never changes, whatever the code path (ORM update(), raw
SQL, admin, shell): the database refuses

- any write to a payment of a closed month, checking the row before the change
  (OLD) *and* after it (NEW), so a payment can neither leave a closed month nor
  enter one;
- changing a closed month (its totals and remittance are frozen) or deleting it;
- changing or deleting an adjustment (corrections are written once);
- TRUNCATE of these tables (PostgreSQL), unless the session says
  SET chibo.audit_truncate = 'allow' (the test suite emptying its database), as for
  the audit log and locked minutes.
"""

from django.db import migrations

MONTH_COLUMNS = (
    "cell_id",
    "month",
    "closed_at",
    "closed_by_id",
    "due_total",
    "paid_total",
    "retained_percent",
    "retained_amount",
    "remitted_amount",
)
GUARDED = ("members_duespayment", "members_duesmonth", "members_duesadjustment")
_old = ", ".join(f"OLD.{c}" for c in MONTH_COLUMNS)
_new = ", ".join(f"NEW.{c}" for c in MONTH_COLUMNS)

POSTGRES = f"""
CREATE OR REPLACE FUNCTION chibo_dues_month_closed(p_cell bigint, p_month date)
RETURNS boolean AS $$
    SELECT EXISTS (SELECT 1 FROM members_duesmonth
                   WHERE cell_id = p_cell AND month = p_month
                   AND closed_at IS NOT NULL)
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION chibo_refuse_closed_dues_payment() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE')
            AND chibo_dues_month_closed(OLD.cell_id, OLD.month)
       OR TG_OP IN ('UPDATE', 'INSERT')
            AND chibo_dues_month_closed(NEW.cell_id, NEW.month) THEN
        RAISE EXCEPTION 'chibo: the month of dues is closed' USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_closed_dues_month() RETURNS trigger AS $$
BEGIN
    IF OLD.closed_at IS NOT NULL AND (
            TG_OP = 'DELETE' OR ({_new}) IS DISTINCT FROM ({_old})) THEN
        RAISE EXCEPTION 'chibo: the month of dues is closed' USING ERRCODE = '23514';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_dues_adjustment_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'chibo: a dues adjustment is written once' USING ERRCODE = '23514';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chibo_refuse_dues_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('chibo.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'chibo: % keeps party records: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER duespayment_closed BEFORE INSERT OR UPDATE OR DELETE
    ON members_duespayment
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_closed_dues_payment();
CREATE TRIGGER duesmonth_closed BEFORE UPDATE OR DELETE ON members_duesmonth
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_closed_dues_month();
CREATE TRIGGER duesadjustment_written_once BEFORE UPDATE OR DELETE
    ON members_duesadjustment
    FOR EACH ROW EXECUTE FUNCTION chibo_refuse_dues_adjustment_change();
""" + "".join(
    f"""
CREATE TRIGGER {table[8:]}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION chibo_refuse_dues_truncate();
"""
    for table in GUARDED
)

POSTGRES_REVERSE = "".join(
    f"DROP TRIGGER IF EXISTS {table[8:]}_no_truncate ON {table};\n"
    for table in GUARDED
) + """
DROP TRIGGER IF EXISTS duespayment_closed ON members_duespayment;
DROP TRIGGER IF EXISTS duesmonth_closed ON members_duesmonth;
DROP TRIGGER IF EXISTS duesadjustment_written_once ON members_duesadjustment;
DROP FUNCTION IF EXISTS chibo_refuse_dues_truncate();
DROP FUNCTION IF EXISTS chibo_refuse_dues_adjustment_change();
DROP FUNCTION IF EXISTS chibo_refuse_closed_dues_month();
DROP FUNCTION IF EXISTS chibo_refuse_closed_dues_payment();
DROP FUNCTION IF EXISTS chibo_dues_month_closed(bigint, date);
"""

_closed = (
    "SELECT 1 FROM members_duesmonth WHERE cell_id = {side}.cell_id "
    "AND month = {side}.month AND closed_at IS NOT NULL"
)
_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in MONTH_COLUMNS)
_message = "chibo: the month of dues is closed"
SQLITE = [
    f"""CREATE TRIGGER members_duespayment_closed_insert BEFORE INSERT
    ON members_duespayment FOR EACH ROW WHEN EXISTS ({_closed.format(side="NEW")})
    BEGIN SELECT RAISE(ABORT, '{_message}'); END""",
    f"""CREATE TRIGGER members_duespayment_closed_update BEFORE UPDATE
    ON members_duespayment FOR EACH ROW
    WHEN EXISTS ({_closed.format(side="OLD")}) OR EXISTS ({_closed.format(side="NEW")})
    BEGIN SELECT RAISE(ABORT, '{_message}'); END""",
    f"""CREATE TRIGGER members_duespayment_closed_delete BEFORE DELETE
    ON members_duespayment FOR EACH ROW WHEN EXISTS ({_closed.format(side="OLD")})
    BEGIN SELECT RAISE(ABORT, '{_message}'); END""",
    f"""CREATE TRIGGER members_duesmonth_closed_update BEFORE UPDATE
    ON members_duesmonth FOR EACH ROW
    WHEN OLD.closed_at IS NOT NULL AND ({_changed})
    BEGIN SELECT RAISE(ABORT, '{_message}'); END""",
    f"""CREATE TRIGGER members_duesmonth_closed_delete BEFORE DELETE
    ON members_duesmonth FOR EACH ROW WHEN OLD.closed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{_message}'); END""",
    """CREATE TRIGGER members_duesadjustment_once_update BEFORE UPDATE
    ON members_duesadjustment
    BEGIN SELECT RAISE(ABORT, 'chibo: a dues adjustment is written once'); END""",
    """CREATE TRIGGER members_duesadjustment_once_delete BEFORE DELETE
    ON members_duesadjustment
    BEGIN SELECT RAISE(ABORT, 'chibo: a dues adjustment is written once'); END""",
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
            _run(schema_editor, f"DROP TRIGGER IF EXISTS {statement.split()[2]}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_dues"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
