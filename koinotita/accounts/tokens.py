"""API token format: `kt_` + a random secret. Only the SHA-256 of the whole key is stored."""

import hashlib
import secrets

PREFIX = "kt_"


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def display_prefix(key: str) -> str:
    return key[:10]
