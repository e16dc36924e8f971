"""Every action the audit trail records, registered once with its label (English in the
code, Greek in the catalogue).

Each app that writes events lists its actions in its own `audit_actions.py` as
`ACTIONS = {"person.created": gettext_lazy("Registered the record"), ...}`; the audit app
loads them all when Django starts (`load_actions`, from AuditConfig.ready()). `audit_record`
refuses an action nobody registered, so a mistyped name fails the first test that reaches
it instead of writing events no search will find; the audit page and the subject-access
export show the labels.

An app may also name the records its events are about, for the audit page: `OBJECTS =
{"people.person": labels_for}` in the same module, where `labels_for(user, ids)` answers
{id: label} for those of `ids` (text) that `user` may see, through the app's own scoped
selectors. A record the viewer may not see, or whose type names no labeller, is shown as
its type and number.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

_ACTIONS: dict[str, object] = {}  # name → lazy label
_OWNERS: dict[str, str] = {}  # name → the app that registered it
_LABELLERS: dict[str, object] = {}  # object type → labels_for(user, ids) -> {id: label}


def register_actions(app: str, actions: dict) -> None:
    """Register `app`'s actions; an action registered by two apps is a configuration error."""
    for name, label in actions.items():
        owner = _OWNERS.get(name)
        if owner is not None and owner != app:
            raise ImproperlyConfigured(f"Audit action {name!r} is registered by {owner} and {app}.")
        _ACTIONS[name] = label
        _OWNERS[name] = app


def load_actions() -> None:
    """Import every installed app's `audit_actions` module and register its ACTIONS."""
    for config in apps.get_app_configs():
        module_name = f"{config.name}.audit_actions"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        register_actions(config.label, module.ACTIONS)
        _LABELLERS.update(getattr(module, "OBJECTS", {}))


def is_registered(name: str) -> bool:
    return name in _ACTIONS


def action_label(name: str) -> str:
    """The action's label in the active language (its name if it has none)."""
    return str(_ACTIONS.get(name, name))


def registered_actions() -> dict[str, str]:
    """Every registered action and the app that owns it."""
    return dict(_OWNERS)


def object_labels(user, events) -> None:
    """Set `event.record` on each event: the record's name where its app names it and
    `user` may see it, otherwise its type and number."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type in _LABELLERS and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    labels = {kind: _LABELLERS[kind](user, sorted(ids)) for kind, ids in wanted.items()}
    for event in events:
        label = labels.get(event.object_type, {}).get(event.object_id)
        event.record = label or " ".join(x for x in (event.object_type, event.object_id) if x)
