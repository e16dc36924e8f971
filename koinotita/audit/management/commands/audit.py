import sys

from django.core.management.base import BaseCommand, CommandError

from koinotita.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `koinotita audit verify` checks every hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="recompute every event's hash and check the chains")

    def handle(self, *args, **options):
        if options["subcommand"] == "verify":
            self._verify()

    def _verify(self):
        def progress(n):
            if sys.stderr.isatty():
                sys.stderr.write(f"\r  checked {n:,} events…")

        result = audit_verify(progress=progress)
        if sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 40 + "\r")
        if result.ok:
            self.stdout.write(
                f"OK: {result.events:,} events in {result.chains} chains, every link intact."
            )
            return
        for link in result.broken:
            self.stdout.write(f"BROKEN: {link}")
        raise CommandError(
            f"Audit trail broken in {len(result.broken)} of {result.chains} chains; "
            f"first broken link: {result.broken[0]}"
        )
