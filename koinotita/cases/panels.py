"""Case files' part of the person page (koinotita.people.panels): "Open a case", for the
users who may open cases at the person's centre — the same rule as `services.case_open`;
no query (the scope is read once per request)."""

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.people.panels import ACTION, PersonPanel


def _open_case(request, person) -> dict | None:
    allowed = scope_for(request.user).allows(Capability.CONFIDENTIAL_NOTES, person.centre_id)
    return {} if allowed and person.is_active else None


PANELS = (PersonPanel("cases-open", "cases/_open_case_link.html", _open_case, ACTION, 20),)
