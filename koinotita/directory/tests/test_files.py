"""Files in and out of the directory: the HSDS CSV export is inert and reads back as it was;
protocol documents and HSDS imports go through the one content check."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from koinotita.directory.models import CooperationProtocol, Organization
from koinotita.directory.services import directory_export, directory_import
from koinotita.testing.spreadsheets import HOSTILE, assert_csv_inert
from koinotita.testing.uploads import PDF, xlsx_bomb


def test_hsds_csv_export_is_inert_and_reads_back_as_it_was(sample_directory, tmp_path):
    organization = Organization.objects.order_by("pk").first()
    organization.name = HOSTILE
    organization.save()
    directory_export(out=tmp_path, fmt="csv")
    data = (tmp_path / "organizations.csv").read_bytes()
    assert_csv_inert(data, delimiter=",", bom=False)
    Organization.objects.filter(pk=organization.pk).update(name="άλλο")
    report = directory_import(path=tmp_path)
    assert report.error is None, report.error
    assert Organization.objects.get(pk=organization.pk).name == HOSTILE


@pytest.mark.parametrize(
    ("name", "data", "greek"),
    [
        ("directory.json", PDF, "μόνο αρχεία JSON"),
        ("directory.json", b"\x00\x00binary", "μόνο αρχεία JSON"),
    ],
)
def test_hsds_import_refuses_what_is_not_json_in_greek(network, tmp_path, name, data, greek):
    path = tmp_path / name
    path.write_bytes(data)
    report = directory_import(path=path)
    assert report.error is not None and greek in report.error.text("el")
    assert not Organization.objects.exists()


def test_hsds_import_refuses_too_large_a_file_and_too_many_rows(
    sample_directory, tmp_path, settings
):
    directory_export(out=tmp_path, fmt="csv")
    count = Organization.objects.count()
    settings.IMPORT_MAX_ROWS = 1
    report = directory_import(path=tmp_path)
    assert report.error is not None and "1" in report.error.text("el")
    settings.IMPORT_MAX_ROWS = 100_000
    settings.IMPORT_MAX_BYTES = 10
    report = directory_import(path=tmp_path)
    assert report.error is not None and "πολύ μεγάλο" in report.error.text("el")
    assert Organization.objects.count() == count


@pytest.mark.parametrize(
    ("name", "data", "greek"),
    [
        ("μνημόνιο.html", PDF, "δεν ταιριάζει με το περιεχόμενό"),
        ("μνημόνιο.docx", xlsx_bomb(20 * 1024 * 1024), "βόμβα zip"),
        ("μνημόνιο.pdf", b"<html><script>alert(1)</script>", "μόνο αρχεία PDF"),
    ],
    ids=["pdf-as-html", "bomb", "html-as-pdf"],
)
def test_protocol_document_is_checked_in_greek_and_nothing_is_stored(
    small_directory, sam, settings, tmp_path, name, data, greek
):
    settings.DOCUMENTS_DIR = tmp_path
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(sam)
    kastoria = sam.role_assignments.first().municipality.centres.first()
    response = client.post(
        reverse("directory-protocol-create"),
        {
            "centre": kastoria.pk,
            "organization": small_directory["social"].pk,
            "title": "Μνημόνιο",
            "signed_on": "2026-03-01",
            "valid_from": "2026-03-01",
            "document": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    assert greek in html.unescape(" ".join(response.context["form"].errors["document"]))
    assert not CooperationProtocol.objects.filter(title="Μνημόνιο").exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
