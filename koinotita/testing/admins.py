"""THE classification of every ModelAdmin registered on the admin site, read by the admin
matrix (koinotita/web/tests/test_admin_matrix.py): a new ModelAdmin fails it until it is
classified here.

Kinds:
- CENTRE: rows that belong to one centre; an administrator of another centre neither lists,
  opens, changes nor deletes them (the change, history and delete pages answer 404 or send
  back to the index, and nothing changes).
- ACCESS: rows that give access (accounts and their roles, API tokens, partner memberships):
  hidden like CENTRE, and every attempt to give access beyond the administrator's scope
  (`grants`) is refused — nothing is created and no grant is audited.
- NATIONAL: reference data (the network, the catalogue of programmes): a centre's
  administrator may read it, never add, change or delete it (403).
- SHARED: the directory, one catalogue for every centre, holding no person; saved through
  the directory's services (audited). Tried only for the absence of another centre's persons.
- CLOSED: third-party screens (Django's groups, django-otp's devices, django-axes' logs)
  that rely on Django's model permissions, which no role gives: 403 to every administrator
  but a superuser.

`objects(world)` gives the rows of the other centre (`world.away`) the matrix tries to reach
as the home centre's administrator; `grants(world)` the (url, POST data) of the attempts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from koinotita.accounts.models import ApiToken, User
from koinotita.accounts.services import api_token_create, role_grant, user_create
from koinotita.audit.models import AuditEvent
from koinotita.directory.models import Location
from koinotita.organisations.models import Municipality, Region
from koinotita.programmes.models import Parameter
from koinotita.referrals.services import partner_membership_grant

CENTRE, ACCESS, NATIONAL, SHARED, CLOSED = "centre", "access", "national", "shared", "closed"


@dataclass(frozen=True)
class Admin:
    kind: str
    objects: Callable | None = None
    grants: Callable | None = None


def user_change_data(user, *, existing=(), new=()) -> dict:
    """The POST of the admin's user page: the account's fields, its roles and new ones."""
    rows = [
        {
            "id": a.pk,
            "role": a.role,
            "level": a.level,
            "centre": a.centre_id or "",
            "municipality": a.municipality_id or "",
            "region": a.region_id or "",
            "is_active": "on" if a.is_active else "",
        }
        for a in existing
    ]
    blank = {"id": "", "is_active": "on", "centre": "", "municipality": "", "region": ""}
    rows += [{**blank, **row} for row in new]
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "role_assignments-TOTAL_FORMS": len(rows),
        "role_assignments-INITIAL_FORMS": len(existing),
        "role_assignments-MIN_NUM_FORMS": 0,
        "role_assignments-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"role_assignments-{i}-{key}"] = value
        data[f"role_assignments-{i}-user"] = user.pk
    return data


def places_beyond(world) -> list[dict]:
    """Role rows at places the home centre's administrator does not administer entirely."""
    away = world.away.centre
    return [
        {"level": "centre", "centre": away.pk},
        {"level": "municipality", "municipality": away.municipality_id},
        {"level": "municipality", "municipality": Municipality.objects.get(code="almyros").pk},
        {"level": "region", "region": Region.objects.get(code="dytiki-makedonia").pk},
        {"level": "national"},
    ]


def _user_grants(world):
    home_admin = world.users["admin"]
    recruit = user_create(user=User(username="recruit", created_at_centre=world.home.centre))
    attempts = []
    for account in (recruit, home_admin):  # a role-less account of the centre, and oneself
        existing = list(account.role_assignments.all())
        for role in ("caseworker", "admin"):
            for place in places_beyond(world):
                attempts.append(
                    (
                        reverse("admin:accounts_user_change", args=[account.pk]),
                        user_change_data(account, existing=existing, new=[{"role": role, **place}]),
                    )
                )
    # Oneself, even at one's own centre; another centre's account, even at one's own centre.
    own = {"role": "caseworker", "level": "centre", "centre": world.home.centre.pk}
    for account in (home_admin, world.away.staff, world.users["none"]):
        existing = list(account.role_assignments.all())
        attempts.append(
            (
                reverse("admin:accounts_user_change", args=[account.pk]),
                user_change_data(account, existing=existing, new=[own]),
            )
        )
    return attempts


