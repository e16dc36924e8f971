from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from koinotita.audit.selectors import audit_verify
from koinotita.operations.backup import BackupError, load_key, restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `koinotita backup` into the configured database, which "
        "must be empty, then check every table's row count and the audit trail."
    )

    requires_system_checks = []  # nothing may open the (empty) target before the restore

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--key-file", help="file holding the encryption key (Fernet)")

    def handle(self, *args, **options):
        try:
            key = load_key(key_file=options["key_file"])
            result = restore(directory=Path(options["directory"]), key=key, say=self.stdout.write)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"restored: {result.rows:,} rows in {result.tables} tables")
        if result.count_mismatches:
            for line in result.count_mismatches:
                self.stdout.write(f"COUNT MISMATCH: {line}")
            raise CommandError(
                "Οι γραμμές που επανήλθαν δεν ταιριάζουν με το αντίγραφο. / "
                "The restored row counts do not match the backup."
            )
        connections.close_all()
        verified = audit_verify()
        if not verified.ok:
            for link in verified.broken:
                self.stdout.write(f"BROKEN: {link}")
            raise CommandError(
                "Η αλυσίδα του ημερολογίου ελέγχου είναι σπασμένη μετά την επαναφορά. / "
                "The audit trail is broken after the restore."
            )
        self.stdout.write(
            f"OK: row counts match; audit trail intact ({verified.events:,} events in "
            f"{verified.chains} chains)."
        )
