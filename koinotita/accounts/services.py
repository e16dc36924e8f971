"""Writes about users: roles, API tokens, two-factor devices."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.accounts.models import ApiToken, RoleAssignment, User
from koinotita.accounts.scoping import forget_scope
from koinotita.accounts.tokens import display_prefix, hash_key, new_key
from koinotita.audit.services import audit_record


@transaction.atomic
def role_grant(*, user: User, role: str, level: str, place=None, actor=None) -> RoleAssignment:
    """Give `user` a role at a scope. `place` is the centre, municipality or region."""
    fields = {"centre": None, "municipality": None, "region": None}
    if place is not None:
        fields[place._meta.model_name] = place
    assignment = RoleAssignment(user=user, role=role, level=level, **fields)
    assignment.full_clean()
    assignment.save()
    forget_scope(user)
    audit_record(
        action="role.granted",
        actor=actor,
        obj=assignment,
        centre=assignment.centre,
        detail={"user": user.get_username(), "role": role, "level": level},
    )
    return assignment


@transaction.atomic
def api_token_create(*, user: User, name: str = "", actor=None) -> tuple[ApiToken, str]:
    """Create a token; returns it and the key, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationError(_("This user is not active."))
    key = new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=display_prefix(key), key_hash=hash_key(key)
    )
    audit_record(action="api_token.created", actor=actor, obj=token, detail={"user": user.username})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="api_token.revoked", actor=actor, obj=token)
    return token


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret is shown as a QR code during enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment when `token` matches; the session is then verified."""
    if not device.verify_token(token):
        audit_record(action="2fa.enrol_failed", actor=request.user, request=request)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    audit_record(action="2fa.enrolled", actor=request.user, request=request)
    return True


def totp_verify(*, request, token: str) -> bool:
    """Check a TOTP code for the logged-in user; on success the session is verified."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            otp_login(request, device)
            audit_record(action="2fa.verified", actor=request.user, request=request)
            return True
    audit_record(action="2fa.failed", actor=request.user, request=request)
    return False
