"""The referral pieces other pages show: the overdue referrals (on the home page) and a
case's referrals (on the case page). Each reads through koinotita.referrals.selectors."""

from django import template

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.referrals.rules import AWAITING_ANSWER
from koinotita.referrals.selectors import referral_list_for_person, referral_overdue_for

register = template.Library()
HOME_LIMIT = 10


@register.inclusion_tag("referrals/_overdue.html", takes_context=True)
def overdue_referrals(context):
    user = context["request"].user
    if not scope_for(user).has_any(Capability.CASE_FILES):
        return {"overdue_referrals": []}
    rows = list(referral_overdue_for(user)[: HOME_LIMIT + 1])
    for referral in rows:
        referral.awaiting_answer = referral.state in AWAITING_ANSWER
    return {"overdue_referrals": rows[:HOME_LIMIT], "overdue_more": len(rows) > HOME_LIMIT}


@register.inclusion_tag("referrals/_person_referrals.html", takes_context=True)
def case_referrals(context, case):
    """The referrals made from a case, with their state and outcome, and the way to refer
    from it (an open case only): `{% case_referrals case %}` on the case page."""
    user = context["request"].user
    allowed = scope_for(user).allows(Capability.CASE_FILES, case.centre_id)
    return {
        "person": case.person,
        "case": case,
        "referrals": list(referral_list_for_person(user, case.person).filter(case=case)[:50])
        if allowed
        else [],
        "can_refer": allowed and not getattr(case, "is_closed", False),
    }
