"""HSDS in and out: the sample directory, idempotent import, the official schemas, round
trips in both forms, and every kind of bad file."""

import copy
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from koinotita.audit.models import AuditEvent
from koinotita.directory import hsds
from koinotita.directory.models import (
    Organization,
    Phone,
    Service,
    ServiceArea,
)
from koinotita.directory.services import SAMPLE_FILE, directory_export, directory_import
from koinotita.directory.tests.hsds_validate import errors, package_errors

EXAMPLES = Path(__file__).parent / "hsds_examples"
HERE = Path(__file__).parent


def snapshot() -> dict:
    """Every row of every directory table, without the bookkeeping columns."""
    out = {}
    for table in hsds.TABLES:
        rows = []
        for obj in table.model.objects.order_by("pk"):
            row = model_to_dict(obj, exclude=["created_at", "updated_at", "verified_by"])
            row["pk"] = str(obj.pk)
            for key in ("search_key", "needs_key"):
                if hasattr(obj, key):
                    row[key] = getattr(obj, key)
            rows.append(row)
        out[table.name] = rows
    return out


def sample_package() -> list:
    return json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))


def import_document(document, **kwargs):
    return directory_import(tables=hsds.read_json_document(copy.deepcopy(document)), **kwargs)


def test_sample_directory_is_valid_hsds():
    assert package_errors(sample_package()) == []


def test_sample_directory_loads_every_kind_of_body(sample_directory):
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"municipal", "public", "health", "ngo", "volunteer", "social_enterprise"} <= kinds
    assert Organization.objects.filter(is_sample=False).count() == 0
    assert Service.objects.filter(is_sample=True).count() == Service.objects.count() > 50
    kastoria = Service.objects.filter(service_areas__municipality__code="kastoria").distinct()
    assert kastoria.filter(needs_key__contains=" food ").exists()
    dypa = Organization.objects.get(name__contains="(ΚΠΑ2) Καστοριά")
    assert dypa.municipality.code == "kastoria"
    assert dypa.services.filter(needs_key__contains=" employment ").exists()


def test_import_is_idempotent(sample_directory):
    before = snapshot()
    report = directory_import(path=SAMPLE_FILE)
    assert report.ok and report.written
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert snapshot() == before


def test_same_ids_update_rather_than_duplicate(sample_directory):
    package = sample_package()
    package[0]["name"] = "Κοινωνική Υπηρεσία (νέα ονομασία)"
    package[0]["services"][0]["attributes"] = [
        a
        for a in package[0]["services"][0]["attributes"]
        if a["taxonomy_term"]["code"] != "accepting_referrals"
    ] + [
        {
            "id": "0f0c1b5e-7a4f-4f3e-9d5b-1a2b3c4d5e6f",
            "link_id": package[0]["services"][0]["id"],
            "link_entity": "service",
            "value": "false",
            "taxonomy_term": {
                "id": "1f0c1b5e-7a4f-4f3e-9d5b-1a2b3c4d5e6f",
                "code": "accepting_referrals",
                "name": "Accepting referrals",
                "description": "x",
                "taxonomy": hsds.TAX_CAPACITY,
            },
        }
    ]
    count = Organization.objects.count()
    report = import_document(package)
    assert report.ok
    assert report.updated["organization"] == 1
    assert Organization.objects.count() == count
    organization = Organization.objects.get(pk=package[0]["id"])
    assert organization.name == "Κοινωνική Υπηρεσία (νέα ονομασία)"
    service = Service.objects.get(pk=package[0]["services"][0]["id"])
    assert service.accepting_referrals is False
    assert "nea" in service.search_key  # the organisation's new name is searchable


def test_a_child_left_out_of_the_file_is_removed(sample_directory):
    package = sample_package()
    service = package[0]["services"][0]
    phone_id = service["phones"][0]["id"]
    service["phones"] = []
    report = import_document(package)
    assert report.ok and report.deleted["phone"] == 1
    assert not Phone.objects.filter(pk=phone_id).exists()


