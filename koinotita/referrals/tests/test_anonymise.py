"""Anonymising a person (people.privacy) erases the free text of their referrals and keeps
what the figures need."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from koinotita.people.personal_data import personal_data_contracts
from koinotita.people.privacy import person_anonymise
from koinotita.referrals.models import Attachment, Referral, ReferralEvent, ReferralLink, State
from koinotita.referrals.selectors import referral_figures_for
from koinotita.referrals.services import (
    attachment_add,
    attachment_path,
    link_create,
    referral_record_incoming,
    referral_step,
    referrals_erase_person,
)
from koinotita.testing.people import person_make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text_of(rows) -> str:
    return " ".join(str(v) for row in rows for v in row.values())


def test_anonymisation_erases_the_referrals_free_text_and_keeps_the_figures(
    alice, sam, sent, person, django_capture_on_commit_callbacks, monkeypatch
):
    name, amka = "Ζήση", person.amka
    with_name = f"Η κ. Ζήση Μαρία (ΑΜΚΑ {amka}) χρειάζεται στήριξη."
    Referral.objects.filter(pk=sent.pk).update(reason=with_name)
    sent.refresh_from_db()
    upload = SimpleUploadedFile(f"Ζήση_{amka}.pdf", PDF, content_type="application/pdf")
    attachment = attachment_add(actor=alice, referral=sent, upload=upload)
    stored = attachment_path(attachment)
    link, _url = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    referral_step(actor=alice, referral=sent, to_state="accepted", note=f"Μίλησα με τη {name}.")
    referral_step(
        actor=alice, referral=sent, to_state="not_completed", outcome=f"Η {name} δεν ήρθε."
    )
    incoming = referral_record_incoming(
        actor=alice, person=person, from_body="ΚΕΠ Καστοριάς", reason=with_name, note=amka
    )
    referral_step(actor=alice, referral=incoming, to_state="declined", reason=f"{name}: εκτός.")
    before = {r.pk: (r.state, r.sent_at, r.service_id, r.protocol_number)
              for r in Referral.objects.all()}  # fmt: skip
    figures = [(r.organization, r.sent, r.answered) for r in referral_figures_for(sam)]
    assert name in _text_of(Referral.objects.values()) + _text_of(ReferralEvent.objects.values())

    with django_capture_on_commit_callbacks(execute=True):
        person_anonymise(actor=sam, person=person, reason="Αίτημα διαγραφής")

    for rows in (Referral.objects.values(), ReferralEvent.objects.values()):
        text = _text_of(rows)
        assert name not in text and "Μαρία" not in text and amka not in text
    assert not Attachment.objects.exists() and not stored.exists()
    assert ReferralLink.objects.get(pk=link.pk).revoked_at is not None
    after = {r.pk: (r.state, r.sent_at, r.service_id, r.protocol_number)
             for r in Referral.objects.all()}  # fmt: skip
    assert after == before
    assert {r.state for r in Referral.objects.all()} == {State.NOT_COMPLETED, State.DECLINED}
    assert [(r.organization, r.sent, r.answered) for r in referral_figures_for(sam)] == figures

    # The letter is never stored: printed again, it shows the anonymised record only.
    import weasyprint

    rendered = []
    real = weasyprint.HTML

    def capture(*args, **kwargs):
        rendered.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", capture)
    from koinotita.testing.clients import logged_in

    letter = logged_in(alice).get(reverse("referrals-referral-letter", args=[sent.pk]))
    assert letter.status_code == 200
    assert name not in rendered[0] and "Μαρία" not in rendered[0] and amka not in rendered[0]


def test_the_referrals_take_part_through_their_personal_data_contract(alice, sent, person):
    assert referrals_erase_person in [c.erase for c in personal_data_contracts()]
    with transaction.atomic():
        counts = referrals_erase_person(
            centre_id=person.centre_id, person_ids=[person.pk], actor=alice
        )
    assert counts["referrals_erased"] == 1
    sent.refresh_from_db()
    assert sent.reason == "" and sent.state == State.SENT and sent.protocol_number


def test_other_persons_referrals_are_untouched(alice, sam, sent, person):

    other = person_make(
        actor=alice,
        centre=person.centre,
        fields={"family_name": "Άλλη", "given_name": "Ελένη"},
    )
    from koinotita.referrals.services import referral_create

    kept = referral_create(
        actor=alice, person=other, service=sent.service, reason="Λόγος της Ελένης."
    )
    person_anonymise(actor=sam, person=person, reason="Αίτημα")
    kept.refresh_from_db()
    assert kept.reason == "Λόγος της Ελένης."
