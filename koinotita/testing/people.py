"""The one way tests make a person: through `people.services.person_register`, as every door
does, with the consent to registration it requires (today, unless told otherwise)."""

from datetime import date

from django.utils import timezone

from koinotita.people.models import Person
from koinotita.people.services import person_register


def person_make(
    *,
    actor,
    centre,
    fields: dict,
    confirm: bool = True,
    consent_given_on: date | None = None,
    request=None,
) -> Person:
    return person_register(
        actor=actor,
        centre=centre,
        fields=fields,
        confirm=confirm,
        consent_given_on=consent_given_on or timezone.localdate(),
        request=request,
    )
