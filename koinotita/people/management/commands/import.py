"""`koinotita import persons FILE.csv|FILE.xlsx` — see koinotita/people/imports.py."""

import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from koinotita.accounts.models import User
from koinotita.accounts.scoping import Capability, scope_for
from koinotita.organisations.models import Centre
from koinotita.people.import_kinds import import_kinds
from koinotita.people.imports import (
    ImportFileError,
    ImportReport,
    TerminalProgress,
    expected_headers,
    import_file_read,
    import_path_read,
    person_import,
    person_import_check,
)

SHOW_REJECTED = 50


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def print_report(report: ImportReport, out, *, dry_run: bool = False) -> None:
    out.write(f"File: {report.file_name}")
    out.write(f"  rows read:  {report.rows_read:,}")
    if report.blank_rows:
        out.write(f"  blank rows skipped: {report.blank_rows:,}")
    out.write(f"  valid:      {len(report.valid):,}")
    out.write(f"  rejected:   {len(report.rejected):,}")
    out.write(f"  warnings:   {len(report.warnings):,}")
    out.write(f"  written:    {report.written:,}" + (" (check only)" if dry_run else ""))
    for note in report.notes:
        out.write(f"Note: {note}")
    for row in report.rejected[:SHOW_REJECTED]:
        out.write(f"REJECTED line {row.line}: {row.reason}")
    if len(report.rejected) > SHOW_REJECTED:
        out.write(f"… and {len(report.rejected) - SHOW_REJECTED:,} more rejected rows.")
    for warning in report.warnings[:SHOW_REJECTED]:
        out.write(f"WARNING {warning}")
    if len(report.warnings) > SHOW_REJECTED:
        out.write(f"… and {len(report.warnings) - SHOW_REJECTED:,} more warnings.")


class Command(BaseCommand):
    help = (
        "Import records from a file: `koinotita import persons FILE.csv|FILE.xlsx`, "
        "`koinotita import participations FILE.csv`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        persons = sub.add_parser(
            "persons",
            help="persons from CSV (UTF-8 or Windows-1253, `,` or `;`) or XLSX (first sheet)",
            epilog="Columns (Greek or English headers): " + expected_headers(),
        )
        persons.add_argument("file", type=Path)
        persons.add_argument(
            "--centre", help="code of the centre the persons belong to (e.g. kastoria)"
        )
        persons.add_argument(
            "--user",
            help="username of the supervisor importing (recorded as the one who registered "
            "them; duplicates are looked for in that user's scope)",
        )
        mode = persons.add_mutually_exclusive_group()
        mode.add_argument(
            "--all-or-nothing",
            dest="partial",
            action="store_false",
            help="write nothing if any row is rejected (the default)",
        )
        mode.add_argument(
            "--partial", dest="partial", action="store_true", help="write the valid rows"
        )
        persons.set_defaults(partial=False)
        persons.add_argument(
            "--dry-run", action="store_true", help="check the file and write nothing"
        )
        persons.add_argument(
            "--rejected", type=Path, help="write the rejected rows, with the reason, to this CSV"
        )
        persons.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes that validate rows in parallel (default: the number of cores, "
            "at most 4)",
        )
        persons.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the messages in the report",
        )
        for kind in import_kinds().values():
            kind.add_arguments(sub)

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            other = import_kinds().get(options["kind"])
            if other is not None:
                return other.run(self, options)
            self._persons(options)

    def _actor_and_centre(self, options):
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']!r}.")
        if options["centre"]:
            centre = Centre.objects.filter(code=options["centre"], is_active=True).first()
            if centre is None:
                raise CommandError(f"No active centre with code {options['centre']!r}.")
        elif actor is not None:
            ids = scope_for(actor).centre_ids(Capability.SUPERVISE)
            if len(ids) != 1:
                raise CommandError("Say which centre with --centre CODE.")
            centre = Centre.objects.get(pk=next(iter(ids)))
        else:
            raise CommandError("Say which centre with --centre CODE.")
        return actor, centre

    def _persons(self, options):
        actor, centre = self._actor_and_centre(options)
        path: Path = options["file"]
        try:
            data = import_path_read(path)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc.messages[0]}") from None
        bar = TerminalProgress(sys.stderr)
        started = time.perf_counter()
        try:
            table = import_file_read(name=path.name, data=data, progress=bar)
            if options["dry_run"]:
                report = person_import_check(
                    actor=actor,
                    centre=centre,
                    table=table,
                    workers=options["workers"],
                    progress=bar,
                )
            else:
                report = person_import(
                    actor=actor,
                    centre=centre,
                    table=table,
                    partial=options["partial"],
                    workers=options["workers"],
                    progress=bar,
                )
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc.messages[0]}") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.finish()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Centre: {centre.code}")
        print_report(report, self.stdout, dry_run=options["dry_run"])
        self.stdout.write(
            f"Time: {elapsed:.1f} s ({report.rows_read / max(elapsed, 1e-9):,.0f} rows/s)"
        )
        if options["rejected"] and report.rejected:
            options["rejected"].write_bytes(report.rejected_csv())
            self.stdout.write(f"Rejected rows written to {options['rejected']}")
        if report.error:
            raise CommandError(report.error)
        if options["dry_run"] and report.rejected:
            raise CommandError(f"{len(report.rejected):,} rows would be rejected.")
