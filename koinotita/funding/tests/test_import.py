"""Importing expenditures from CSV and XLSX: encodings, separators, number formats; all or
nothing, with each rejected row and its reason; the page and the command."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from koinotita.audit.models import AuditEvent
from koinotita.funding import services
from koinotita.funding.imports import parse_amount
from koinotita.funding.models import Expenditure
from koinotita.testing.clients import logged_in

D = Decimal
GOOD = [
    ("01/02/2022", "Προσωπικό", "1.234,56", "ΜΙΣ-01", "Μισθοδοσία"),
    ("15.03.2022", "operating", "99,90", "ΤΠΥ-7", "Ηλεκτρικό ρεύμα"),
    ("2023-05-31", "Εξοπλισμός", "1000", "ΤΠΥ-8", ""),
]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", bom=False, header=None):
    header = header or ["Ημερομηνία", "Κατηγορία", "Ποσό", "Παραστατικό", "Περιγραφή"]
    lines = [delimiter.join(header)]
    for row in rows:
        cells = [f'"{c}"' if delimiter in c else c for c in row]
        lines.append(delimiter.join(cells))
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "category", "amount", "document", "description"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(operation, data, name="spending.csv", actor=services.SYSTEM):
    return services.expenditure_import(actor=actor, operation=operation, file_name=name, data=data)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"encoding": "utf-8"},
        {"encoding": "utf-8", "bom": True},
        {"encoding": "cp1253"},
        {"encoding": "cp1253", "delimiter": ","},
        {"encoding": "utf-8", "bom": True, "delimiter": ","},
    ],
)
def test_csv_in_every_encoding_and_separator(operation, kwargs):
    result = run(operation, csv_bytes(GOOD, **kwargs))
    assert result.ok, result.as_dict()
    assert result.written == 3 and result.total == D("2334.46")
    got = list(Expenditure.objects.order_by("date").values_list("date", "category", "amount"))
    assert got == [
        (dt.date(2022, 2, 1), "staff", D("1234.56")),
        (dt.date(2022, 3, 15), "operating", D("99.90")),
        (dt.date(2023, 5, 31), "equipment", D("1000.00")),
    ]
    assert AuditEvent.objects.filter(action="funding.expenditure.imported").count() == 1


def test_xlsx_with_dates_and_numbers(operation):
    rows = [
        [dt.datetime(2022, 2, 1), "staff", 1234.56, "A-1", "x"],
        [dt.date(2022, 2, 2), "Actions", 0.1, 17, ""],
        ["03/02/2022", "equipment", "2.000,00", "A-3", ""],
    ]
    result = run(operation, xlsx_bytes(rows), name="spending.xlsx")
    assert result.ok, result.as_dict()
    amounts = list(Expenditure.objects.order_by("date").values_list("amount", "document_ref"))
    assert amounts == [(D("1234.56"), "A-1"), (D("0.10"), "17"), (D("2000.00"), "A-3")]


def test_one_bad_row_and_nothing_is_saved_with_every_reason(operation):
    services.expenditure_add(
        actor=services.SYSTEM,
        operation=operation,
        date=dt.date(2022, 1, 10),
        category="staff",
        amount="10.00",
        document_ref="ΠΑΛΙΟ-1",
    )
    rows = GOOD + [
        ("31/12/2021", "staff", "10", "Ν-1", ""),  # before the start
        ("01/01/2025", "staff", "10", "Ν-2", ""),  # after the end
        ("01/06/2022", "ταξίδια", "10", "Ν-3", ""),  # unknown category
        ("01/06/2022", "staff", "-10,00", "Ν-4", ""),  # negative
        ("01/06/2022", "staff", "10", "ΜΙΣ-01", ""),  # repeated in the file
        ("01/06/2022", "staff", "10", "ΠΑΛΙΟ-1", ""),  # already recorded
        ("32/13/2022", "staff", "δέκα", "Ν-7", ""),  # no date, no amount
        ("01/06/2022", "staff", "10,005", "", ""),  # three decimals, no document
    ]
    with translation.override("en"):
        result = run(operation, csv_bytes(rows))
    assert not result.ok and result.written == 0
    reasons = dict(result.rejected)
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert "outside the operation" in reasons[5] and "outside the operation" in reasons[6]
    assert "Unknown category «ταξίδια»" in reasons[7]
    assert "cannot be negative" in reasons[8]
    assert "«ΜΙΣ-01» is repeated (line 2)" in reasons[9]
    assert "«ΠΑΛΙΟ-1» is already recorded" in reasons[10]
    assert "«32/13/2022» is not a date" in reasons[11] and "«δέκα» is not an amount" in reasons[11]
    assert "two decimals" in reasons[12] and "document reference" in reasons[12]
    assert Expenditure.objects.count() == 1  # only the one recorded before
    assert not AuditEvent.objects.filter(action="funding.expenditure.imported").exists()


def test_rejections_are_in_greek_by_default(operation):
    result = run(operation, csv_bytes([("01/06/2022", "staff", "-1", "Ν-1", "")]))
    assert "αρνητικό" in result.rejected[0][1]


def test_a_file_over_the_budget_is_refused_whole(operation):
    rows = [("01/06/2022", "staff", "60000", "Α", ""), ("02/06/2022", "staff", "60000,01", "Β", "")]
    with translation.override("en"):
        result = run(operation, csv_bytes(rows))
    assert "€120,000.01" in result.error and result.written == 0
    assert not Expenditure.objects.exists()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "x.csv", "empty"),
        (b"date;category;amount\n01/01/2022;staff;1\n", "x.csv", "document_ref"),
        (b"PK\x03\x04broken", "x.xlsx", "damaged"),
        (b"date;category;amount;document\n", "x.csv", "no expenditures"),
    ],
)
def test_files_that_cannot_be_read(operation, data, name, message):
    with translation.override("en"):
        result = run(operation, data, name=name)
    assert message in result.error and not Expenditure.objects.exists()


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        ("1.234.567", "1234567"),
        ("10", "10"),
    ],
)
def test_amounts_as_people_write_them(text, value):
    assert parse_amount(text) == D(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3", "NaN", "Infinity"])
def test_amounts_that_are_not(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_import_page_shows_each_rejected_row(sam, operation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = logged_in(sam)
    url = reverse("funding-expenditure-import", args=[operation.pk])
    bad = csv_bytes(GOOD + [("01/06/2022", "ταξίδια", "10", "Ν-3", "")])
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", bad)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Άγνωστη κατηγορία «ταξίδια»" in html and "<td>5</td>" in html
    assert not Expenditure.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("ok.csv", csv_bytes(GOOD))})
    assert response.status_code == 302 and Expenditure.objects.count() == 3


def test_import_command(sam, operation, tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes(GOOD, encoding="cp1253"))
    out = io.StringIO()
    call_command(
        "funding", "import-expenditures", str(path), "--operation", operation.code,
        "--user", "sam", stdout=out,
    )  # fmt: skip
    assert "3 expenditures imported, 2334.46 €" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([("01/06/2022", "staff", "-1", "Ν-1", "")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command(
            "funding", "import-expenditures", str(bad), "--operation", operation.code,
            "--user", "sam", "--language", "en", stderr=err,
        )  # fmt: skip
    assert "line 2: An amount cannot be negative." in err.getvalue()
    assert Expenditure.objects.count() == 3


def test_import_command_refuses_users_outside_the_scope(charlie, mona, operation, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes(GOOD))
    with pytest.raises(CommandError, match="cannot see"):
        call_command(
            "funding", "import-expenditures", str(path), "--operation", operation.code,
            "--user", "charlie",
        )  # fmt: skip
    with pytest.raises(CommandError, match="supervisors"):
        call_command(
            "funding", "import-expenditures", str(path), "--operation", operation.code,
            "--user", "mona", "--language", "en",
        )  # fmt: skip
    assert not Expenditure.objects.exists()
