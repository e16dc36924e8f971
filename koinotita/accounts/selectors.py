"""Reads about users: their devices, tokens and roles."""

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.accounts.models import ApiToken, RoleAssignment
from koinotita.accounts.tokens import hash_key


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def role_assignment_list_for_user(user):
    return (
        RoleAssignment.objects.filter(user=user, is_active=True)
        .select_related("centre", "municipality", "region")
        .order_by("role", "level")
    )


def api_token_user(key: str):
    """The active user a bearer token belongs to, or None. Marks the token as used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
