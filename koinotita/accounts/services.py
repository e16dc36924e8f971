"""Writes about users: roles, API tokens, two-factor devices and recovery codes."""

import re
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.accounts.models import ApiToken, RoleAssignment, User
from koinotita.accounts.scoping import administers_user, forget_scope
from koinotita.accounts.selectors import recovery_codes_left, two_factor_enrolment_allowed
from koinotita.accounts.tokens import display_prefix, hash_key, new_key
from koinotita.audit.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # django-otp's StaticToken.random_token()


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
def api_token_create(
    *, user: User, name: str = "", expires_at: datetime | None = None, actor=None
) -> tuple[ApiToken, str]:
    """Create a token, valid until `expires_at` (or until revoked when None); returns it and
    the key, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationError(_("This user is not active."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry of a token must be in the future.")})
    key = new_key()
    token = ApiToken(
        user=user,
        name=name,
        prefix=display_prefix(key),
        key_hash=hash_key(key),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        action="api_token.created",
        actor=actor,
        obj=token,
        detail={"user": user.username, "expires_at": expires_at},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="api_token.revoked", actor=actor, obj=token)
    return token


def _require_enrolment_allowed(request) -> None:
    if not two_factor_enrolment_allowed(user=request.user, verified=request.user.is_verified()):
        raise PermissionDenied(
            _("You already use two-factor authentication: give a code from your app first.")
        )


def totp_device_pending(*, request) -> TOTPDevice:
    """The unconfirmed device whose secret is shown as a QR code during enrolment. Refused
    (PermissionDenied) to a password-only session of a user who has a confirmed device."""
    _require_enrolment_allowed(request)
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment when `token` matches: the device replaces any earlier one, the
    session is verified, and new recovery codes are made. Returns the codes (to be shown
    once), or None when the code is wrong."""
    _require_enrolment_allowed(request)
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(token):
        audit_record(action="2fa.enrol_failed", actor=user, request=request)
        return None
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # and other secrets
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_new(user)
    otp_login(request, device)
    audit_record(
        action="2fa.enrolled",
        actor=user,
        request=request,
        detail={"replaced_device": replaced, "recovery_codes": len(codes)},
    )
    return codes


def _recovery_codes_new(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in sorted(codes))
    return sorted(codes)


@transaction.atomic
def recovery_codes_regenerate(*, request) -> list[str]:
    """New recovery codes for a verified session; the old ones stop working."""
    if not request.user.is_verified():
        raise PermissionDenied
    codes = _recovery_codes_new(request.user)
    audit_record(
        action="2fa.recovery_codes_regenerated",
        actor=request.user,
        request=request,
        detail={"recovery_codes": len(codes)},
    )
    return codes


def normalise_code(code: str) -> str:
    """A code as typed: spaces and hyphens dropped, letters lower-case."""
    return re.sub(r"[\s-]", "", code).lower()


@transaction.atomic
def two_factor_verify(*, request, code: str):
    """Check the second factor of the logged-in user: a six-digit TOTP code, or one of
    their recovery codes (each works once). On success the session is verified and the
    device returned; None otherwise. Every attempt is audited."""
    user = request.user
    code = normalise_code(code)
    if RECOVERY_CODE.fullmatch(code):
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(code):
            otp_login(request, device)
            audit_record(
                action="2fa.recovery_code_used",
                actor=user,
                request=request,
                detail={"recovery_codes_left": recovery_codes_left(user)},
            )
            return device
    elif TOTP_CODE.fullmatch(code):
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            allowed, _details = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                otp_login(request, device)
                audit_record(action="2fa.verified", actor=user, request=request)
                return device
    audit_record(action="2fa.failed", actor=user, request=request)
    return None


@transaction.atomic
def two_factor_reset(*, actor: User | None, user: User, reason: str, request=None) -> int:
    """Remove `user`'s authenticator devices and recovery codes, so that their next login
    enrols a new device. `actor` is an administrator whose scope covers the account
    (accounts.scoping.administers_user), never the user themselves (who replaces their own
    device from a verified session); None only for the operator at the server's command
    line. Returns how many devices were removed."""
    if actor is not None:
        if actor.pk == user.pk:
            raise PermissionDenied(
                _("You cannot reset your own two-factor authentication; replace your device.")
            )
        if not administers_user(actor, user):
            raise PermissionDenied(_("This account is outside the scope you administer."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the two-factor authentication is reset.")})
    totp, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        action="2fa.reset",
        actor=actor,
        obj=user,
        request=request,
        reason=reason[:500],
        detail={
            "user": user.get_username(),
            "via": "web" if actor is not None else "command line",
            "devices_removed": totp,
        },
    )
    return totp
