"""`koinotita import participations FILE` and the supervisor's import page: ESF entry/exit
records kept in spreadsheets.

Same conventions as the person import (koinotita/people/imports.py, whose readers it uses):
an Excel .xlsx workbook (first sheet) or CSV in UTF-8 (with or without BOM) or
Windows-1253, `,` or `;`, Greek or English headers; every row is checked with the same
rules as the form (services.participation_clean), every rejected row is reported with its
reason (and can be written to a CSV Greek Excel opens); all or nothing by default: if a row
is rejected, nothing is written. Each written row goes through
services.participation_enter (so it is audited like a record typed in), and the import as a
whole is one more audit event (`participation.imported`).

One row per participant entry (with its exit and follow-up, when known). The participant
is found by AMKA among the centre's persons; a person without consent to be recorded is
refused (leave the AMKA empty to record them anonymously, knowingly). A row without AMKA is
an anonymous participant (sex and birth date then come from the row). Columns:
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.dates import age_on
from koinotita.lib.greek import fold
from koinotita.monitoring import services
from koinotita.monitoring.checks import record_checks
from koinotita.monitoring.models import (
    Answer,
    ExitStatus,
    FollowUpStatus,
    Isced,
    LabourStatus,
    Participation,
)
from koinotita.people.imports import (
    ImportFileError,
    ImportReport,
    Issue,
    Rejected,
    _date,
    _decode,
    _sniff_delimiter,
    checked_table,
    too_many_rows,
    xlsx_rows,
)
from koinotita.people.imports import _Bad as BadValue
from koinotita.people.models import Consent, Person
from koinotita.people.selectors import consents_in_force


@dataclass(frozen=True)
class Column:
    key: str
    greek: str
    kind: str  # date, int, bool, answer, choice:<name>, text
    required: bool = False


COLUMNS = (
    Column("amka", "ΑΜΚΑ", "text"),
    Column("entry_date", "Ημερομηνία εισόδου", "date", True),
    Column("sex", "Φύλο", "sex"),
    Column("birth_date", "Ημερομηνία γέννησης", "date"),
    Column("labour_status", "Κατάσταση στην αγορά εργασίας", "labour", True),
    Column("unemployed_months", "Μήνες ανεργίας", "int"),
    Column("in_education", "Σε εκπαίδευση ή κατάρτιση", "bool"),
    Column("self_employed", "Αυτοαπασχολούμενος", "bool"),
    Column("isced", "ISCED", "isced", True),
    Column("jobless_household", "Νοικοκυριό χωρίς εργαζόμενο", "bool"),
    Column("dependent_children", "Εξαρτώμενα τέκνα", "bool"),
    Column("single_adult", "Μονογονεϊκό νοικοκυριό", "bool"),
    Column("household_known", "Γνωστή κατάσταση νοικοκυριού", "known"),
    Column("migrant", "Μετανάστης", "answer"),
    Column("foreign_background", "Αλλοδαπό υπόβαθρο", "answer"),
    Column("third_country", "Υπήκοος τρίτης χώρας", "bool"),
    Column("minority", "Μειονότητα", "answer"),
    Column("disability", "Αναπηρία", "answer"),
    Column("other_disadvantage", "Άλλο μειονέκτημα", "answer"),
    Column("homeless", "Άστεγος ή αποκλεισμός από στέγαση", "bool"),
    Column("rural", "Αγροτική περιοχή", "bool"),
    Column("exit_date", "Ημερομηνία εξόδου", "date"),
    Column("exit_status", "Κατάσταση κατά την έξοδο", "exit"),
    Column("qualification_gained", "Απέκτησε προσόν", "bool"),
    Column("exit_observed_on", "Ημερομηνία παρατήρησης", "date"),
    Column("followup_on", "Ημερομηνία παρακολούθησης 6 μηνών", "date"),
    Column("followup_status", "Κατάσταση στους 6 μήνες", "followup"),
    Column("improved_situation", "Βελτιωμένη θέση", "bool"),
)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(str(text)))


_HEADERS = {}
for _c in COLUMNS:
    _HEADERS[_key(_c.key)] = _c
    _HEADERS[_key(_c.greek)] = _c

YES = {"yes", "y", "1", "true", "ναι", "ν", "x"}
NO = {"", "no", "n", "0", "false", "οχι", "ο"}
DECLINED = {"declined", "refused", "αρνηθηκε", "αρνηση", "δεναπαντησε"}
WORDS = {
    "sex": {"F": {"f", "γ", "γυναικα", "woman"}, "M": {"m", "α", "ανδρας", "man"},
            "X": {"x", "nonbinary", "μηδυαδικο"}, "U": {"", "u", "αγνωστο"}},
    "labour": {"": {""}, "unemployed": {"unemployed", "ανεργος", "ανεργη"},
               "inactive": {"inactive", "μηενεργος", "μηενεργη", "οικονομικαμηενεργος"},
               "employed": {"employed", "εργαζομενος", "εργαζομενη", "απασχολουμενος"}},
    "isced": {"": {""}, **{code: {_key(code)} for code in Isced.values}},
    "exit": {"": {""}, "employed": {"employed", "εργαζομενος", "απασχολουμενος"},
             "job_searching": {"jobsearching", "αναζητειεργασια", "αναζητησηεργασιας"},
             "education": {"education", "εκπαιδευση", "καταρτιση"},
             "inactive": {"inactive", "μηενεργος"}},
    "followup": {"": {""}, "employed": {"employed", "εργαζομενος", "απασχολουμενος"},
                 "unemployed": {"unemployed", "ανεργος"},
                 "education": {"education", "εκπαιδευση"},
                 "inactive": {"inactive", "μηενεργος"}},
}  # fmt: skip
WORDS = {kind: {code: {_key(w) for w in words} for code, words in codes.items()}
         for kind, codes in WORDS.items()}  # fmt: skip
YES, NO, DECLINED = ({_key(w) for w in words} for words in (YES, NO, DECLINED))
assert set(WORDS["labour"]) - {""} == set(LabourStatus.values)
assert set(WORDS["exit"]) - {""} == set(ExitStatus.values)
assert set(WORDS["followup"]) - {""} == set(FollowUpStatus.values)


def expected_headers() -> str:
    required = _("required")
    return ", ".join(
        f"{c.greek} / {c.key}" + (f" ({required})" if c.required else "") for c in COLUMNS
    )


__doc__ += "\n" + ", ".join(f"{c.greek} / {c.key}" for c in COLUMNS) + "."


def _value(column: Column, text: str):
    raw = (text or "").strip()
    key = _key(raw)
    if column.kind == "date":
        return _date(raw)
    if column.kind == "int":
        if not raw:
            return None
        if not raw.isdigit():
            raise BadValue(_("Write a whole number."))
        return int(raw)
    if column.kind == "text":
        return raw
    if column.kind == "known":  # empty: known (the household columns say it)
        if key in YES or not key:
            return True
        if key in NO:
            return False
        raise BadValue(_("Unknown code «%(value)s»: write yes or no.") % {"value": raw})
    if column.kind == "bool":
        if key in YES:
            return True
        if key in NO:
            return False
        raise BadValue(_("Unknown code «%(value)s»: write yes or no.") % {"value": raw})
    if column.kind == "answer":
        if key in YES:
            return Answer.YES
        if key in NO:
            return Answer.NO
        if key in DECLINED:
            return Answer.DECLINED
        raise BadValue(_("Unknown code «%(value)s»: write yes, no or declined.") % {"value": raw})
    for code, words in WORDS[column.kind].items():
        if key in words or key == _key(code):
            return code
    raise BadValue(
        _("Unknown code «%(value)s»; accepted: %(codes)s.")
        % {"value": raw, "codes": ", ".join(c for c in WORDS[column.kind] if c)}
    )


@dataclass
class _Row:
    line: int
    cells: list[str]
    fields: dict
    amka: str
    birth_date: object


def _cell(value) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _read(name: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (line number, cells as text) of an XLSX or CSV file."""
    if checked_table(name=name, data=data) == "xlsx":
        lines = [(n, [_cell(v) for v in values]) for n, values in xlsx_rows(data)]
        if not lines:
            raise ImportFileError(_("The file is empty."))
        return [h.lstrip("\ufeff") for h in lines[0][1]], lines[1:]
    text, _encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        rows = []
        for n, cells in enumerate(reader, start=2):
            if n > settings.IMPORT_MAX_ROWS + 1:
                raise too_many_rows()
            rows.append((n, [c.strip() for c in cells]))
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)d: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from None
    return header, rows


