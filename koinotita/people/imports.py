"""Import of persons from a spreadsheet (CSV or XLSX): read, validate every row, write.

Three steps, each usable alone (the command, the web page and the benchmark share them):

1. `import_file_read(name=..., data=...)` reads the file into an `ImportTable`: CSV in UTF-8
   (with or without BOM), UTF-16 (Excel's "Unicode text") or Windows-1253 (Greek Excel's
   legacy encoding), `,` `;` or tab sniffed from the header line; or XLSX (first sheet, first
   row is the header). A file that cannot be read as a whole — undecodable text, an old .xls,
   a cell holding a formula (we never trust a computed value), an unknown, repeated or
   missing required column — raises `ImportFileError` and nothing else happens.
2. `person_import_check(...)` validates every row through the SAME rules as registration
   (`people.services.person_clean` and `people.identifiers`), then looks for duplicates
   against the records in the user's scope (one query per identifier kind and batch) and
   within the file. AMKA/birth date/sex disagreements and look-alikes are warnings, not
   rejections. Nothing is written.
3. `person_import(...)` does the check and writes the valid rows with `bulk_create` in ONE
   transaction, together with ONE audit event "person.imported" (counts, file name, mode and
   the ids created, as ranges). That event is the record of the persons' creation: an import
   writes no per-person "person.created" events. All-or-nothing (the default) writes nothing
   when any row is rejected; partial writes the valid rows. The database's unique constraints
   still protect against a colleague registering the same AMKA meanwhile: an IntegrityError
   rolls everything back and is reported.

Nobody is registered without their consent to registration and support, in an import as at
the front desk: every row carries the day the person gave it (and, if not the importing
user, who took it); the consents are written in the same transaction as the persons. A row
without a consent date is rejected.

Columns (Greek or English header, any case, accents and punctuation ignored):

=====================  ===================  ====================================
Greek header           English header       notes
=====================  ===================  ====================================
Επώνυμο                family_name          required
Όνομα                  given_name           required
Πατρώνυμο              father_name
Μητρώνυμο              mother_name
Επώνυμο (λατινικά)     family_name_latin    derived by ELOT 743 when empty
Όνομα (λατινικά)       given_name_latin     derived by ELOT 743 when empty
Φύλο                   sex                  Α/Άνδρας/M, Γ/Θ/Γυναίκα/F, X, empty
Ημερομηνία γέννησης    birth_date           dd/mm/yyyy or yyyy-mm-dd, XLSX dates
ΑΜΚΑ                   amka                 10 digits (Excel dropped the 0): padded
ΑΦΜ                    afm                  8 digits: a leading 0 is added
ΑΔΤ                    id_card              police ID; letters in either alphabet
Τύπος εγγράφου         id_document_type     when the number is not a police ID
Τηλέφωνο               phone
Email                  email
Διεύθυνση              address
ΤΚ                     postal_code
Δήμος κατοικίας        municipality         by name (Greek or English) or code
Υπηκοότητα             citizenship          two-letter code (GR, AL…) or name
Συγκατάθεση            consent_given_on     required: the day the person consented
Συγκατάθεση έλαβε      consent_taken_by     user name of the staff member who took
                                            it (the importing user when empty)
Άλλες συγκαταθέσεις    consent_purposes     also consented to: SMS, e-mail
Διαβίβαση σε           consent_recipients   consented to sharing for referrals with
                                            these organisations of the directory
                                            (name or id, separated by «|»)
=====================  ===================  ====================================
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.accounts.selectors import staff_holding
from koinotita.audit.services import audit_record
from koinotita.lib import spreadsheets, uploads
from koinotita.lib.greek import fold
from koinotita.organisations.models import Municipality
from koinotita.people import fields as person_fields
from koinotita.people import identifiers
from koinotita.people.models import Consent, IdDocument, Person, Sex
from koinotita.people.recipients import Recipient, recipient_find
from koinotita.people.selectors import person_list_for
from koinotita.people.services import person_clean

Progress = Callable[[str, int, int], None]  # (stage, done, total)

WRITE_BATCH = 2000
QUERY_BATCH = 2000
PROGRESS_EVERY = 1000


# --- Columns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the English header, also the key of the parsed value
    greek: str  # the Greek header as Greek Excel users write it
    field: str  # the Person field it fills (for error messages)
    required: bool = False
    aliases: tuple[str, ...] = ()


# The person's columns come from people/fields.py; the consent's are the import's own.
REQUIRED = {"family_name", "given_name"}
COLUMNS: tuple[Column, ...] = (
    *(
        Column(key, greek, name, name in REQUIRED, aliases)
        for key, greek, name, aliases in person_fields.import_columns()
    ),
    Column(
        "consent_given_on",
        "Συγκατάθεση",
        "consent_given_on",
        True,
        ("Ημερομηνία συγκατάθεσης", "consent", "consent date"),
    ),
    Column("consent_taken_by", "Συγκατάθεση έλαβε", "consent_taken_by", False, ("taken by",)),
    Column("consent_purposes", "Άλλες συγκαταθέσεις", "consent_purposes", False, ("purposes",)),
    Column(
        "consent_recipients",
        "Διαβίβαση σε",
        "consent_recipients",
        False,
        ("Συγκατάθεση διαβίβασης σε", "share with", "recipients"),
    ),
)
_FIELD_TO_COLUMN = {c.field: c.key for c in COLUMNS}


def _header_key(text: str) -> str:
    """A header or a value reduced for comparison: folded, letters and digits only."""
    return re.sub(r"[\W_]+", "", fold(str(text)))


_HEADERS: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.greek, *_column.aliases):
        _HEADERS[_header_key(_name)] = _column


def expected_headers() -> str:
    """The accepted headers, for messages and for the upload page."""
    required = _("required")
    names = [f"{c.greek} / {c.key}" + (f" ({required})" if c.required else "") for c in COLUMNS]
    return ", ".join(names)


# --- Errors and reports ---------------------------------------------------------------


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported; nothing was read from it."""

    def __init__(self, message: str, *, show_headers: bool = False):
        if show_headers:
            message = f"{message} " + _("The accepted columns are: %(headers)s.") % {
                "headers": expected_headers()
            }
        super().__init__(message, code="import_file")


