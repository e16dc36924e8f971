"""The demo's users: one per role (and a colleague), password = user name + "-demo"."""

from django.db import transaction

from koinotita.accounts.models import RoleAssignment, User
from koinotita.audit.services import audit_record
from koinotita.organisations.models import Centre, Municipality, Region

DEMO_USERS = [
    # username, first name, last name, role, level, place code
    ("reception", "Ελένη", "Παπαδοπούλου", "reception", "centre", "kastoria"),
    ("caseworker", "Νίκος", "Γεωργίου", "caseworker", "centre", "kastoria"),
    ("colleague", "Μαρία", "Κωνσταντίνου", "caseworker", "centre", "kastoria"),
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
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, level=level, **fields
        )
        if created:
            audit_record(
                action="role.granted",
                obj=assignment,
                centre=assignment.centre,
                detail={"user": username, "role": role, "level": level},
            )
        result.append((user, assignment))
    return result
