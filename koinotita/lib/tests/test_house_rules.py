"""House rules of files in and out: every CSV/XLSX the project writes (and every XLSX it
reads) goes through koinotita/lib/spreadsheets.py, and every uploaded file is recognised by
koinotita/lib/uploads.py only, so that neither check can be forgotten at a new door."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
SPREADSHEETS = Path("lib/spreadsheets.py")
UPLOADS = Path("lib/uploads.py")
# Names that write a CSV or open a workbook; only lib/spreadsheets.py may use them.
WRITERS = {("csv", "writer"), ("csv", "DictWriter")}
OPENPYXL = {"Workbook", "load_workbook"}
# The first bytes by which a file is recognised; only lib/uploads.py looks at them.
MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")


def _is_test(relative: Path) -> bool:
    return (
        "tests" in relative.parts
        or relative.parts[0] == "testing"
        or relative.name == "conftest.py"
    )


def violations(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if _is_test(relative) or "migrations" in relative.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{relative}:{getattr(node, 'lineno', 0)}"
            if relative != SPREADSHEETS:
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and (node.value.id, node.attr) in WRITERS
                ):
                    found.append(f"{where} writes CSV with {node.value.id}.{node.attr}")
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    ("csv", "openpyxl", "xlsxwriter")
                ):
                    names = {alias.name for alias in node.names}
                    if node.module == "csv" and names & {"writer", "DictWriter"}:
                        found.append(f"{where} imports a CSV writer")
                    if node.module.startswith("openpyxl") and names & OPENPYXL:
                        found.append(f"{where} opens workbooks with openpyxl directly")
                    if node.module.startswith("xlsxwriter"):
                        found.append(f"{where} writes XLSX with xlsxwriter")
                if isinstance(node, ast.Import) and any(
                    a.name.startswith("xlsxwriter") for a in node.names
                ):
                    found.append(f"{where} writes XLSX with xlsxwriter")
                if isinstance(node, ast.Attribute) and node.attr in OPENPYXL:
                    found.append(f"{where} opens workbooks with openpyxl.{node.attr}")
            if (
                relative != UPLOADS
                and isinstance(node, ast.Constant)
                and isinstance(node.value, bytes)
                and node.value.startswith(MAGIC)
            ):
                found.append(f"{where} recognises a file by its first bytes")
    return found


def test_only_lib_spreadsheets_writes_csv_and_xlsx_and_only_lib_uploads_sniffs_files():
    assert violations() == []


def test_the_rule_catches_a_writer_a_workbook_and_a_sniffer(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "exports.py").write_text(
        "import csv\n"
        "from openpyxl import Workbook\n"
        "def f(out, data):\n"
        "    csv.writer(out).writerow(['=1'])\n"
        "    Workbook().save(out)\n"
        "    return data.startswith(b'%PDF-')\n",
        encoding="utf-8",
    )
    found = violations(tmp_path)
    assert len(found) == 3, found
    assert any("csv.writer" in f for f in found)
    assert any("openpyxl" in f for f in found)
    assert any("first bytes" in f for f in found)
