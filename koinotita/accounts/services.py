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

from koinotita.accounts.models import ApiToken, Role, RoleAssignment, ScopeLevel, User
from koinotita.accounts.scoping import (
    administered_centre_ids,
    administers_everything,
    administers_place,
    administers_user,
    forget_scope,
)
from koinotita.accounts.selectors import recovery_codes_left, two_factor_enrolment_allowed
from koinotita.accounts.tokens import display_prefix, hash_key, new_key
from koinotita.audit.services import audit_record
from koinotita.organisations.models import Centre, Municipality, Region

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # django-otp's StaticToken.random_token()


PLACE_MODELS = {
    ScopeLevel.CENTRE: Centre,
    ScopeLevel.MUNICIPALITY: Municipality,
    ScopeLevel.REGION: Region,
}


def _place_check(level: str, place) -> None:
    """The place fits the level: a centre for a centre-level role, and so on; none nationally."""
    if level not in ScopeLevel.values:
        raise ValidationError({"level": _("Choose the scope of the role.")})
    model = PLACE_MODELS.get(ScopeLevel(level))
    if model is None:
        if place is not None:
            raise ValidationError({"level": _("A national role is held at no place.")})
        return
    if not isinstance(place, model):
        raise ValidationError(
            {
                ScopeLevel(level).value: _("Choose the %(place)s where the role is held.")
                % {"place": model._meta.verbose_name}
            }
        )


def _actor_may_give(actor, *, user: User, level: str, place) -> None:
    """THE rule of access: an administrator gives access only to an account they administer,
    never to their own, and only at a place their own scope covers entirely
    (accounts.scoping.administers_place). `actor` None is the system (the demo, the server's
    command line), which may."""
    if actor is None:
        return
    if actor.pk == user.pk and not actor.is_superuser:
        raise PermissionDenied(
            _("You cannot change your own access: another administrator has to.")
        )
    if not administers_user(actor, user):
        raise PermissionDenied(_("This account is outside the scope you administer."))
    if not administers_place(actor, level, place):
        raise PermissionDenied(
            _(
                "You may give access only where you administer every centre: "
                "this place reaches centres outside your scope."
            )
        )


