"""Recompute the dashboards' per-cell-per-month rollup from the raw tables and print
how many rows differed (0 on a consistent database)."""

import time

from django.core.management.base import BaseCommand, CommandError

from evaluations.dashboard import rollup
from members.models import Organization


class Command(BaseCommand):
    help = "Recompute the compliance rollup (evaluations.CellMonth) from raw data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--org", type=int, help="only the subtree of this node (id)"
        )
        parser.add_argument(
            "--year", type=int, action="append", help="only this year (repeatable)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only count the differences, write nothing",
        )

    def handle(self, *args, **options):
        org = None
        if options["org"]:
            org = Organization.objects.filter(pk=options["org"]).first()
            if org is None:
                raise CommandError(f"No organisation with id {options['org']}.")
        started = time.monotonic()
        last = [0.0]

        def progress(year, done, total):
            if time.monotonic() - last[0] > 5 or done == total:
                last[0] = time.monotonic()
                self.stderr.write(f"  {year}: {done}/{total} cells")

        differences = rollup.rebuild(
            org=org,
            years=options["year"],
            dry_run=options["check"],
            progress=progress,
        )
        self.stdout.write(
            f"differences: {differences} "
            f"({'checked' if options['check'] else 'rewritten'} in "
            f"{time.monotonic() - started:.1f} s)"
        )
