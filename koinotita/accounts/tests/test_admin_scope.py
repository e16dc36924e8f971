"""Hole 1 of the security review, at its cause: an administrator gives no account, their own
included, access beyond their own scope, and every grant, change and revocation is audited.
Tried at every door: the services, the admin screens, the command."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from koinotita.accounts.models import RoleAssignment, User
from koinotita.accounts.scoping import administers_user, users_administered
from koinotita.accounts.services import (
    api_token_create,
    role_change,
    role_grant,
    role_revoke,
    user_create,
)
from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Municipality, Region
from koinotita.testing.admins import user_change_data
from koinotita.testing.users import PASSWORD, user_with_role


@pytest.fixture
def kira(network):
    """An administrator of Kastoria's centre only."""
    return user_with_role("kira", "admin", "centre", network["kastoria"])


@pytest.fixture
def newcomer(network):
    """A role-less account Kastoria's administrators created."""
    return User.objects.create_user(
        username="newcomer", password=PASSWORD, created_at_centre=network["kastoria"]
    )


def places(network):
    return {
        "florina": ("centre", network["florina"]),
        "municipality florina": ("municipality", Municipality.objects.get(code="florina")),
        "region": ("region", Region.objects.get(code="dytiki-makedonia")),
        "national": ("national", None),
    }


def events(action):
    return AuditEvent.objects.filter(action=action)


# --- the services ----------------------------------------------------------------------------


def test_an_admin_grants_a_role_at_their_own_centre_and_it_is_audited(kira, newcomer, network):
    assignment = role_grant(
        user=newcomer, role="caseworker", level="centre", place=network["kastoria"], actor=kira
    )
    event = events("role.granted").get(object_id=str(assignment.pk))
    assert event.actor_username == "kira"
    assert event.detail["user"] == "newcomer"
    assert event.centre_id == network["kastoria"].pk


def test_a_centre_admin_may_grant_at_a_municipality_whose_every_centre_they_run(kira, newcomer):
    kastoria = Municipality.objects.get(code="kastoria")  # one centre, Kastoria's
    role_grant(user=newcomer, role="supervisor", level="municipality", place=kastoria, actor=kira)


@pytest.mark.parametrize("where", ["florina", "municipality florina", "region", "national"])
def test_an_admin_cannot_grant_beyond_their_scope(kira, newcomer, network, where):
    level, place = places(network)[where]
    with pytest.raises(PermissionDenied, match="κέντρο|centre"):
        role_grant(user=newcomer, role="caseworker", level=level, place=place, actor=kira)
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    assert not events("role.granted").filter(detail__user="newcomer").exists()


@pytest.mark.parametrize("where", ["kastoria", "florina", "national"])
def test_an_admin_cannot_give_themselves_access(kira, network, where):
    level, place = (
        ("centre", network["kastoria"]) if where == "kastoria" else places(network)[where]
    )
    with pytest.raises(PermissionDenied):
        role_grant(user=kira, role="caseworker", level=level, place=place, actor=kira)


def test_an_admin_cannot_grant_to_accounts_of_other_centres_or_unclaimed_ones(
    kira, charlie, nobody, network
):
    for account in (charlie, nobody):  # nobody: role-less, created by no centre
        with pytest.raises(PermissionDenied):
            role_grant(
                user=account, role="caseworker", level="centre", place=network["kastoria"],
                actor=kira,
            )  # fmt: skip


def test_bad_grants_are_refused_with_a_clear_message(kira, newcomer, network):
    with pytest.raises(ValidationError):
        role_grant(user=newcomer, role="caseworker", level="centre", place=None, actor=kira)
    with pytest.raises(ValidationError):
        role_grant(user=newcomer, role="overlord", level="centre", place=network["kastoria"])
    with pytest.raises(ValidationError):
        role_grant(user=newcomer, role="caseworker", level="galaxy", place=None)
    role_grant(user=newcomer, role="caseworker", level="centre", place=network["kastoria"])
    with pytest.raises(ValidationError):
        role_grant(user=newcomer, role="caseworker", level="centre", place=network["kastoria"])


def test_revoking_and_changing_roles_stay_in_scope_and_are_audited(kira, alice, charlie, network):
    mine = alice.role_assignments.get()
    theirs = charlie.role_assignments.get()
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=theirs, actor=kira)
    with pytest.raises(PermissionDenied):
        role_change(
            assignment=mine, role="caseworker", level="centre", place=network["florina"],
            actor=kira,
        )  # fmt: skip
    role_change(
        assignment=mine, role="supervisor", level="centre", place=network["kastoria"], actor=kira
    )
    assert events("role.changed").get().detail["before"]["role"] == "caseworker"
    role_revoke(assignment=mine, actor=kira)
    mine.refresh_from_db()
    assert not mine.is_active
    alice.refresh_from_db()  # left with no role, she stays with Kastoria's administrators
    assert alice.created_at_centre == network["kastoria"]
    assert administers_user(kira, alice)
    assert events("role.revoked").get().actor_username == "kira"


