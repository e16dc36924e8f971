"""Programmes' parts of the person page (koinotita.people.panels): the pre-screening
button, and the person's applications and saved pre-screenings."""

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.people.panels import ACTION, SECTION, PersonPanel
from koinotita.programmes.selectors import (
    application_list_for_person,
    prescreening_list_for_person,
)

LIST_LENGTH = 20


def _actions(request, person) -> dict | None:
    if not scope_for(request.user).allows(Capability.PERSONAL_DATA, person.centre_id):
        return None
    return {}


def _applications(request, person) -> dict | None:
    if not scope_for(request.user).allows(Capability.PERSONAL_DATA, person.centre_id):
        return None
    return {
        "applications": application_list_for_person(request.user, person)[:LIST_LENGTH],
        "prescreenings": prescreening_list_for_person(request.user, person).select_related(
            "created_by"
        )[:LIST_LENGTH],
    }


PANELS = (
    PersonPanel("programmes-actions", "programmes/_person_actions.html", _actions, ACTION, 30),
    PersonPanel(
        "programmes-applications",
        "programmes/_person_applications.html",
        _applications,
        SECTION,
        60,
    ),  # fmt: skip
)
