"""HSDS 3.0 in and out: the one translation between the directory's tables and Open
Referral's Human Services Data Specification.

Both forms HSDS defines are read and written:

- JSON: a list of organisations, each with its services, locations, contacts and phones
  nested (the "organization package" of HSDS's compiled schemas). On reading, a single
  organisation or service, a list of services (each with its `organization`), an API page
  (`{"contents": [...]}`) and the tabular JSON form (`{"organizations.csv": [...], ...}`)
  are accepted too.
- tabular: a folder of CSV files (organizations.csv, services.csv, ...) with a
  datapackage.json, as in HSDS's examples/csv.

A JSON document's type (organisation, service, location, service at a location, taxonomy,
taxonomy term) is recognised by the official schemas in data/hsds_schema (`document_type`);
a service may nest its organisation instead of naming its `organization_id`. What the
directory does not keep is never dropped silently: the report names each skipped kind of
record (`program`, `metadata`, `taxonomy`, ...) and each skipped field (`organization.
tax_status`, `service.fees`).

Whatever the form, a file is first turned into flat tables — one list of rows per HSDS
table, references as `*_id` — and every check and every write works on those tables. An
import either writes everything or nothing (see koinotita.directory.services.
directory_import). What HSDS has no field for (kind of organisation, needs, beneficiary
categories, accepting referrals, waiting time in days, municipalities, sample flag and who
verified a record) travels as HSDS `attributes` against Koinotita's taxonomies, below.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext_lazy as _

from koinotita.directory import models as m
from koinotita.lib import uploads
from koinotita.lib.spreadsheets import csv_dict_writer, too_many_rows_message, uninert
from koinotita.organisations.models import Municipality
from koinotita.people.models import Category

DATA_DIR = Path(__file__).parent / "data"
NAMESPACE = uuid.UUID("6f1b3c1e-5c55-4d0e-9d0b-6b6f0a9d2c11")  # Koinotita's HSDS namespace

# --- the tables ---------------------------------------------------------------------------

TEXT, INT, DECIMAL, DATE, TIME, DATETIME = "text", "int", "decimal", "date", "time", "datetime"


@dataclass(frozen=True)
class Table:
    name: str  # HSDS's table name (schema name)
    file: str  # its CSV file
    model: type
    fields: dict[str, str]  # HSDS field → kind (model field of the same name)
    references: dict[str, str]  # HSDS field (x_id) → table referred to
    required: frozenset[str] = frozenset()  # references that must be given
    renamed: dict[str, str] = field(default_factory=dict)  # HSDS field → model field
    synced: bool = False  # rows of a parent in the file that the file omits are deleted


def _text(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, TEXT)


TABLES: list[Table] = [
    Table(
        "organization",
        "organizations.csv",
        m.Organization,
        {
            **_text("name", "alternate_name", "description", "email", "website"),
            **_text("legal_status", "uri", "logo"),
            "year_incorporated": INT,
        },
        {"parent_organization_id": "organization"},
    ),
    Table(
        "location",
        "locations.csv",
        m.Location,
        {
            **_text("location_type", "url", "name", "alternate_name", "description"),
            **_text("transportation", "external_identifier", "external_identifier_type"),
            "latitude": DECIMAL,
            "longitude": DECIMAL,
        },
        {"organization_id": "organization"},
    ),
    Table(
        "address",
        "addresses.csv",
        m.Address,
        _text(
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        {"location_id": "location"},
        required=frozenset({"location_id"}),
        synced=True,
    ),
    Table(
        "service",
        "services.csv",
        m.Service,
        {
            **_text("name", "alternate_name", "description", "url", "email", "status"),
            **_text("interpretation_services", "application_process", "fees_description"),
            **_text("wait_time", "accreditations", "licenses", "alert"),
            **_text("eligibility_description", "assurer_email"),
            "minimum_age": INT,
            "maximum_age": INT,
            "assured_date": DATE,
            "last_modified": DATETIME,
        },
        {"organization_id": "organization"},
        required=frozenset({"organization_id"}),
        renamed={"assured_date": "last_verified_on", "assurer_email": ""},
    ),
    Table(
        "unit",
        "units.csv",
        m.Unit,
        _text("name", "scheme", "identifier", "uri"),
        {},
    ),
    Table(
        "service_capacity",
        "service_capacity.csv",
        m.ServiceCapacity,
        {"available": DECIMAL, "maximum": DECIMAL, "description": TEXT, "updated": DATETIME},
        {"service_id": "service", "unit_id": "unit"},
        required=frozenset({"service_id", "unit_id"}),
        synced=True,
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        m.ServiceAtLocation,
        _text("description"),
        {"service_id": "service", "location_id": "location"},
        required=frozenset({"service_id", "location_id"}),
        synced=True,
    ),
    Table(
        "contact",
        "contacts.csv",
        m.Contact,
        _text("name", "title", "department", "email"),
        {
            "organization_id": "organization",
            "service_id": "service",
            "service_at_location_id": "service_at_location",
            "location_id": "location",
        },
        synced=True,
    ),
    Table(
        "phone",
        "phones.csv",
        m.Phone,
        {**_text("number", "type", "description"), "extension": INT},
        {
            "location_id": "location",
            "service_id": "service",
            "organization_id": "organization",
            "contact_id": "contact",
            "service_at_location_id": "service_at_location",
        },
        synced=True,
    ),
    Table(
        "schedule",
        "schedules.csv",
        m.Schedule,
        {
            **dict.fromkeys(["valid_from", "valid_to", "dtstart", "until"], DATE),
            "timezone": DECIMAL,
            "count": INT,
            "interval": INT,
            **_text("wkst", "freq", "byday", "byweekno", "bymonthday", "byyearday"),
            **_text("description", "schedule_link", "attending_type", "notes"),
            "opens_at": TIME,
            "closes_at": TIME,
        },
        {
            "service_id": "service",
            "location_id": "location",
            "service_at_location_id": "service_at_location",
        },
        synced=True,
    ),
    Table(
        "service_area",
        "service_areas.csv",
        m.ServiceArea,
        _text("name", "description", "extent", "extent_type", "uri"),
        {"service_id": "service"},
        required=frozenset({"service_id"}),
        synced=True,
    ),
    Table(
        "language",
        "languages.csv",
        m.Language,
        _text("name", "code", "note"),
        {"service_id": "service", "location_id": "location", "phone_id": "phone"},
        synced=True,
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        m.CostOption,
        {
            "valid_from": DATE,
            "valid_to": DATE,
            **_text("option", "currency", "amount_description"),
            "amount": DECIMAL,
        },
        {"service_id": "service"},
        required=frozenset({"service_id"}),
        synced=True,
    ),
    Table(
        "required_document",
        "required_documents.csv",
        m.RequiredDocument,
        _text("document", "uri"),
        {"service_id": "service"},
        required=frozenset({"service_id"}),
        synced=True,
    ),
]
TABLE = {t.name: t for t in TABLES}
BY_FILE = {t.file: t for t in TABLES}
ATTRIBUTE_FILE, TERM_FILE = "attributes.csv", "taxonomy_terms.csv"
ATTRIBUTE_FIELDS = ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"]
TERM_FIELDS = ["id", "code", "name", "description", "parent_id", "taxonomy", "language"]
# HSDS tables the directory does not keep: read without complaint, reported as skipped.
SKIPPED_FILES = {
    "programs.csv": "program",
    "funding.csv": "funding",
    "accessibility.csv": "accessibility",
    "organization_identifiers.csv": "organization_identifier",
    "metadata.csv": "metadata",
    "meta_table_descriptions.csv": "meta_table_description",
    "taxonomies.csv": "taxonomy",
}
# Nested keys of each JSON object: key → (table, the reference the nesting implies).
NESTED: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "locations": ("location", "organization_id"),
        "services": ("service", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
    },
    "location": {
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
        "languages": ("language", "location_id"),
    },
    "service": {
        "service_at_locations": ("service_at_location", "service_id"),
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "languages": ("language", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
        "capacities": ("service_capacity", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}

# Nested single objects: key → (table, the reference of the parent that points at it).
NESTED_ONE: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id")},
    "service_capacity": {"unit": ("unit", "unit_id")},
    "service_at_location": {
        "location": ("location", "location_id"),
        "service": ("service", "service_id"),
    },
}
SCHEMA_DIR = DATA_DIR / "hsds_schema"
# The HSDS documents a JSON file may hold, in the order a tie is settled: the directory's
# own first, so that a bare {id, name, description} is an organisation.
DOCUMENT_TYPES = ("organization", "service", "location", "service_at_location", "taxonomy_term",
                  "taxonomy")  # fmt: skip
# The HSDS API's `/` answer (openapi.json, getAPIMetaInformation): a description of an API.
API_INFORMATION_KEYS = frozenset({"version", "profile", "openapi_url"})


@cache
def schema_shape(name: str) -> tuple[frozenset, frozenset, dict[str, str]]:
    """The properties, the required fields and the nested objects (key → schema name) of
    one HSDS schema, read from the official schema files."""
    path = SCHEMA_DIR / f"{name}.json"
    if not path.exists():  # HSDS 3.1's additions (service_capacity, unit)
        path = SCHEMA_DIR / "3.1" / f"{name}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    properties = schema.get("properties", {})
    nested = {}
    for key, spec in properties.items():
        ref = spec.get("$ref") or (spec.get("items") or {}).get("$ref")
        if ref:
            nested[key] = ref.removesuffix(".json")
    keys = set(properties) | set(NESTED.get(name, {})) | set(NESTED_ONE.get(name, {}))
    return frozenset(keys), frozenset(schema.get("required", [])), nested


def document_type(item: dict) -> str | None:
    """Which HSDS document `item` is, by the schemas: among those whose required fields it
    has, the one that explains most of its keys (ties: DOCUMENT_TYPES' order)."""
    keys = set(item)
    best, best_score = None, 0
    for name in DOCUMENT_TYPES:
        properties, required, _nested = schema_shape(name)
        if not required <= keys:
            continue
        score = len(keys & properties)
        if score > best_score:
            best, best_score = name, score
    return best


def nested_type(table: str, key: str) -> str:
    """The HSDS table a nested key of `table` holds (e.g. organization.programs → program)."""
    for nesting in (NESTED, NESTED_ONE):
        if key in nesting.get(table, {}):
            return nesting[table][key][0]
    return schema_shape(table)[2].get(key, key)


# --- Koinotita's taxonomies (travel as HSDS attributes) ----------------------------------

TAX_KIND = "koinotita-organization-kind"
TAX_NEED = "koinotita-need"
TAX_CATEGORY = "koinotita-beneficiary-category"
TAX_MUNICIPALITY = "koinotita-municipality"
TAX_CAPACITY = "koinotita-capacity"
TAX_RECORD = "koinotita-record"
TAXONOMY_DESCRIPTIONS = {
    TAX_KIND: "Kind of organisation (Koinotita)",
    TAX_NEED: "Needs a service meets (Koinotita)",
    TAX_CATEGORY: "Categories of beneficiaries a service is for (Koinotita)",
    TAX_MUNICIPALITY: "Greek municipality (Kallikratis), by Koinotita's code",
    TAX_CAPACITY: "Capacity of a service: accepting referrals, waiting time in days",
    TAX_RECORD: "Record keeping: sample data, last verified on, verified by",
}
# Which entities may carry which taxonomy.
ATTRIBUTE_ENTITIES = {
    TAX_KIND: {"organization"},
    TAX_NEED: {"service"},
    TAX_CATEGORY: {"service"},
    TAX_MUNICIPALITY: {"organization", "location", "service_area"},
    TAX_CAPACITY: {"service"},
    TAX_RECORD: {"organization", "location", "service"},
}
CAPACITY_CODES = ("accepting_referrals", "wait_time_days")
RECORD_CODES = ("sample", "last_verified_on", "verified_by")


def stable_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def taxonomy_term(taxonomy: str, code: str, name: str) -> dict:
    return {
        "id": stable_id("term", taxonomy, code),
        "code": code,
        "name": name,
        "description": f"{TAXONOMY_DESCRIPTIONS[taxonomy]}: {name}",
        "taxonomy": taxonomy,
        "language": "el" if taxonomy == TAX_MUNICIPALITY else "en",
    }


def taxonomy_document(name: str) -> dict:
    """One of Koinotita's taxonomies as an HSDS taxonomy."""
    return {
        "id": stable_id("taxonomy", name),
        "name": name,
        "description": TAXONOMY_DESCRIPTIONS[name],
        "version": "1",
    }


def taxonomy_documents() -> list[dict]:
    return [taxonomy_document(name) for name in TAXONOMY_DESCRIPTIONS]


def catalogue_terms() -> list[dict]:
    """Every term of the taxonomies a service can be looked up by (needs, categories of
    beneficiaries, kinds of organisation, municipalities), each with its taxonomy's id."""
    choices = [
        (TAX_NEED, m.Need),
        (TAX_CATEGORY, Category),
        (TAX_KIND, m.OrganizationKind),
    ]
    terms = [
        taxonomy_term(taxonomy, code, _choice_name(kind, code))
        for taxonomy, kind in choices
        for code in kind.values
    ]
    terms += [
        taxonomy_term(TAX_MUNICIPALITY, code, name)
        for code, name in Municipality.objects.order_by("code").values_list("code", "name")
    ]
    return [{**term, "taxonomy_id": stable_id("taxonomy", term["taxonomy"])} for term in terms]


def _choice_name(choices, code: str) -> str:
    with translation.override("en"):
        return str(dict(choices.choices).get(code, code))


# --- problems (every rejected record, in Greek and English) --------------------------------


@dataclass
class Problem:
    table: str
    record_id: str
    where: str
    message: object  # a lazy translatable string, possibly with %-params
    params: dict = field(default_factory=dict)

    def text(self, language: str) -> str:
        with translation.override(language):
            message = str(self.message)
            params = {
                k: "; ".join(v) if isinstance(v, ValidationError) else str(v)
                for k, v in self.params.items()
            }
            return message % params if params else message

    @property
    def text_el(self) -> str:
        return self.text("el")

    @property
    def text_en(self) -> str:
        return self.text("en")


class NotHSDS(Exception):
    """The file as a whole is not HSDS (or not readable): nothing in it is imported."""

    def __init__(self, message, params: dict | None = None):
        super().__init__(str(message))
        self.message, self.params = message, params or {}

    def text(self, language: str) -> str:
        with translation.override(language):
            message = str(self.message)
            return message % self.params if self.params else message


@dataclass
class Row:
    table: str
    values: dict  # HSDS field → raw value (from JSON or CSV)
    where: str
    attributes: list = field(default_factory=list)  # nested attribute dicts (JSON)
    given: dict | None = None  # the values as written, before nesting implied references


@dataclass
class Tables:
    """A file read into flat HSDS tables, before any check."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    attributes: list[Row] = field(default_factory=list)
    terms: dict[str, dict] = field(default_factory=dict)  # id → taxonomy term (CSV form)
    synced: set[tuple[str, str]] = field(default_factory=set)  # (table, reference) given
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    typed: bool = True  # JSON values are typed; CSV values are all text
    source: str = ""

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


# --- reading JSON -----------------------------------------------------------------------


def read_json_text(text: str, source: str = "") -> Tables:
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise NotHSDS(
            _("The file is not valid JSON (line %(line)s: %(error)s)."),
            {"line": exc.lineno, "error": exc.msg},
        ) from None
    return read_json_document(document, source)


def read_json_document(document, source: str = "") -> Tables:
    tables = Tables(source=source)
    if isinstance(document, dict) and any(str(k).endswith(".csv") for k in document):
        return _read_tabular_json(document, tables)
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        document = document["contents"]
    items = document if isinstance(document, list) else [document]
    if not items or not all(isinstance(i, dict) for i in items):
        raise NotHSDS(
            _(
                "This is not HSDS: expected a list of organisations or services (JSON "
                "objects with an id and a name)."
            )
        )
    for i, item in enumerate(items):
        if set(item) <= API_INFORMATION_KEYS and item:
            tables.skipped["api_information"] += 1  # the `/` of an HSDS API: no records
            continue
        kind = document_type(item) if "id" in item else None
        if kind is None:
            raise NotHSDS(
                _(
                    "This is not HSDS: item %(number)s is none of the HSDS documents (an "
                    "organisation, a service, a location, a service at a location, a taxonomy "
                    "or a taxonomy term)."
                ),
                {"number": i + 1},
            )
        if kind not in TABLE:  # taxonomies and their terms: Koinotita keeps its own
            tables.skipped[kind] += 1
            continue
        _flatten(tables, kind, item, f"[{i}]", {})
    return tables


def _flatten(tables: Tables, table: str, obj: dict, where: str, implied: dict) -> None:  # noqa: C901
    values = {k: v for k, v in obj.items() if not isinstance(v, list | dict)}
    given = dict(values)
    ones = []
    for key, (child, ref) in NESTED_ONE.get(table, {}).items():
        if isinstance(obj.get(key), dict):
            ones.append((key, child))
            if values.get(ref) in (None, ""):
                values[ref] = obj[key].get("id")
    for ref, target in implied.items():
        if values.get(ref) in (None, ""):
            values[ref] = target
    attributes = obj.get("attributes") if isinstance(obj.get("attributes"), list) else []
    row = Row(table, values, where, attributes, given)
    for key, value in obj.items():
        if key in NESTED.get(table, {}) or key in NESTED_ONE.get(table, {}) or key == "attributes":
            continue
        if isinstance(value, list | dict):  # a nested record the directory does not keep
            tables.skipped[nested_type(table, key)] += len(value) if isinstance(value, list) else 1
    tables.rows[table].append(row)
    # Wrong types of nested values are reported on the row itself.
    for key, (child, ref) in NESTED.get(table, {}).items():
        if key not in obj:
            continue
        children = obj[key]
        if not isinstance(children, list):
            row.values[key] = children  # reported as a wrong type by the check
            continue
        tables.synced.add((child, ref))
        for j, child_obj in enumerate(children):
            child_where = f"{where}.{key}[{j}]"
            if not isinstance(child_obj, dict):
                tables.rows[child].append(Row(child, {"id": None, "_bad": True}, child_where))
                continue
            _flatten(tables, child, child_obj, child_where, {ref: obj.get("id")})
    for key, child in ones:
        _flatten(tables, child, obj[key], f"{where}.{key}", {})


def _read_tabular_json(document: dict, tables: Tables) -> Tables:
    # The tabular form in JSON is the CSV files' cells: read as the CSV form reads them
    # (a number in a text column, e.g. an external identifier, is that text).
    tables.typed = False
    for name, rows in document.items():
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise NotHSDS(_("This is not HSDS: %(name)s is not a list of rows."), {"name": name})
        _add_table_rows(tables, name, rows)
    return tables


def _add_table_rows(tables: Tables, name: str, rows: list[dict]) -> None:
    if name in BY_FILE:
        table = BY_FILE[name]
        for i, row in enumerate(rows):
            tables.rows[table.name].append(Row(table.name, row, f"{name}:{i + 2}"))
        for ref in table.references:
            tables.synced.add((table.name, ref))
    elif name == ATTRIBUTE_FILE:
        for i, row in enumerate(rows):
            tables.attributes.append(Row("attribute", row, f"{name}:{i + 2}"))
    elif name == TERM_FILE:
        for row in rows:
            if row.get("id"):
                tables.terms[str(row["id"])] = row
    elif name in SKIPPED_FILES:
        tables.skipped[SKIPPED_FILES[name]] += len(rows)
    else:
        raise NotHSDS(
            _("This is not HSDS: %(name)s is not a table of the specification."), {"name": name}
        )


# --- reading CSV (the tabular form) -------------------------------------------------------


def read_csv_folder(folder: Path) -> Tables:
    tables = Tables(typed=False, source=str(folder))
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise NotHSDS(_("This is not HSDS: the folder has no CSV files."))
    if not any(p.name in BY_FILE for p in files):
        raise NotHSDS(_("This is not HSDS: none of the CSV files is a table of the specification."))
    for path in files:
        try:
            text = _checked(path, ("csv",)).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise NotHSDS(
                _("%(name)s is not UTF-8 text (HSDS files are UTF-8)."), {"name": path.name}
            ) from None
        reader = csv.DictReader(io.StringIO(text))
        if path.name in BY_FILE and "id" not in (reader.fieldnames or []):
            raise NotHSDS(_("This is not HSDS: %(name)s has no id column."), {"name": path.name})
        rows = []
        for i, row in enumerate(reader):
            if None in row:
                raise NotHSDS(
                    _("%(name)s, line %(line)s has more cells than the header."),
                    {"name": path.name, "line": i + 2},
                )
            if i >= settings.IMPORT_MAX_ROWS:
                raise NotHSDS(f"{path.name}: {too_many_rows_message(settings.IMPORT_MAX_ROWS)}")
            # A cell our export wrote with an apostrophe against formulas reads as it was.
            rows.append({k: uninert(v) if isinstance(v, str) else v for k, v in row.items()})
        if path.name in BY_FILE:
            table = BY_FILE[path.name]
            for i, row in enumerate(rows):
                tables.rows[table.name].append(Row(table.name, row, f"{path.name}:{i + 2}"))
            for ref in table.references:
                tables.synced.add((table.name, ref))
        else:
            _add_table_rows(tables, path.name, rows)
    return tables


def read_path(path: Path) -> Tables:
    """A JSON file, a folder of CSV files, a datapackage.json beside its CSV files, or a
    single CSV file of a tabular package (its folder is read)."""
    if path.is_dir():
        return read_csv_folder(path)
    if not path.exists():
        raise NotHSDS(_("There is no file %(name)s."), {"name": str(path)})
    if path.suffix.lower() == ".csv" or path.name == "datapackage.json":
        return read_csv_folder(path.parent)
    try:
        text = _checked(path, ("json",)).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotHSDS(_("The file is not UTF-8 text (HSDS files are UTF-8).")) from None
    return read_json_text(text, str(path))


def _checked(path: Path, kinds) -> bytes:
    """The bytes of a file to import, after the content check of every upload
    (koinotita.lib.uploads: size, content against name)."""
    try:
        data = uploads.read_path(path, max_bytes=settings.IMPORT_MAX_BYTES)
        uploads.check_content(
            name=path.name, data=data, kinds=kinds, max_bytes=settings.IMPORT_MAX_BYTES
        )
    except OSError as exc:
        raise NotHSDS(f"{path.name}: {exc.strerror}") from None
    except uploads.UploadError as exc:
        raise NotHSDS(f"{path.name}: {exc.messages[0]}") from None
    return data


# --- checking -----------------------------------------------------------------------------

MSG_TYPE = {
    TEXT: _("%(field)s must be text."),
    INT: _("%(field)s must be a whole number."),
    DECIMAL: _("%(field)s must be a number."),
    DATE: _("%(field)s must be a date (YYYY-MM-DD)."),
    TIME: _("%(field)s must be a time (HH:MM:SS)."),
    DATETIME: _("%(field)s must be a date and time (ISO 8601)."),
}


def _convert(kind: str, value, typed: bool):  # noqa: C901
    """The Python value of one HSDS field, or ValueError when it has the wrong type."""
    if value is None or (value == "" and kind != TEXT):
        return None
    if kind == TEXT:
        if not typed and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ValueError
        return value
    if kind == INT:
        if typed and (isinstance(value, bool) or not isinstance(value, int | Decimal)):
            raise ValueError
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError from None
        if number != number.to_integral_value():
            raise ValueError
        return int(number)
    if kind == DECIMAL:
        if typed and (isinstance(value, bool) or not isinstance(value, int | float | Decimal)):
            raise ValueError
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError from None
        if not number.is_finite():
            raise ValueError
        return number
    if not isinstance(value, str):
        raise ValueError
    parse = {DATE: parse_date, TIME: parse_time, DATETIME: parse_datetime}[kind]
    try:
        parsed = parse(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError
    if kind == DATETIME and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _uuid_or_none(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


@dataclass
class Checked:
    """Tables that passed every check, as model values ready to write."""

    rows: dict[str, dict[str, dict]] = field(default_factory=lambda: defaultdict(dict))
    extra: dict[str, dict[str, dict]] = field(default_factory=lambda: defaultdict(dict))
    problems: list[Problem] = field(default_factory=list)


def check(tables: Tables) -> Checked:  # noqa: C901
    """Every check an import needs, reporting every problem (and writing nothing)."""
    out = Checked()
    raw_by_id: dict[str, dict[str, Row]] = defaultdict(dict)

    def problem(row: Row, record_id, message, **params):
        out.problems.append(Problem(row.table, str(record_id or ""), row.where, message, params))

    # 1. ids, duplicates, types, and model validation, row by row.
    for table in TABLES:
        for row in tables.rows.get(table.name, []):
            if row.values.get("_bad"):
                problem(row, "", _("The record is not a JSON object."))
                continue
            raw_id = row.values.get("id")
            record_id = _uuid_or_none(raw_id)
            if raw_id in (None, ""):
                problem(row, "", _("The record has no id."))
                continue
            if record_id is None:
                problem(row, raw_id, _("The id %(id)s is not a UUID."), id=raw_id)
                continue
            if record_id in raw_by_id[table.name]:
                first = raw_by_id[table.name][record_id]
                if (first.given or first.values) == (row.given or row.values):
                    # The same record nested in two places: it links to both parents.
                    entry = out.rows[table.name].get(record_id)
                    for ref in table.references:
                        target = _uuid_or_none(row.values.get(ref))
                        if entry is not None and target and ref not in entry["refs"]:
                            entry["refs"][ref] = target
                    continue
                problem(
                    row,
                    record_id,
                    _("Duplicate id %(id)s: another %(table)s with this id differs (%(other)s)."),
                    id=record_id,
                    table=table.name,
                    other=raw_by_id[table.name][record_id].where,
                )
                continue
            raw_by_id[table.name][record_id] = row
            known = {"id", *table.fields, *table.references, *NESTED.get(table.name, {})}
            for name, value in row.values.items():
                if name not in known and value not in (None, ""):
                    tables.skipped[f"{table.name}.{name}"] += 1  # a field the directory lacks
            values, refs, ok = {}, {}, True
            for name, kind in table.fields.items():
                if name not in row.values:
                    continue
                try:
                    values[name] = _convert(kind, row.values[name], tables.typed)
                except ValueError:
                    problem(row, record_id, MSG_TYPE[kind], field=name)
                    ok = False
            for key in NESTED.get(table.name, {}):
                if key in row.values:  # a nested key that is not a list
                    problem(row, record_id, _("%(field)s must be a list."), field=key)
                    ok = False
            for ref in table.references:
                raw = row.values.get(ref)
                if raw in (None, ""):
                    if ref in table.required:
                        problem(row, record_id, _("%(field)s is missing."), field=ref)
                        ok = False
                    continue
                target = _uuid_or_none(raw)
                if target is None:
                    problem(row, record_id, _("%(field)s is not a UUID."), field=ref)
                    ok = False
                    continue
                refs[ref] = target
            if not ok:
                continue
            out.rows[table.name][record_id] = {"values": values, "refs": refs, "row": row}

    # 2. attributes: Koinotita's taxonomies become model fields.
    extras = _check_attributes(tables, raw_by_id, out, problem)

    # 3. references: to a record of the file or of the directory.
    existing = _existing_ids(tables, out)
    for table in TABLES:
        for record_id, entry in list(out.rows[table.name].items()):
            for ref, target in entry["refs"].items():
                parent = table.references[ref]
                if target in out.rows[parent] or target in existing[parent]:
                    continue
                if target in raw_by_id[parent]:
                    message = _("%(field)s refers to %(id)s, which is itself rejected.")
                else:
                    message = _(
                        "%(field)s refers to %(id)s, which is neither in the file nor in the "
                        "directory."
                    )
                problem(entry["row"], record_id, message, field=ref, id=target)
                del out.rows[table.name][record_id]
                break

    # 3b. a service is offered at a location once.
    pairs: dict[tuple[str, str], str] = {}
    sals = out.rows["service_at_location"]
    services = sorted({entry["refs"]["service_id"] for entry in sals.values()})
    for start in range(0, len(services), 500):
        taken = m.ServiceAtLocation.objects.filter(
            service_id__in=services[start : start + 500]
        ).values_list("service_id", "location_id", "pk")
        for service_id, location_id, pk in taken:
            if str(pk) not in sals:  # rows of the file replace their own old values
                pairs[(str(service_id), str(location_id))] = str(pk)
    for record_id, entry in sals.items():
        pairs.setdefault((entry["refs"]["service_id"], entry["refs"]["location_id"]), record_id)
    for record_id, entry in list(sals.items()):
        first = pairs[(entry["refs"]["service_id"], entry["refs"]["location_id"])]
        if first != record_id:
            problem(
                entry["row"],
                record_id,
                _("The service is already offered at this location (service_at_location %(id)s)."),
                id=first,
            )
            del sals[record_id]

    # 4. model validation (lengths, e-mail and URL formats, choices, numbers' ranges).
    for table in TABLES:
        for record_id, entry in list(out.rows[table.name].items()):
            instance = build_instance(table, record_id, entry, extras.get((table.name, record_id)))
            exclude = [f.name for f in table.model._meta.fields if f.is_relation]
            try:
                instance.full_clean(exclude=exclude, validate_unique=False)
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    for error in errors:
                        problem(
                            entry["row"],
                            record_id,
                            _("%(field)s: %(error)s"),
                            field=_hsds_name(table, name),
                            error=error,
                        )
                del out.rows[table.name][record_id]
                continue
            entry["instance"] = instance
    out.extra = extras
    return out


def _hsds_name(table: Table, model_field: str) -> str:
    for hsds, model_name in table.renamed.items():
        if model_name == model_field:
            return hsds
    return model_field


def _existing_ids(tables: Tables, out: Checked) -> dict[str, set[str]]:
    """Ids referred to by the file but not in it, that the directory already has."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for table in TABLES:
        for entry in out.rows[table.name].values():
            for ref, target in entry["refs"].items():
                parent = table.references[ref]
                if target not in out.rows[parent]:
                    wanted[parent].add(target)
    found: dict[str, set[str]] = defaultdict(set)
    for name, ids in wanted.items():
        model = TABLE[name].model
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            found[name] |= {
                str(pk) for pk in model.objects.filter(pk__in=chunk).values_list("pk", flat=True)
            }  # noqa: E501
    return found


def _check_attributes(tables: Tables, raw_by_id, out: Checked, problem) -> dict:  # noqa: C901
    """Koinotita's attributes → {(table, id): {model field: value}}; other taxonomies'
    attributes are skipped (counted)."""
    extras: dict[tuple[str, str], dict] = defaultdict(dict)
    municipalities = {mu.code: mu.pk for mu in Municipality.objects.only("pk", "code")}
    found: list[tuple[Row, str, dict, Row | None]] = []
    for table in TABLES:
        for row in tables.rows.get(table.name, []):
            for attribute in row.attributes:
                if isinstance(attribute, dict):
                    term = attribute.get("taxonomy_term")
                    found.append((Row("attribute", attribute, row.where), table.name, term, row))
    for row in tables.attributes:
        term = tables.terms.get(str(row.values.get("taxonomy_term_id")))
        found.append((row, "", term, None))
    # Multi-valued codes are collected, then set once per record.
    multi: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for attr_row, parent_table, term, parent in found:
        if not isinstance(term, dict) or term.get("taxonomy") not in ATTRIBUTE_ENTITIES:
            tables.skipped["attribute"] += 1
            continue
        taxonomy, code = term["taxonomy"], str(term.get("code") or "")
        link_id = _uuid_or_none(attr_row.values.get("link_id")) or (
            _uuid_or_none(parent.values.get("id")) if parent else None
        )
        entity = attr_row.values.get("link_entity") or parent_table
        if not entity:  # the tabular form may leave link_entity out: find the record
            entity = next(
                (e for e in sorted(ATTRIBUTE_ENTITIES[taxonomy]) if link_id in raw_by_id[e]), ""
            )
        if entity not in ATTRIBUTE_ENTITIES[taxonomy]:
            problem(
                attr_row,
                attr_row.values.get("id"),
                _("An attribute of %(taxonomy)s cannot describe a %(entity)s."),
                taxonomy=taxonomy,
                entity=entity or "?",
            )
            continue
        if link_id is None or link_id not in raw_by_id[entity]:
            problem(
                attr_row,
                attr_row.values.get("id"),
                _("The attribute refers to %(entity)s %(id)s, which is not in the file."),
                entity=entity,
                id=attr_row.values.get("link_id") or "?",
            )
            continue
        value = attr_row.values.get("value")
        value = "" if value is None else str(value)
        target = extras[(entity, link_id)]
        if taxonomy == TAX_KIND:
            if code not in m.OrganizationKind.values:
                problem(attr_row, link_id, _("Unknown kind of organisation: %(code)s."), code=code)
                continue
            target["kind"] = code
        elif taxonomy in (TAX_NEED, TAX_CATEGORY):
            valid = m.Need.values if taxonomy == TAX_NEED else Category.values
            if code not in valid:
                message = (
                    _("Unknown need: %(code)s.")
                    if taxonomy == TAX_NEED
                    else _("Unknown category of beneficiaries: %(code)s.")
                )
                problem(attr_row, link_id, message, code=code)
                continue
            name = "needs" if taxonomy == TAX_NEED else "eligibility_categories"
            if code not in multi[(entity, link_id, name)]:
                multi[(entity, link_id, name)].append(code)
        elif taxonomy == TAX_MUNICIPALITY:
            if code not in municipalities:
                problem(attr_row, link_id, _("Unknown municipality: %(code)s."), code=code)
                continue
            target["municipality_id"] = municipalities[code]
        elif taxonomy == TAX_CAPACITY and code == "accepting_referrals":
            if value.lower() not in ("true", "false"):
                problem(attr_row, link_id, _("accepting_referrals must be true or false."))
                continue
            target["accepting_referrals"] = value.lower() == "true"
        elif taxonomy == TAX_CAPACITY and code == "wait_time_days":
            if not value.isdigit():
                problem(attr_row, link_id, _("wait_time_days must be a whole number of days."))
                continue
            target["wait_time_days"] = int(value)
        elif taxonomy == TAX_RECORD and code == "sample":
            target["is_sample"] = value.lower() == "true"
        elif taxonomy == TAX_RECORD and code == "last_verified_on":
            if parse_date(value) is None:
                problem(attr_row, link_id, _("last_verified_on must be a date (YYYY-MM-DD)."))
                continue
            target["last_verified_on"] = parse_date(value)
        elif taxonomy == TAX_RECORD and code == "verified_by":
            target["verified_by_name"] = value
        else:
            problem(
                attr_row,
                link_id,
                _("Unknown code %(code)s in %(taxonomy)s."),
                code=code,
                taxonomy=taxonomy,
            )  # noqa: E501
    for (entity, link_id, name), codes in multi.items():
        extras[(entity, link_id)][name] = codes
    # Terms of other taxonomies (the tabular form's taxonomy_terms.csv): not kept.
    for term in tables.terms.values():
        if term.get("taxonomy") not in ATTRIBUTE_ENTITIES:
            tables.skipped["taxonomy_term"] += 1
    return extras


# Defaults of the fields attributes carry, for a record whose file leaves them out: the file
# is authoritative for the records it holds.
ATTRIBUTE_DEFAULTS = {
    "organization": {"kind": m.OrganizationKind.OTHER, "municipality_id": None, "is_sample": False},
    "location": {"municipality_id": None, "is_sample": False},
    "service": {
        "needs": [],
        "eligibility_categories": [],
        "accepting_referrals": True,
        "wait_time_days": None,
        "is_sample": False,
    },
    "service_area": {"municipality_id": None},
}


def build_instance(table: Table, record_id: str, entry: dict, extra: dict | None):
    """An unsaved model instance with the record's values (references as *_id)."""
    kwargs = {"pk": uuid.UUID(record_id)}
    for name, value in entry["values"].items():
        model_name = table.renamed.get(name, name)
        if not model_name:
            continue
        model_field = table.model._meta.get_field(model_name)
        if value is None and not model_field.null:
            value = ""
        kwargs[model_name] = value
    for ref, target in entry["refs"].items():
        kwargs[ref] = uuid.UUID(target)
    kwargs.update(ATTRIBUTE_DEFAULTS.get(table.name, {}))
    if table.name == "service":
        email = entry["values"].get("assurer_email")
        if email:
            kwargs["verified_by_name"] = email
    kwargs.update(extra or {})
    return table.model(**kwargs)


# --- exporting ---------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _selection(organization_ids=None, service_ids=None) -> dict[str, set] | None:
    """The ids of each table that belong to some organisations or services (None: all)."""
    if organization_ids is None and service_ids is None:
        return None
    services = m.Service.objects.all()
    if service_ids is not None:
        services = services.filter(pk__in=list(service_ids))
    else:
        services = services.filter(organization_id__in=list(organization_ids))
    svc = set(services.values_list("pk", flat=True))
    orgs = set(organization_ids or []) | set(services.values_list("organization_id", flat=True))
    sals = set(m.ServiceAtLocation.objects.filter(service_id__in=svc).values_list("pk", flat=True))
    locs = set(
        m.ServiceAtLocation.objects.filter(pk__in=sals).values_list("location_id", flat=True)
    )
    if organization_ids is not None:
        locs |= set(
            m.Location.objects.filter(organization_id__in=list(orgs)).values_list("pk", flat=True)
        )
    by_org = Q(organization_id__in=orgs) if organization_ids is not None else Q(pk__in=[])
    contacts = set(
        m.Contact.objects.filter(
            Q(service_id__in=svc) | Q(service_at_location_id__in=sals) | Q(location_id__in=locs)
            | by_org
        ).values_list("pk", flat=True)
    )  # fmt: skip
    phones = set(
        m.Phone.objects.filter(
            Q(service_id__in=svc) | Q(service_at_location_id__in=sals) | Q(location_id__in=locs)
            | Q(contact_id__in=contacts) | by_org
        ).values_list("pk", flat=True)
    )  # fmt: skip
    units = set(
        m.ServiceCapacity.objects.filter(service_id__in=svc).values_list("unit_id", flat=True)
    )
    return {
        "unit": units,
        "organization": orgs,
        "service": svc,
        "service_at_location": sals,
        "location": locs,
        "contact": contacts,
        "phone": phones,
    }


def export_tables(  # noqa: C901
    *, organization_ids=None, service_ids=None, public: bool = False
) -> dict[str, list[dict]]:
    """The directory as flat HSDS rows (empty values left out): all of it, or what belongs
    to some organisations or services. `public` leaves out what names a person (the names
    of contact persons, who verified a record)."""
    selection = _selection(organization_ids, service_ids)
    municipality_codes = dict(Municipality.objects.values_list("pk", "code"))
    municipality_names = dict(Municipality.objects.values_list("code", "name"))
    out: dict[str, list[dict]] = {t.name: [] for t in TABLES}
    attributes: list[dict] = []
    terms: dict[str, dict] = {}

    def attribute(entity: str, link_id, taxonomy: str, code: str, name: str, value: str):
        term = taxonomy_term(taxonomy, code, name)
        terms[term["id"]] = term
        attributes.append(
            {
                "id": stable_id("attribute", link_id, taxonomy, code),
                "link_id": str(link_id),
                "taxonomy_term_id": term["id"],
                "link_type": "koinotita",
                "link_entity": entity,
                "value": value,
                "taxonomy_term": term,
            }
        )

    def record_attributes(entity: str, obj) -> None:
        if obj.is_sample:
            attribute(entity, obj.pk, TAX_RECORD, "sample", "Sample data", "true")
        if obj.last_verified_on and entity != "service":
            attribute(
                entity,
                obj.pk,
                TAX_RECORD,
                "last_verified_on",
                "Last verified on",
                obj.last_verified_on.isoformat(),
            )
        if obj.verified_by_name and not public:
            attribute(
                entity, obj.pk, TAX_RECORD, "verified_by", "Verified by", obj.verified_by_name
            )

    def municipality_attribute(entity: str, obj) -> None:
        code = municipality_codes.get(obj.municipality_id)
        if code:
            attribute(entity, obj.pk, TAX_MUNICIPALITY, code, municipality_names[code], code)

    for table in TABLES:
        queryset = table.model.objects.order_by("pk")
        if selection is not None:
            if table.name in selection:
                queryset = queryset.filter(pk__in=list(selection[table.name]))
            else:
                condition = Q(pk__in=[])
                for ref, parent in table.references.items():
                    if parent in selection:
                        condition |= Q(**{f"{ref}__in": list(selection[parent])})
                queryset = queryset.filter(condition)
        if table.name == "service":
            queryset = queryset.select_related("verified_by")
        for obj in queryset:
            row = {"id": str(obj.pk)}
            for ref in table.references:
                value = getattr(obj, ref)
                if value is not None:
                    row[ref] = str(value)
            for name in table.fields:
                model_name = table.renamed.get(name, name)
                if not model_name:
                    continue
                value = getattr(obj, model_name)
                if value is None or value == "":
                    continue
                row[name] = _plain(value)
            if public and table.name == "contact":
                row.pop("name", None)
            if table.name == "service" and not public:
                email = obj.verified_by.email if obj.verified_by_id else ""
                if not email and "@" in obj.verified_by_name:
                    email = obj.verified_by_name
                if email:
                    row["assurer_email"] = email
            out[table.name].append(row)
            if table.name == "organization":
                attribute(
                    "organization",
                    obj.pk,
                    TAX_KIND,
                    obj.kind,
                    _choice_name(m.OrganizationKind, obj.kind),
                    obj.kind,
                )
                municipality_attribute("organization", obj)
                record_attributes("organization", obj)
            elif table.name == "location":
                municipality_attribute("location", obj)
                record_attributes("location", obj)
            elif table.name == "service_area":
                municipality_attribute("service_area", obj)
            elif table.name == "service":
                for code in obj.needs:
                    attribute("service", obj.pk, TAX_NEED, code, _choice_name(m.Need, code), code)
                for code in obj.eligibility_categories:
                    name = _choice_name(Category, code)
                    attribute("service", obj.pk, TAX_CATEGORY, code, name, code)
                attribute(
                    "service",
                    obj.pk,
                    TAX_CAPACITY,
                    "accepting_referrals",
                    "Accepting referrals",
                    "true" if obj.accepting_referrals else "false",
                )
                if obj.wait_time_days is not None:
                    attribute(
                        "service",
                        obj.pk,
                        TAX_CAPACITY,
                        "wait_time_days",
                        "Waiting time in days",
                        str(obj.wait_time_days),
                    )
                record_attributes("service", obj)
    out["attribute"] = attributes
    out["taxonomy_term"] = sorted(terms.values(), key=lambda t: t["id"])
    return out


def nest(tables: dict[str, list[dict]]) -> list[dict]:
    """Flat tables → HSDS's organisation package: organisations with everything nested."""
    attributes_of: dict[str, list[dict]] = defaultdict(list)
    for attribute in tables["attribute"]:
        attributes_of[attribute["link_id"]].append(attribute)
    children: dict[tuple[str, str, str], list[dict]] = defaultdict(list)  # (table, ref, id)
    for table in TABLES:
        for row in tables[table.name]:
            for ref in table.references:
                if ref in row:
                    children[(table.name, ref, row[ref])].append(row)

    units = {row["id"]: row for row in tables["unit"]}

    def build(table: str, row: dict) -> dict:
        obj = dict(row)
        for key, (child, ref) in NESTED.get(table, {}).items():
            items = children.get((child, ref, row["id"]), [])
            obj[key] = [build(child, item) for item in items]
        if table == "service_capacity":
            obj["unit"] = units[row["unit_id"]]
        if table in ("organization", "location", "service", "service_area"):
            obj["attributes"] = [
                {k: v for k, v in a.items()} for a in attributes_of.get(row["id"], [])
            ]
        return obj

    locations = {row["id"]: row for row in tables["location"]}
    package = []
    for organization in tables["organization"]:
        obj = build("organization", organization)
        for service in obj["services"]:
            for sal in service["service_at_locations"]:
                location = locations.get(sal["location_id"])
                if location and "organization_id" not in location:
                    sal["location"] = build("location", location)  # no organisation of its own
        package.append(obj)
    # A location of no organisation that no service is offered at has no place in an
    # organisation package: it follows as a location document of its own.
    placed = {sal["location_id"] for sal in tables["service_at_location"]}
    for location in tables["location"]:
        if "organization_id" not in location and location["id"] not in placed:
            package.append(build("location", location))
    return package


def export_json(stream) -> dict[str, int]:
    """The organisation package (and any location of no organisation, after it)."""
    tables = export_tables()
    json.dump(nest(tables), stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return {name: len(rows) for name, rows in tables.items()}


def _resources_31() -> dict[str, dict]:
    """Tabular resources of HSDS 3.1's service_capacity and unit, from their schemas."""
    out = {}
    for name in ("unit", "service_capacity"):
        schema = json.loads((SCHEMA_DIR / "3.1" / f"{name}.json").read_text(encoding="utf-8"))
        fields = [
            {"name": key, "type": spec.get("type", "string"), "format": spec.get("format", "")}
            for key, spec in schema["properties"].items()
            if spec.get("type") not in (None, "array", "object")
        ]
        out[name] = {
            "name": name,
            "path": schema["path"],
            "profile": "tabular-data-resource",
            "schema": {"fields": [{k: v for k, v in f.items() if v} for f in fields]},
        }
    return out


def export_csv(folder: Path) -> dict[str, int]:
    """The tabular form: one CSV file per table and a datapackage.json describing them."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = export_tables()
    descriptor = json.loads((DATA_DIR / "hsds_datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    resources.update(_resources_31())
    counts, written = {}, []
    files = [(t.name, t.file) for t in TABLES] + [
        ("attribute", ATTRIBUTE_FILE),
        ("taxonomy_term", TERM_FILE),
    ]
    for name, file_name in files:
        resource = resources[name]
        columns = [f["name"] for f in resource["schema"]["fields"]]
        with (folder / file_name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv_dict_writer(handle, columns)
            writer.writeheader()
            for row in tables[name]:
                writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        counts[name] = len(tables[name])
        written.append(resource)
    descriptor["resources"] = written
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return counts
