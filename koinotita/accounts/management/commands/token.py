from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koinotita.accounts.models import ApiToken, User
from koinotita.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = (
        "API tokens: `token create USERNAME [--days N]`, `token list [USERNAME]`, "
        "`token revoke PREFIX`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="create a token and print it (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument(
            "--days", type=int, default=None, help="expires after this many days (default: never)"
        )
        create.add_argument("--by", help="the administrator acting (their scope applies)")
        listing = sub.add_parser("list", help="list tokens (never their keys)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, **options):
        getattr(self, f"_{options['subcommand']}")(options)

    def _create(self, options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"Δεν υπάρχει χρήστης «{options['username']}». / "
                f"No user named {options['username']!r}."
            )
        if not user.is_active:
            raise CommandError(f"Ο χρήστης δεν είναι ενεργός. / User {user} is not active.")
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError(
                "Το --days πρέπει να είναι τουλάχιστον 1. / --days must be at least 1."
            )
        expires_at = timezone.now() + timedelta(days=days) if days else None
        actor = None
        if options.get("by"):
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(
                    f"Δεν υπάρχει χρήστης «{options['by']}». / No user named {options['by']!r}."
                )
        try:
            _token, key = api_token_create(
                user=user, name=options["name"], expires_at=expires_at, actor=actor
            )
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        except PermissionDenied as refused:
            raise CommandError(
                "Ο λογαριασμός είναι εκτός του πεδίου που διαχειρίζεστε. / "
                "This account is outside the scope you administer."
            ) from refused
        self.stdout.write(key)

    def _list(self, options):
        tokens = ApiToken.objects.select_related("user").order_by("created_at")
        if options["username"]:
            tokens = tokens.filter(user__username=options["username"])
        now = timezone.now()
        for t in tokens:
            if t.revoked_at:
                state = f"revoked {t.revoked_at:%Y-%m-%d}"
            elif t.expires_at and t.expires_at <= now:
                state = f"expired {t.expires_at:%Y-%m-%d}"
            elif t.expires_at:
                state = f"active until {t.expires_at:%Y-%m-%d}"
            else:
                state = "active"
            self.stdout.write(f"{t.prefix}…  {t.user.username:20} {t.name:20} {state}")

    def _revoke(self, options):
        token = ApiToken.objects.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(
                f"Δεν βρέθηκε token «{options['prefix']}». / No token {options['prefix']!r}."
            )
        api_token_revoke(token=token)
        self.stdout.write(f"Revoked {token.prefix}…")
