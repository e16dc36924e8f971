"""Files for the tests of every upload door (and for bench/upload_bomb.py): a PDF, and a
well-formed XLSX workbook whose one sheet expands to any size (a «zip bomb»), written as a
stream so that building a big one takes no memory."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _row(cells) -> str:
    inner = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in cells)
    return f"<row>{inner}</row>"


def xlsx_bomb(
    expanded: int,
    *,
    header=("Επώνυμο", "Όνομα", "Συγκατάθεση"),
    row=("Παπαδοπούλου", "Ελένη", "01/02/2025"),
) -> bytes:
    """A valid workbook: the header, then the same row over and over until the sheet holds
    about `expanded` bytes once uncompressed (by default, a person as the person import
    reads one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            start = f'<worksheet xmlns="{NS}"><sheetData>{_row(header)}'.encode()
            sheet.write(start)
            line = _row(row).encode()
            chunk = line * max(1, min(expanded, 1024 * 1024) // len(line))
            written = len(start)
            while written < expanded:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()
