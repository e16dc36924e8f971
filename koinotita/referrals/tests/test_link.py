"""The signed link for a recipient without an account."""

import re
from datetime import timedelta

from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.referrals.models import ReferralLink, State
from koinotita.referrals.services import LINK_SALT, link_create, link_revoke


def _mailed_path() -> str:
    url = re.search(r"http://testserver(/referrals/r/\S+/)", mail.outbox[-1].body).group(1)
    return url


def _refusals(why):
    return AuditEvent.objects.filter(action="referral.link_refused", detail__why=why).count()


def test_the_link_is_emailed_and_answers_the_referral(alice, client_for, sent, person):
    client_for(alice).post(
        reverse("referrals-link-create", args=[sent.pk]), {"email": "kpsy@example.org", "days": 7}
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kpsy@example.org"]
    assert sent.protocol_number in mail.outbox[0].subject
    path = _mailed_path()
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = anonymous.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ζήση Μαρία" in body and person.phone in body
    for unshared in (person.amka, person.email, person.address):
        assert unshared not in body
    assert page["Referrer-Policy"] == "same-origin"
    anonymous.post(path, {"to_state": "received"})
    anonymous.post(path, {"to_state": "accepted", "note": "Θα καλέσουμε."})
    done = anonymous.post(path, {"to_state": "completed", "outcome": "Ολοκληρώθηκε."}, follow=True)
    assert "Nothing more to answer" in done.content.decode()
    sent.refresh_from_db()
    assert sent.state == State.COMPLETED and sent.outcome == "Ολοκληρώθηκε."
    steps = list(sent.events.values_list("to_state", "via", "actor_label"))[-3:]
    assert steps == [
        ("received", "link", "kpsy@example.org"),
        ("accepted", "link", "kpsy@example.org"),
        ("completed", "link", "kpsy@example.org"),
    ]
    assert AuditEvent.objects.filter(action="referral.link_opened").count() >= 1
    assert AuditEvent.objects.filter(action="referral.completed", detail__via="link").exists()
    assert ReferralLink.objects.get().uses >= 4


def test_a_tampered_link_is_refused_and_audited(alice, sent):
    link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = _mailed_path()
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = Client().get(tampered)
    assert response.status_code == 403
    assert "Ζήση" not in response.content.decode()
    assert _refusals("tampered") == 1


def test_a_foreign_link_is_refused(alice, sent):
    link, _ = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    # Signed by us, but with another salt (another purpose), or naming another referral.
    other_purpose = signing.dumps({"l": link.pk, "r": sent.pk, "n": link.nonce, "p": "respond"})
    assert Client().get(reverse("referrals-link", args=[other_purpose])).status_code == 403
    forged = signing.dumps({"l": link.pk, "r": sent.pk + 1, "n": link.nonce, "p": "respond"},
                           salt=LINK_SALT)  # fmt: skip
    assert Client().get(reverse("referrals-link", args=[forged])).status_code == 403
    wrong_nonce = signing.dumps({"l": link.pk, "r": sent.pk, "n": "x", "p": "respond"},
                                salt=LINK_SALT)  # fmt: skip
    assert Client().get(reverse("referrals-link", args=[wrong_nonce])).status_code == 403
    assert _refusals("tampered") == 1 and _refusals("foreign") == 2


def test_an_expired_link_is_refused(alice, sent):
    link, _ = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = _mailed_path()
    ReferralLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 403
    assert Client().post(path, {"to_state": "accepted"}).status_code == 403
    sent.refresh_from_db()
    assert sent.state == State.SENT
    assert _refusals("expired") == 2


def test_a_revoked_link_cannot_be_reused(alice, client_for, sent):
    link, _ = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = _mailed_path()
    assert Client().get(path).status_code == 200
    client_for(alice).post(reverse("referrals-link-revoke", args=[sent.pk, link.pk]))
    assert Client().get(path).status_code == 403
    assert Client().post(path, {"to_state": "accepted"}).status_code == 403
    sent.refresh_from_db()
    assert sent.state == State.SENT and _refusals("revoked") == 2


def test_the_link_cannot_withdraw_or_send(alice, sent):
    link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = _mailed_path()
    assert Client().post(path, {"to_state": "withdrawn"}).status_code == 403
    sent.refresh_from_db()
    assert sent.state == State.SENT and _refusals("wrong_step") == 1


def test_the_link_opens_one_referral_only(alice, sent, draft):
    link_create(actor=alice, referral=sent, email="kpsy@example.org")
    client = Client()
    client.get(_mailed_path())
    # No session was opened: nothing else of the site is reachable.
    assert client.get(reverse("referrals-referral-detail", args=[sent.pk])).status_code == 302
    assert client.get(reverse("referrals-inbox")).status_code == 302


def test_a_second_answer_through_the_link_is_told(alice, sent, pat_member, client_for):
    link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = _mailed_path()
    client_for(pat_member).post(
        reverse("referrals-inbox-step", args=[sent.pk]), {"to_state": "accepted"}
    )
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        path, {"to_state": "accepted", "seen_state": "sent"}
    )
    # The page the recipient had open showed "sent": someone else accepted meanwhile.
    assert response.status_code == 409
    assert "Someone else answered this referral first" in response.content.decode()
    sent.refresh_from_db()
    assert sent.state == State.ACCEPTED


