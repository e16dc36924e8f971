"""The rules of a referral that services, selectors, views and the API share: which step may
follow which, who may take it, and which of a person's fields can be shared."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from koinotita.people import fields as person_fields
from koinotita.referrals.models import State

# draft → sent → received → accepted | declined → completed | not completed, or withdrawn by
# the centre while the referral is open. A partner may accept or decline straight from
# "sent" (the acknowledgement is then implied); an incoming referral starts as "received".
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SENT, State.WITHDRAWN}),
    State.SENT: frozenset({State.RECEIVED, State.ACCEPTED, State.DECLINED, State.WITHDRAWN}),
    State.RECEIVED: frozenset({State.ACCEPTED, State.DECLINED, State.WITHDRAWN}),
    State.ACCEPTED: frozenset({State.COMPLETED, State.NOT_COMPLETED, State.WITHDRAWN}),
    State.DECLINED: frozenset(),
    State.COMPLETED: frozenset(),
    State.NOT_COMPLETED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# What the receiving side (a partner user or the holder of a signed link) may do.
PARTNER_STEPS = frozenset(
    {State.RECEIVED, State.ACCEPTED, State.DECLINED, State.COMPLETED, State.NOT_COMPLETED}
)
# What only the referring centre may do.
CENTRE_ONLY_STEPS = frozenset({State.SENT, State.WITHDRAWN})
# States waiting for an answer, and the "final" ones.
AWAITING_ANSWER = frozenset({State.SENT, State.RECEIVED})
FINAL = frozenset({State.DECLINED, State.COMPLETED, State.NOT_COMPLETED, State.WITHDRAWN})
OPEN = frozenset(State.values) - FINAL
# The states in which the receiving side still has a step to take (a signed link answers).
ANSWERABLE = frozenset(s for s, steps in TRANSITIONS.items() if steps & PARTNER_STEPS)

# What a step asks for besides a note: the reason for declining (required), the outcome
# (required when not completed); and which steps end the referral against the person's wish.
ASKS_REASON = frozenset({State.DECLINED})
ASKS_OUTCOME = frozenset({State.COMPLETED, State.NOT_COMPLETED})
OUTCOME_REQUIRED = frozenset({State.NOT_COMPLETED})
DESTRUCTIVE = frozenset({State.DECLINED, State.WITHDRAWN})


def is_open(referral) -> bool:
    return referral.state in OPEN


STEP_LABELS = {
    State.SENT: _("Send"),
    State.RECEIVED: _("Acknowledge receipt"),
    State.ACCEPTED: _("Accept"),
    State.DECLINED: _("Decline"),
    State.COMPLETED: _("Report: completed"),
    State.NOT_COMPLETED: _("Report: not completed"),
    State.WITHDRAWN: _("Withdraw"),
}


def allowed_steps(state: str, *, partner: bool) -> list[str]:
    """The steps that may follow `state`, for the receiving side or the centre."""
    steps = TRANSITIONS.get(state, frozenset())
    if partner:
        steps = steps & PARTNER_STEPS
    order = list(STEP_LABELS)
    return sorted(steps, key=order.index)


@dataclass(frozen=True)
class Step:
    """A step the user may take now, with what its form asks for."""

    state: str
    label: str
    asks_reason: bool
    asks_outcome: bool
    outcome_required: bool
    danger: bool


def steps_for(state: str, *, partner: bool) -> list[Step]:
    return [
        Step(
            state=s,
            label=STEP_LABELS[s],
            asks_reason=s in ASKS_REASON,
            asks_outcome=s in ASKS_OUTCOME,
            outcome_required=s in OUTCOME_REQUIRED,
            danger=s in DESTRUCTIVE,
        )
        for s in allowed_steps(state, partner=partner)
    ]


@dataclass(frozen=True)
class SharedField:
    key: str
    label: str

    def value(self, person) -> str:
        return _VALUE[self.key](person)


def _address(person) -> str:
    parts = [person.address, person.postal_code]
    if person.residence_municipality_id:
        parts.append(str(person.residence_municipality.name))
    return " ".join(p for p in parts if p)


_VALUE = {
    "name": lambda p: f"{p.family_name} {p.given_name}",
    "father_name": lambda p: p.father_name,
    "birth_date": lambda p: p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "",
    "sex": lambda p: str(p.get_sex_display()),
    "amka": lambda p: p.amka,
    "afm": lambda p: p.afm,
    "phone": lambda p: p.phone,
    "email": lambda p: p.email,
    "address": _address,
    "preferred_language": lambda p: str(p.get_preferred_language_display()),
}

# The fields of a person a referral may carry to its recipient, in the order shown. Only
# those chosen for the referral are ever shown outside the centre. "attachments" opens the
# referral's documents to the recipient.
_LABELS = {
    "name": _("Full name"),
    "father_name": _("Father's name"),
    "birth_date": _("Birth date"),
    "sex": _("Sex"),
    "amka": _("AMKA"),
    "afm": _("AFM"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "address": _("Address"),
    "preferred_language": _("Preferred language"),
}
# Which keys exist, and which of a person's fields each carries, is people.fields' `share`.
SHAREABLE = tuple(SharedField(key, _LABELS[key]) for key in person_fields.shared())
SHAREABLE_KEYS = tuple(f.key for f in SHAREABLE)
ATTACHMENTS = "attachments"
ALL_SHAREABLE_KEYS = (*SHAREABLE_KEYS, ATTACHMENTS)


def shareable_choices():
    return [(f.key, f.label) for f in SHAREABLE] + [(ATTACHMENTS, _("Attached documents"))]
