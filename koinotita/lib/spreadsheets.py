"""Every CSV and XLSX file the project writes is written here, and every XLSX it reads is
read here: no cell of a file we hand out is ever a live formula (CSV/formula injection,
OWASP), and no workbook we read can make the process grow with its expansion.

Writing
- CSV: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
  written with an apostrophe in front (OWASP's advice), so Excel and LibreOffice show it as
  text. Numbers (int, float, Decimal) stay numbers; with `decimal_comma` a float or Decimal
  is written with a decimal comma, as Greek Excel reads it. `csv_bytes` writes the files
  people open in Greek Excel: UTF-8 with BOM, `;`, CRLF (the project's convention).
- XLSX: build the workbook with `workbook()`, save it with `xlsx_bytes()`. Before saving,
  every cell is made inert: a cell openpyxl took for a formula (any text beginning with `=`)
  becomes a text cell, and a text cell beginning with one of the characters above gets
  Excel's quote prefix (the apostrophe Excel itself adds when one types 'text): it shows as
  typed and stays text when edited. The value itself is kept as it was, and numbers, dates
  and money stay typed cells. The project never writes formulas: totals are values.
- Moments: an aware datetime is written as the time in Europe/Athens (koinotita.lib.dates
  .local), never in UTC: a CSV cell as `dd/mm/yyyy HH:MM`, an XLSX cell as a date cell.
- Streaming: `streaming_workbook()` is openpyxl's write-only mode; `append(sheet, values)`
  makes each cell inert as it is appended (`cell()` for a styled one), rows go to a
  temporary file as they come, so a sheet of any length takes constant memory: feed it
  from a queryset's `.iterator()`, never a list. `xlsx_file(book)` saves to a temporary
  file for a FileResponse; `csv_stream(rows)` yields a CSV (BOM first) chunk by chunk for
  a StreamingHttpResponse.

Reading
- `xlsx_rows(data, max_rows=...)` reads the first sheet in openpyxl's streaming mode
  (read_only): rows are produced one by one and reading stops at the row cap, so memory
  does not grow with the sheet. The container must have passed `koinotita.lib.uploads`
  first (size once uncompressed, ratio, members), which also bounds openpyxl's shared
  strings table, the one part it holds in memory.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from koinotita.lib.dates import local

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inert(value: Any, *, decimal_comma: bool = False) -> Any:
    """The value of one CSV cell: numbers as they are, text that a spreadsheet would run as
    a formula with an apostrophe in front, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",") if decimal_comma else value
    if isinstance(value, datetime.datetime):
        return f"{local(value):%d/%m/%Y %H:%M}"
    text = str(value)
    return "'" + text if text.startswith(TRIGGERS) else text


def uninert(text: str) -> str:
    """The text of a cell as it was before `inert`: for reading our own files back."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text


class _Writer:
    def __init__(self, handle, *, delimiter: str, decimal_comma: bool):
        self._writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        self._decimal_comma = decimal_comma

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([inert(v, decimal_comma=self._decimal_comma) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle, *, delimiter: str = ";", decimal_comma: bool = False) -> _Writer:
    """A csv.writer whose every cell goes through `inert` (CRLF line ends)."""
    return _Writer(handle, delimiter=delimiter, decimal_comma=decimal_comma)


class _DictWriter:
    def __init__(self, handle, fieldnames: list[str], *, delimiter: str):
        self._writer = csv.DictWriter(
            handle, fieldnames=fieldnames, extrasaction="ignore", delimiter=delimiter
        )

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: dict) -> None:
        self._writer.writerow({k: inert(v) for k, v in row.items()})


def csv_dict_writer(handle, fieldnames: list[str], *, delimiter: str = ",") -> _DictWriter:
    """A csv.DictWriter (extra keys ignored) whose every cell goes through `inert`."""
    return _DictWriter(handle, fieldnames, delimiter=delimiter)


def csv_bytes(
    rows: Iterable[Iterable],
    *,
    delimiter: str = ";",
    decimal_comma: bool = False,
    encoding: str = "utf-8",
    bom: bool = True,
) -> bytes:
    """A whole CSV file as Greek Excel opens it: UTF-8 with BOM, `;`, CRLF."""
    out = io.StringIO()
    csv_writer(out, delimiter=delimiter, decimal_comma=decimal_comma).writerows(rows)
    text = out.getvalue()
    if bom and encoding.replace("-", "").lower() == "utf8":
        text = "\ufeff" + text
    return text.encode(encoding)


def workbook():
    """A new XLSX workbook (openpyxl, write mode); save it with `xlsx_bytes`."""
    from openpyxl import Workbook  # import on use: openpyxl takes a moment to load

    return Workbook()


def streaming_workbook():
    """A new XLSX workbook in openpyxl's write-only mode: rows are written out as they are
    appended (constant memory). Append through `append`/`cell`, save with `xlsx_file`."""
    from openpyxl import Workbook  # import on use: openpyxl takes a moment to load

    return Workbook(write_only=True)


def cell(sheet, value: Any, *, number_format: str | None = None, **style):
    """One inert cell of a write-only sheet: text never a formula, and text beginning with
    a formula character gets Excel's quote prefix; numbers, dates and money stay typed.
    `number_format` applies to a typed value; `style`: font, fill, alignment."""
    from openpyxl.cell import WriteOnlyCell  # import on use: with openpyxl

    result = WriteOnlyCell(sheet, value=_athens(value))
    if isinstance(value, str):
        if result.data_type == "f":
            result.data_type = "s"
        if value.startswith(TRIGGERS):
            result.quotePrefix = True
    if number_format and value is not None and not isinstance(value, str):
        result.number_format = number_format
    for name, setting in style.items():
        setattr(result, name, setting)
    return result


def _athens(value: Any) -> Any:
    """An aware moment as Europe/Athens wall time (Excel cells have no time zone)."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return local(value).replace(tzinfo=None)
    return value


