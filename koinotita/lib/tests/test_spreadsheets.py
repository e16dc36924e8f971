"""The one writer of CSV and XLSX: no cell it writes is a live formula; numbers stay numbers;
the streaming reader stops at its row cap."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from koinotita.lib import spreadsheets
from koinotita.lib.dates import local_iso
from koinotita.testing.spreadsheets import (
    HOSTILE,
    HOSTILE_MORE,
    assert_csv_inert,
    assert_xlsx_inert,
    csv_cells,
)


@pytest.mark.parametrize("text", [HOSTILE, *HOSTILE_MORE])
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert spreadsheets.inert(text) == "'" + text
    assert spreadsheets.uninert(spreadsheets.inert(text)) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-5, -5),
        (3.5, 3.5),
        (Decimal("-12.30"), Decimal("-12.30")),
        (None, ""),
        ("Παπαδοπούλου", "Παπαδοπούλου"),
        ("a=b", "a=b"),
        ("'quoted", "'quoted"),
        (dt.date(2026, 1, 2), "2026-01-02"),
    ],
)
def test_numbers_stay_numbers_and_plain_text_is_kept(value, written):
    assert spreadsheets.inert(value) == written


def test_decimal_comma_for_greek_excel():
    assert spreadsheets.inert(-1.5, decimal_comma=True) == "-1,5"
    assert spreadsheets.inert(Decimal("2.25"), decimal_comma=True) == "2,25"


def test_csv_bytes_is_for_greek_excel_and_inert():
    data = spreadsheets.csv_bytes([["Όνομα", "Ποσό"], [HOSTILE, -3], ["x;y", 1.5]])
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = assert_csv_inert(data)
    assert rows[1] == ["'" + HOSTILE, "-3"]
    assert rows[2] == ["x;y", "1.5"]


def test_csv_in_windows_1253_has_no_bom():
    data = spreadsheets.csv_bytes([["Ποσό"], ["=1"]], encoding="cp1253")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("cp1253").splitlines()[1] == "'=1"


def test_dict_writer_is_inert_too():
    out = io.StringIO()
    writer = spreadsheets.csv_dict_writer(out, ["name", "n"])
    writer.writeheader()
    writer.writerow({"name": HOSTILE, "n": -1, "extra": "ignored"})
    rows = csv_cells(out.getvalue().encode(), delimiter=",", bom=False)
    assert rows[1] == ["'" + HOSTILE, "-1"]


def test_xlsx_never_holds_a_formula_and_keeps_the_value_and_the_types():
    book = spreadsheets.workbook()
    sheet = book.active
    sheet.append([HOSTILE, *HOSTILE_MORE])
    sheet.append([12, Decimal("3.50"), dt.date(2026, 1, 2), "plain"])
    sheet["A3"] = "=SUM(1,2)"  # however a cell is written
    data = spreadsheets.xlsx_bytes(book)
    assert_xlsx_inert(data)
    read = load_workbook(io.BytesIO(data)).active
    # (XML reads a carriage return back as a line feed)
    assert [c.value for c in read[1]] == [HOSTILE, *HOSTILE_MORE[:-1], "\ncr"]
    assert all(c.quotePrefix for c in read[1])
    assert read["A2"].value == 12 and read["A2"].data_type == "n"
    assert read["C2"].value.date() == dt.date(2026, 1, 2)
    assert not read["D2"].quotePrefix
    assert read["A3"].value == "=SUM(1,2)" and read["A3"].data_type == "s"


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reader_streams_rows_and_stops_at_the_cap():
    data = _workbook([["a", "b"]] + [[i, "x"] for i in range(10)])
    rows = list(spreadsheets.xlsx_rows(data, max_rows=10))
    assert len(rows) == 11 and rows[1] == (2, [0, "x"])
    with translation.override("en"), pytest.raises(spreadsheets.SpreadsheetError, match="9 rows"):
        list(spreadsheets.xlsx_rows(data, max_rows=9))


def test_reader_refuses_a_formula_or_reads_its_value_when_asked():
    data = _workbook([["a"], ["=1+1"]])
    with translation.override("en"), pytest.raises(spreadsheets.SpreadsheetError, match="A2"):
        list(spreadsheets.xlsx_rows(data, max_rows=10))
    assert list(spreadsheets.xlsx_rows(data, max_rows=10, formulas=True))[1] == (2, [None])


def test_reader_refuses_a_broken_workbook():
    with translation.override("en"), pytest.raises(spreadsheets.SpreadsheetError, match="XLSX"):
        list(spreadsheets.xlsx_rows(b"PK\x03\x04 broken", max_rows=10))


def test_a_sheet_without_dimension_is_streamed_not_scanned_first():
    """openpyxl alone parses such a sheet whole when the workbook is opened; ours starts at
    the first row: the rows before a fault deep in the sheet are read before it is met."""
    import zipfile

    from koinotita.testing.uploads import NS, PARTS

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        rows = '<row><c t="inlineStr"><is><t>Επώνυμο</t></is></c></row>' * 3
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{NS}"><sheetData>{rows}<row><c'
        )  # cut short: a fault after the third row
    seen = []
    with pytest.raises(spreadsheets.SpreadsheetError):
        for line, _values in spreadsheets.xlsx_rows(out.getvalue(), max_rows=10):
            seen.append(line)
    assert seen == [1, 2, 3]


def test_a_sheet_with_its_dimension_keeps_its_size():
    from openpyxl import load_workbook as openpyxl_load

    data = _workbook([["a", "b"]] + [[i, "x"] for i in range(10)])
    list(spreadsheets.xlsx_rows(data, max_rows=100))
    sheet = openpyxl_load(io.BytesIO(data), read_only=True).worksheets[0]
    assert (sheet.max_row, sheet.max_column) == (11, 2)


# A moment at 22:30 UTC on 31 December is 00:30 on 1 January in Athens (winter, +02:00).
UTC_MOMENT = dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC)


def test_a_moment_in_a_csv_is_athens_time_not_utc():
    assert spreadsheets.inert(UTC_MOMENT) == "01/01/2026 00:30"


def test_a_moment_in_an_xlsx_is_athens_time_not_utc():
    book = spreadsheets.workbook()
    book.active.append(["when", UTC_MOMENT])
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(book))).active
    assert sheet["B1"].value == dt.datetime(2026, 1, 1, 0, 30)


def test_local_iso_carries_the_athens_offset():
    assert local_iso(UTC_MOMENT) == "2026-01-01T00:30:00+02:00"
    assert local_iso(dt.date(2026, 1, 1)) == "2026-01-01"
    assert local_iso(None) is None


def test_streaming_workbook_consumes_an_iterator_row_by_row_and_stays_inert():
    """Rows come from a generator; each is written before the next is read (nothing is
    gathered into a list), and the hostile text still comes out as quoted text."""
    read = []
    book = spreadsheets.streaming_workbook()
    sheet = book.create_sheet("Δαπάνες")

    def rows():
        for number in range(1, 2001):
            read.append(number)
            yield [dt.date(2026, 1, 2), HOSTILE if number == 7 else f"r{number}", Decimal("-1.50")]

    for written, row in enumerate(rows(), start=1):
        spreadsheets.append(sheet, row, {0: "DD/MM/YYYY"})
        assert len(read) == written  # read one row, wrote it, then the next
    assert not hasattr(sheet, "_cells") or not sheet._cells  # write-only: no cells kept
    with spreadsheets.xlsx_file(book) as handle:
        data = handle.read()
    back = assert_xlsx_inert(data)
    values = list(back["Δαπάνες"].iter_rows(values_only=True))
    assert len(values) == 2000 and values[6][1] == HOSTILE
    assert values[0][0] == dt.datetime(2026, 1, 2) and values[0][2] == -1.5
    assert back["Δαπάνες"]["A1"].number_format == "DD/MM/YYYY"


def test_csv_stream_is_csv_bytes_in_chunks():
    rows = [["Όνομα", "Ποσό"], *([HOSTILE, -3] for _ in range(25)), ["x;y", 1.5]]
    chunks = list(spreadsheets.csv_stream(iter(rows), chunk_rows=10))
    assert len(chunks) == 3 and chunks[0].startswith(b"\xef\xbb\xbf")
    assert b"".join(chunks) == spreadsheets.csv_bytes(rows)
    assert_csv_inert(b"".join(chunks))
    assert b"".join(spreadsheets.csv_stream([])) == b"\xef\xbb\xbf"


def test_the_streaming_writer_writes_moments_in_athens_time():
    book = spreadsheets.streaming_workbook()
    sheet = book.create_sheet("x")
    moment = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)  # 12:30 in Athens (summer)
    spreadsheets.append(sheet, [moment])
    handle = spreadsheets.xlsx_file(book)
    assert load_workbook(handle).active["A1"].value == dt.datetime(2026, 7, 1, 12, 30)
