import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
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
        _record(result.ok, result.events)
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


def _record(ok: bool, events: int) -> None:
    """The last verification's outcome, for /healthz (var/last_audit_verify.json)."""
    path = Path(settings.VAR_DIR) / "last_audit_verify.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    path.write_text(json.dumps({"at": at, "ok": ok, "events": events}))
