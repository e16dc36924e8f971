"""`koinotita import participations FILE`: the kind of import this app adds to people's
`koinotita import` command (registered in MonitoringConfig.ready())."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from koinotita.accounts.models import User
from koinotita.monitoring.imports import expected_headers, participation_import
from koinotita.organisations.models import Centre
from koinotita.people.import_kinds import ImportKind
from koinotita.people.imports import ImportFileError, import_path_read


def add_import_arguments(sub) -> None:
    """The `participations` subcommand of `koinotita import`."""
    parser = sub.add_parser(
        "participations",
        help="ESF participation records (entry, exit, follow-up) from CSV or XLSX",
        epilog="Columns (Greek or English headers): " + expected_headers(),
    )
    parser.add_argument("file")
    parser.add_argument("--centre", required=True, help="code of the centre (e.g. kastoria)")
    parser.add_argument("--user", required=True, help="username of the supervisor importing")
    parser.add_argument("--partial", action="store_true", help="write the valid rows")
    parser.add_argument("--dry-run", action="store_true", help="check and write nothing")
    parser.add_argument("--rejected", help="write the rejected rows, with the reason, here")
    parser.add_argument("--language", choices=["el", "en"], default="el")


def run(command, options) -> None:
    """Run `koinotita import participations`."""
    actor = User.objects.filter(username=options["user"], is_active=True).first()
    if actor is None:
        raise CommandError(f"No active user {options['user']!r}.")
    centre = Centre.objects.filter(code=options["centre"], is_active=True).first()
    if centre is None:
        raise CommandError(f"No active centre with code {options['centre']!r}.")
    path = Path(options["file"])
    try:
        data = import_path_read(path)
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
    except ImportFileError as exc:
        raise CommandError(f"{path.name}: {exc.messages[0]}") from None
    try:
        report = participation_import(
            actor=actor,
            centre=centre,
            name=path.name,
            data=data,
            partial=options["partial"],
            dry_run=options["dry_run"],
        )
    except ImportFileError as exc:
        raise CommandError(f"{path.name}: {exc.messages[0]}") from None
    except PermissionDenied as exc:
        raise CommandError(str(exc)) from None
    out = command.stdout
    out.write(f"Centre: {centre.code}")
    out.write(f"File: {report.file_name}")
    out.write(f"  rows read:  {report.rows_read:,}")
    out.write(f"  valid:      {len(report.valid):,}")
    out.write(f"  rejected:   {len(report.rejected):,}")
    out.write(f"  written:    {report.written:,}" + (" (check only)" if options["dry_run"] else ""))
    for row in report.rejected[:50]:
        out.write(f"REJECTED line {row.line}: {row.reason}")
    if options["rejected"] and report.rejected:
        Path(options["rejected"]).write_bytes(report.rejected_csv())
        out.write(f"Rejected rows written to {options['rejected']}")
    if report.error:
        raise CommandError(report.error)
    if options["dry_run"] and report.rejected:
        raise CommandError(f"{len(report.rejected):,} rows would be rejected.")


KIND = ImportKind("participations", add_import_arguments, run)