def test_accounts_are_created_at_a_centre_the_admin_runs(kira, ada, network):
    with pytest.raises(PermissionDenied):
        user_create(user=User(username="x1", created_at_centre=network["florina"]), actor=kira)
    with pytest.raises(ValidationError):
        user_create(user=User(username="x2"), actor=kira)  # a centre admin must say which
    created = user_create(user=User(username="x3", created_at_centre=network["kastoria"]),
                          actor=kira)  # fmt: skip
    assert administers_user(kira, created)
    assert events("user.created").get(object_id=str(created.pk)).actor_username == "kira"
    national = user_create(user=User(username="x4"), actor=ada)
    assert not administers_user(kira, national)


def test_tokens_are_created_only_for_administered_accounts(kira, alice, charlie):
    api_token_create(user=alice, actor=kira)
    with pytest.raises(PermissionDenied):
        api_token_create(user=charlie, actor=kira)


def test_the_user_list_query_agrees_with_administers_user(
    kira, ada, alice, bob, charlie, rita, sam, mona, pat, nobody, newcomer, network
):
    municipal = user_with_role(
        "mara", "admin", "municipality", Municipality.objects.get(code="florina")
    )
    regional = user_with_role(
        "rhea", "admin", "region", Region.objects.get(code="dytiki-makedonia")
    )
    both = user_with_role("two-centres", "caseworker", "centre", network["kastoria"])
    role_grant(user=both, role="caseworker", level="centre", place=network["florina"])
    User.objects.create_superuser(username="root", password=PASSWORD)
    everyone = list(User.objects.all())
    for admin in (kira, ada, municipal, regional, alice):
        listed = set(users_administered(admin, User.objects.all()).values_list("pk", flat=True))
        assert listed == {u.pk for u in everyone if administers_user(admin, u)}, admin
    assert {u.username for u in users_administered(kira, User.objects.all())} == {
        "kira", "alice", "bob", "rita", "sam", "pat", "newcomer",
    }  # fmt: skip


# --- the command -----------------------------------------------------------------------------


def test_the_role_command_applies_the_admins_scope_with_by(kira, newcomer, network):
    with pytest.raises(CommandError) as refused:
        call_command(
            "role", "grant", "newcomer", "caseworker", "--centre", "florina", "--by", "kira"
        )
    assert "κέντρο" in str(refused.value) and "centre" in str(refused.value)  # Greek / English
    with pytest.raises(CommandError):
        call_command("role", "grant", "newcomer", "admin", "--national", "--by", "kira")
    with pytest.raises(CommandError):
        call_command("role", "grant", "kira", "caseworker", "--centre", "kastoria", "--by", "kira")
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    call_command("role", "grant", "newcomer", "caseworker", "--centre", "kastoria", "--by", "kira")
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert events("role.granted").get(object_id=str(assignment.pk)).actor_username == "kira"
    call_command("role", "revoke", str(assignment.pk), "--by", "kira")
    assert events("role.revoked").get().actor_username == "kira"


def test_the_role_command_as_the_system_and_its_bad_inputs(network):
    call_command("role", "create-account", "ops-made", "--centre", "kastoria")
    call_command("role", "grant", "ops-made", "monitor", "--region", "dytiki-makedonia")
    assert events("role.granted").get(detail__user="ops-made").actor_username == ""
    assert User.objects.get(username="ops-made").created_at_centre == network["kastoria"]
    for bad in (
        ["grant", "ghost", "caseworker", "--national"],
        ["grant", "ops-made", "overlord", "--national"],
        ["grant", "ops-made", "caseworker", "--centre", "atlantis"],
        ["revoke", "999999"],
    ):
        with pytest.raises(CommandError, match=" / "):
            call_command("role", *bad)


def test_the_account_and_token_commands_apply_the_admins_scope(kira, charlie):
    with pytest.raises(CommandError, match=" / "):
        call_command("role", "create-account", "x9", "--centre", "florina", "--by", "kira")
    with pytest.raises(CommandError, match=" / "):
        call_command("token", "create", "charlie", "--by", "kira")
    assert not User.objects.filter(username="x9").exists()


# --- the admin screens -----------------------------------------------------------------------


def test_the_admin_user_list_shows_administered_accounts_only(
    kira, alice, charlie, nobody, newcomer, client_for
):
    listing = client_for(kira).get("/admin/accounts/user/")
    shown = {u.username for u in listing.context["cl"].result_list}
    assert {"alice", "newcomer"} <= shown
    assert not shown & {"charlie", "nobody"}
    for account in (charlie, nobody):
        page = client_for(kira).get(f"/admin/accounts/user/{account.pk}/change/")
        assert page.status_code in (302, 404)
        password = client_for(kira).get(f"/admin/accounts/user/{account.pk}/password/")
        assert password.status_code in (302, 404)


