"""Every action the audit trail records, registered once with its label (English in the
code, Greek in the catalogue).

Each app that writes events lists its actions in its own `audit_actions.py` as
`ACTIONS = {"person.created": gettext_lazy("Registered the record"), ...}`; the audit app
loads them all when Django starts (`load_actions`, from AuditConfig.ready()). `audit_record`
refuses an action nobody registered, so a mistyped name fails the first test that reaches
it instead of writing events no search will find; the audit page and the subject-access
export show the labels.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

_ACTIONS: dict[str, object] = {}  # name → lazy label
_OWNERS: dict[str, str] = {}  # name → the app that registered it


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
        register_actions(config.label, import_module(module_name).ACTIONS)


def is_registered(name: str) -> bool:
    return name in _ACTIONS


def action_label(name: str) -> str:
    """The action's label in the active language (its name if it has none)."""
    return str(_ACTIONS.get(name, name))


def registered_actions() -> dict[str, str]:
    """Every registered action and the app that owns it."""
    return dict(_OWNERS)
