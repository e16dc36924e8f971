"""Reads about users: their devices, tokens, lockouts and roles."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from koinotita.accounts.models import ApiToken, RoleAssignment, User
from koinotita.accounts.scoping import Capability, administers_user, assignments_opening
from koinotita.accounts.tokens import hash_key


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_enrolment_allowed(*, user, verified: bool) -> bool:
    """May this session be shown a new TOTP secret? Only a user without a confirmed device
    (their first enrolment, right after the password), or a session already verified with
    a second factor (replacing its device). Never the password alone when a device exists:
    that would let whoever knows the password enrol their own phone."""
    return verified or not has_confirmed_device(user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def login_locked_out(username: str) -> bool:
    """Is `username` locked out now (django-axes: AXES_FAILURE_LIMIT failures from one
    address within AXES_COOLOFF_TIME), from any address?"""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
        .order_by()  # the model's default ordering would split the groups
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .exists()
    )


def user_administered_get(*, actor, pk: int) -> User:
    """An account `actor` administers (accounts.scoping.administers_user), else 404."""
    user = User.objects.filter(pk=pk).first()
    if user is None or not administers_user(actor, user):
        raise Http404
    return user


def staff_holding(centre_ids, capability: Capability) -> QuerySet[User]:
    """The active users who hold `capability` at one of `centre_ids`, by name: whom work
    there can be given to (the inverse of `scope_for`)."""
    assignments = RoleAssignment.objects.filter(
        assignments_opening(sorted(centre_ids), capability), user=OuterRef("pk")
    )
    return User.objects.filter(Exists(assignments), is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def _name_variants(term: str) -> set[str]:
    # SQLite's LIKE folds case for ASCII only: try the term as typed, lower, title and upper.
    return {term, term.lower(), term[:1].upper() + term[1:].lower(), term.upper()}


def staff_matching(users: QuerySet[User], text: str, limit: int = 8) -> list[User]:
    """The users of `users` (already scoped, e.g. `staff_holding`) whose first name, last
    name or username starts with every word of `text`, by name: a staff picker's few
    matches instead of the whole centre."""
    terms = text.split()[:4]
    if not terms:
        return []
    for term in terms:
        match = Q()
        for v in _name_variants(term[:50]):
            match |= (
                Q(first_name__startswith=v) | Q(last_name__startswith=v) | Q(username__startswith=v)
            )
        users = users.filter(match)
    return list(users.only("id", "username", "first_name", "last_name")[:limit])


def role_assignment_list_for_user(user):
    return (
        RoleAssignment.objects.filter(user=user, is_active=True)
        .select_related("centre", "municipality", "region")
        .order_by("role", "level")
    )


def api_token_user(key: str):
    """The user a bearer token belongs to, or None when the token is unknown, revoked or
    expired, or its user is inactive or locked out. Marks the token as used."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or login_locked_out(token.user.get_username()):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
