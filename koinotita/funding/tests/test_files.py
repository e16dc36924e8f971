"""Files in and out of funding: the operation's and the region's XLSX give hostile text back
as inert text (money stays money); the expenditure import (page and command) goes through
the one content check and the caps."""

import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from koinotita.conftest import logged_in
from koinotita.funding.models import Expenditure
from koinotita.organisations.models import Municipality
from koinotita.testing.spreadsheets import HOSTILE, assert_xlsx_inert
from koinotita.testing.uploads import PDF, xlsx_bomb


def test_operation_and_region_workbooks_are_inert(sam, mona, operation):
    operation.title = HOSTILE
    operation.managing_authority = "-" + HOSTILE
    operation.save()
    Municipality.objects.filter(pk=operation.beneficiary_id).update(name="+" + HOSTILE)
    response = logged_in(sam).get(reverse("funding-operation-export", args=[operation.pk, "xlsx"]))
    assert response.status_code == 200
    data = response.getvalue()  # a streamed file: read once
    book = assert_xlsx_inert(data)
    assert_xlsx_inert(data, "-" + HOSTILE)
    facts = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True)}
    assert Decimal(str(facts["Προϋπολογισμός"])) == Decimal("120000.00")  # a number still
    region = logged_in(mona).get(
        reverse("funding-region-export", args=["dytiki-makedonia", "xlsx"])
    )
    assert region.status_code == 200
    assert_xlsx_inert(region.content)
    assert_xlsx_inert(region.content, "+" + HOSTILE)


@pytest.mark.parametrize(
    ("name", "data", "greek"),
    [
        ("expenditures.csv", PDF, "μόνο αρχεία CSV, Excel"),
        ("expenditures.html", "ημερομηνία;κατηγορία;ποσό\n".encode(), "δεν ταιριάζει"),
        ("expenditures.xlsx", xlsx_bomb(20 * 1024 * 1024), "βόμβα zip"),
    ],
    ids=["pdf", "wrong-name", "bomb"],
)
def test_import_page_refuses_a_bad_file_in_greek_and_writes_nothing(
    sam, operation, name, data, greek
):
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(sam)
    url = reverse("funding-expenditure-import", args=[operation.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 422
    assert greek in html.unescape(response.content.decode())
    assert not Expenditure.objects.exists()


def test_import_refuses_too_many_rows_and_too_large_a_file(sam, operation, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = 3
    lines = "ημερομηνία;κατηγορία;ποσό;παραστατικό\n" + "01/06/2022;staff;10;Ν\n" * 4
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(sam)
    url = reverse("funding-expenditure-import", args=[operation.pk])
    response = client.post(url, {"file": SimpleUploadedFile("e.csv", lines.encode())})
    assert "περισσότερες από 3 γραμμές" in html.unescape(response.content.decode())
    path = tmp_path / "e.xlsx"
    path.write_bytes(xlsx_bomb(20_000, header=("date", "category", "amount", "document")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("funding", "import-expenditures", str(path), "--operation", operation.code,
                     "--user", "sam", stderr=err)  # fmt: skip
    assert "3" in err.getvalue()
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="MB"):
        call_command("funding", "import-expenditures", str(path), "--operation", operation.code,
                     "--user", "sam")  # fmt: skip
    assert not Expenditure.objects.exists()
