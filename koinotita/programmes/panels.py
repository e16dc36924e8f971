"""Programmes' parts of the person page (koinotita.people.panels): the pre-screening
button, and a section with the person's applications and saved pre-screenings, loaded
after the page (htmx) so that the person page keeps its query budget."""

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.people.panels import ACTION, SECTION, PersonPanel


def _if_staff(request, person) -> dict | None:
    if not scope_for(request.user).allows(Capability.PERSONAL_DATA, person.centre_id):
        return None
    return {}


PANELS = (
    PersonPanel("programmes-actions", "programmes/_person_actions.html", _if_staff, ACTION, 30),
    PersonPanel(
        "programmes-applications",
        "programmes/_person_programmes_lazy.html",
        _if_staff,
        SECTION,
        60,
    ),  # fmt: skip
)
