"""Hole 2 of the security review: with 2FA required, the password alone must never enrol a
new authenticator app for a user who already has one. Enrolment is open only to a user with
no confirmed device (right after the password), or to a verified session replacing its own."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.accounts import services
from koinotita.audit.models import AuditEvent
from koinotita.testing.users import PASSWORD

SETUP = reverse("accounts-2fa-setup")
VERIFY = reverse("accounts-2fa-verify")
HOME = reverse("web-home")


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def logged_in_with_password(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts-login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def otp_request(user, device=None):
    """A request as OTPMiddleware leaves it: verified when `device` is given."""
    request = RequestFactory().post("/")
    request.session = SessionStore()
    user.otp_device = device
    user.is_verified = lambda: user.otp_device is not None
    request.user = user
    return request


@pytest.fixture
def enrolled_alice(alice):
    device = TOTPDevice.objects.create(user=alice, name="her phone", confirmed=True)
    return alice, device


def test_password_alone_cannot_enrol_a_new_device_over_a_confirmed_one(enrolled_alice):
    """The attack: password login → setup → confirm a fresh secret → in. Refused."""
    alice, her_phone = enrolled_alice
    client = logged_in_with_password("alice")

    page = client.get(SETUP)
    assert page.status_code == 302
    assert page["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=alice, confirmed=False).exists()  # no secret shown

    # Even with a pending secret left over from somewhere, confirming it is refused.
    attackers = TOTPDevice.objects.create(user=alice, name="attacker", confirmed=False)
    confirm = client.post(SETUP, {"token": code_for(attackers)})
    assert confirm.status_code == 302
    assert confirm["Location"].startswith(VERIFY)
    attackers.refresh_from_db()
    assert not attackers.confirmed
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).get() == her_phone
    assert client.get(HOME)["Location"].startswith(VERIFY)  # still not in
    assert not AuditEvent.objects.filter(action="2fa.enrolled").exists()


def test_the_refusal_tells_the_user_in_greek_what_to_do(enrolled_alice):
    client = logged_in_with_password("alice")
    page = client.get(SETUP, follow=True)
    assert "Χρησιμοποιείτε ήδη έλεγχο ταυτότητας δύο παραγόντων" in page.content.decode()


def test_enrolment_services_refuse_a_password_only_session(enrolled_alice):
    alice, _phone = enrolled_alice
    request = otp_request(alice)  # not verified
    with pytest.raises(PermissionDenied):
        services.totp_device_pending(request=request)
    pending = TOTPDevice.objects.create(user=alice, name="pending", confirmed=False)
    with pytest.raises(PermissionDenied):
        services.totp_device_confirm(request=request, device=pending, token=code_for(pending))
    pending.refresh_from_db()
    assert not pending.confirmed


def test_confirming_someone_elses_pending_device_is_refused(alice, bob):
    bobs = TOTPDevice.objects.create(user=bob, name="pending", confirmed=False)
    with pytest.raises(PermissionDenied):
        services.totp_device_confirm(request=otp_request(alice), device=bobs, token=code_for(bobs))


def test_a_verified_session_replaces_its_device_and_recovery_codes(enrolled_alice):
    alice, old_phone = enrolled_alice
    client = logged_in_with_password("alice")
    assert client.post(VERIFY, {"token": code_for(old_phone)}).status_code == 302
    client.post(reverse("accounts-2fa-recovery"))  # she had codes
    old_codes = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))

    page = client.get(SETUP)
    assert page.status_code == 200
    assert "αντικαθιστά" in page.content.decode()
    new_phone = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post(SETUP, {"token": code_for(new_phone)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-2fa-recovery"))

    assert list(TOTPDevice.objects.filter(user=alice)) == [new_phone]
    new_codes = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert len(new_codes) == services.RECOVERY_CODE_COUNT
    assert not new_codes & old_codes
    event = AuditEvent.objects.get(action="2fa.enrolled", actor=alice)
    assert event.detail == {"replaced_device": True, "recovery_codes": 10}


def test_first_enrolment_right_after_the_password_is_still_open(alice):
    client = logged_in_with_password("alice")
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=alice)
    assert client.post(SETUP, {"token": code_for(device)}).status_code == 302
    assert client.get(HOME).status_code == 200
    event = AuditEvent.objects.get(action="2fa.enrolled", actor=alice)
    assert event.detail["replaced_device"] is False