def append(sheet, values: Iterable, formats: dict[int, str] | None = None) -> None:
    """Append one row to a write-only sheet, every cell inert; `formats` maps a column index
    (0-based) to the number format of its non-text cells. Plain values go to openpyxl as
    they are (the fast path); a cell is built only for a format or a formula character."""
    formats = formats or {}
    row = []
    for index, value in enumerate(values):
        value = _athens(value)
        number_format = formats.get(index)
        if (isinstance(value, str) and value.startswith(TRIGGERS)) or (
            number_format and value is not None and not isinstance(value, str)
        ):
            row.append(cell(sheet, value, number_format=number_format))
        else:
            row.append(value)
    sheet.append(row)


def xlsx_file(book):
    """Save a write-only workbook to a temporary file (deleted when closed), positioned at
    its start: hand it to a FileResponse, which closes it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes it
    book.save(handle)
    handle.seek(0)
    return handle


def csv_stream(
    rows: Iterable[Iterable],
    *,
    delimiter: str = ";",
    decimal_comma: bool = False,
    encoding: str = "utf-8",
    bom: bool = True,
    chunk_rows: int = 1000,
) -> Iterator[bytes]:
    """The file `csv_bytes` writes, produced in chunks of `chunk_rows` rows as `rows` is
    consumed: for a StreamingHttpResponse over a queryset's `.iterator()`."""
    out = io.StringIO()
    writer = csv_writer(out, delimiter=delimiter, decimal_comma=decimal_comma)
    if bom and encoding.replace("-", "").lower() == "utf8":
        out.write("\ufeff")
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % chunk_rows == 0:
            yield out.getvalue().encode(encoding)
            out.seek(0)
            out.truncate()
    if out.tell() or count == 0:
        yield out.getvalue().encode(encoding)


def make_inert(book) -> None:
    """Every cell of the workbook as text or a typed value, never a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                    cell.value = local(value).replace(tzinfo=None)
                    continue
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f":
                    cell.data_type = "s"
                if value.startswith(TRIGGERS):
                    cell.quotePrefix = True


def xlsx_bytes(book) -> bytes:
    """The saved workbook as bytes: for the small files (figures, reports). A write-only
    workbook's cells were made inert as they were appended."""
    if not book.write_only:
        make_inert(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading ----------------------------------------------------------------------------


class SpreadsheetError(ValueError):
    """The workbook cannot be read as a whole; the message is for the user."""


def _formula_message(position: int, number: int) -> str:
    from openpyxl.utils import get_column_letter  # import on use: with openpyxl

    return _(
        "Cell %(cell)s holds a formula. Formulas are not imported: copy the column and paste "
        "it as values, then try again."
    ) % {"cell": f"{get_column_letter(position)}{number}"}


def too_many_rows_message(max_rows: int) -> str:
    return _("The file has more than %(n)s rows: split it, or ask for a larger limit.") % {
        "n": f"{max_rows:,}".replace(",", ".")
    }


def _read_only_size(sheet) -> None:
    """openpyxl's ReadOnlyWorksheet._get_size, stopping where the cells begin. openpyxl 3.1
    looks for the sheet's <dimension> until the *end* of <sheetData>, so a sheet without one
    (Excel and LibreOffice always write it; a crafted file need not) is parsed whole when
    the workbook is opened: half a minute and a few hundred MB for a 287 MB sheet, before
    a single row is read."""
    from openpyxl.utils.cell import range_boundaries  # import on use: with openpyxl
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                try:
                    bounds = range_boundaries(element.get("ref") or "")
                except (TypeError, ValueError):
                    return
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = bounds
                return
            if element.tag == DATA_TAG:
                return


def _streaming_openpyxl() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # import on use: openpyxl

    if ReadOnlyWorksheet._get_size is not _read_only_size:
        ReadOnlyWorksheet._get_size = _read_only_size


def xlsx_rows(
    data: bytes, *, max_rows: int, formulas: bool = False, progress=None, progress_every=1000
) -> Iterator[tuple[int, list]]:
    """The first sheet's rows, header included, as (line number, cell values), read in
    streaming mode. SpreadsheetError for a broken workbook, a formula (unless `formulas`:
    then its cached value is read) or more than `max_rows` rows after the header."""
    from openpyxl import load_workbook  # import on use: openpyxl takes a moment to load

    _streaming_openpyxl()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=formulas)
    except Exception:  # openpyxl raises many kinds of error for a broken file
        raise SpreadsheetError(_("The file is not a valid XLSX workbook.")) from None
    try:
        if not book.worksheets:
            raise SpreadsheetError(_("The file is not a valid XLSX workbook."))
        sheet = book.worksheets[0]
        total = sheet.max_row or 0
        rows = sheet.iter_rows()
        number = 0
        while True:
            try:
                cells = next(rows, None)
            except SpreadsheetError:
                raise
            except Exception:  # a sheet broken half-way through
                raise SpreadsheetError(_("The file is not a valid XLSX workbook.")) from None
            if cells is None:
                break
            number += 1
            if number > max_rows + 1:
                raise SpreadsheetError(too_many_rows_message(max_rows))
            values = []
            for position, cell in enumerate(cells, start=1):
                if not formulas and getattr(cell, "data_type", None) == "f":
                    raise SpreadsheetError(_formula_message(position, number))
                values.append(cell.value)
            yield number, values
            if progress and number % progress_every == 0:
                progress("read", number, total)
    finally:
        book.close()
