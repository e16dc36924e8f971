"""The referral entries of the home page and the main menu (koinotita.web.selectors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.models import Role
from koinotita.accounts.scoping import Capability
from koinotita.referrals.selectors import partner_organization_ids


def referral_actions(scope, user) -> list[dict]:
    """Title, description and address of each referral page open to a user's scope."""
    actions = []
    if scope.has_any(Capability.CASE_FILES):
        actions.append(
            {
                "title": _("Referrals"),
                "description": _(
                    "Referrals to services and from them, their answers and outcomes."
                ),
                "url": reverse("referrals-referral-list"),
            }
        )
    if Role.PARTNER in scope.roles and _has_organisation(user):
        actions.append(
            {
                "title": _("Referrals to your organisation"),
                "description": _(
                    "Answer the referrals addressed to your organisation and report outcomes."
                ),
                "url": reverse("referrals-inbox"),
            }
        )
    if scope.has_any(Capability.SUPERVISE):
        actions.append(
            {
                "title": _("Referral figures"),
                "description": _(
                    "Referrals sent, answered, accepted and completed per partner and service."
                ),
                "url": reverse("referrals-figures"),
            }
        )
    return actions


def _has_organisation(user) -> bool:
    """A partner user answers referrals once linked to an organisation (PartnerMembership);
    read once per request."""

    return bool(partner_organization_ids(user))
