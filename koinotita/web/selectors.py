"""What the shell shows a user: the actions open to them today and their roles."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.models import Role
from koinotita.accounts.scoping import Capability, scope_for
from koinotita.accounts.selectors import role_assignment_list_for_user
from koinotita.cases.navigation import case_actions
from koinotita.cases.selectors import home_sections_for
from koinotita.funding.selectors import funding_home_action
from koinotita.monitoring.navigation import monitoring_actions
from koinotita.referrals.navigation import referral_actions


@dataclass(frozen=True)
class Action:
    title: str
    description: str
    url: str


def actions_for(user) -> list[Action]:
    """The pages this user can use today, in the order a home page lists them."""
    scope = scope_for(user)
    actions = []
    if scope.has_any(Capability.PERSONAL_DATA):
        actions.append(
            Action(
                _("Reception"),
                _("Find or register a person, log a contact."),
                reverse("people-person-search"),
            )
        )
        actions.append(
            Action(
                _("Appointments"),
                _("Day and week of each worker and site; check arrivals in."),
                reverse("reception-appointment-index"),
            )
        )
        actions.append(
            Action(
                _("Programmes and benefits"),
                _("The catalogue of entitlements; pre-screen a household from its record."),
                reverse("programmes-programme-list"),
            )
        )
        actions.append(
            Action(
                _("Applications needing action"),
                _("Applications in preparation, documents asked for, renewals due."),
                reverse("programmes-applications-needing-action"),
            )
        )
    actions.extend(Action(**a) for a in referral_actions(scope, user))
    actions.extend(Action(**a) for a in case_actions(scope))
    actions.extend(Action(**a) for a in monitoring_actions(scope))
    if scope.has_any(Capability.VIEW_NETWORK):
        actions.append(
            Action(
                _("Centres and sites"),
                _("The community centres you work with: main offices, antennas and branches."),
                reverse("organisations-centre-list"),
            )
        )
    if scope.has_any(Capability.SUPERVISE):
        actions.append(
            Action(
                _("Audit trail"),
                _("Who saw or changed what in your centres, and when."),
                reverse("audit-event-list"),
            )
        )
        actions.append(
            Action(
                _("Import persons"),
                _("Register many persons at once from a CSV or Excel file, checked row by row."),
                reverse("people-import-upload"),
            )
        )
    funding = funding_home_action(scope)  # supervisors, admins and monitors
    if funding:
        actions.append(Action(*funding))
    if scope.has_any(Capability.ADMINISTER) or user.is_superuser:
        actions.append(
            Action(
                _("Administration"),
                _("Regions, municipalities, centres, sites, users and their roles."),
                reverse("admin:index"),
            )
        )
    return actions


ROLE_DUTIES = {
    Role.RECEPTION: _("Receives people, finds or registers them, logs their contacts."),
    Role.CASEWORKER: _("Keeps the case files of the centre: assessment, plan, sessions."),
    Role.MEDIATOR: _("Contacts and referrals for the people assigned to you."),
    Role.SUPERVISOR: _("Oversees the centres of the municipality: team, approvals, reports."),
    Role.PARTNER: _("Receives the referrals addressed to your organisation."),
    Role.MONITOR: _("Aggregate figures only; never a person."),
    Role.ADMIN: _("Organisations, sites, users and catalogues."),
}


def home_for(user, request=None) -> dict:
    assignments = list(role_assignment_list_for_user(user))
    roles = [
        {
            "role": a.get_role_display(),
            "duty": ROLE_DUTIES[Role(a.role)],
            "place": a.place.label if a.place else _("National"),
            "level": a.get_level_display(),
        }
        for a in assignments
    ]

    return {
        "roles": roles,
        "actions": actions_for(user),
        "no_role": not assignments,
        **home_sections_for(user, request=request),
        # Loaded after the page (htmx) from programmes' own view, within its own budget.
        "applications_home": scope_for(user).has_any(Capability.PERSONAL_DATA),
    }
