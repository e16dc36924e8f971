"""`koinotita indicators --scope centre:CODE|region:CODE|national --from DATE --to DATE
--set esf2014|esfplus2021 --format json|xlsx|csv [--user USERNAME] [--output FILE]`.

`koinotita indicators --check [--submission ID] [--centre CODE]` recomputes submitted
snapshots from the micro-data (koinotita.monitoring.reports.submission_differences) and
reports every difference (definitions version, count by code and sex, aggregate check);
it fails (exit status 1) if any snapshot is not reproduced.

The operator's command reads as a user (`--user`) when given — scoped and suppressed as the
pages are. Without `--user` it is the operator's own reading on the server, for the
mechanism's national figures: suppressed whenever the scope is above one centre."""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from koinotita.accounts.models import User
from koinotita.monitoring.exports import report_csv, report_xlsx
from koinotita.monitoring.indicators import indicator_set, indicator_sets
from koinotita.monitoring.models import Submission
from koinotita.monitoring.reports import report_build, report_for_viewer, submission_differences
from koinotita.monitoring.selectors import (
    ReportScope,
    centres_of_scope,
    parse_scope,
    report_scope_for,
)

_KEYS = {"scope": "scope", "from": "start", "to": "end"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}.") from None


class Command(BaseCommand):
    help = "Compute the ESF indicators of a scope and period (json, xlsx or csv)."

    def add_arguments(self, parser):
        parser.add_argument("--scope", help="centre:CODE, region:CODE, national")
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD")
        parser.add_argument(
            "--check", action="store_true", help="recompute submitted snapshots and compare"
        )
        parser.add_argument("--submission", type=int, help="with --check: this submission")
        parser.add_argument("--centre", help="with --check: this centre's submissions")
        parser.add_argument("--set", default="esf2014", choices=sorted(indicator_sets()))
        parser.add_argument("--format", default="json", choices=["json", "xlsx", "csv"])
        parser.add_argument("--user", help="read as this user (scoped like the pages)")
        parser.add_argument("--activity", action="store_true", help="add the activity report")
        parser.add_argument("--output", type=Path, help="write here (default: standard output)")
        parser.add_argument("--language", default="el", choices=["el", "en"])

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            if options["check"]:
                self._check(options)
                return
            missing = [f"--{n}" for n in ("scope", "from", "to") if not options[_KEYS[n]]]
            if missing:
                raise CommandError(f"Give {', '.join(missing)} (or --check).")
            self._run(options)

    def _check(self, options):
        submissions = Submission.objects.select_related("centre").order_by("pk")
        if options["submission"]:
            submissions = submissions.filter(pk=options["submission"])
        if options["centre"]:
            submissions = submissions.filter(centre__code=options["centre"])
        checked, different = 0, 0
        for submission in submissions:
            checked += 1
            found = submission_differences(submission)
            title = (
                f"#{submission.pk} {submission.centre.code} {submission.period_start}–"
                f"{submission.period_end} {submission.indicator_set} v{submission.version}"
            )
            if found:
                different += 1
                self.stdout.write(f"{title}: {len(found)} differences")
                for line in found:
                    self.stdout.write(f"  {line}")
            else:
                self.stdout.write(f"{title}: reproduced")
        if not checked:
            raise CommandError("No submission to check.")
        if different:
            raise CommandError(f"{different} of {checked} submissions are not reproduced.")
        self.stdout.write(f"{checked} submissions reproduced from the records.")

    def _scope(self, options) -> ReportScope:
        spec = options["scope"]
        try:
            level, code = parse_scope(spec)
        except ValueError:
            raise CommandError(
                f"Unknown scope {spec!r}: centre:CODE, region:CODE or national."
            ) from None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['user']!r}.")
            try:
                return report_scope_for(user, spec)
            except Http404:
                raise CommandError(f"{spec} is outside the scope of {user.username}.") from None
        try:
            label, centres = centres_of_scope(level, code)
        except Http404:
            raise CommandError(f"Unknown scope {spec!r}.") from None
        ids = tuple(sorted(centres.values_list("pk", flat=True)))
        return ReportScope(level, code, label, ids, suppress=level != "centre")

    def _run(self, options):
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from.")
        report_scope = self._scope(options)
        built = report_build(
            report_scope=report_scope,
            indicator_set=indicator_set(options["set"]),
            start=start,
            end=end,
            activity=options["activity"],
        )
        shown = report_for_viewer(built, suppress_cells=report_scope.suppress)
        fmt = options["format"]
        if fmt == "json":
            content = json.dumps(shown.as_json(), ensure_ascii=False, indent=2).encode() + b"\n"
        elif fmt == "csv":
            content = report_csv(shown)
        else:
            content = report_xlsx(shown)
        if options["output"]:
            options["output"].write_bytes(content)
            self.stderr.write(f"Written {options['output']} ({len(content):,} bytes).")
        elif fmt == "xlsx":
            raise CommandError("Give --output FILE.xlsx for an Excel file.")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
