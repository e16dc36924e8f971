"""Activities' part of the person page (koinotita.people.panels): the group activities the
person attended, loaded after the page (htmx) so the person page keeps its query budget."""

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.people.panels import SECTION, PersonPanel


def _activities(request, person) -> dict | None:
    allowed = scope_for(request.user).allows(Capability.PERSONAL_DATA, person.centre_id)
    return {} if allowed else None


PANELS = (
    PersonPanel("activities", "activities/_person_activities_lazy.html", _activities, SECTION, 60),
)