def _columns(header: list[str]) -> dict[int, Column]:
    found: dict[int, Column] = {}
    for position, text in enumerate(header):
        if not text:
            continue
        column = _HEADERS.get(_key(text))
        if column is None:
            raise ImportFileError(
                _("Unknown column «%(header)s».") % {"header": text}
                + " "
                + _("The accepted columns are: %(headers)s.") % {"headers": expected_headers()}
            )
        if column in found.values():
            raise ImportFileError(_("The column «%(header)s» appears twice.") % {"header": text})
        found[position] = column
    missing = [c for c in COLUMNS if c.required and c not in found.values()]
    if missing:
        raise ImportFileError(
            _("Required column missing: %(columns)s.")
            % {"columns": ", ".join(f"{c.greek} / {c.key}" for c in missing)}
        )
    return found


def _amka(text: str) -> str:
    amka = re.sub(r"\s+", "", text or "")
    return "0" + amka if len(amka) == 10 and amka.isdigit() else amka  # Excel drops the 0


def participation_import(
    *,
    actor,
    centre,
    name: str,
    data: bytes,
    partial: bool = False,
    dry_run: bool = False,
    request=None,
) -> ImportReport:
    """Check every row, then write all of them (or, with `partial`, the valid ones) in one
    transaction. ImportFileError when the file as a whole cannot be read."""
    if actor is None or not scope_for(actor).allows(Capability.SUPERVISE, centre.pk):
        raise PermissionDenied(_("Only a supervisor of the centre can import records."))
    header, lines = _read(name, data)
    columns = _columns(header)
    report = ImportReport(file_name=name, centre_id=centre.pk, headers=header, partial=partial)
    persons = {
        p.amka: p
        for p in Person.objects.filter(
            centre_id=centre.pk, merged_into__isnull=True, anonymised_at__isnull=True
        ).exclude(amka="")
    }
    consenting = set(
        consents_in_force(centre_id=centre.pk, purpose=Consent.Purpose.REGISTRATION)
        .filter(person_id__in=[p.pk for p in persons.values()])
        .values_list("person_id", flat=True)
    )
    checked: list[_Row] = []
    for line, cells in lines:
        if not any(cells):
            report.blank_rows += 1
            continue
        report.rows_read += 1
        issues, values = [], {}
        for position, column in columns.items():
            text = cells[position] if position < len(cells) else ""
            try:
                values[column.key] = _value(column, text)
            except BadValue as exc:
                issues.append(Issue(line, header[position], str(exc)))
        amka = _amka(values.pop("amka", "") or "")
        birth = values.pop("birth_date", None)
        person = persons.get(amka) if amka else None
        if amka and person is None:
            issues.append(
                Issue(line, "ΑΜΚΑ", _("No person of the centre has this AMKA: %s.") % amka)
            )
        elif person is not None and person.pk not in consenting:
            issues.append(
                Issue(
                    line,
                    "ΑΜΚΑ",
                    _(
                        "The person with AMKA %s has not consented to be recorded: record "
                        "their consent first, or leave the AMKA empty to record them as an "
                        "anonymous participant."
                    )
                    % amka,
                )
            )
        if not issues:
            record = Participation(centre_id=centre.pk, created_by=actor, **values)
            if person is None and birth is not None and record.entry_date:
                record.age_at_entry = age_on(birth, record.entry_date)
            try:
                services.participation_clean(record)
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    issues.extend(Issue(line, field_name, m) for m in messages)
            else:
                # Warnings of the record-level checks: imported with their flags.
                report.warnings.extend(
                    Issue(line, check.field, str(check.message))
                    for check in record_checks(record)
                    if not check.is_error
                )
        if issues:
            report.rejected.append(Rejected(line, cells, issues))
            continue
        checked.append(_Row(line, cells, values, amka, birth))
        report.valid.append(record)
    if dry_run:
        return report
    if report.rejected and not partial:
        report.error = ngettext(
            "Nothing was imported: %(n)d row was rejected.",
            "Nothing was imported: %(n)d rows were rejected.",
            len(report.rejected),
        ) % {"n": len(report.rejected)}
        return report
    with transaction.atomic():
        for row in checked:
            person = persons.get(row.amka) if row.amka else None
            fields = dict(row.fields)
            if person is None and row.birth_date is not None:
                fields["age_at_entry"] = age_on(row.birth_date, fields["entry_date"])
            services.participation_enter(
                actor=actor, person=person, centre=centre, fields=fields, request=request
            )
            report.written += 1
        audit_record(
            action="participation.imported",
            actor=actor,
            object_type="monitoring.participation",
            centre=centre,
            request=request,
            detail=report.summary(),
        )
    return report