def test_export_json_validates_against_the_official_schemas(sample_directory, tmp_path):
    target = tmp_path / "directory.json"
    counts = directory_export(out=target, fmt="json")
    package = json.loads(target.read_text(encoding="utf-8"))
    assert counts["organization"] == len(package) == Organization.objects.count()
    assert package_errors(package) == []
    # every nested location and service-at-location too
    for organization in package:
        for location in organization["locations"]:
            assert errors("location", location) == []


def test_export_csv_rows_validate_against_the_official_schemas(sample_directory, tmp_path):
    directory_export(out=tmp_path, fmt="csv")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} >= {"organizations.csv", "services.csv"}
    tables = hsds.read_csv_folder(tmp_path)
    for table in hsds.TABLES:
        for row in tables.rows[table.name]:
            typed = {}
            for name, value in row.values.items():
                if value == "":
                    continue
                kind = table.fields.get(name)
                if kind in (hsds.INT, hsds.DECIMAL):
                    value = float(value)
                typed[name] = value
            assert errors(table.name, typed) == [], (table.name, row.where)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_loses_nothing(sample_directory, tmp_path, fmt):
    before = snapshot()
    target = tmp_path / ("directory.json" if fmt == "json" else "csv")
    directory_export(out=target, fmt=fmt)
    for table in reversed(hsds.TABLES):
        table.model.objects.all().delete()
    assert Service.objects.count() == 0
    report = directory_import(path=target)
    assert report.ok, [p.text_en for p in report.problems]
    assert snapshot() == before


def test_import_writes_one_audit_event(network):
    before = AuditEvent.objects.filter(action="directory.import").count()
    directory_import(path=SAMPLE_FILE)
    assert AuditEvent.objects.filter(action="directory.import").count() == before + 1


# --- bad files ------------------------------------------------------------------------------


def _nothing_written():
    return Organization.objects.count() == 0 and Service.objects.count() == 0


