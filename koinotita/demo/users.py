"""The demo's users: one per role (and a colleague), password = user name + "-demo"."""

from django.db import transaction

from koinotita.accounts.models import RoleAssignment, User
from koinotita.accounts.services import role_grant
from koinotita.organisations.models import Centre, Municipality, Region

DEMO_USERS = [
    # username, first name, last name, role, level, place code
    ("reception", "Ελένη", "Παπαδοπούλου", "reception", "centre", "kastoria"),
    ("caseworker", "Νίκος", "Γεωργίου", "caseworker", "centre", "kastoria"),
    ("colleague", "Μαρία", "Κωνσταντίνου", "caseworker", "centre", "kastoria"),
    ("almyros", "Βασιλική", "Μαργαρίτη", "caseworker", "centre", "almyros"),  # minimum income
    ("mediator", "Γιάννης", "Αθανασίου", "mediator", "centre", "florina"),
    ("supervisor", "Σοφία", "Δημητρίου", "supervisor", "municipality", "kastoria"),
    ("florina-head", "Αναστασία", "Τσολάκη", "supervisor", "centre", "florina"),
    ("partner", "Δημήτρης", "Ιωάννου", "partner", "centre", "kastoria"),
    ("monitor", "Κατερίνα", "Βασιλείου", "monitor", "region", "dytiki-makedonia"),
    ("admin", "Πέτρος", "Νικολάου", "admin", "national", None),
]


def demo_password(username: str) -> str:
    return f"{username}-demo"


@transaction.atomic
def demo_users_ensure() -> list[tuple[User, RoleAssignment]]:
    """One demo user per role (and a colleague). Safe to run any number of times."""
    places = {"centre": Centre, "municipality": Municipality, "region": Region}
    result = []
    for username, first, last, role, level, code in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_active": True},
        )
        user.set_password(demo_password(username))
        user.save(update_fields=["password"])
        fields = {"centre": None, "municipality": None, "region": None}
        if code is not None:
            fields[level] = places[level].objects.get(code=code)
        assignment = RoleAssignment.objects.filter(
            user=user, role=role, level=level, is_active=True, **fields
        ).first()
        if assignment is None:  # through the one door of access, as the system (actor None)
            assignment = role_grant(user=user, role=role, level=level, place=fields.get(level))
        result.append((user, assignment))
    return result
