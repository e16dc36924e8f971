"""Referring from a case (the cases app's scoped getter) and the case's referral timeline."""

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from koinotita.cases.services import case_open
from koinotita.referrals.models import Referral


def test_caseworker_refers_from_a_case(alice, client_for, person, service):
    case = case_open(actor=alice, person=person, reason="Στήριξη μετά από απώλεια.")
    client = client_for(alice)
    url = reverse("referrals-referral-new", args=[person.pk])
    page = client.get(url, {"case": case.pk})
    assert page.status_code == 200 and f'name="case" value="{case.pk}"' in page.content.decode()
    client.post(
        url,
        {
            "case": case.pk,
            "service": str(service.pk),
            "reason": "Ψυχολογική στήριξη.",
            "urgency": "routine",
            "shared_fields": ["name"],
        },
    )
    referral = Referral.objects.get()
    assert referral.case_id == case.pk
    request = RequestFactory().get("/")
    request.user = alice
    html = Template("{% load referrals %}{% case_referrals case %}").render(
        Context({"case": case, "request": request})
    )
    assert reverse("referrals-referral-detail", args=[referral.pk]) in html
    assert f"?case={case.pk}" in html


def test_a_case_of_another_person_or_centre_is_404(alice, charlie, client_for, person,
                                                   florina_person):  # fmt: skip
    other = case_open(actor=charlie, person=florina_person, reason="Άλλη υπόθεση.")
    url = reverse("referrals-referral-new", args=[person.pk])
    assert client_for(alice).get(url, {"case": other.pk}).status_code == 404
    assert client_for(alice).get(url, {"case": "x"}).status_code == 404


def test_the_case_page_shows_its_referrals_their_outcome_and_the_way_to_refer(
    alice, charlie, client_for, person, service, consent
):
    from koinotita.referrals.services import referral_create, referral_send, referral_step

    case = case_open(actor=alice, person=person, reason="Στήριξη μετά από απώλεια.")
    referral = referral_create(
        actor=alice, person=person, service=service, reason="Ψυχολογική στήριξη.", case=case
    )
    referral_send(actor=alice, referral=referral)
    referral_step(actor=alice, referral=referral, to_state="accepted")
    referral_step(
        actor=alice, referral=referral, to_state="completed", outcome="Ολοκλήρωσε τις συνεδρίες."
    )
    not_from_the_case = referral_create(
        actor=alice, person=person, service=service, reason="Άλλη ανάγκη."
    )
    page = client_for(alice).get(reverse("cases-case-detail", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("referrals-referral-detail", args=[referral.pk]) in body
    assert "Ολοκλήρωσε τις συνεδρίες." in body and 'data-state="completed"' in body
    assert reverse("referrals-referral-detail", args=[not_from_the_case.pk]) not in body
    refer = reverse("referrals-referral-new", args=[person.pk]) + f"?case={case.pk}"
    assert refer in body and "Παραπομπή σε υπηρεσία" in body
    english = client_for(alice).get(
        reverse("cases-case-detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Refer to a service" in english.content.decode()
    assert client_for(charlie).get(reverse("cases-case-detail", args=[case.pk])).status_code == 404
