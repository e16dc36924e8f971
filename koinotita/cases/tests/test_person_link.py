"""'Open a case' on the person's page: for the caseworkers and supervisors of the person's
centre, prefilled with the person; not for reception or a mediator."""

import pytest
from django.test import Client
from django.urls import reverse

from koinotita.cases.models import Case
from koinotita.people.services import assignment_create


def page(user, url, lang="en"):
    client = Client(headers={"Accept-Language": lang})
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_caseworker_and_supervisor_get_the_link(request, person, who):
    user = request.getfixturevalue(who)
    link = reverse("cases-case-open", args=[person.pk])
    html = page(user, reverse("people-person-detail", args=[person.pk])).content.decode()
    assert f'href="{link}"' in html and "Open a case" in html
    greek = page(user, reverse("people-person-detail", args=[person.pk]), "el")
    assert "Άνοιγμα υπόθεσης" in greek.content.decode()
    # The form it leads to is for that person.
    form = page(user, link).content.decode()
    assert str(person) in form
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["rita", "mia"])
def test_reception_and_mediator_do_not(request, person, who, sam):
    user = request.getfixturevalue(who)
    if who == "mia":  # a mediator sees the persons assigned to them
        assignment_create(actor=sam, mediator=user, person=person)
    response = page(user, reverse("people-person-detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("cases-case-open", args=[person.pk]) not in html
    assert "Open a case" not in html
    assert page(user, reverse("cases-case-open", args=[person.pk])).status_code == 404
