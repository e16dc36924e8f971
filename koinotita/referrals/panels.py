"""Referrals' part of the person page (koinotita.people.panels): the person's referrals,
loaded in a second request (htmx) so the person page keeps its query budget; without
JavaScript, a link to the same list. Staff who hold case files at the person's centre."""

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.directory.models import Need
from koinotita.people.panels import SECTION, PersonPanel
from koinotita.programmes.models import Application
from koinotita.programmes.plugins import ApplicationPanel


def _referrals(request, person) -> dict | None:
    allowed = scope_for(request.user).allows(Capability.CASE_FILES, person.centre_id)
    return {} if allowed else None


PANELS = (
    PersonPanel("referrals", "referrals/_person_referrals_lazy.html", _referrals, SECTION, 50),
)


# The social-inclusion pillar of the minimum income: an approved beneficiary is referred to
# services of the directory (activation, goods, care) from the application's page.
INCLUSION_NEEDS = (Need.EMPLOYMENT, Need.FOOD, Need.HOUSING, Need.HEALTH, Need.FAMILY,
                   Need.EDUCATION)  # fmt: skip


def _refer_beneficiary(request, application) -> dict | None:
    if application.state != Application.State.APPROVED:
        return None
    if not scope_for(request.user).allows(Capability.CASE_FILES, application.centre_id):
        return None
    return {"needs": [(n.value, n.label) for n in INCLUSION_NEEDS]}


APPLICATION_PANEL = ApplicationPanel(
    "referrals-refer-beneficiary", "referrals/_application_refer.html", _refer_beneficiary, 30
)
