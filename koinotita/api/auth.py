from ninja.security import HttpBearer

from koinotita.accounts.selectors import api_token_user


class BearerToken(HttpBearer):
    """`Authorization: Bearer kt_…` — a token created with `koinotita token create`."""

    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        return user