@dataclass
class Issue:
    line: int
    column: str  # the header as written in the file ("" for the row as a whole)
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.column:
            where += f", «{self.column}»"
        return f"{where}: {self.message}"


@dataclass
class Row:
    line: int  # as the spreadsheet numbers it: the header is line 1
    cells: list[str]  # as read, for the CSV of rejected rows
    values: dict[str, Any]  # column key → text (or a date, from XLSX)


@dataclass
class ImportTable:
    name: str
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    columns: dict[str, int]  # column key → position
    rows: list[Row]
    encoding: str = ""
    delimiter: str = ""
    blank_rows: int = 0

    def header_of(self, key: str) -> str:
        position = self.columns.get(key)
        return self.headers[position] if position is not None else key


@dataclass(frozen=True)
class RowConsent:
    """The consents one row declares: registration always, and any others it names."""

    given_on: dt.date
    taken_by_id: int
    purposes: list[str]
    recipients: tuple[Recipient, ...] = ()


@dataclass
class Rejected:
    line: int
    cells: list[str]
    issues: list[Issue]

    @property
    def reason(self) -> str:
        return " ".join(
            (f"«{issue.column}»: " if issue.column else "") + issue.message for issue in self.issues
        )


@dataclass
class ImportReport:
    file_name: str
    centre_id: int
    headers: list[str] = field(default_factory=list)
    rows_read: int = 0
    blank_rows: int = 0
    valid: list[Person] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    partial: bool = False
    written: int = 0
    consents: int = 0
    written_ids: list[list[int]] = field(default_factory=list)
    error: str = ""  # why nothing was written, when nothing was

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.error

    def summary(self) -> dict:
        return {
            "file": self.file_name,
            "rows_read": self.rows_read,
            "valid": len(self.valid),
            "rejected": len(self.rejected),
            "warnings": len(self.warnings),
            "written": self.written,
            "consents": self.consents,
            "mode": "partial" if self.partial else "all-or-nothing",
        }

    def rejected_csv(self) -> bytes:
        """The rejected rows as a CSV Greek Excel opens: UTF-8 with BOM, `;`, and two
        columns in front: the line in the original file and the reason."""
        header = [_("Line"), _("Reason"), *self.headers]
        return spreadsheets.csv_bytes(
            [header, *([row.line, row.reason, *row.cells] for row in self.rejected)]
        )


class TerminalProgress:
    """A one-line progress bar for a terminal (nothing when the stream is not one): reading,
    then rows checked and rows written (the two overlap), with the rate."""

    def __init__(self, stream, *, force: bool = False, width: int = 30):
        self.stream = stream
        self.enabled = force or stream.isatty()
        self.width = width
        self.done: dict[str, int] = {}
        self.started = time.perf_counter()
        self.shown = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != "read" and "read" in self.done and "check" not in self.done:
            self.stream.write("\n")
            self.started = time.perf_counter()
        self.done[stage] = done
        now = time.perf_counter()
        if done < total and now - self.shown < 0.2:
            return
        self.shown = now
        share = min(done / total, 1.0) if total else 1.0
        bar = "#" * int(share * self.width)
        rows = done if stage == "read" else self.done.get("check", 0)
        rate = rows / max(now - self.started, 1e-9)
        if stage == "read":
            text = f"reading  {done:>9,}/{total:,} lines"
        else:
            text = f"checked {self.done.get('check', 0):>9,}/{total:,}"
            if "write" in self.done:
                text += f" · written {self.done['write']:,}"
        self.stream.write(f"\r  [{bar:<{self.width}}] {text} · {rate:,.0f}/s ")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


# --- Reading --------------------------------------------------------------------------


def import_file_read(*, name: str, data: bytes, progress: Progress | None = None) -> ImportTable:
    """Read a CSV or XLSX file into rows keyed by column; ImportFileError if it cannot be."""
    kind = checked_table(name=name, data=data)
    if kind == "xlsx":
        return _read_xlsx(name, data, progress)
    return _read_csv(name, data, progress)


def checked_table(*, name: str, data: bytes) -> str:
    """The kind ("csv" or "xlsx") of a file to import, after the content check of every
    upload (koinotita.lib.uploads: size, content against name, the workbook's expansion);
    ImportFileError otherwise. Also used by the participation and expenditure imports."""
    try:
        return uploads.check_content(
            name=name, data=data, kinds=uploads.TABLES, max_bytes=settings.IMPORT_MAX_BYTES
        ).kind.key
    except uploads.UploadError as exc:
        raise ImportFileError(exc.messages[0]) from None


