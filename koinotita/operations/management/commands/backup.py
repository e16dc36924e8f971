from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from koinotita.operations.backup import BackupError, backup_create, load_key, new_key


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the documents into DIR (new or empty): "
        "`koinotita backup DIR [--key-file FILE]`; KOINOTITA_BACKUP_KEY also encrypts. "
        "`koinotita backup --new-key` prints a new encryption key."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="a new or empty folder")
        parser.add_argument("--key-file", help="file holding the encryption key (Fernet)")
        parser.add_argument("--new-key", action="store_true", help="print a new key and exit")

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(new_key())
            return
        if not options["directory"]:
            raise CommandError(
                "Δώστε φάκελο: koinotita backup DIR / Give a folder: koinotita backup DIR"
            )
        try:
            key = load_key(key_file=options["key_file"])
            manifest = backup_create(
                directory=Path(options["directory"]), key=key, say=self.stdout.write
            )
        except BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"OK: {rows:,} rows in {len(manifest['counts'])} tables, "
            f"{manifest['documents']} documents, "
            f"{'encrypted' if manifest['encrypted'] else 'NOT encrypted'} → {options['directory']}"
        )
