"""The states of an application and the steps between them, stated once.

in preparation → submitted → approved | rejected | needs documents → ended;
needs documents → submitted (the documents asked for were sent)."""

from koinotita.programmes.models import Application

S = Application.State

TRANSITIONS: dict[str, dict[str, str]] = {
    # step -> {state before: state after}
    "submit": {S.PREPARATION: S.SUBMITTED, S.NEEDS_DOCUMENTS: S.SUBMITTED},
    "approve": {S.SUBMITTED: S.APPROVED},
    "reject": {S.SUBMITTED: S.REJECTED},
    "ask_documents": {S.SUBMITTED: S.NEEDS_DOCUMENTS},
    "end": {S.APPROVED: S.ENDED, S.REJECTED: S.ENDED, S.PREPARATION: S.ENDED},
}
DECISIONS = ("approve", "reject", "ask_documents")
OPEN = frozenset({S.PREPARATION, S.SUBMITTED, S.APPROVED, S.NEEDS_DOCUMENTS})
# States in which the worker has something to do (the home's "applications needing action").
NEEDS_ACTION = frozenset({S.PREPARATION, S.NEEDS_DOCUMENTS})


def steps_for(state: str) -> list[str]:
    return [step for step, moves in TRANSITIONS.items() if state in moves]


def next_state(step: str, state: str) -> str | None:
    return TRANSITIONS.get(step, {}).get(state)
