"""Reception's parts of the person page (koinotita.people.panels): log a contact, book an
appointment, and the timeline of the person's contacts."""

from koinotita.people.panels import ACTION, SECTION, PersonPanel
from koinotita.reception.selectors import contact_list_for_person

TIMELINE_LENGTH = 50


def _actions(request, person) -> dict:
    return {}


def _contacts(request, person) -> dict:
    return {"contacts": contact_list_for_person(request.user, person)[:TIMELINE_LENGTH]}


PANELS = (
    PersonPanel("reception-actions", "reception/_person_actions.html", _actions, ACTION, 10),
    PersonPanel("reception-contacts", "reception/_person_contacts.html", _contacts, SECTION, 90),
)
