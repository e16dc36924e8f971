"""Every official HSDS 3.0 example (hsds_examples/, JSON and CSV) is read as the document
it is, imported, and exported again: each field of each record is either kept, with its
value, or named in the import's report as skipped. Nothing is lost unreported.

The records of a file are found here independently of the importer: by walking the
document along the official schemas' nesting (`"$ref"`), and the tabular form along its
datapackage.json."""

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from koinotita.directory import hsds
from koinotita.directory.models import Location, Organization, Service, ServiceAtLocation
from koinotita.directory.services import directory_import, organisation_save, service_save
from koinotita.directory.tests.hsds_validate import SCHEMA_DIR
from koinotita.directory.tests.test_hsds import snapshot

EXAMPLES = Path(__file__).parent / "hsds_examples"
JSON_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*.json"))
KEPT = {t.name for t in hsds.TABLES}


def _nesting() -> dict[str, dict[str, str]]:
    """table → {nested key → table}, from the schemas' $ref (and the compiled documents'
    organisation.services and service_at_location.service)."""
    out = {}
    for path in SCHEMA_DIR.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        nested = {}
        for key, spec in schema.get("properties", {}).items():
            ref = spec.get("$ref") or (spec.get("items") or {}).get("$ref")
            if ref:
                nested[key] = ref.removesuffix(".json")
        out[path.stem] = nested
    out["organization"]["services"] = "service"
    out["service_at_location"]["service"] = "service"
    return out


NESTING = _nesting()


def records(table: str, obj: dict):
    """(table, record) of a JSON document and of everything nested in it; a record of a
    table the directory does not keep is yielded without its children (they go with it)."""
    yield table, obj
    if table not in KEPT:
        return
    for key, value in obj.items():
        child = NESTING.get(table, {}).get(key)
        if child is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                yield from records(child, item)


def document_records(document) -> list[tuple[str, dict]]:
    if isinstance(document, dict) and any(k.endswith(".csv") for k in document):
        return tabular_records(document)
    if isinstance(document, dict) and "contents" in document:
        document = document["contents"]
    items = document if isinstance(document, list) else [document]
    found = []
    for item in items:
        keys = set(item)
        if keys == {"version", "profile", "openapi_url"}:
            found.append(("api_information", item))
        elif "status" in keys:
            found += records("service", item)
        elif "service" in keys or "location" in keys:
            found += records("service_at_location", item)
        elif "location_type" in keys:
            found += records("location", item)
        elif "taxonomy" in keys or "term_uri" in keys:
            found.append(("taxonomy_term", item))
        elif "version" in keys:
            found.append(("taxonomy", item))
        else:
            found += records("organization", item)
    return found


