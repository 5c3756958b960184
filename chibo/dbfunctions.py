"""Database functions that PostgreSQL and SQLite (the embedded default) both run.

Every backend-specific piece of SQL in chibo lives here, one `as_sqlite` beside the
PostgreSQL template, so the two products answer every query the same way.
"""

from django.db.models import Func, IntegerField


class JsonInt(Func):
    """A JSON value holding a number or a numeric string, as an integer."""

    arity = 1
    template = "(%(expressions)s #>> '{}')::integer"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps JSON as text: json_extract gives the number or the string.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(json_extract(%(expressions)s, '$') AS INTEGER)",
            **extra_context,
        )


class DaysBetween(Func):
    """Whole days from the second date expression to the first (later − earlier)."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores dates as ISO text: subtract their Julian day numbers.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )
