"""The case files entries of the home page and the main menu (koinotita.web.selectors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.scoping import Capability


def case_actions(scope) -> list[dict]:
    """Title, description and address of each case files page open to a user's scope."""
    actions = []
    if scope.has_any(Capability.CASE_FILES):
        actions.append(
            {
                "title": _("Case files"),
                "description": _("Assessment, plan, sessions, notes and tasks of the cases."),
                "url": reverse("cases-case-list"),
            }
        )
        actions.append(
            {
                "title": _("My tasks"),
                "description": _("Your tasks, overdue first."),
                "url": reverse("cases-my-tasks"),
            }
        )
    if scope.has_any(Capability.CONFIDENTIAL_NOTES):
        actions.append(
            {
                "title": _("Incoming transfers"),
                "description": _("Cases that another centre proposes to transfer to yours."),
                "url": reverse("cases-transfer-incoming"),
            }
        )
    if scope.has_any(Capability.SUPERVISE):
        actions.append(
            {
                "title": _("Team and caseload"),
                "description": _("Cases per worker, overdue tasks, closures to approve."),
                "url": reverse("cases-team"),
            }
        )
    return actions
