"""accounts.scoping.administers_user: does an administrator's scope cover an account?"""

import pytest

from koinotita.accounts.models import User
from koinotita.accounts.scoping import administers_user, centres_of_user
from koinotita.accounts.services import role_grant
from koinotita.organisations.models import Centre, Municipality
from koinotita.testing.users import PASSWORD


def admin_at(username: str, level: str, place=None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    role_grant(user=user, role="admin", level=level, place=place)
    return user


@pytest.fixture
def kira(network):
    return admin_at("kira", "centre", network["kastoria"])


def test_centres_of_a_user_follow_every_active_assignment(alice, sam, mona, ada, pat, nobody):
    kastoria = Centre.objects.get(code="kastoria").pk
    assert centres_of_user(alice) == {kastoria}
    assert centres_of_user(sam) == {kastoria}
    assert len(centres_of_user(mona)) == 10
    assert centres_of_user(ada) == set(
        Centre.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    assert centres_of_user(pat) == {kastoria}  # a partner role counts too
    assert centres_of_user(nobody) == set()


def test_a_centre_admin_covers_the_accounts_of_their_centre_only(kira, alice, pat, charlie, mona):
    assert administers_user(kira, alice)
    assert administers_user(kira, pat)
    assert not administers_user(kira, charlie)
    assert not administers_user(kira, mona)  # the region reaches centres kira does not run


def test_an_account_at_two_centres_needs_both(kira, alice, network):
    role_grant(user=alice, role="caseworker", level="centre", place=network["florina"])
    assert not administers_user(kira, alice)
    role_grant(user=kira, role="admin", level="centre", place=network["florina"])
    kira = User.objects.get(pk=kira.pk)  # drop the cached scope
    assert administers_user(kira, alice)


def test_role_less_and_superuser_accounts_need_a_national_admin(kira, ada, nobody):
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    for account in (nobody, root):
        assert not administers_user(kira, account)
        assert administers_user(ada, account)
    assert administers_user(root, nobody)


def test_a_municipal_admin_covers_its_centres(alice, charlie):
    municipal = admin_at("mia", "municipality", Municipality.objects.get(code="kastoria"))
    assert administers_user(municipal, alice)
    assert not administers_user(municipal, charlie)


def test_non_admins_and_inactive_admins_cover_nobody(kira, alice, bob, sam):
    assert not administers_user(bob, alice)
    assert not administers_user(sam, alice)
    assert not administers_user(None, alice)
    kira.is_active = False
    assert not administers_user(kira, alice)
