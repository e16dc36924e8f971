"""The admin matrix, generated from the registry: every ModelAdmin registered on the admin
site is classified in koinotita/testing/admins.py, and the home centre's administrator
(koinotita/testing/world.py) tries each with the other centre's rows.

- CENTRE and ACCESS rows of the other centre are not listed, and their change, history and
  delete pages answer 404 or send back to the index; a POST to them changes nothing.
- ACCESS: every attempt to give access beyond the administrator's scope — roles at another
  centre, municipality, region or nationally, to a role-less account or to themselves;
  partner memberships for another centre's referrals; tokens — is refused: nothing is made
  and no grant is audited.
- NATIONAL rows are read-only to a centre's administrator (403 to add, change, delete).
- CLOSED screens answer 403.
- No page of any of them shows the other centre's person.
"""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse

from koinotita.accounts.models import ApiToken, RoleAssignment
from koinotita.audit.models import AuditEvent
from koinotita.referrals.models import PartnerMembership
from koinotita.testing.admins import ACCESS, ADMINS, CENTRE, CLOSED, NATIONAL
from koinotita.testing.clients import logged_in
from koinotita.testing.world import build_world

HIDDEN = {302, 404}  # Django's admin sends a missing object back to the index
REFUSED = {302, 403, 404}  # or the administrator may not change or delete such rows at all
GRANTS = ("role.granted", "role.changed", "partner_membership.granted", "api_token.created")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.VAR_DIR = tmp_path
    settings.SITE_URL = "http://testserver"
    return build_world()


def registered() -> dict[str, admin.ModelAdmin]:
    return {model._meta.label_lower: ma for model, ma in admin.site._registry.items()}


def test_every_registered_model_admin_is_classified():
    assert sorted(registered()) == sorted(ADMINS), "classify it in koinotita/testing/admins.py"


def _url(model_admin, view, *args):
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _text(response) -> str:
    return response.content.decode("utf-8", "replace")


def _snapshot(obj):
    return model_to_dict(type(obj).objects.get(pk=obj.pk))


def test_an_administrator_of_one_centre_reaches_nothing_of_another(world):
    client = logged_in(world.users["admin"])
    failures, tried = [], 0

    def check(where, response, expected=None):
        nonlocal tried
        tried += 1
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
        leaked = [m for m in world.away.markers if m in _text(response)]
        if leaked:
            failures.append(f"{where}: shows {leaked}")
        if expected is not None and response.status_code not in expected:
            failures.append(f"{where}: {response.status_code}, expected {sorted(expected)}")

    counts = (RoleAssignment.objects.count(), PartnerMembership.objects.count(),
              ApiToken.objects.count())  # fmt: skip
    for label, model_admin in sorted(registered().items()):
        entry = ADMINS[label]
        listing = client.get(_url(model_admin, "changelist"))
        check(f"{label} list", listing, {403} if entry.kind == CLOSED else {200})
        add = client.get(_url(model_admin, "add"))
        check(f"{label} add", add, {403} if entry.kind in (CLOSED, NATIONAL) else None)
        objects = entry.objects(world) if entry.objects else []
        for obj in objects:
            assert obj is not None, label
            before = _snapshot(obj)
            pages = [_url(model_admin, v, obj.pk) for v in ("change", "history", "delete")]
            if entry.kind in (CENTRE, ACCESS):
                shown = listing.context["cl"].queryset.filter(pk=obj.pk).exists()
                if shown:
                    failures.append(f"{label} list shows the other centre's {obj!r}")
                for url in pages[:2]:
                    check(f"{label} GET {url}", client.get(url), HIDDEN)
                check(f"{label} GET delete", client.get(pages[2]), REFUSED)
                check(f"{label} POST change", client.post(pages[0], {}), REFUSED)
                check(f"{label} POST delete", client.post(pages[2], {"post": "yes"}), REFUSED)
            elif entry.kind == NATIONAL:
                check(f"{label} GET change", client.get(pages[0]), {200})
                check(f"{label} POST change", client.post(pages[0], {}), {403})
                check(f"{label} POST delete", client.post(pages[2], {"post": "yes"}), {403})
            else:
                check(f"{label} GET change", client.get(pages[0]))
            if entry.kind != CLOSED and (
                not type(obj).objects.filter(pk=obj.pk).exists() or _snapshot(obj) != before
            ):
                failures.append(f"{label}: the other centre's {obj!r} was changed")
        if entry.grants:
            counts = (RoleAssignment.objects.count(), PartnerMembership.objects.count(),
                      ApiToken.objects.count())  # fmt: skip
            for url, data in entry.grants(world):
                check(f"{label} grant {url} {data}", client.post(url, data), {200, 302, 403, 404})
            after = (RoleAssignment.objects.count(), PartnerMembership.objects.count(),
                     ApiToken.objects.count())  # fmt: skip
            if after != counts:
                failures.append(f"{label}: a grant beyond scope was saved ({counts} → {after})")
    granted = AuditEvent.objects.filter(action__in=GRANTS, actor_username="adam-a")
    if granted.exists():
        failures.append(f"grants audited as the administrator's: {list(granted)}")
    assert not failures, "\n".join(failures)
    assert tried > 100
