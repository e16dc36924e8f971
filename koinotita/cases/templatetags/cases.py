"""The case-file pieces other apps' pages show: `{% case_open_link person %}` on the
person's page (for the users who may open cases at the person's centre)."""

from django import template

from koinotita.accounts.scoping import Capability, scope_for

register = template.Library()


@register.inclusion_tag("cases/_open_case_link.html", takes_context=True)
def case_open_link(context, person):
    """A link to open a case for `person` (the form is for that person): caseworkers and
    supervisors of the person's centre only — the same rule as `services.case_open`; no
    query (the scope is read once per request)."""
    user = context["request"].user
    allowed = scope_for(user).allows(Capability.CONFIDENTIAL_NOTES, person.centre_id)
    return {"person": person, "can_open_case": allowed and person.is_active}
