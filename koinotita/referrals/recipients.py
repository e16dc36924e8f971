"""The directory's organisations as the recipients a consent to share may name
(people.recipients): registered with people in ReferralsConfig.ready(), since referrals is
the app that matches a consent to a referral's organisation."""

from __future__ import annotations

import uuid

from koinotita.directory.models import Organization
from koinotita.lib.greek import fold, sort_key
from koinotita.people.recipients import Recipient


def _recipient(organization: Organization) -> Recipient:
    return Recipient(key=str(organization.pk), name=organization.name)


def _folded(text: str) -> str:
    return fold(" ".join(str(text).split()))


class DirectoryRecipients:
    def choices(self) -> list[Recipient]:
        organizations = Organization.objects.only("pk", "name")
        return sorted((_recipient(o) for o in organizations), key=lambda r: sort_key(r.name))

    def get(self, key: str) -> Recipient | None:
        try:
            pk = uuid.UUID(str(key).strip())
        except ValueError:
            return None
        organization = Organization.objects.filter(pk=pk).only("pk", "name").first()
        return _recipient(organization) if organization else None

    def find(self, text: str) -> Recipient | None:
        by_key = self.get(text)
        if by_key is not None:
            return by_key
        wanted = _folded(text)
        found = [
            o
            for o in Organization.objects.only("pk", "name", "alternate_name")
            if wanted in {_folded(o.name), _folded(o.alternate_name or "")}
        ]
        return _recipient(found[0]) if len(found) == 1 else None


RECIPIENTS = DirectoryRecipients()
