"""Files in and out of the person import: the upload (page and command) goes through the one
content check and the caps; the rejected rows file gives a hostile name back as inert text."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from koinotita.people.imports import ImportFileError, import_file_read
from koinotita.people.models import Person
from koinotita.testing.spreadsheets import HOSTILE, assert_csv_inert
from koinotita.testing.uploads import PDF, xlsx_bomb


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _pending(var_dir):
    folder = var_dir / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def upload(sam, data: bytes, name: str):
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(sam)
    file = io.BytesIO(data)
    file.name = name
    page = client.post(reverse("people-import-upload"), {"centre": "kastoria", "file": file})
    return client, page


@pytest.mark.parametrize(
    ("name", "data", "greek"),
    [
        ("persons.csv", PDF, "μόνο αρχεία CSV, Excel"),
        ("persons.pdf", "Επώνυμο;Όνομα\nΠαπαδοπούλου;Ελένη\n".encode(), "δεν ταιριάζει"),
        ("persons.xlsx", xlsx_bomb(20 * 1024 * 1024), "βόμβα zip"),
        ("persons.xlsx", b"PK\x03\x04 broken", "κατεστραμμένο"),
    ],
    ids=["pdf", "wrong-name", "bomb", "broken"],
)
def test_page_refuses_a_bad_file_in_greek_and_keeps_nothing(
    sam, network, var_dir, name, data, greek
):
    _client, page = upload(sam, data, name)
    assert page.status_code == 200
    assert greek in " ".join(page.context["form"].errors["file"])
    assert not Person.objects.exists() and not _pending(var_dir)


def test_page_refuses_too_many_rows_and_too_large_a_file(sam, network, var_dir, settings):
    settings.IMPORT_MAX_ROWS = 5
    _client, page = upload(sam, xlsx_bomb(5_000), "persons.xlsx")
    assert "περισσότερες από 5 γραμμές" in " ".join(page.context["form"].errors["file"])
    csv_rows = "Επώνυμο;Όνομα;Συγκατάθεση\n" + "Παπαδοπούλου;Ελένη;01/02/2025\n" * 6
    _client, page = upload(sam, csv_rows.encode(), "persons.csv")
    assert "περισσότερες από 5 γραμμές" in " ".join(page.context["form"].errors["file"])
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    _client, page = upload(sam, b"x" * (1024 * 1024 + 1), "persons.csv")
    assert "πολύ μεγάλο" in " ".join(page.context["form"].errors["file"])
    assert not Person.objects.exists() and not _pending(var_dir)


def test_the_reader_lets_through_a_workbook_within_the_caps(settings):
    settings.IMPORT_MAX_ROWS = 1000
    table = import_file_read(name="persons.xlsx", data=xlsx_bomb(20_000))
    assert table.kind == "xlsx" and 0 < len(table.rows) <= 1000


def test_command_refuses_a_bomb_and_a_file_too_large(sam, network, tmp_path, settings):
    path = tmp_path / "persons.xlsx"
    path.write_bytes(xlsx_bomb(20 * 1024 * 1024))
    with pytest.raises(CommandError, match="zip"):
        call_command("import", "persons", str(path), "--user", "sam", "--language", "en")
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError, match="too large"):
        call_command("import", "persons", str(path), "--user", "sam", "--language", "en")
    assert not Person.objects.exists()


def test_rejected_rows_download_is_inert(sam, network, var_dir):
    hostile = HOSTILE.replace(";", ",")
    data = f"Επώνυμο;Όνομα;ΑΜΚΑ;Συγκατάθεση\n{hostile};Ελένη;12;01/02/2025\n".encode()
    client, response = upload(sam, data, "persons.csv")
    assert response.status_code == 302
    token = response.url.rstrip("/").split("/")[-1]
    download = client.get(reverse("people-import-rejected", args=[token]))
    assert download.status_code == 200
    assert_csv_inert(download.content, hostile)


def test_a_pdf_is_never_read_as_a_table():
    with pytest.raises(ImportFileError):
        import_file_read(name="persons.csv", data=PDF)