def import_path_read(path: Path) -> bytes:
    """The bytes of a file given to `koinotita import`, refused before it is read when it
    is larger than IMPORT_MAX_BYTES (ImportFileError); OSError when it cannot be read."""
    try:
        return uploads.read_path(path, max_bytes=settings.IMPORT_MAX_BYTES)
    except uploads.UploadError as exc:
        raise ImportFileError(exc.messages[0]) from None


def too_many_rows() -> ImportFileError:
    return ImportFileError(spreadsheets.too_many_rows_message(settings.IMPORT_MAX_ROWS))


def _decode(data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1253"), "Windows-1253"
        except UnicodeDecodeError:
            pass
    raise ImportFileError(
        _(
            "The file could not be read as text in UTF-8 or Windows-1253 (Greek): "
            "save it from Excel as «CSV UTF-8» or as .xlsx and try again."
        )
    )


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    return delimiter if counts[delimiter] else ","


def _read_csv(name: str, data: bytes, progress: Progress | None) -> ImportTable:
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    total = text.count("\n")
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        table = _table(name, "csv", header)
        table.encoding, table.delimiter = encoding, delimiter
        for number, cells in enumerate(reader, start=2):
            if number > settings.IMPORT_MAX_ROWS + 1:
                raise too_many_rows()
            _add_row(table, number, [c.strip() for c in cells])
            if progress and number % PROGRESS_EVERY == 0:
                progress("read", number, total)
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)d: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from None
    return table


def _xlsx_text(value: Any) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def xlsx_rows(data: bytes, progress: Progress | None = None) -> Iterator[tuple[int, list]]:
    """The first sheet's rows as (line number, cell values: text or dates), the header row
    included, read in streaming mode and at most IMPORT_MAX_ROWS of them; ImportFileError
    for a broken workbook, a formula or too many rows. Give it only a file that passed
    `checked_table`. Also read by the participation import (koinotita/monitoring/imports.py)."""
    rows = spreadsheets.xlsx_rows(
        data, max_rows=settings.IMPORT_MAX_ROWS, progress=progress, progress_every=PROGRESS_EVERY
    )
    try:
        for number, values in rows:
            yield number, [_xlsx_text(v) for v in values]
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(str(exc)) from None


def _read_xlsx(name: str, data: bytes, progress: Progress | None) -> ImportTable:
    table = None
    for number, values in xlsx_rows(data, progress):
        if table is None:
            table = _table(name, "xlsx", [str(v) for v in values])
            continue
        _add_row(table, number, values)
    if table is None:
        raise ImportFileError(_("The file is empty."))
    return table