def tabular_records(files: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    descriptor = json.loads((hsds.DATA_DIR / "hsds_datapackage.json").read_text(encoding="utf-8"))
    table_of = {r["path"]: r["name"] for r in descriptor["resources"]}
    return [(table_of[name], row) for name, rows in files.items() for row in rows]


def csv_files() -> dict[str, list[dict]]:
    return {
        path.name: list(csv.DictReader(path.open(encoding="utf-8-sig")))
        for path in sorted((EXAMPLES / "csv").glob("*.csv"))
    }


def same(kind: str | None, given, exported) -> bool:
    if exported is None:
        return False
    if kind in (hsds.INT, hsds.DECIMAL):
        return Decimal(str(given)) == Decimal(str(exported))
    if kind == hsds.DATE:
        return parse_date(str(given)) == parse_date(str(exported))
    if kind == hsds.TIME:
        return parse_time(str(given)) == parse_time(str(exported))
    if kind == hsds.DATETIME:
        a, b = parse_datetime(str(given)), parse_datetime(str(exported))
        a = a if timezone.is_aware(a) else timezone.make_aware(a)
        return a == b
    return str(given) == str(exported)


def import_completing_references(tables_of):
    """Import; a record the example refers to but leaves out (the parent organisation, the
    service at a location of a contact in the CSV form) is in the region's directory
    already: add it, and import again."""
    for _round in range(3):  # a reference is checked once what it hangs on is accepted
        report = directory_import(tables=tables_of())
        missing = defaultdict(set)
        for p in report.problems:
            if "neither in the file" in p.text_en:
                missing[hsds.TABLE[p.table].references[p.params["field"]]].add(p.params["id"])
        assert set(missing) <= {"organization", "service_at_location"}, missing
        if not missing:
            break
        for pk in missing["organization"]:
            organisation_save(
                organization=Organization(pk=pk, name="Parent", description="Already here."),
                actor=None,
            )
        for pk in missing["service_at_location"]:
            owner = organisation_save(
                organization=Organization(name="Owner", description="Already here."),
                actor=None,
            )
            service = service_save(service=Service(organization=owner, name="There"), actor=None)
            location = Location.objects.create(organization=owner, name="There")
            ServiceAtLocation.objects.create(pk=pk, service=service, location=location)
    assert report.ok, [(p.where, p.text_en) for p in report.problems]
    assert report.written
    return report


def assert_nothing_lost_unreported(found: list[tuple[str, dict]], report) -> None:
    exported = hsds.export_tables()
    by_id = {name: {row["id"]: row for row in rows} for name, rows in exported.items()}
    lost = []
    for table, record in found:
        if table not in KEPT:
            if not report.skipped.get(table):
                lost.append(f"a {table} record, not reported as skipped")
            continue
        row = by_id[table].get(str(record.get("id")))
        if row is None:
            lost.append(f"{table} {record.get('id')}: not in the directory")
            continue
        kinds = hsds.TABLE[table].fields
        for key, value in record.items():
            if isinstance(value, list | dict) or value in (None, ""):
                continue
            if key in NESTING.get(table, {}):
                continue
            if report.skipped.get(f"{table}.{key}"):
                continue
            if not same(kinds.get(key), value, row.get(key)):
                lost.append(f"{table}.{key} of {record['id']}: {value!r} → {row.get(key)!r}")
    assert lost == []


def assert_export_reimports_unchanged(tmp_path) -> None:
    before = snapshot()
    if not before["organization"] and not before["location"]:
        return  # nothing was kept (a taxonomy): an empty file is not HSDS
    for fmt, target in (("json", tmp_path / "d.json"), ("csv", tmp_path / "csv")):
        if fmt == "json":
            with target.open("w", encoding="utf-8") as stream:
                hsds.export_json(stream)
        else:
            hsds.export_csv(target)
        for table in reversed(hsds.TABLES):
            table.model.objects.all().delete()
        report = directory_import(path=target)
        assert report.ok, [p.text_en for p in report.problems]
        assert snapshot() == before


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_every_json_example_round_trips_losing_nothing_unreported(network, tmp_path, name):
    path = EXAMPLES / name
    document = json.loads(path.read_text(encoding="utf-8"))
    report = import_completing_references(lambda: hsds.read_path(path))
    assert_nothing_lost_unreported(document_records(document), report)
    assert_export_reimports_unchanged(tmp_path)


def test_the_csv_example_round_trips_losing_nothing_unreported(network, tmp_path):
    report = import_completing_references(lambda: hsds.read_path(EXAMPLES / "csv"))
    assert_nothing_lost_unreported(tabular_records(csv_files()), report)
    assert report.skipped["metadata"] and report.skipped["taxonomy_term"]
    assert_export_reimports_unchanged(tmp_path)


@pytest.mark.parametrize(
    "name, table",
    [
        ("location.json", "location"),
        ("taxonomy.json", "taxonomy"),
        ("taxonomy_list.json", "taxonomy"),
        ("taxonomy_term.json", "taxonomy_term"),
        ("taxonomy_term_list.json", "taxonomy_term"),
    ],
)
def test_a_document_is_read_as_its_own_type_never_as_an_organisation(network, name, table):
    report = directory_import(path=EXAMPLES / name)
    assert report.ok
    assert Organization.objects.count() == 0
    if table == "location":
        assert Location.objects.get().name == "MyCity Civic Center"
    else:
        assert report.skipped == {table: 1} and not report.read


@pytest.mark.parametrize("name", ["service_full.json", "service_list.json"])
def test_a_service_may_nest_its_organisation_instead_of_organization_id(network, name):
    Organization.objects.create(
        pk="cd09a387-91f4-4555-94ec-e799c35344cd", name="Parent", description="x"
    )
    report = directory_import(path=EXAMPLES / name)
    assert report.ok, [p.text_en for p in report.problems]
    service = Service.objects.get()
    assert service.organization.name == "Example Organization Inc."


def test_the_logo_of_an_organisation_is_kept_in_every_form(network, tmp_path):
    logo = "https://openreferral.org/wp-content/uploads/2018/02/OpenReferral_Logo_Green-4-1.png"
    for source in ("organization_list.json", "tabular.json", "csv"):
        Organization.objects.all().delete()
        import_completing_references(lambda s=source: hsds.read_path(EXAMPLES / s))
        assert Organization.objects.get(name="Example Organization Inc.").logo == logo
    [row] = [r for r in hsds.export_tables()["organization"] if r.get("logo")]
    assert row["logo"] == logo


def test_metadata_of_a_nested_service_is_reported_as_skipped(network):
    report = import_completing_references(
        lambda: hsds.read_path(EXAMPLES / "organization_full.json")
    )
    assert report.skipped["metadata"] >= 1
    assert report.skipped["organization.tax_status"] == 1