def test_declining_through_the_link_needs_a_reason(alice, sent):
    link_create(actor=alice, referral=sent, email="kpsy@example.org")
    response = Client().post(_mailed_path(), {"to_state": "declined"})
    assert response.status_code == 422
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_a_link_needs_a_sent_referral_and_a_valid_address(alice, draft, consent):
    import pytest
    from django.core.exceptions import ValidationError

    from koinotita.referrals.services import referral_send

    with pytest.raises(ValidationError):
        link_create(actor=alice, referral=draft, email="kpsy@example.org")
    referral_send(actor=alice, referral=draft)
    with pytest.raises(ValidationError):
        link_create(actor=alice, referral=draft, email="not an address")
    assert not ReferralLink.objects.exists() and not mail.outbox


def test_revoking_twice_is_harmless(alice, sent):
    link, _ = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    link_revoke(actor=alice, link=link)
    link_revoke(actor=alice, link=link)
    assert AuditEvent.objects.filter(action="referral.link_revoked").count() == 1


def test_the_link_serves_the_documents_only_when_they_are_shared(alice, sent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from koinotita.referrals.services import attachment_add

    pdf = b"%PDF-1.4\n%%EOF\n"
    attachment = attachment_add(actor=alice, referral=sent, upload=SimpleUploadedFile("a.pdf", pdf))
    link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = _mailed_path()
    document = f"{path}documents/{attachment.pk}/"
    assert Client().get(document).status_code == 404
    sent.shared_fields = [*sent.shared_fields, "attachments"]
    sent.save()
    assert document in Client().get(path).content.decode()
    response = Client().get(document)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert AuditEvent.objects.filter(action="referral.attachment_read", detail__via="link").exists()
    tampered = document.replace("/r/", "/r/x")
    assert Client().get(tampered).status_code == 403


def test_a_link_asking_for_another_referrals_document_is_refused_and_audited(
    alice, sent, person, service
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from koinotita.referrals.services import attachment_add, referral_create, referral_send

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    sent.shared_fields = [*sent.shared_fields, "attachments"]
    sent.save(update_fields=["shared_fields"])
    other = referral_send(
        actor=alice,
        referral=referral_create(actor=alice, person=person, service=service, reason="Άλλο"),
    )
    foreign = attachment_add(actor=alice, referral=other, upload=SimpleUploadedFile("o.pdf", pdf))
    _link, url = link_create(actor=alice, referral=sent, email="kpsy@example.org")
    path = url.removeprefix("http://testserver") + f"documents/{foreign.pk}/"
    assert Client().get(path).status_code == 404
    refusal = AuditEvent.objects.get(action="referral.link_refused", detail__why="other_document")
    assert refusal.detail["attachment"] == foreign.pk and refusal.detail["referral"] == sent.pk
