"""Whom a consent to share may name: an organisation of the directory, by its identifier.

People sits below the directory and cannot read it. A consent to share for a referral keeps
the recipient as `Consent.recipient_key` (the directory organisation's HSDS id, a string) and
`Consent.partner` (its name when the consent was taken, for reading). The app that knows the
organisations registers a `RecipientDirectory` with `register_recipient_directory` in its
AppConfig.ready(); the consent form, the API and the import ask it for the choices, to check
a key and to find an organisation by the name a file or a client wrote. Matching a consent
to a referral's recipient compares keys, never names.

A consent with purpose "referral" and no key was recorded before recipients were chosen
from the directory and its name matched no organisation: it is kept, shown as "not matched
to the directory", and lets nothing be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str


class RecipientDirectory(Protocol):
    def choices(self) -> list[Recipient]:
        """Every organisation a consent may name, in the order a person would look for it."""

    def get(self, key: str) -> Recipient | None:
        """The organisation with this key, or None."""

    def find(self, text: str) -> Recipient | None:
        """The one organisation whose key, name or alternate name is `text` (case and
        accents ignored), or None when none or several are."""


_DIRECTORY: list[RecipientDirectory] = []


def register_recipient_directory(directory: RecipientDirectory) -> None:
    _DIRECTORY[:] = [directory]


def recipient_directory() -> RecipientDirectory | None:
    return _DIRECTORY[0] if _DIRECTORY else None


def recipient_choices() -> list[Recipient]:
    directory = recipient_directory()
    return directory.choices() if directory else []


def recipient_get(key: str) -> Recipient | None:
    directory = recipient_directory()
    return directory.get(key) if directory and key else None


def recipient_find(text: str) -> Recipient | None:
    directory = recipient_directory()
    return directory.find(text) if directory and text.strip() else None