def _table(name: str, kind: str, header: list[str]) -> ImportTable:
    headers = [str(h).strip().lstrip("\ufeff") for h in header]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError(_("The first line must hold the column headers."), show_headers=True)
    columns: dict[str, int] = {}
    for position, text in enumerate(headers):
        if not text:
            continue  # a column without a header must stay empty (checked per row)
        column = _HEADERS.get(_header_key(text))
        if column is None:
            raise ImportFileError(
                _("Unknown column «%(header)s».") % {"header": text}, show_headers=True
            )
        if column.key in columns:
            raise ImportFileError(
                _("The column «%(header)s» appears twice.") % {"header": text},
                show_headers=True,
            )
        columns[column.key] = position
    missing = [c for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise ImportFileError(
            _("Required column missing: %(columns)s.")
            % {"columns": ", ".join(f"{c.greek} / {c.key}" for c in missing)},
            show_headers=True,
        )
    return ImportTable(name=name, kind=kind, headers=headers, columns=columns, rows=[])


def _add_row(table: ImportTable, number: int, cells: list) -> None:
    if not any(c for c in cells):
        table.blank_rows += 1
        return
    width = len(table.headers)
    extra = [c for c in cells[width:] if c]
    unnamed = [i for i, h in enumerate(table.headers) if not h and i < len(cells) and cells[i]]
    if extra or unnamed:
        raise ImportFileError(
            _("Line %(line)d has a value in a column without a header.") % {"line": number},
            show_headers=True,
        )
    cells = (list(cells) + [""] * width)[:width]
    values = {key: cells[position] for key, position in table.columns.items()}
    text = [c.strftime("%d/%m/%Y") if isinstance(c, dt.date) else c for c in cells]
    table.rows.append(Row(line=number, cells=text, values=values))


# --- Values ---------------------------------------------------------------------------


class _Bad(Exception):
    pass


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise _Bad(_("Write the date as dd/mm/yyyy (or yyyy-mm-dd)."))
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Bad(_("%(value)s is not a real date.") % {"value": text}) from None


_SEX_WORDS = {
    Sex.MALE: ("m", "male", "man", "α", "a", "ανδρας", "αντρας", "αρρεν", "αρσενικο"),
    Sex.FEMALE: ("f", "female", "woman", "w", "γ", "θ", "γυναικα", "θηλυ", "θηλυκο"),
    Sex.NON_BINARY: ("x", "nonbinary", "μηδυαδικο"),
    Sex.UNKNOWN: ("", "u", "unknown", "notstated", "αγνωστο"),
}

_CITIZENSHIP_WORDS = {
    "GR": ("ελληνικη", "ελληνας", "ελληνιδα", "ελλαδα", "greek", "greece", "el"),
    "AL": ("αλβανικη", "αλβανια", "albanian", "albania"),
    "BG": ("βουλγαρικη", "βουλγαρια", "bulgarian", "bulgaria"),
    "RO": ("ρουμανικη", "ρουμανια", "romanian", "romania"),
    "GE": ("γεωργιανη", "γεωργια", "georgian", "georgia"),
    "RU": ("ρωσικη", "ρωσια", "russian", "russia"),
    "UA": ("ουκρανικη", "ουκρανια", "ukrainian", "ukraine"),
    "SY": ("συριακη", "συρια", "syrian", "syria"),
    "AF": ("αφγανικη", "αφγανισταν", "afghan", "afghanistan"),
    "PK": ("πακιστανικη", "πακισταν", "pakistani", "pakistan"),
    "IQ": ("ιρακινη", "ιρακ", "iraqi", "iraq"),
    "CY": ("κυπριακη", "κυπρος", "cypriot", "cyprus"),
}


_PURPOSE_WORDS = {
    Consent.Purpose.CONTACT_SMS: ("sms", "μηνυμα", "μηνυματα", "κινητο"),
    Consent.Purpose.CONTACT_EMAIL: ("email", "mail", "ηλεκτρονικοταχυδρομειο"),
    Consent.Purpose.REGISTRATION: ("εγγραφη", "registration"),
}


class _Lookups:
    """Tables built once per file: words for sex, document types, municipalities, and the
    staff who can take a consent at the centre."""

    def __init__(self, centre_id: int | None = None):
        self.purposes = {w: code for code, words in _PURPOSE_WORDS.items() for w in words}
        self.recipients: dict[str, Recipient | None] = {}
        self.takers: dict[str, int] = {}
        if centre_id is not None:
            takers = staff_holding([centre_id], Capability.PERSONAL_DATA)
            for pk, username in takers.values_list("pk", "username"):
                self.takers[username.casefold()] = pk
        self.sex = {w: code for code, words in _SEX_WORDS.items() for w in words}
        self.documents: dict[str, str] = {}
        for language in ("el", "en"):
            with translation.override(language):
                for code, label in Sex.choices:
                    self.sex.setdefault(_header_key(label), code)
                for code, label in IdDocument.choices:
                    if code:
                        self.documents[_header_key(label)] = code
        for code in IdDocument.values:
            if code:
                self.documents[_header_key(code)] = code
        self.documents.update({"αδτ": IdDocument.POLICE_ID, "ταυτοτητα": IdDocument.POLICE_ID})
        self.citizenship = {w: code for code, words in _CITIZENSHIP_WORDS.items() for w in words}
        self.municipalities: dict[str, int] = {}
        for pk, code, name, name_en in Municipality.objects.values_list(
            "pk", "code", "name", "name_en"
        ):
            for text in (code, name, name_en):
                self.municipalities.setdefault(_header_key(text), pk)

    def municipality(self, text: str) -> int | None:
        if not text:
            return None
        key = _header_key(text)
        for prefix in ("δημος", "dimos", "municipalityof"):
            if key.startswith(prefix) and key[len(prefix) :] in self.municipalities:
                key = key[len(prefix) :]
        if key not in self.municipalities:
            raise _Bad(_("Unknown municipality «%(value)s».") % {"value": text})
        return self.municipalities[key]


def _text(values: dict, key: str) -> str:
    value = values.get(key, "")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


# Columns read by _convert's own rules; every other person column is text as written.
_CONVERTED = {
    "email", "id_document_number", "sex", "birth_date", "amka", "id_document_type",
    "residence_municipality", "citizenship",
}  # fmt: skip
_PLAIN_TEXT = tuple(
    c for c in COLUMNS if c.field in person_fields.BY_NAME and c.field not in _CONVERTED
)


def _convert(row: Row, lookups: _Lookups) -> tuple[dict, dict[str, str], bool]:
    """The Person fields of one row, conversion errors by column key, and whether the
    AMKA got back the leading zero Excel had dropped."""
    values = row.values
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    padded = False
    for column in _PLAIN_TEXT:
        fields[column.field] = _text(values, column.key)
    fields["email"] = _text(values, "email").lower()
    fields["id_document_number"] = _text(values, "id_card")

    sex = _header_key(_text(values, "sex"))
    if sex in lookups.sex:
        fields["sex"] = lookups.sex[sex]
    else:
        errors["sex"] = _(
            "Unknown sex «%(value)s»: write Α (man), Γ (woman), X or leave empty."
        ) % {"value": _text(values, "sex")}
    try:
        fields["birth_date"] = _date(values.get("birth_date", ""))
    except _Bad as exc:
        errors["birth_date"] = str(exc)

    amka = identifiers.normalise_amka(_text(values, "amka"))
    if len(amka) == 10 and amka.isdigit():
        try:
            amka = identifiers.validate_amka("0" + amka)
        except ValidationError:
            pass  # leave it: registration's message says it has 10 digits
        else:
            padded = True
    fields["amka"] = amka

    document = _text(values, "id_document_type")
    if document:
        code = lookups.documents.get(_header_key(document))
        if code is None:
            errors["id_document_type"] = _("Unknown document type «%(value)s».") % {
                "value": document
            }
        else:
            fields["id_document_type"] = code

    try:
        fields["residence_municipality_id"] = lookups.municipality(_text(values, "municipality"))
    except _Bad as exc:
        errors["municipality"] = str(exc)

    citizenship = _text(values, "citizenship")
    key = _header_key(citizenship)
    if not citizenship:
        fields["citizenship"] = ""
    elif key in lookups.citizenship:
        fields["citizenship"] = lookups.citizenship[key]
    elif re.fullmatch(r"[A-Za-z]{2}", citizenship):
        fields["citizenship"] = citizenship.upper()
    else:
        errors["citizenship"] = _(
            "Unknown citizenship «%(value)s»: write a two-letter country code such as GR or AL."
        ) % {"value": citizenship}
    return fields, errors, padded


def _consent(row: Row, lookups: _Lookups, actor) -> tuple[RowConsent | None, dict[str, str]]:
    """The consents a row declares, or the errors (by column key) that prevent them."""
    values = row.values
    errors: dict[str, str] = {}
    given_on = None
    try:
        given_on = _date(values.get("consent_given_on", ""))
    except _Bad as exc:
        errors["consent_given_on"] = str(exc)
    else:
        if given_on is None:
            errors["consent_given_on"] = _(
                "Nobody is registered without their consent: write the day the person "
                "consented to registration and support."
            )
        elif given_on > dt.date.today():
            errors["consent_given_on"] = _("The date is in the future.")
    taker = _text(values, "consent_taken_by")
    taken_by = getattr(actor, "pk", None)
    if taker:
        taken_by = lookups.takers.get(taker.casefold())
        if taken_by is None:
            errors["consent_taken_by"] = _(
                "«%(value)s» is not the user name of a staff member of this centre."
            ) % {"value": taker}
    elif taken_by is None:
        errors["consent_taken_by"] = _(
            "Write the user name of the staff member who took the consent."
        )
    purposes = {Consent.Purpose.REGISTRATION}
    for word in re.split(r"[,;/+]", _text(values, "consent_purposes")):
        if not word.strip():
            continue
        purpose = lookups.purposes.get(_header_key(word))
        if purpose is None:
            errors["consent_purposes"] = _(
                "Unknown consent «%(value)s»: write SMS or e-mail, separated by commas."
            ) % {"value": word.strip()}
            break
        purposes.add(purpose)
    recipients: list[Recipient] = []
    for name in re.split(r"[|\n]", _text(values, "consent_recipients")):
        name = " ".join(name.split())
        if not name:
            continue
        if name not in lookups.recipients:
            lookups.recipients[name] = recipient_find(name)
        recipient = lookups.recipients[name]
        if recipient is None:
            errors["consent_recipients"] = _(
                "«%(value)s» is not the name of one organisation of the directory of services: "
                "write its name as the directory has it (or its id), separated by «|»."
            ) % {"value": name}
            break
        if recipient not in recipients:
            recipients.append(recipient)
    if errors:
        return None, errors
    consent = RowConsent(
        given_on=given_on,
        taken_by_id=taken_by,
        purposes=sorted(purposes),
        recipients=tuple(recipients),
    )
    return consent, {}


# --- Validation -----------------------------------------------------------------------

# Foreign keys every row shares, checked once for the whole file (the centre and the actor)
# or resolved from a table of existing rows (the municipality): validating them again per
# row would cost a query each, which is most of the time of a large import.
_CHECKED_ONCE = ("centre", "registered_by", "residence_municipality", "household", "merged_into")


def _skip_checked_relations(person: Person) -> Person:
    clean_fields = person.clean_fields

    def clean_fields_without_relations(exclude=None):
        return clean_fields(exclude=[*(exclude or []), *_CHECKED_ONCE])

    person.clean_fields = clean_fields_without_relations
    return person


def _require_supervisor(actor, centre) -> None:
    if actor is not None and not scope_for(actor).allows(Capability.SUPERVISE, centre.pk):
        raise PermissionDenied(_("Only a supervisor of this centre can import persons."))


def _visible_persons(actor, centre):
    """The records duplicates are looked for in: the actor's scope, as at registration;
    for an operator at the command line with no user, the centre itself."""

    if actor is None:
        return Person.objects.filter(
            centre=centre, merged_into__isnull=True, anonymised_at__isnull=True
        )
    return person_list_for(actor)


def _batched(values, size: int) -> Iterator[list]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


_IDENTIFIERS = (("amka", "amka"), ("afm", "afm"), ("id_document_number", "id_card"))


def _existing(visible, name: str, values: set[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for chunk in _batched(sorted(values), QUERY_BATCH):
        for value, pk, family, given in visible.filter(**{f"{name}__in": chunk}).values_list(
            name, "pk", "family_name", "given_name"
        ):
            found.setdefault(value, (pk, f"{family} {given}"))
    return found


def _duplicate_message(name: str, other: str) -> str:
    messages = {
        "amka": _("A person with this AMKA is already registered: %(other)s."),
        "afm": _("A person with this AFM is already registered: %(other)s."),
        "id_document_number": _("A person with this ID number is already registered: %(other)s."),
    }
    return messages[name] % {"other": other}


def _in_file_message(name: str, line: int) -> str:
    messages = {
        "amka": _("The same AMKA is on line %(line)d of the file."),
        "afm": _("The same AFM is on line %(line)d of the file."),
        "id_document_number": _("The same ID number is on line %(line)d of the file."),
    }
    return messages[name] % {"line": line}


def _check_row(row: Row, table: ImportTable, lookups: _Lookups, centre_id: int, actor):
    """One row through the rules of registration: (person, issues, warnings, AMKA padded)."""
    fields, errors, padded = _convert(row, lookups)
    consent, consent_errors = _consent(row, lookups, actor)
    errors.update(consent_errors)
    person = Person(centre_id=centre_id, registered_by_id=getattr(actor, "pk", None), **fields)
    person.import_consent = consent
    issues = [Issue(row.line, table.header_of(key), message) for key, message in errors.items()]
    warnings: list[Issue] = []
    _skip_checked_relations(person)
    try:
        checked = person_clean(person, actor=actor)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = _FIELD_TO_COLUMN.get(name, "")
            if key in errors:
                continue  # already reported in the terms of the file
            column = table.header_of(key) if key else ""
            issues.extend(Issue(row.line, column, m) for m in messages)
    else:
        warnings = [Issue(row.line, table.header_of("amka"), w) for w in checked.warnings]
    finally:
        del person.clean_fields  # back to the model's own method
    return (None if issues else person), issues, warnings, padded


# What the worker processes read: set before they are forked, so nothing is pickled to them.
_WORK: dict = {}
_CHUNK = 1000


def _check_chunk(start: int) -> list:
    table, lookups, centre_id, actor = (
        _WORK[k] for k in ("table", "lookups", "centre_id", "actor")
    )
    with translation.override(_WORK["language"]):
        return [
            (index, *_check_row(table.rows[index], table, lookups, centre_id, actor))
            for index in range(start, min(start + _CHUNK, len(table.rows)))
        ]


def _check_rows(table, lookups, *, centre_id, actor, workers, progress) -> Iterator[tuple]:
    """Yield (index, person or None, issues, warnings, AMKA padded) for every row, in order.

    Validation is pure computation (person_clean makes no query once the relations are
    checked for the whole file), so a large file is split between `workers` forked
    processes: on 2 cores this halves the largest part of an import's time. The workers
    never touch the database; the parent does every query and the write.
    """
    total = len(table.rows)
    starts = range(0, total, _CHUNK)
    if workers > 1 and total > 2 * _CHUNK and "fork" in multiprocessing.get_all_start_methods():
        _WORK.update(
            table=table,
            lookups=lookups,
            centre_id=centre_id,
            actor=actor,
            language=translation.get_language(),
        )
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for chunk in pool.imap(_check_chunk, starts):
                    yield from chunk
                    if progress:
                        progress("check", chunk[-1][0] + 1, total)
        finally:
            _WORK.clear()
        return
    for index, row in enumerate(table.rows):
        yield (index, *_check_row(row, table, lookups, centre_id, actor))
        if progress and ((index + 1) % PROGRESS_EVERY == 0 or index + 1 == total):
            progress("check", index + 1, total)


def _identifier_forms(row: Row) -> dict[str, set[str]]:
    """Every form an identifier of `row` can take once person_clean has normalised it
    (with the same helpers), to look them up before anything is written."""
    values = row.values
    amka = identifiers.normalise_amka(_text(values, "amka"))
    number = _text(values, "id_card")
    return {
        "amka": {amka, "0" + amka},
        "afm": {identifiers.normalise_afm(_text(values, "afm"))},
        "id_document_number": {
            identifiers.normalise_id_card(number)[0],
            number.strip().upper(),
        },
    }


class _Screen:
    """Duplicates and look-alikes, batch after batch in the order of the file.

    Within the file the first occurrence of an identifier wins and the later ones are
    rejected. The records in scope are read once, before anything is written (one query per
    identifier kind and QUERY_BATCH values, and the look-alikes by birth date): writing
    overlaps the checking, and a read after the first write would see the import's own rows
    (and be planned with statistics that know nothing of them).
    """

    def __init__(self, visible, table: ImportTable):
        self.table = table
        self.seen: dict[str, dict[str, int]] = {name: {} for name, _k in _IDENTIFIERS}
        self.names: dict[tuple, int] = {}
        wanted: dict[str, set[str]] = {name: set() for name, _k in _IDENTIFIERS}
        dates: set[dt.date] = set()
        for row in table.rows:
            for name, forms in _identifier_forms(row).items():
                wanted[name] |= forms
            try:
                born = _date(row.values.get("birth_date", ""))
            except _Bad:
                born = None
            if born is not None:
                dates.add(born)
        self.existing = {
            name: _existing(visible, name, {v for v in values if v and v != "0"})
            for name, values in wanted.items()
        }
        self.look_alikes = _existing_look_alikes(visible, dates)

    def __call__(self, batch, report: ImportReport) -> list[Person]:
        existing, look_alikes = self.existing, self.look_alikes
        valid = []
        for row, person, warnings in batch:
            issues = self._identifier_issues(row, person, existing)
            if issues:
                report.rejected.append(Rejected(row.line, row.cells, issues))
                continue
            for name, _key in _IDENTIFIERS:
                if getattr(person, name):
                    self.seen[name][getattr(person, name)] = row.line
            similar = _name_key(person)
            if similar in self.names:
                warnings.append(
                    Issue(
                        row.line,
                        "",
                        _("Line %(line)d has a similar name and the same birth date.")
                        % {"line": self.names[similar]},
                    )
                )
            elif similar is not None:
                self.names[similar] = row.line
                if similar in look_alikes:
                    warnings.append(
                        Issue(
                            row.line,
                            "",
                            _(
                                "A person with a similar name and the same birth date exists: "
                                "%(other)s."
                            )
                            % {"other": look_alikes[similar]},
                        )
                    )
            report.warnings.extend(warnings)
            valid.append(person)
        report.valid.extend(valid)
        return valid

    def _identifier_issues(self, row: Row, person: Person, existing: dict) -> list[Issue]:
        issues = []
        for name, key in _IDENTIFIERS:
            value = getattr(person, name)
            if not value:
                continue
            column = self.table.header_of(key)
            if value in self.seen[name]:  # the file's own rows first (see the class)
                issues.append(
                    Issue(row.line, column, _in_file_message(name, self.seen[name][value]))
                )
            elif value in existing[name]:
                pk, other = existing[name][value]
                issues.append(Issue(row.line, column, _duplicate_message(name, f"{other} (#{pk})")))
        return issues


def _name_key(person: Person) -> tuple | None:
    """Same birth date and the same phonetic names (the search key person_clean computed):
    a look-alike, as registration warns about."""
    if person.birth_date is None:
        return None
    return (person.birth_date, person.search_key)


def _existing_look_alikes(visible, dates: set[dt.date]) -> dict[tuple, str]:
    found: dict[tuple, str] = {}
    for chunk in _batched(sorted(dates), QUERY_BATCH):
        rows = visible.filter(birth_date__in=chunk).values_list(
            "pk", "birth_date", "search_key", "family_name", "given_name"
        )
        for pk, born, key, family, given in rows.iterator(chunk_size=QUERY_BATCH):
            found.setdefault((born, key), f"{family} {given} (#{pk})")
    return found


def _new_report(table: ImportTable, centre) -> ImportReport:
    report = ImportReport(
        file_name=table.name,
        centre_id=centre.pk,
        headers=table.headers,
        rows_read=len(table.rows),
        blank_rows=table.blank_rows,
    )
    if table.encoding and table.encoding != "UTF-8":
        report.notes.append(_("The file was read as %(encoding)s.") % {"encoding": table.encoding})
    return report


def _screen_rows(
    report: ImportReport,
    *,
    actor,
    centre,
    table: ImportTable,
    workers: int,
    progress: Progress | None,
    write: Callable[[list[Person]], None] | None = None,
) -> None:
    """Check every row, then duplicates batch by batch; hand each batch of valid persons
    to `write` as soon as it is known (so that writing overlaps the checking)."""
    screen = _Screen(_visible_persons(actor, centre), table)
    batch: list[tuple[Row, Person, list[Issue]]] = []
    padded: list[int] = []

    def flush():
        valid = screen(batch, report)
        batch.clear()
        if write is not None and valid:
            write(valid)

    for index, person, issues, warnings, amka_padded in _check_rows(
        table,
        _Lookups(centre.pk),
        centre_id=centre.pk,
        actor=actor,
        workers=workers,
        progress=progress,
    ):
        row = table.rows[index]
        if amka_padded:
            padded.append(row.line)
        if issues:
            report.rejected.append(Rejected(row.line, row.cells, issues))
        else:
            batch.append((row, person, warnings))
            if len(batch) >= WRITE_BATCH:
                flush()
    flush()
    if padded:
        shown = ", ".join(str(line) for line in padded[:10]) + ("…" if len(padded) > 10 else "")
        report.notes.append(
            _(
                "%(n)d AMKA had 10 digits (Excel drops the leading zero of a numeric column): "
                "a 0 was added in front (lines %(lines)s)."
            )
            % {"n": len(padded), "lines": shown}
        )
    report.rejected.sort(key=lambda r: r.line)
    report.warnings.sort(key=lambda w: w.line)


def person_import_check(
    *, actor, centre, table: ImportTable, workers: int = 1, progress: Progress | None = None
) -> ImportReport:
    """Validate every row of `table` for `centre`; write nothing. `workers` > 1 validates
    in that many processes (see `_check_rows`)."""
    _require_supervisor(actor, centre)
    report = _new_report(table, centre)
    _screen_rows(
        report, actor=actor, centre=centre, table=table, workers=workers, progress=progress
    )
    return report


# --- Writing --------------------------------------------------------------------------


class _NothingWritten(Exception):
    pass


def _ranges(ids: list[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


def person_import(
    *,
    actor,
    centre,
    table: ImportTable,
    partial: bool = False,
    workers: int = 1,
    request=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check `table` and write its valid rows in one transaction, with one audit event.

    All-or-nothing (partial=False) writes nothing if any row is rejected. Returns the report;
    `report.written` says how many persons were created, `report.error` why none were.
    Batches are written while the next rows are being checked; if all-or-nothing meets a
    rejected row, writing stops and the transaction is rolled back at the end.
    """
    _require_supervisor(actor, centre)
    report = _new_report(table, centre)
    report.partial = partial
    total = len(table.rows)

    def write(persons: list[Person]) -> None:
        if report.rejected and not partial:
            return  # it will all be rolled back: spare the database the work
        Person.objects.bulk_create(persons, batch_size=WRITE_BATCH)
        consents = [
            Consent(
                centre_id=centre.pk,
                person=person,
                purpose=purpose,
                given_on=person.import_consent.given_on,
                recorded_by_id=person.import_consent.taken_by_id,
            )
            for person in persons
            for purpose in person.import_consent.purposes
        ] + [
            Consent(
                centre_id=centre.pk,
                person=person,
                purpose=Consent.Purpose.REFERRAL_SHARING,
                partner=recipient.name[:200],
                recipient_key=recipient.key,
                given_on=person.import_consent.given_on,
                recorded_by_id=person.import_consent.taken_by_id,
            )
            for person in persons
            for recipient in person.import_consent.recipients
        ]
        Consent.objects.bulk_create(consents, batch_size=WRITE_BATCH)
        report.consents += len(consents)
        report.written += len(persons)
        if progress:
            progress("write", report.written, total)

    try:
        with transaction.atomic():
            _screen_rows(
                report,
                actor=actor,
                centre=centre,
                table=table,
                workers=workers,
                progress=progress,
                write=write,
            )
            if report.rejected and not partial:
                report.error = ngettext(
                    "Nothing was imported: %(n)d row was rejected. Correct it, or import "
                    "only the valid rows.",
                    "Nothing was imported: %(n)d rows were rejected. Correct them, or import "
                    "only the valid rows.",
                    len(report.rejected),
                ) % {"n": len(report.rejected)}
                raise _NothingWritten
            if not report.valid:
                report.error = _("Nothing was imported: the file has no valid row.")
                raise _NothingWritten
            report.written_ids = _ranges([p.pk for p in report.valid if p.pk is not None])
            audit_record(
                action="person.imported",
                actor=actor,
                object_type="people.person",
                centre=centre,
                request=request,
                detail={**report.summary(), "ids": report.written_ids},
            )
    except (_NothingWritten, IntegrityError) as exc:
        if isinstance(exc, IntegrityError):
            report.error = _(
                "Nothing was imported: while the file was being written, someone registered a "
                "person with one of its AMKA, AFM or ID numbers. Check the file again."
            )
        report.written, report.consents, report.written_ids = 0, 0, []
        for person in report.valid:
            person.pk = None
            person._state.adding = True
    return report


# --- Pending imports of the web page ---------------------------------------------------
#
# The page checks a file, shows the report, and writes only when the supervisor confirms.
# Between the two requests the uploaded file waits under VAR_DIR/imports/<token>/, readable
# only by the server's user, bound to the user who sent it; it is checked again when
# confirmed (the records may have changed meanwhile), then deleted. Nothing waits more than
# PENDING_HOURS.

PENDING_HOURS = 24
PREVIEW_ROWS = 200
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass
class PendingImport:
    token: str
    user_id: int
    centre_id: int
    file_name: str
    state: str  # "checked" or "written"
    created: str
    report: dict

    @property
    def folder(self):
        return _pending_root() / self.token


def _pending_root() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _report_dict(report: ImportReport) -> dict:
    """What the page shows of a report: counts, notes, the first rejected rows and warnings."""
    name_positions = [
        i
        for i, header in enumerate(report.headers)
        if getattr(_HEADERS.get(_header_key(header)), "key", "") in ("family_name", "given_name")
    ]

    def names(cells: list[str]) -> str:
        return " ".join(cells[i] for i in name_positions if i < len(cells))

    return {
        **report.summary(),
        "blank_rows": report.blank_rows,
        "partial": report.partial,
        "error": report.error,
        "notes": report.notes,
        "rejected_rows": [
            {"line": r.line, "name": names(r.cells), "reason": r.reason}
            for r in report.rejected[:PREVIEW_ROWS]
        ],
        "warning_rows": [
            {"line": w.line, "column": w.column, "message": w.message}
            for w in report.warnings[:PREVIEW_ROWS]
        ],
    }


def pending_import_save(*, user, centre, file_name: str, data: bytes, report: ImportReport):
    """Keep an uploaded file and its report until the user confirms (or PENDING_HOURS)."""
    pending_import_cleanup()
    token = secrets.token_urlsafe(24)
    folder = _pending_root() / token
    folder.mkdir(parents=True, mode=0o700)
    (folder / "upload").write_bytes(data)
    (folder / "rejected.csv").write_bytes(report.rejected_csv())
    pending = PendingImport(
        token=token,
        user_id=user.pk,
        centre_id=centre.pk,
        file_name=file_name,
        state="checked",
        created=dt.datetime.now(dt.UTC).isoformat(),
        report=_report_dict(report),
    )
    _write_meta(pending)
    for path in folder.iterdir():
        path.chmod(0o600)
    return pending


def _write_meta(pending: PendingImport) -> None:
    (pending.folder / "meta.json").write_text(
        json.dumps(asdict(pending), ensure_ascii=False), encoding="utf-8"
    )


def pending_import_get(*, user, token: str) -> PendingImport | None:
    """The pending import `token` of `user`, or None (unknown, expired, someone else's)."""
    if not _TOKEN.match(token or ""):
        return None
    meta = _pending_root() / token / "meta.json"
    try:
        pending = PendingImport(**json.loads(meta.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if pending.user_id != user.pk or pending.token != token:
        return None
    return pending


def pending_import_data(pending: PendingImport) -> bytes | None:
    try:
        return (pending.folder / "upload").read_bytes()
    except OSError:
        return None


def pending_import_rejected_csv(pending: PendingImport) -> bytes:
    try:
        return (pending.folder / "rejected.csv").read_bytes()
    except OSError:
        return b""


def pending_import_confirm(*, pending: PendingImport, actor, centre, partial: bool, request=None):
    """Check the kept file again and write it (all-or-nothing unless `partial`)."""
    data = pending_import_data(pending)
    if pending.state != "checked" or data is None:
        raise ValidationError(_("This import was already done or has expired."), code="done")
    table = import_file_read(name=pending.file_name, data=data)
    report = person_import(
        actor=actor, centre=centre, table=table, partial=partial, request=request
    )
    (pending.folder / "rejected.csv").write_bytes(report.rejected_csv())
    pending.report = _report_dict(report)
    if report.written:
        pending.state = "written"
        (pending.folder / "upload").unlink(missing_ok=True)
    _write_meta(pending)
    return report


def pending_import_cleanup(*, hours: int = PENDING_HOURS) -> int:
    """Delete pending imports older than `hours`; returns how many."""
    root = _pending_root()
    if not root.exists():
        return 0
    removed = 0
    limit = time.time() - hours * 3600
    for folder in root.iterdir():
        if folder.is_dir() and _TOKEN.match(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
