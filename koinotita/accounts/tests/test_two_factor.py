import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.audit.models import AuditEvent
from koinotita.testing.users import PASSWORD

SETUP = reverse("accounts-2fa-setup")
VERIFY = reverse("accounts-2fa-verify")


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def logged_in_with_password(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts-login"), {"username": username, "password": PASSWORD})
    return client


def test_first_login_is_sent_to_enrolment_with_a_qr_code(alice):
    client = logged_in_with_password("alice")
    response = client.get(reverse("web-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert TOTPDevice.objects.filter(user=alice, confirmed=False).count() == 1


def test_enrolment_with_the_right_code_opens_the_application(alice):
    client = logged_in_with_password("alice")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(SETUP, {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("web-home")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa.enrolled", actor=alice).exists()


def test_enrolment_with_a_wrong_code_is_refused_with_a_message(alice):
    client = logged_in_with_password("alice")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=alice)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("web-home")).status_code == 302


def test_malformed_code_gets_a_clear_error(alice):
    client = logged_in_with_password("alice")
    response = client.post(SETUP, {"token": "12ab"})
    assert response.status_code == 200
    assert "Ο κωδικός έχει έξι ψηφία." in response.content.decode()


def test_enrolled_user_must_give_a_code_at_each_login(alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client = logged_in_with_password("alice")
    response = client.get(reverse("web-home"))
    assert response["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"token": "999999" if code_for(device) != "999999" else "888888"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action="2fa.failed", actor=alice).exists()
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(VERIFY, {"token": code_for(device)})
    assert right.status_code == 302
    assert client.get(reverse("web-home")).status_code == 200


def test_unverified_user_reaches_neither_pages_nor_admin(ada):
    client = logged_in_with_password("ada")
    for url in (reverse("web-home"), reverse("organisations-centre-list"), "/admin/"):
        assert client.get(url).status_code == 302, url


def test_logout_is_possible_before_verification(alice):
    client = logged_in_with_password("alice")
    assert client.post(reverse("accounts-logout")).status_code == 302
