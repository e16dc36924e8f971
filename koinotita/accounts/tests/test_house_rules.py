"""Rules of ARCHITECTURE.md that the code must keep true as it grows."""

import ast
from pathlib import Path

from django.apps import apps

PERSONAL_APPS = {"people", "reception", "cases", "referrals", "monitoring"}
PACKAGE = Path(__file__).resolve().parents[2]


def test_every_personal_table_carries_its_centre():
    """The data shards by centre: every row about a person knows its owning centre."""
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PERSONAL_APPS
        and not model._meta.auto_created
        and "centre" not in {f.name for f in model._meta.get_fields()}
        and model._meta.db_table not in {"reception_service"}  # the catalogue is not personal
    ]
    assert missing == []


def test_views_and_apis_never_query_personal_models_directly():
    """Personal rows are read through selectors (scoped); views and API modules must not
    call `Person.objects`, `Contact.objects`, … themselves."""
    personal_models = {
        m.__name__
        for m in apps.get_models()
        if m._meta.app_label in PERSONAL_APPS and m.__name__ != "Service"
    }
    offenders = []
    for path in PACKAGE.glob("*/*.py"):
        if not (path.name.endswith("views.py") or path.name == "api.py"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in personal_models
            ):
                offenders.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value.id}.objects"
                )
    assert offenders == []
