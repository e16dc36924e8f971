"""The monitoring entries of the home page (koinotita/web/selectors.py asks for them)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.scoping import Capability


def monitoring_actions(scope) -> list[dict]:
    actions = []
    if scope.has_any(Capability.CASE_FILES):
        actions.append(
            {
                "title": _("ESF participation records"),
                "description": _("Entry and exit records of the participants, and the follow-up."),
                "url": reverse("monitoring-participation-list"),
            }
        )
    if scope.has_any(Capability.AGGREGATES):
        actions.append(
            {
                "title": _("Indicators and reports"),
                "description": _(
                    "ESF indicators by sex and the activity report; lock and submit a period."
                )
                if scope.has_any(Capability.SUPERVISE)
                else _("ESF indicators and activity reports of the centres: aggregates only."),
                "url": reverse("monitoring-report"),
            }
        )
        actions.append(
            {
                "title": _("Monitoring dashboard"),
                "description": _(
                    "Contacts, categories, services, referrals and caseload, month by month."
                ),
                "url": reverse("monitoring-dashboard"),
            }
        )
    return actions
