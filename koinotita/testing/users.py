"""Staff accounts for tests, given their role through `accounts.services.role_grant`."""

from koinotita.accounts.models import User
from koinotita.accounts.services import role_grant

PASSWORD = "correct-horse-battery"


def user_with_role(
    username: str, role: str | None = None, level: str = "centre", place=None
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title()
    )
    if role:
        role_grant(user=user, role=role, level=level, place=place)
    return user
