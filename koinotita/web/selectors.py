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
from koinotita.referrals.selectors import partner_home_for


@dataclass(frozen=True)
class Action:
    title: str
    description: str
    url: str
    group: str = ""


# The main menu's top entries, in order: at most seven (Home among them), each a link when it
# holds one page, a menu of its pages when it holds more.
MENU_GROUPS = {
    "reception": _("Reception"),
    "cases": _("Case files"),
    "referrals": _("Referrals"),
    "directory": _("Service directory"),
    "reports": _("Reports and funding"),
    "administration": _("Administration"),
}


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str  # the page itself, or the first page of the group
    items: tuple[Action, ...] = ()


def menu_for(user) -> list[MenuEntry]:
    """The main menu: Home, then the groups of the pages open to the user."""
    grouped: dict[str, list[Action]] = {}
    for action in actions_for(user):
        grouped.setdefault(action.group, []).append(action)
    grouped.setdefault("directory", []).extend(
        [
            Action(_("Find a service"), "", reverse("directory-search"), "directory"),
            Action(_("Cooperation protocols"), "", reverse("directory-protocol-list"), "directory"),
        ]
    )
    menu = [MenuEntry(_("Home"), reverse("web-home"))]
    for key, title in MENU_GROUPS.items():
        items = grouped.get(key, [])
        if len(items) == 1:
            menu.append(MenuEntry(items[0].title, items[0].url))
        elif items:
            menu.append(MenuEntry(title, items[0].url, tuple(items)))
    return menu


def actions_for(user) -> list[Action]:
    """The pages this user can use today, in the order a home page lists them, each with
    the group of the main menu it belongs to."""
    return [a for a in _actions(user)]


def _actions(user) -> list[Action]:
    scope = scope_for(user)
    actions = []
    if scope.has_any(Capability.PERSONAL_DATA):
        actions.append(
            Action(
                _("Reception"),
                _("Find or register a person, log a contact."),
                reverse("people-person-search"),
                "reception",
            )
        )
        actions.append(
            Action(
                _("Appointments"),
                _("Day and week of each worker and site; check arrivals in."),
                reverse("reception-appointment-index"),
                "reception",
            )
        )
        actions.append(
            Action(
                _("Programmes and benefits"),
                _("The catalogue of entitlements; pre-screen a household from its record."),
                reverse("programmes-programme-list"),
                "reception",
            )
        )
        actions.append(
            Action(
                _("Applications needing action"),
                _("Applications in preparation, documents asked for, renewals due."),
                reverse("programmes-applications-needing-action"),
                "reception",
            )
        )
    actions.extend(Action(**a, group="referrals") for a in referral_actions(scope, user))
    actions.extend(Action(**a, group="cases") for a in case_actions(scope))
    actions.extend(Action(**a, group="reports") for a in monitoring_actions(scope))
    if scope.has_any(Capability.VIEW_NETWORK):
        actions.append(
            Action(
                _("Centres and sites"),
                _("The community centres you work with: main offices, antennas and branches."),
                reverse("organisations-centre-list"),
                "administration",
            )
        )
    if scope.has_any(Capability.SUPERVISE):
        actions.append(
            Action(
                _("Audit trail"),
                _("Who saw or changed what in your centres, and when."),
                reverse("audit-event-list"),
                "administration",
            )
        )
        actions.append(
            Action(
                _("Import persons"),
                _("Register many persons at once from a CSV or Excel file, checked row by row."),
                reverse("people-import-upload"),
                "reception",
            )
        )
    funding = funding_home_action(scope)  # supervisors, admins and monitors
    if funding:
        actions.append(Action(*funding, group="reports"))
    if scope.has_any(Capability.ADMINISTER) or user.is_superuser:
        actions.append(
            Action(
                _("Administration"),
                _("Regions, municipalities, centres, sites, users and their roles."),
                reverse("admin:index"),
                "administration",
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
    """The home page: the role's work first (the partner's waiting referrals, the
    caseworker's cases, tasks and appointments, the supervisor's team, the reception's
    search box), the other pages below, the roles last."""
    assignments = list(role_assignment_list_for_user(user))
    partner = partner_home_for(user)
    organisations = ", ".join(p["name"] for p in partner)
    roles = [
        {
            "role": a.get_role_display(),
            "duty": ROLE_DUTIES[Role(a.role)],
            # A partner works for an organisation of the directory, not for the centre.
            "place": organisations
            if a.role == Role.PARTNER and organisations
            else (a.place.label if a.place else _("National")),
            "level": "" if a.role == Role.PARTNER and organisations else a.get_level_display(),
        }
        for a in assignments
    ]
    scope = scope_for(user)
    return {
        "roles": roles,
        "actions": actions_for(user),
        "no_role": not assignments,
        "partner_home": partner,
        "can_search_people": scope.has_any(Capability.PERSONAL_DATA),
        **home_sections_for(user, request=request),
        # Loaded after the page (htmx) from programmes' own view, within its own budget.
        "applications_home": scope_for(user).has_any(Capability.PERSONAL_DATA),
    }
