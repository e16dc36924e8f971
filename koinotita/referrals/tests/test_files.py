"""Files in and out of referrals: the figures export never carries a live formula, and a
referral document goes through the one content check (koinotita.lib.uploads)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from koinotita.referrals.models import Attachment, State, Via
from koinotita.referrals.services import referral_step
from koinotita.testing.spreadsheets import HOSTILE, assert_csv_inert, assert_xlsx_inert
from koinotita.testing.uploads import PDF, xlsx_bomb


@pytest.fixture
def answered(sent, pat_member):
    referral_step(actor=pat_member, referral=sent, to_state=State.ACCEPTED, via=Via.PARTNER)
    return sent


@pytest.mark.parametrize("by", ["organization", "service"])
def test_figures_export_never_carries_a_formula(sam, client_for, answered, org, service, by):
    org.name = HOSTILE
    org.save()
    service.name = "@" + HOSTILE
    service.save()
    client = client_for(sam)
    csv_file = client.get(reverse("referrals-figures-export", args=["csv"]), {"by": by})
    assert csv_file.status_code == 200
    rows = assert_csv_inert(csv_file.content)
    assert rows[1][2 if by == "service" else 1] == "1"  # the counts stay numbers
    xlsx_file = client.get(reverse("referrals-figures-export", args=["xlsx"]), {"by": by})
    assert xlsx_file.status_code == 200
    sheet = assert_xlsx_inert(xlsx_file.content).active
    assert isinstance(sheet.cell(2, 3 if by == "service" else 2).value, int)
    if by == "service":
        assert_csv_inert(csv_file.content, "@" + HOSTILE)
        assert_xlsx_inert(xlsx_file.content, "@" + HOSTILE)


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """A folder of this test's own, so that "nothing stored" means nothing."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DOCUMENTS_DIR


def _nothing_stored(settings):
    assert not Attachment.objects.exists()
    folder = settings.DOCUMENTS_DIR / "referrals"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("name", "data", "greek"),
    [
        ("γνωμάτευση.html", PDF, "δεν ταιριάζει με το περιεχόμενό"),
        ("σελίδα.html", b"<html><body>hi</body></html>", "μόνο αρχεία PDF, PNG, JPEG"),
        ("πίνακας.xlsx", xlsx_bomb(20 * 1024 * 1024), "βόμβα zip"),
        ("γνωμάτευση.pdf", b"MZ\x90\x00", "προγράμματα"),
    ],
    ids=["pdf-as-html", "html", "bomb", "program"],
)
def test_page_refuses_a_bad_document_in_greek_and_stores_nothing(
    alice, sent, settings, name, data, greek
):
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(alice)
    response = client.post(
        reverse("referrals-attachment-upload", args=[sent.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(greek in m for m in shown), shown
    _nothing_stored(settings)