def test_the_role_inline_offers_only_places_in_scope(kira, newcomer, client_for, network):
    page = client_for(kira).get(f"/admin/accounts/user/{newcomer.pk}/change/")
    form = page.context["inline_admin_formsets"][0].formset.empty_form
    assert list(form.fields["centre"].queryset) == [network["kastoria"]]
    assert [m.code for m in form.fields["municipality"].queryset] == ["kastoria"]
    assert list(form.fields["region"].queryset) == []
    assert "national" not in dict(form.fields["level"].choices)


def test_granting_in_scope_on_the_admin_page_goes_through_the_service(
    kira, newcomer, client_for, network
):
    data = user_change_data(
        newcomer, new=[{"role": "caseworker", "level": "centre", "centre": network["kastoria"].pk}]
    )
    response = client_for(kira).post(f"/admin/accounts/user/{newcomer.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert newcomer.role_assignments.get().centre == network["kastoria"]
    assert events("role.granted").get(detail__user="newcomer").actor_username == "kira"


@pytest.mark.parametrize("where", ["florina", "municipality florina", "region", "national"])
def test_granting_beyond_scope_on_the_admin_page_is_refused(
    kira, newcomer, client_for, network, where
):
    level, place = places(network)[where]
    row = {"role": "admin", "level": level}
    if place is not None:
        row[level] = place.pk
    for account in (newcomer, kira):  # to another account, and to themselves
        client = client_for(kira)
        response = client.post(f"/admin/accounts/user/{account.pk}/change/", user_change_data(
            account, existing=list(account.role_assignments.all()), new=[row]
        ))  # fmt: skip
        assert response.status_code == 200  # the form again, with the refusal
        assert account.role_assignments.count() == (1 if account == kira else 0)
    assert not events("role.granted").filter(actor_username="kira").exists()


def test_an_admin_cannot_give_themselves_a_role_in_scope_on_the_admin_page(
    kira, client_for, network
):
    row = {"role": "caseworker", "level": "centre", "centre": network["kastoria"].pk}
    response = client_for(kira).post(
        f"/admin/accounts/user/{kira.pk}/change/",
        user_change_data(kira, existing=list(kira.role_assignments.all()), new=[row]),
    )
    assert response.status_code == 200
    assert "άλλος διαχειριστής" in str(response.context["errors"])
    assert kira.role_assignments.count() == 1


def test_moving_a_role_out_of_scope_on_the_admin_page_is_refused(kira, alice, client_for, network):
    role = alice.role_assignments.get()
    role.centre = network["florina"]
    response = client_for(kira).post(
        f"/admin/accounts/user/{alice.pk}/change/", user_change_data(alice, existing=[role])
    )
    assert response.status_code == 200
    assert alice.role_assignments.get().centre == network["kastoria"]


def test_ending_a_role_on_the_admin_page_is_audited(kira, alice, client_for):
    role = alice.role_assignments.get()
    role.is_active = False
    response = client_for(kira).post(
        f"/admin/accounts/user/{alice.pk}/change/", user_change_data(alice, existing=[role])
    )
    assert response.status_code == 302
    assert not alice.role_assignments.get().is_active
    assert events("role.revoked").get().actor_username == "kira"


def test_an_account_made_on_the_admin_page_belongs_to_the_admins_centre(kira, client_for, network):
    client = client_for(kira)
    page = client.get("/admin/accounts/user/add/")
    assert list(page.context["adminform"].form.fields["created_at_centre"].queryset) == [
        network["kastoria"]
    ]
    data = {"username": "fresh", "usable_password": "false", "password1": "", "password2": ""}
    refused = client.post("/admin/accounts/user/add/", {**data,
                          "created_at_centre": network["florina"].pk})  # fmt: skip
    assert refused.status_code == 200
    assert not User.objects.filter(username="fresh").exists()
    made = client.post("/admin/accounts/user/add/", {**data,
                       "created_at_centre": network["kastoria"].pk})  # fmt: skip
    assert made.status_code == 302
    fresh = User.objects.get(username="fresh")
    assert fresh.created_at_centre == network["kastoria"]
    assert events("user.created").get(object_id=str(fresh.pk)).actor_username == "kira"


def test_setting_a_password_on_the_admin_page_is_audited(kira, alice, client_for):
    response = client_for(kira).post(
        f"/admin/accounts/user/{alice.pk}/password/",
        {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1",
         "usable_password": "true"},
    )  # fmt: skip
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-password-1")
    assert events("user.changed").get().detail["changed"] == ["password"]


def test_the_token_list_shows_tokens_of_administered_accounts_only(
    kira, alice, charlie, client_for
):
    api_token_create(user=alice)
    api_token_create(user=charlie)
    listing = client_for(kira).get("/admin/accounts/apitoken/")
    assert {t.user.username for t in listing.context["cl"].result_list} == {"alice"}
