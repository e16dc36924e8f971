from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from koinotita.accounts.models import RoleAssignment, User
from koinotita.accounts.services import role_grant, role_revoke, user_create
from koinotita.organisations.models import Centre, Municipality, Region


def _both(exc) -> str:
    """A service's refusal in Greek and English (raised in English: its msgid)."""
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    with translation.override("el"):
        greek = [gettext(m) for m in messages]
    return " / ".join([" ".join(greek), " ".join(messages)])


def _call(service, **kwargs):
    with translation.override("en"):
        try:
            return service(**kwargs)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(_both(exc)) from exc


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Δεν υπάρχει χρήστης «{username}». / No user named {username!r}.")
    return user


def _place(model, code: str):
    place = model.objects.filter(code=code).first()
    if place is None:
        raise CommandError(f"Δεν υπάρχει «{code}». / No {model._meta.model_name} {code!r}.")
    return place


class Command(BaseCommand):
    help = (
        "Roles and accounts, through the same audited services as the admin screens: "
        "`role list USERNAME`, `role grant USERNAME ROLE --centre C|--municipality M|"
        "--region R|--national [--by ADMIN]`, `role revoke ID [--by ADMIN]`, "
        "`role create-account USERNAME [--centre C] [--by ADMIN]`. With --by, ADMIN's scope "
        "applies as on the admin screens; without it, the operator acts as the system."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="the roles of an account")
        listing.add_argument("username")
        grant = sub.add_parser("grant", help="give an account a role at a place")
        grant.add_argument("username")
        grant.add_argument("role")
        where = grant.add_mutually_exclusive_group(required=True)
        where.add_argument("--centre")
        where.add_argument("--municipality")
        where.add_argument("--region")
        where.add_argument("--national", action="store_true")
        revoke = sub.add_parser("revoke", help="end a role assignment (by its number)")
        revoke.add_argument("id", type=int)
        create = sub.add_parser("create-account", help="a new account with no role yet")
        create.add_argument("username")
        create.add_argument("--centre", help="the centre that creates it (answers for it)")
        for parser_ in (grant, revoke, create):
            parser_.add_argument("--by", help="the administrator acting (their scope applies)")

    def handle(self, *args, **options):
        actor = _user(options["by"]) if options.get("by") else None
        getattr(self, "_" + options["subcommand"].replace("-", "_"))(options, actor)

    def _list(self, options, actor):
        user = _user(options["username"])
        for a in RoleAssignment.objects.filter(user=user).order_by("pk"):
            state = "" if a.is_active else "  (ended)"
            self.stdout.write(f"{a.pk:6}  {a.role:12} {a.level:13} {a.place or '-'}{state}")

    def _grant(self, options, actor):
        user = _user(options["username"])
        level, place = "national", None
        for name, model in (("centre", Centre), ("municipality", Municipality),
                            ("region", Region)):  # fmt: skip
            if options[name]:
                level, place = name, _place(model, options[name])
        with transaction.atomic():
            assignment = _call(role_grant, user=user, role=options["role"], level=level,
                               place=place, actor=actor)  # fmt: skip
        self.stdout.write(f"Granted {assignment.pk}: {assignment}")

    def _revoke(self, options, actor):
        assignment = RoleAssignment.objects.filter(pk=options["id"]).first()
        if assignment is None:
            raise CommandError(
                f"Δεν υπάρχει ρόλος {options['id']}. / No role assignment {options['id']}."
            )
        _call(role_revoke, assignment=assignment, actor=actor)
        self.stdout.write(f"Ended {assignment.pk}: {assignment}")

    def _create_account(self, options, actor):
        centre = _place(Centre, options["centre"]) if options["centre"] else None
        user = _call(user_create, user=User(username=options["username"],
                     created_at_centre=centre), actor=actor)  # fmt: skip
        self.stdout.write(f"Created {user.username} (no role yet; `role grant` gives one)")