def role_check(*, user: User, role: str, level: str, place=None, actor=None) -> None:
    """Would `role_grant` accept this? Raises ValidationError or PermissionDenied if not (the
    admin form shows the answer before saving; the service checks again)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    _place_check(level, place)
    _actor_may_give(actor, user=user, level=level, place=place)


def _assignment_fields(level: str, place) -> dict:
    fields = {"centre": None, "municipality": None, "region": None}
    if place is not None:
        fields[place._meta.model_name] = place
    return fields


def _assignment_detail(assignment: RoleAssignment) -> dict:
    place = assignment.place
    return {
        "user": assignment.user.get_username(),
        "role": assignment.role,
        "level": assignment.level,
        "place": str(place) if place is not None else "",
        "active": assignment.is_active,
    }


@transaction.atomic
def role_grant(
    *, user: User, role: str, level: str, place=None, actor=None, request=None
) -> RoleAssignment:
    """Give `user` a role at a scope. `place` is the centre, municipality or region (None
    nationally). An administrator (`actor`) may give it only within their scope (see
    `_actor_may_give`); None is the system. Audited."""
    role_check(user=user, role=role, level=level, place=place, actor=actor)
    fields = _assignment_fields(level, place)
    if RoleAssignment.objects.filter(user=user, role=role, level=level, is_active=True, **fields):
        raise ValidationError(_("This account already holds this role there."))
    assignment = RoleAssignment(user=user, role=role, level=level, **fields)
    assignment.full_clean()
    assignment.save()
    forget_scope(user)
    audit_record(
        action="role.granted",
        actor=actor,
        obj=assignment,
        centre=assignment.centre,
        request=request,
        detail=_assignment_detail(assignment),
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor=None, request=None) -> RoleAssignment:
    """End a role assignment (kept, inactive). An administrator ends only assignments at
    places they administer entirely; None is the system. Audited."""
    if actor is not None and not administers_place(actor, assignment.level, assignment.place):
        raise PermissionDenied(_("This role is held outside the scope you administer."))
    if assignment.is_active:
        assignment.is_active = False
        assignment.save(update_fields=["is_active"])
        forget_scope(assignment.user)
        user = assignment.user
        left_without_role = not user.role_assignments.filter(is_active=True).exists()
        if left_without_role and user.created_at_centre_id is None and assignment.centre_id:
            # An account left with no role stays with the centre it last worked at, whose
            # administrators may give it a role again (accounts.scoping.centres_of_user).
            user.created_at_centre_id = assignment.centre_id
            user.save(update_fields=["created_at_centre"])
        audit_record(
            action="role.revoked",
            actor=actor,
            obj=assignment,
            centre=assignment.centre,
            request=request,
            detail=_assignment_detail(assignment),
        )
    return assignment


@transaction.atomic
def role_change(
    *,
    assignment: RoleAssignment,
    role: str,
    level: str,
    place=None,
    is_active: bool = True,
    actor=None,
    request=None,
) -> RoleAssignment:
    """Change a role assignment: its role, its place, or end or restore it. The administrator
    must cover the place it was held at and the place it is held at after; ending it is
    `role_revoke`. Audited with what it was and what it is."""
    before = RoleAssignment.objects.select_related("user").get(pk=assignment.pk)
    place_before = before.place
    unchanged = (role, level, place) == (before.role, before.level, place_before)
    if not is_active and unchanged:
        return role_revoke(assignment=before, actor=actor, request=request)
    if unchanged and is_active == before.is_active:
        return before
    if actor is not None and not administers_place(actor, before.level, place_before):
        raise PermissionDenied(_("This role is held outside the scope you administer."))
    role_check(user=before.user, role=role, level=level, place=place, actor=actor)
    was = _assignment_detail(before)
    before.role, before.level, before.is_active = role, level, is_active
    for name, value in _assignment_fields(level, place).items():
        setattr(before, name, value)
    before.full_clean()
    before.save()
    forget_scope(before.user)
    audit_record(
        action="role.changed",
        actor=actor,
        obj=before,
        centre=before.centre,
        request=request,
        detail={"before": was, "after": _assignment_detail(before)},
    )
    return before


def user_creation_centres(actor):
    """The centres an administrator may create an account at (the account's
    `created_at_centre`): the ones they administer."""
    return Centre.objects.filter(pk__in=sorted(administered_centre_ids(actor))).order_by("name")


@transaction.atomic
def user_create(*, user: User, actor=None, request=None) -> User:
    """Create a staff account with no role yet, from the unsaved `user` (its password set or
    left unusable). An administrator creates it at a centre they administer
    (`user.created_at_centre`: that centre's administrators answer for it until it holds
    roles); only a national one, or the system (`actor` None), may leave the centre out.
    Audited."""
    if user.pk is not None:
        raise ValidationError(_("This account exists already."))
    centre = user.created_at_centre
    if actor is not None:
        if centre is None:
            if not administers_everything(actor):
                raise ValidationError(
                    {"created_at_centre": _("Choose the centre the account is created for.")}
                )
        elif centre.pk not in administered_centre_ids(actor):
            raise PermissionDenied(_("You may create accounts only at centres you administer."))
    if not user.password:
        user.set_unusable_password()
    user.is_superuser = user.is_staff = False
    user.full_clean()
    user.save()
    audit_record(
        action="user.created",
        actor=actor,
        obj=user,
        centre=centre,
        request=request,
        detail={"user": user.get_username(), "centre": centre.code if centre else ""},
    )
    return user


USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


@transaction.atomic
def user_update(*, user: User, actor=None, request=None) -> User:
    """Save an account's changed details (`user` carries the new values). An administrator
    changes only accounts they administer; deactivating one ends its access. Audited with the
    names of the fields changed."""
    before = User.objects.get(pk=user.pk)
    if actor is not None and not administers_user(actor, before):
        raise PermissionDenied(_("This account is outside the scope you administer."))
    changed = [name for name in USER_FIELDS if getattr(before, name) != getattr(user, name)]
    if user.password != before.password:
        changed.append("password")
    if not changed:
        return user
    user.full_clean()
    user.save()
    audit_record(
        action="user.changed",
        actor=actor,
        obj=user,
        request=request,
        detail={"user": user.get_username(), "changed": changed},
    )
    return user


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "", expires_at: datetime | None = None, actor=None
) -> tuple[ApiToken, str]:
    """Create a token, valid until `expires_at` (or until revoked when None); returns it and
    the key, which is shown once and never stored. An administrator (`actor`) creates tokens
    only for accounts they administer; None is the operator at the server's command line."""
    if actor is not None and not administers_user(actor, user):
        raise PermissionDenied(_("This account is outside the scope you administer."))
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
    """Revoke a token: by its own user, an administrator of its account, or the system."""
    if actor is not None and actor.pk != token.user_id and not administers_user(actor, token.user):
        raise PermissionDenied(_("This account is outside the scope you administer."))
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
