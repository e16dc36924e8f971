from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from koinotita.accounts.models import User
from koinotita.accounts.selectors import has_confirmed_device, recovery_codes_left
from koinotita.accounts.services import two_factor_reset


class Command(BaseCommand):
    help = (
        "Two-factor authentication: `twofactor status USERNAME`, "
        "`twofactor reset USERNAME --reason TEXT` (the user enrols again at the next login)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        status = sub.add_parser("status", help="does the user have an app, recovery codes")
        status.add_argument("username")
        reset = sub.add_parser("reset", help="remove the user's app and recovery codes")
        reset.add_argument("username")
        reset.add_argument("--reason", required=True, help="why (kept in the audit trail)")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"Δεν υπάρχει χρήστης «{options['username']}». / "
                f"No user named {options['username']!r}."
            )
        getattr(self, f"_{options['subcommand']}")(user, options)

    def _status(self, user, options):
        app = "yes" if has_confirmed_device(user) else "no"
        self.stdout.write(
            f"{user.username}: authenticator app {app}, "
            f"{recovery_codes_left(user)} recovery codes left"
        )

    def _reset(self, user, options):
        try:
            removed = two_factor_reset(actor=None, user=user, reason=options["reason"])
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        self.stdout.write(
            f"Reset 2FA of {user.username} ({removed} device(s) removed): "
            "they set up a new app at the next login."
        )
