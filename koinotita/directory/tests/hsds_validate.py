"""Validation against the official HSDS 3.0 JSON schemas vendored in the directory's
data/hsds_schema/ (the importer reads them to recognise a document's type)."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent.parent / "data" / "hsds_schema"


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    schema = {**schema, "$id": f"{name}.json"}
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def errors(name: str, document) -> list[str]:
    """Every way `document` breaks the HSDS schema `name` (e.g. "organization")."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator(name).iter_errors(document)
    ]


def package_errors(package: list) -> list[str]:
    """An organisation package (a list of organisations, each with its services): each
    organisation against organization.json, each of its services against service.json."""
    found = []
    if not isinstance(package, list):
        return ["the package is not a list of organisations"]
    for i, organization in enumerate(package):
        found += [f"[{i}] {e}" for e in errors("organization", organization)]
        for j, service in enumerate(organization.get("services", [])):
            found += [f"[{i}].services[{j}] {e}" for e in errors("service", service)]
    return found
