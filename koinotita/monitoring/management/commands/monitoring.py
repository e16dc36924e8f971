"""`koinotita monitoring rollup [--rebuild] [--months N]`: bring the dashboards' monthly
rollup up to date (cron: nightly without --rebuild; a full rebuild now and then)."""

import time

from django.core.management.base import BaseCommand

from koinotita.monitoring.dashboards import rollup_refresh


class Command(BaseCommand):
    help = "Monitoring tasks: `rollup` (the dashboards' monthly figures)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="task", required=True)
        rollup = sub.add_parser("rollup", help="recompute the monthly rollup")
        rollup.add_argument("--rebuild", action="store_true", help="recompute every month")
        rollup.add_argument(
            "--months", type=int, default=3, help="without --rebuild: the months recomputed"
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        run = rollup_refresh(rebuild=options["rebuild"], months=options["months"])
        scope = "all months" if run.rebuild else f"from {run.from_month:%Y-%m}"
        self.stdout.write(
            f"Rollup {scope}: {run.cells:,} cells in {time.perf_counter() - started:.1f} s."
        )
