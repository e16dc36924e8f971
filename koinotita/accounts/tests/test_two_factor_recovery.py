"""Recovery codes (django-otp static tokens) and the audited reset by an administrator, so
that nobody needs the enrolment page to get back in."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.accounts import services
from koinotita.accounts.models import User
from koinotita.accounts.selectors import recovery_codes_left
from koinotita.accounts.services import role_grant
from koinotita.audit.models import AuditEvent
from koinotita.conftest import logged_in
from koinotita.testing.users import PASSWORD

SETUP = reverse("accounts-2fa-setup")
VERIFY = reverse("accounts-2fa-verify")
RECOVERY = reverse("accounts-2fa-recovery")
HOME = reverse("web-home")


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts-login"), {"username": username, "password": PASSWORD})
    return client


def enrol(client: Client, user) -> list[str]:
    """Enrol through the pages; returns the recovery codes the page showed."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": code_for(device)})
    assert response["Location"].startswith(RECOVERY)
    return client.get(response["Location"]).context["codes"]


def verified_client(user) -> Client:
    """A session verified with the user's authenticator app (enrolled if need be)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = password_login(user.username)
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302
    return client


# --- recovery codes ---------------------------------------------------------------------


def test_enrolment_shows_ten_recovery_codes_once(alice):
    client = password_login("alice")
    codes = enrol(client, alice)
    assert len(codes) == len(set(codes)) == services.RECOVERY_CODE_COUNT
    stored = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert stored == set(codes)
    again = client.get(RECOVERY)
    assert again.status_code == 200
    assert again.context["codes"] is None
    page = again.content.decode()
    assert not any(code in page for code in codes)
    assert "Έχετε 10 αχρησιμοποίητους κωδικούς ανάκτησης." in page
    assert again["Cache-Control"].startswith("max-age=0")


def test_a_recovery_code_passes_the_verify_step_once(alice):
    codes = enrol(password_login("alice"), alice)
    client = password_login("alice")
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)  # invited to set up a new phone
    assert client.get(HOME).status_code == 200
    event = AuditEvent.objects.get(action="2fa.recovery_code_used", actor=alice)
    assert event.detail == {"recovery_codes_left": 9}
    assert recovery_codes_left(alice) == 9

    again = password_login("alice")
    reused = again.post(VERIFY, {"token": codes[0]})
    assert reused.status_code == 200
    assert "Ο κωδικός δεν είναι σωστός" in reused.content.decode()
    assert again.get(HOME)["Location"].startswith(VERIFY)


def test_a_recovery_code_may_be_typed_in_capitals_with_a_hyphen(alice):
    codes = enrol(password_login("alice"), alice)
    typed = f" {codes[1][:4].upper()}-{codes[1][4:]} "
    client = password_login("alice")
    assert client.post(VERIFY, {"token": typed}).status_code == 302
    assert client.get(HOME).status_code == 200


def test_the_recovery_message_is_greek_and_counts_what_is_left(alice):
    codes = enrol(password_login("alice"), alice)
    page = password_login("alice").post(VERIFY, {"token": codes[2]}, follow=True)
    assert "Χρησιμοποιήσατε έναν κωδικό ανάκτησης· απομένουν 9." in page.content.decode()


@pytest.mark.parametrize("typed", ["12ab", "1234567", "abcdefg", "abcdefgh1", "<script>", ""])
def test_a_malformed_code_at_verify_gets_a_clear_greek_error(alice, typed):
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    response = password_login("alice").post(VERIFY, {"token": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    if typed:
        assert "Πληκτρολογήστε τα έξι ψηφία της εφαρμογής σας" in response.content.decode()
    assert not AuditEvent.objects.filter(action="2fa.recovery_code_used").exists()


def test_an_unknown_recovery_code_is_refused_and_audited(alice):
    enrol(password_login("alice"), alice)
    client = password_login("alice")
    response = client.post(VERIFY, {"token": "aaaaaaaa"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="2fa.failed", actor=alice).exists()
    assert recovery_codes_left(alice) == 10


def test_another_users_recovery_code_does_not_open_this_account(alice, bob):
    bobs = enrol(password_login("bob"), bob)
    enrol(password_login("alice"), alice)
    client = password_login("alice")
    assert client.post(VERIFY, {"token": bobs[0]}).status_code == 200
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert recovery_codes_left(bob) == 10


def test_a_verified_user_makes_new_codes_and_the_old_ones_stop_working(alice):
    client = password_login("alice")
    old = enrol(client, alice)
    response = client.post(RECOVERY)
    assert response.status_code == 302
    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.filter(action="2fa.recovery_codes_regenerated", actor=alice).exists()
    assert password_login("alice").post(VERIFY, {"token": old[0]}).status_code == 200
    StaticDevice.objects.get(user=alice).throttle_reset()  # a failure delays the next try
    assert password_login("alice").post(VERIFY, {"token": new[0]}).status_code == 302


def test_a_password_only_session_can_neither_see_nor_make_recovery_codes(alice):
    enrol(password_login("alice"), alice)
    client = password_login("alice")
    before = set(StaticToken.objects.values_list("token", flat=True))
    for response in (client.get(RECOVERY), client.post(RECOVERY)):
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert set(StaticToken.objects.values_list("token", flat=True)) == before


def test_without_2fa_required_an_unverified_session_still_cannot_make_codes(alice, settings):
    settings.REQUIRE_2FA = False
    client = logged_in(alice)
    response = client.post(RECOVERY)
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(user=alice).exists()


# --- reset by an administrator ----------------------------------------------------------


@pytest.fixture
def kastoria_admin(network):
    user = User.objects.create_user(username="kira", password=PASSWORD)
    role_grant(user=user, role="admin", level="centre", place=network["kastoria"])
    return user


@pytest.fixture
def florina_admin(network):
    user = User.objects.create_user(username="fotis", password=PASSWORD)
    role_grant(user=user, role="admin", level="centre", place=network["florina"])
    return user


def with_devices(user) -> User:
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.create(device=device, token="abcdefgh")
    return user


def test_an_admin_in_scope_resets_a_users_2fa_and_it_is_audited(kastoria_admin, alice):
    with_devices(alice)
    removed = services.two_factor_reset(
        actor=kastoria_admin, user=alice, reason="lost phone, called her"
    )
    assert removed == 1
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert event.actor == kastoria_admin
    assert event.reason == "lost phone, called her"
    assert event.detail["user"] == "alice"


def test_after_a_reset_the_user_enrols_again_at_login(kastoria_admin, alice):
    with_devices(alice)
    services.two_factor_reset(actor=kastoria_admin, user=alice, reason="lost phone")
    client = password_login("alice")
    assert client.get(HOME)["Location"].startswith(SETUP)
    assert len(enrol(client, alice)) == 10
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize(
    "target", ["charlie", "nobody", "ada", "florina_admin", "mona"], ids=lambda t: t
)
def test_an_admin_out_of_scope_is_refused(kastoria_admin, target, request):
    user = with_devices(request.getfixturevalue(target))
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(actor=kastoria_admin, user=user, reason="because")
    assert TOTPDevice.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="2fa.reset").exists()


def test_an_admin_covers_an_account_whose_every_centre_they_administer(kastoria_admin, sam):
    """sam supervises the municipality of Kastoria, whose one centre kira administers."""
    services.two_factor_reset(actor=kastoria_admin, user=with_devices(sam), reason="asked")
    assert not TOTPDevice.objects.filter(user=sam).exists()


def test_a_national_admin_covers_every_account(ada, charlie, nobody, mona):
    for user in (charlie, nobody, mona):
        services.two_factor_reset(actor=ada, user=with_devices(user), reason="asked")
    assert AuditEvent.objects.filter(action="2fa.reset", actor=ada).count() == 3


def test_non_admins_and_the_user_themselves_are_refused(alice, bob, sam, ada):
    with_devices(bob)
    for actor in (alice, sam):
        with pytest.raises(PermissionDenied):
            services.two_factor_reset(actor=actor, user=bob, reason="x")
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(actor=ada, user=with_devices(ada), reason="x")
    assert TOTPDevice.objects.filter(user__in=[bob, ada]).count() == 2


def test_a_reset_needs_a_reason(kastoria_admin, alice):
    with_devices(alice)
    with pytest.raises(ValidationError) as refused:
        services.two_factor_reset(actor=kastoria_admin, user=alice, reason="  ")
    assert "Γράψτε γιατί" in str(refused.value)
    assert TOTPDevice.objects.filter(user=alice).exists()


def reset_url(user) -> str:
    return reverse("accounts-2fa-reset", args=[user.pk])


def test_the_reset_page_resets_and_returns_to_the_admin_user_page(kastoria_admin, alice):
    with_devices(alice)
    client = verified_client(kastoria_admin)
    page = client.get(reset_url(alice))
    assert page.status_code == 200
    assert "Ο λογαριασμός χρησιμοποιεί εφαρμογή ελέγχου ταυτότητας." in page.content.decode()
    response = client.post(reset_url(alice), {"reason": "lost phone"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[alice.pk])
    assert not TOTPDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert (event.actor, event.detail["via"], event.ip) == (kastoria_admin, "web", "127.0.0.1")


def test_the_reset_page_of_another_centres_user_is_404(kastoria_admin, charlie):
    with_devices(charlie)
    client = verified_client(kastoria_admin)
    assert client.get(reset_url(charlie)).status_code == 404
    assert client.post(reset_url(charlie), {"reason": "x"}).status_code == 404
    assert client.get(reverse("accounts-2fa-reset", args=[999999])).status_code == 404
    assert TOTPDevice.objects.filter(user=charlie).exists()


def test_the_reset_page_is_404_for_non_admins(alice, bob):
    with_devices(bob)
    assert verified_client(alice).get(reset_url(bob)).status_code == 404


def test_the_reset_page_needs_a_verified_session(kastoria_admin, alice):
    with_devices(kastoria_admin)
    response = password_login("kira").get(reset_url(alice))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_reset_page_without_a_reason_says_so_in_greek(kastoria_admin, alice):
    with_devices(alice)
    response = verified_client(kastoria_admin).post(reset_url(alice), {"reason": ""})
    assert response.status_code == 200
    assert "Αυτό το πεδίο είναι υποχρεωτικό." in response.content.decode()
    assert TOTPDevice.objects.filter(user=alice).exists()


def test_own_reset_on_the_page_is_refused_with_a_message(ada):
    with_devices(ada)
    response = verified_client(ada).post(reset_url(ada), {"reason": "mine"})
    assert response.status_code == 200
    assert "Δεν μπορείτε να επαναφέρετε τον δικό σας" in response.content.decode()
    assert TOTPDevice.objects.filter(user=ada).exists()


def test_the_admin_user_page_links_to_the_reset(ada, alice):
    page = verified_client(ada).get(reverse("admin:accounts_user_change", args=[alice.pk]))
    assert page.status_code == 200
    assert reset_url(alice) in page.content.decode()


def test_the_twofactor_command_resets_for_the_it_person(alice):
    with_devices(alice)
    out = io.StringIO()
    call_command("twofactor", "status", "alice", stdout=out)
    assert "authenticator app yes, 1 recovery codes left" in out.getvalue()
    call_command("twofactor", "reset", "alice", "--reason", "lost phone", stdout=out)
    assert "Reset 2FA of alice" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert event.actor is None and event.detail["via"] == "command line"


def test_the_twofactor_command_refuses_bad_input(alice):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("twofactor", "reset", "ghost", "--reason", "x")
    with pytest.raises(CommandError):
        call_command("twofactor", "reset", "alice", "--reason", "   ")
    assert not AuditEvent.objects.filter(action="2fa.reset").exists()
