"""Case documents go through the one content check (koinotita.lib.uploads), on the page and
on the API: content against name, a workbook's expansion, Greek messages, nothing stored."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from koinotita.accounts.services import api_token_create
from koinotita.cases.models import Attachment
from koinotita.testing.uploads import PDF, xlsx_bomb

BAD = [
    ("βεβαίωση.html", PDF, "δεν ταιριάζει με το περιεχόμενό"),
    ("πίνακας.xlsx", xlsx_bomb(20 * 1024 * 1024), "βόμβα zip"),
    ("σελίδα.html", b"<html><script>alert(1)</script></html>", "γίνονται δεκτά μόνο αρχεία PDF"),
]


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """A folder of this test's own, so that "nothing stored" means nothing."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DOCUMENTS_DIR


def _nothing_stored(settings):
    folder = settings.DOCUMENTS_DIR
    assert not Attachment.objects.exists()
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


@pytest.mark.parametrize(("name", "data", "greek"), BAD, ids=["pdf-as-html", "bomb", "html"])
def test_page_refuses_a_bad_document_in_greek_and_stores_nothing(
    alice, case, settings, name, data, greek
):
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(alice)
    response = client.post(
        reverse("cases-attachment-add", args=[case.pk]),
        {"title": "", "upload": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert greek in html.unescape(response.content.decode())
    _nothing_stored(settings)


@pytest.mark.parametrize(("name", "data", "greek"), BAD, ids=["pdf-as-html", "bomb", "html"])
def test_api_refuses_a_bad_document_in_greek_and_stores_nothing(
    alice, case, settings, name, data, greek
):
    _token, raw = api_token_create(user=alice, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "el"})
    response = client.post(
        f"/api/v1/cases/{case.pk}/attachments", {"upload": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 422
    assert greek in response.json()["errors"]["upload"][0]
    _nothing_stored(settings)


def test_a_real_office_document_is_still_accepted(alice, case):
    from koinotita.cases import services

    small = xlsx_bomb(10_000)  # a small, honest workbook
    attachment = services.attachment_add(
        actor=alice, case=case, title="", upload=SimpleUploadedFile("π.xlsx", small)
    )
    assert attachment.content_type.endswith("spreadsheetml.sheet")