def test_not_json_is_refused_whole(network, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("this is not json", encoding="utf-8")
    report = directory_import(path=path)
    assert report.error is not None and not report.written
    assert "JSON" in report.error.text("el") and "not valid JSON" in report.error.text("en")
    assert "δεν είναι" in report.error.text("el")
    assert _nothing_written()


@pytest.mark.parametrize("document", [{"hello": "world"}, [1, 2, 3], [], [{"foo": "bar"}]])
def test_json_that_is_not_hsds_is_refused_whole(network, document):
    with pytest.raises(hsds.NotHSDS) as exc:
        hsds.read_json_document(document)
    assert "HSDS" in exc.value.text("en") and "HSDS" in exc.value.text("el")


def test_broken_reference_rejects_the_record_and_writes_nothing(network):
    package = sample_package()
    package[0]["services"][0]["service_at_locations"][0]["location_id"] = (
        "00000000-0000-4000-8000-000000000001"
    )
    report = import_document(package)
    assert not report.ok and not report.written
    [problem] = report.problems
    assert problem.table == "service_at_location"
    assert "00000000-0000-4000-8000-000000000001" in problem.text_en
    assert "neither in the file nor in the directory" in problem.text_en
    assert "ούτε στο αρχείο ούτε στον οδηγό" in problem.text_el
    assert _nothing_written()


def test_duplicate_ids_with_different_content_are_rejected(network):
    package = sample_package()
    twin = copy.deepcopy(package[1])
    twin["id"] = package[0]["id"]
    twin["services"], twin["locations"] = [], []
    package.append(twin)
    report = import_document(package)
    assert not report.ok
    assert any("Duplicate id" in p.text_en and p.table == "organization" for p in report.problems)
    assert any("Διπλό" in p.text_el for p in report.problems)
    assert _nothing_written()


def test_wrong_types_are_rejected_each_with_its_field(network):
    package = sample_package()
    service = package[0]["services"][0]
    service["minimum_age"] = "ten"
    service["name"] = 42
    package[1]["email"] = "not-an-address"
    package[2]["services"][0]["cost_options"][0]["amount"] = "a lot"
    package[3]["id"] = "not-a-uuid"
    report = import_document(package)
    texts = [p.text_en for p in report.problems]
    assert any("minimum_age must be a whole number" in t for t in texts)
    assert any("name must be text" in t for t in texts)
    assert any(t.startswith("email:") for t in texts)
    assert any("amount must be a number" in t for t in texts)
    assert any("not-a-uuid is not a UUID" in t for t in texts)
    assert all(p.text_el != p.text_en for p in report.problems)
    assert _nothing_written()


def test_unknown_need_or_municipality_is_rejected(network):
    package = sample_package()
    for attribute in package[0]["attributes"]:
        if attribute["taxonomy_term"]["taxonomy"] == hsds.TAX_MUNICIPALITY:
            attribute["taxonomy_term"]["code"] = "atlantis"
    report = import_document(package)
    assert any("Unknown municipality: atlantis" in p.text_en for p in report.problems)
    assert _nothing_written()


def test_the_official_example_is_read_and_its_broken_references_reported(network):
    """HSDS's own full example refers to a parent organisation and a program it does not
    include: the parent is a broken reference; programs are skipped (not kept here)."""
    document = json.loads((EXAMPLES / "organization_full.json").read_text(encoding="utf-8"))
    report = directory_import(tables=hsds.read_json_document(document))
    assert not report.written
    assert any(p.table == "organization" and "parent_organization_id" in p.text_en
               for p in report.problems)  # fmt: skip
    assert report.skipped.get("programs") or report.skipped.get("program")
    assert _nothing_written()


def test_the_official_csv_example_is_checked_and_refused(network, tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    report = directory_import(path=folder)
    assert report.error is None
    assert report.read["service"] == 1
    assert report.problems  # its location belongs to an organisation the example omits
    assert all(p.where.endswith(tuple("0123456789")) for p in report.problems)
    assert _nothing_written()


def test_the_official_example_imports_once_its_references_are_completed(network):
    document = json.loads((EXAMPLES / "organization_full.json").read_text(encoding="utf-8"))
    document.pop("parent_organization_id")
    report = directory_import(tables=hsds.read_json_document(document))
    assert report.ok, [p.text_en for p in report.problems]
    assert Service.objects.filter(name="Community Counselling").exists()
    assert ServiceArea.objects.count() == 1


def test_csv_with_a_broken_reference_reports_the_line(sample_directory, tmp_path):
    directory_export(out=tmp_path, fmt="csv")
    path = tmp_path / "phones.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv_row for csv_row in [lines[1].split(",")])
    cells[header.index("service_id")] = "00000000-0000-4000-8000-000000000002"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = directory_import(path=tmp_path)
    assert not report.written
    assert [p.where for p in report.problems] == ["phones.csv:2"]


def test_command_import_prints_the_report_in_greek_and_english(network, tmp_path):
    out = io.StringIO()
    call_command("directory", "import", str(SAMPLE_FILE), stdout=out)
    assert "created / νέες" in out.getvalue()
    bad = tmp_path / "bad.json"
    package = sample_package()[:1]
    package[0]["services"][0]["status"] = "sometimes"
    bad.write_text(json.dumps(package), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("directory", "import", str(bad), stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert "el: status:" in text and "en: status:" in text
    assert "Nothing was imported" in text


def test_command_export_writes_both_forms(sample_directory, tmp_path):
    out = io.StringIO()
    call_command("directory", "export", str(tmp_path / "d.json"), stdout=out)
    call_command("directory", "export", "--format", "csv", str(tmp_path / "csv"), stdout=out)
    assert (tmp_path / "d.json").exists() and (tmp_path / "csv" / "services.csv").exists()
    assert "services" not in out.getvalue() or "service" in out.getvalue()
