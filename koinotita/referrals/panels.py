"""Referrals' part of the person page (koinotita.people.panels): the person's referrals,
loaded in a second request (htmx) so the person page keeps its query budget; without
JavaScript, a link to the same list. Staff who hold case files at the person's centre."""

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.people.panels import SECTION, PersonPanel


def _referrals(request, person) -> dict | None:
    allowed = scope_for(request.user).allows(Capability.CASE_FILES, person.centre_id)
    return {} if allowed else None


PANELS = (
    PersonPanel("referrals", "referrals/_person_referrals_lazy.html", _referrals, SECTION, 50),
)
