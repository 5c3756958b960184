"""Recompute the hash chain of stored minutes PDFs and report every break.

    manage.py verify_minutes              every cell with stored minutes
    manage.py verify_minutes --cell 12    one cell (repeatable)

Each stored file's SHA-256 is recomputed and compared with its record, each
record's link (the SHA-256 of the cell's previous locked minutes) with the record
before it, and the data embedded in each minutes' latest PDF (its JSON attachment)
with what the database says today (drift is reported by meeting). Exit status 1
when anything is broken, so it can run from cron.
"""

from django.core.management.base import BaseCommand, CommandError

from meetings import pdf
from meetings.models import MinutesPdf


class Command(BaseCommand):
    help = "Verify the hash chain of stored minutes PDFs and report every break."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cell",
            type=int,
            action="append",
            dest="cells",
            help="Primary key of a cell to verify (repeatable); default: all.",
        )

    def handle(self, *args, cells=None, **options):
        if not cells:
            cells = list(
                MinutesPdf.objects.order_by("cell_id")
                .values_list("cell_id", flat=True)
                .distinct()
            )
        broken = 0
        for cell_id in cells:
            report = pdf.verify_chain(cell_id, compare_data=True)
            if report.ok:
                self.stdout.write(
                    f"cell {cell_id}: OK — {report.checked} stored, "
                    f"{report.pending} pending"
                )
                continue
            for item in report.breaks:
                broken += 1
                self.stdout.write(
                    f"cell {cell_id}: BROKEN at link {item.position} — meeting "
                    f"{item.meeting_id} (record {item.record_id}): {item.problem}"
                )
        if broken:
            raise CommandError(f"{broken} break(s) in the chain of stored minutes")
        self.stdout.write(self.style.SUCCESS("every chain verifies"))
