"""`koinotita directory import FILE|DIR`, `koinotita directory export [--format] OUT` and
`koinotita directory verification-mail [--dry-run]` (run it daily or monthly: each partner
is asked once a month to confirm their organisation's services).

Import reads HSDS 3.0 — JSON (a list of organisations or services, as in HSDS's examples)
or the tabular form (a folder of CSV files with its datapackage.json) — all or nothing, and
prints every rejected record in Greek and in English. Export writes the whole directory as
HSDS JSON (an organisation package) or as the tabular CSV form into a folder.
"""

import sys
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from koinotita.accounts.models import User
from koinotita.directory.services import directory_export, directory_import, verification_mail

SHOW = 200


class Bar:
    """A one-line progress bar on a terminal; nothing when output is not a terminal."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width = stream, width
        self.enabled = getattr(stream, "isatty", lambda: False)()
        self.started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        share = min(done / total, 1.0) if total else 1.0
        bar = "#" * int(share * self.width)
        elapsed = time.perf_counter() - self.started
        self.stream.write(
            f"\r{stage:<6} [{bar:<{self.width}}] {done:>7,}/{total:,} {elapsed:5.1f} s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import or export the directory of services as HSDS 3.0 (JSON or tabular CSV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        read = sub.add_parser("import", help="import an HSDS JSON file or a folder of HSDS CSV")
        read.add_argument("file", type=Path, help="a .json file, or a folder / datapackage.json")
        read.add_argument(
            "--check", action="store_true", help="check only: report, and write nothing"
        )
        read.add_argument("--user", help="username of the administrator importing (audited)")
        write = sub.add_parser("export", help="export the directory as HSDS")
        write.add_argument("out", type=Path, help="a .json file, or a folder for --format csv")
        write.add_argument("--format", choices=["json", "csv"], default="json")
        write.add_argument("--user", help="username of the one exporting (audited)")
        mail = sub.add_parser(
            "verification-mail",
            help="ask each partner, once a month, to confirm their organisation's services",
        )
        mail.add_argument("--dry-run", action="store_true", help="count only: send nothing")

    def _user(self, username):
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        return user

    def handle(self, *args, **options):
        if options["action"] == "import":
            self._import(options)
        elif options["action"] == "verification-mail":
            self._verification_mail(options)
        else:
            self._export(options)

    def _verification_mail(self, options):
        report = verification_mail(dry_run=options["dry_run"])
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(
            f"Verification e-mails {verb}: {report.sent}; asked this month already: "
            f"{report.already}; partners without an e-mail: {report.without_email}; "
            f"organisations without an active service: {report.without_services}."
        )

    def _import(self, options):
        started = time.perf_counter()
        try:
            report = directory_import(
                path=options["file"],
                actor=self._user(options["user"]),
                dry_run=options["check"],
                progress=Bar(self.stdout),
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        out = self.stdout
        out.write(f"HSDS import: {report.source}")
        if report.error is not None:
            out.write(self.style.ERROR(f"  {report.error.text('el')}"))
            out.write(self.style.ERROR(f"  {report.error.text('en')}"))
            out.write("Τίποτα δεν εισήχθη. / Nothing was imported.")
            sys.exit(2)
        read = sum(report.read.values())
        out.write(f"  records read / εγγραφές που διαβάστηκαν: {read:,}")
        for name, count in report.read.items():
            out.write(f"    {name:<22} {count:>7,}")
        for name, count in sorted(report.skipped.items()):
            out.write(f"  skipped (not kept by Koinotita) / παραλείφθηκαν: {name} {count:,}")
        if report.problems:
            out.write(
                self.style.ERROR(
                    f"  rejected / απορρίφθηκαν: {len(report.problems):,} — "
                    "Τίποτα δεν εισήχθη. / Nothing was imported."
                )
            )
            for problem in report.problems[:SHOW]:
                where = f"{problem.where} {problem.table} {problem.record_id}".strip()
                out.write(f"  ✗ {where}")
                out.write(f"      el: {problem.text_el}")
                out.write(f"      en: {problem.text_en}")
            if len(report.problems) > SHOW:
                out.write(f"  … {len(report.problems) - SHOW:,} more / ακόμη")
            sys.exit(1)
        if options["check"]:
            out.write(
                self.style.SUCCESS("  Έλεγχος χωρίς σφάλματα. / Check passed; nothing written.")
            )
            return
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        unchanged = sum(report.unchanged.values())
        deleted = sum(report.deleted.values())
        out.write(
            self.style.SUCCESS(
                f"  created / νέες: {created:,}  updated / ενημερώθηκαν: {updated:,}  "
                f"unchanged / αμετάβλητες: {unchanged:,}  removed / αφαιρέθηκαν: {deleted:,}  "
                f"({time.perf_counter() - started:.1f} s)"
            )
        )

    def _export(self, options):
        started = time.perf_counter()
        bar = Bar(self.stdout)
        bar("export", 0, 1)
        counts = directory_export(
            out=options["out"], fmt=options["format"], actor=self._user(options["user"])
        )
        bar("export", 1, 1)
        self.stdout.write(f"HSDS export ({options['format']}): {options['out']}")
        for name, count in counts.items():
            self.stdout.write(f"    {name:<22} {count:>7,}")
        self.stdout.write(self.style.SUCCESS(f"  done in {time.perf_counter() - started:.1f} s"))