def _away_membership(world):
    partner = User.objects.filter(username="away-partner").first()
    if partner is None:
        partner = User.objects.create_user(username="away-partner")
        role_grant(user=partner, role="partner", level="centre", place=world.away.centre)
    membership = partner.partner_memberships.first() or partner_membership_grant(
        user=partner, organization=world.home.organization, centre=world.away.centre
    )
    return partner, membership


def _membership_grants(world):
    partner, _membership = _away_membership(world)
    add = reverse("admin:referrals_partnermembership_add")
    home_partner = world.users["partner"]
    return [
        # the home partner, to the other centre's referrals (to either organisation)
        (add, {"user": home_partner.pk, "organization": org.pk, "centre": world.away.centre.pk,
               "is_active": "on"})
        for org in (world.home.organization, world.away.organization)
    ] + [
        # the other centre's partner, to the home centre's referrals
        (add, {"user": partner.pk, "organization": world.home.organization.pk,
               "centre": world.home.centre.pk, "is_active": "on"}),
        # oneself
        (add, {"user": world.users["admin"].pk, "organization": world.home.organization.pk,
               "centre": world.home.centre.pk, "is_active": "on"}),
    ]  # fmt: skip


def _token_grants(world):
    add = reverse("admin:accounts_apitoken_add")
    return [(add, {"user": world.away.staff.pk}), (add, {"user": world.users["admin"].pk})]


def _away_token(world):
    token = ApiToken.objects.filter(user=world.away.staff).first()
    return [token or api_token_create(user=world.away.staff)[0]]


ADMINS: dict[str, Admin] = {
    # Django's and third parties': model permissions, which no role gives
    "auth.group": Admin(CLOSED),
    "otp_totp.totpdevice": Admin(CLOSED),
    "otp_static.staticdevice": Admin(CLOSED),
    "axes.accessattempt": Admin(CLOSED),
    "axes.accesslog": Admin(CLOSED),
    "axes.accessfailurelog": Admin(CLOSED),
    # the network
    "organisations.region": Admin(NATIONAL, lambda w: [Region.objects.get(code="thessalia")]),
    "organisations.regionalunit": Admin(
        NATIONAL, lambda w: [w.away.centre.municipality.regional_unit]
    ),
    "organisations.municipality": Admin(NATIONAL, lambda w: [w.away.centre.municipality]),
    "organisations.centre": Admin(CENTRE, lambda w: [w.away.centre]),
    "organisations.site": Admin(CENTRE, lambda w: [w.away.site]),
    # access
    "accounts.user": Admin(
        ACCESS,
        lambda w: [w.away.staff, w.away.supervisor, w.users["none"]],
        _user_grants,
    ),
    "accounts.apitoken": Admin(ACCESS, _away_token, _token_grants),
    "referrals.partnermembership": Admin(
        ACCESS, lambda w: [_away_membership(w)[1]], _membership_grants
    ),
    # the audit trail
    "audit.auditevent": Admin(
        CENTRE, lambda w: [AuditEvent.objects.filter(centre=w.away.centre).order_by("pk").first()]
    ),
    # the catalogue of programmes
    "programmes.programme": Admin(NATIONAL, lambda w: [w.away.programme]),
    "programmes.parameter": Admin(NATIONAL, lambda w: [Parameter.objects.order_by("pk").first()]),
    # the directory
    "directory.organization": Admin(SHARED, lambda w: [w.away.organization]),
    "directory.location": Admin(
        SHARED, lambda w: [Location.objects.filter(organization=w.away.organization).first()]
    ),
    "directory.service": Admin(SHARED, lambda w: [w.away.service]),
    "directory.cooperationprotocol": Admin(CENTRE, lambda w: [w.away.protocol]),
}
