"""`koinotita monitoring rollup [--rebuild] [--months N]`: bring the dashboards' monthly
rollup up to date (cron: nightly without --rebuild; a full rebuild now and then).

`koinotita monitoring summarise [--check]`: rebuild the per-participant summary the
indicator reports read from the participation records (after a bulk load of records, or
an upgrade); with `--check`, only count the summary rows that differ from the records."""

import time

from django.core.management.base import BaseCommand, CommandError

from koinotita.monitoring.dashboards import rollup_refresh
from koinotita.monitoring.summary import summary_differences, summary_rebuild


class Command(BaseCommand):
    help = "Monitoring tasks: `rollup` (the dashboards' monthly figures), `summarise`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="task", required=True)
        rollup = sub.add_parser("rollup", help="recompute the monthly rollup")
        rollup.add_argument("--rebuild", action="store_true", help="recompute every month")
        rollup.add_argument(
            "--months", type=int, default=3, help="without --rebuild: the months recomputed"
        )
        summarise = sub.add_parser(
            "summarise", help="rebuild the per-participant summary of the indicator reports"
        )
        summarise.add_argument(
            "--check", action="store_true", help="only count the rows that differ; write nothing"
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["task"] == "summarise":
            if options["check"]:
                wrong = summary_differences()
                if wrong:
                    raise CommandError(
                        f"{wrong:,} summary rows differ from the records: run "
                        "`koinotita monitoring summarise`."
                    )
                self.stdout.write("The summary matches the participation records.")
                return
            rows = summary_rebuild()
            self.stdout.write(
                f"Summary: {rows:,} participants in {time.perf_counter() - started:.1f} s."
            )
            return
        run = rollup_refresh(rebuild=options["rebuild"], months=options["months"])
        scope = "all months" if run.rebuild else f"from {run.from_month:%Y-%m}"
        self.stdout.write(
            f"Rollup {scope}: {run.cells:,} cells in {time.perf_counter() - started:.1f} s."
        )
