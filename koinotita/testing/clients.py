"""Test clients: a logged-in browser session, and an API client holding a fresh token."""

from django.test import Client

from koinotita.accounts.models import User
from koinotita.accounts.services import api_token_create


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: User, language: str | None = "en") -> Client:
    """A client that sends `user`'s new API token (and asks for `language`, if given)."""
    _token, key = api_token_create(user=user)
    headers = {"Authorization": f"Bearer {key}"}
    if language:
        headers["Accept-Language"] = language
    return Client(headers=headers)
