"""Reading expenditure files: CSV (UTF-8 with or without BOM, or Windows-1253; `;` or `,`)
or XLSX (first sheet). The header names the columns, in Greek or in English:

    date / ημερομηνία · category / κατηγορία · amount / ποσό ·
    document / παραστατικό · description / περιγραφή

Amounts may be written the Greek way (1.234,56) or with a decimal point (1234.56); dates
as 31/12/2024, 31.12.2024 or 2024-12-31. What cannot be parsed becomes the row's problem;
the rules of the operation are checked by services.expenditure_import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from koinotita.funding.models import Category
from koinotita.lib import spreadsheets, uploads


class ImportFileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _key(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text).strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("_", " ")


COLUMNS = {
    "date": {"date", "ημερομηνια", "ημ/νια"},
    "category": {"category", "κατηγορια"},
    "amount": {"amount", "ποσο", "ποσο (€)", "amount (€)", "ποσο €"},
    "document_ref": {
        "document",
        "document ref",
        "document reference",
        "παραστατικο",
        "αρ. παραστατικου",
        "αριθμος παραστατικου",
    },
    "description": {"description", "περιγραφη"},
}
REQUIRED = ("date", "category", "amount", "document_ref")


def _category_names() -> dict[str, str]:
    """Codes and labels (Greek and English) of the categories → code."""
    from django.utils import translation

    names = {}
    for code, label in Category.choices:
        names[_key(code)] = code
        for language in ("el", "en"):
            with translation.override(language):
                names[_key(str(label))] = code
    return names


@dataclass
class ExpenditureRow:
    line: int
    date: dt.date | None = None
    category: str = ""
    amount: Decimal | None = None
    document_ref: str = ""
    description: str = ""
    problems: dict[str, str] = field(default_factory=dict)  # column → why it is unreadable


def parse_amount(text) -> Decimal:
    """«1.234,56», «1234,56», «1,234.56», «1234.56», «1 234,56 €» → Decimal; ValueError."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):  # from XLSX: its shortest repr is what the user typed
        return Decimal(repr(text))
    raw = str(text).replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not raw:
        raise ValueError
    if "," in raw and "." in raw:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        raw = raw.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in raw:
        if raw.count(",") > 1:
            raise ValueError
        raw = raw.replace(",", ".")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "") if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw) else "x"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value


DATE_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y")


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1253")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file could not be read as text in UTF-8 or Windows-1253 (Greek).")
        ) from None


def _csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > settings.IMPORT_MAX_ROWS + 1:
                raise ImportFileError(spreadsheets.too_many_rows_message(settings.IMPORT_MAX_ROWS))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(e)s.") % {"e": exc}) from None
    return rows


def _xlsx_rows(data: bytes) -> list[list]:
    """The first sheet, streamed (koinotita.lib.spreadsheets); a formula's value is read."""
    rows = spreadsheets.xlsx_rows(data, max_rows=settings.IMPORT_MAX_ROWS, formulas=True)
    try:
        return [["" if v is None else v for v in cells] for _line, cells in rows]
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(str(exc)) from None


def read_expenditures(*, name: str, data: bytes) -> list[ExpenditureRow]:
    try:
        checked = uploads.check_content(
            name=name, data=data, kinds=uploads.TABLES, max_bytes=settings.IMPORT_MAX_BYTES
        )
    except uploads.UploadError as exc:  # size, content against name, a workbook's expansion
        raise ImportFileError(exc.messages[0]) from None
    table = _xlsx_rows(data) if checked.kind.key == "xlsx" else _csv_rows(data)
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [_key(h).lstrip("\ufeff") for h in table[0]]
    positions: dict[str, int] = {}
    for index, heading in enumerate(header):
        for column, names in COLUMNS.items():
            if heading in names and column not in positions:
                positions[column] = index
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise ImportFileError(
            _(
                "The file lacks the column(s): %(cols)s. The first line must name the columns "
                "date, category, amount, document (or ημερομηνία, κατηγορία, ποσό, "
                "παραστατικό)."
            )
            % {"cols": ", ".join(missing)}
        )
    categories = _category_names()
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue

        def cell(column, cells=cells):
            index = positions.get(column)
            if index is None or index >= len(cells):
                return ""
            value = cells[index]
            return value.strip() if isinstance(value, str) else value

        row = ExpenditureRow(line=line)
        raw_date = cell("date")
        try:
            row.date = parse_date(raw_date)
        except ValueError:
            row.problems["date"] = (
                _("«%(v)s» is not a date (write 31/12/2024).") % {"v": raw_date}
                if raw_date != ""
                else _("The date is missing.")
            )
        raw_category = str(cell("category"))
        row.category = categories.get(_key(raw_category), raw_category)
        raw_amount = cell("amount")
        try:
            row.amount = parse_amount(raw_amount)
        except ValueError:
            row.problems["amount"] = (
                _("«%(v)s» is not an amount (write 1234,56).") % {"v": raw_amount}
                if raw_amount != ""
                else _("The amount is missing.")
            )
        ref = cell("document_ref")
        if isinstance(ref, float) and ref.is_integer():
            ref = int(ref)
        row.document_ref = str(ref)
        row.description = str(cell("description"))
        rows.append(row)
    return rows
