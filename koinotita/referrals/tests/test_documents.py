"""Attachments (stored outside the web root, checked, served by a scoped audited view) and
the printable letter."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from koinotita.audit.models import AuditEvent
from koinotita.referrals.models import Attachment
from koinotita.referrals.services import attachment_add, attachment_path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_attachment_is_stored_under_the_documents_dir_and_served_to_the_centre(
    alice, bob, client_for, sent, settings
):
    response = client_for(alice).post(
        reverse("referrals-attachment-upload", args=[sent.pk]),
        {"file": SimpleUploadedFile("γνωμάτευση.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    path = attachment_path(attachment)
    assert str(path).startswith(str(settings.DOCUMENTS_DIR)) and path.read_bytes() == PDF
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    download = client_for(bob).get(
        reverse("referrals-attachment-download", args=[sent.pk, attachment.pk])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="referral.attachment_read").count() == 1


def test_wrong_type_or_too_large_is_refused_and_nothing_is_kept(alice, sent, settings):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        attachment_add(
            actor=alice,
            referral=sent,
            upload=SimpleUploadedFile(
                "x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            ),
        )
    assert "Programs" in caught.value.messages[0]
    settings.DOCUMENTS_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        attachment_add(actor=alice, referral=sent, upload=SimpleUploadedFile("big.pdf", PDF))
    with pytest.raises(ValidationError):
        attachment_add(actor=alice, referral=sent, upload=SimpleUploadedFile("empty.pdf", b""))
    assert not Attachment.objects.exists()
    folder = settings.DOCUMENTS_DIR / "referrals"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_partner_gets_the_documents_only_when_they_are_shared(alice, pat_member, client_for, sent):
    attachment = attachment_add(actor=alice, referral=sent, upload=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("referrals-attachment-download", args=[sent.pk, attachment.pk])
    assert client_for(pat_member).get(url).status_code == 404  # not shared
    sent.shared_fields = [*sent.shared_fields, "attachments"]
    sent.save()
    assert client_for(pat_member).get(url).status_code == 200


def test_letter_is_a_greek_pdf_with_the_shared_fields_only(
    alice, client_for, sent, person, monkeypatch
):
    import weasyprint

    from koinotita.testing.pdf import pdf_fonts_and_characters

    rendered = []
    real = weasyprint.HTML

    def capture(*args, **kwargs):
        rendered.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", capture)
    response = client_for(alice).get(
        reverse("referrals-referral-letter", args=[sent.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    fonts, characters = pdf_fonts_and_characters(response.content)
    assert any(font.startswith("DejaVu") for font in fonts), fonts
    assert set("ΖήσηΜαρίαΠαραπεμπτικό") <= characters
    html = rendered[0]
    assert 'lang="el"' in html and "Παραπεμπτικό" in html  # Greek, whatever the UI language
    assert sent.protocol_number in html and sent.centre.name in html
    assert "Ζήση Μαρία" in html and person.phone in html
    for unshared in (person.amka, person.email, person.address, "14/03/1980"):
        assert unshared not in html
    assert AuditEvent.objects.filter(action="referral.letter_printed").exists()


def test_a_draft_has_no_letter(alice, client_for, draft):
    response = client_for(alice).get(reverse("referrals-referral-letter", args=[draft.pk]))
    assert response.status_code == 302
