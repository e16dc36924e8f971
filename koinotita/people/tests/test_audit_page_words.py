"""The audit page is for people, not developers (issue 14): the action in words, the staff
member's name, and the person's name only where the viewer may see that person."""

from django.urls import reverse

from koinotita.audit.services import audit_record
from koinotita.people.models import Person

URL = reverse("audit-event-list")


def _person(centre, family, given):
    return Person.objects.create(centre=centre, family_name=family, given_name=given, sex="F")


def test_names_instead_of_codes(sam, alice, network, client_for):
    alice.last_name = "Αλεξίου"
    alice.first_name = "Άλκηστη"
    alice.save()
    ours = _person(network["kastoria"], "Παπαδοπούλου", "Μαρία")
    theirs = _person(network["florina"], "Γεωργίου", "Ελένη")
    for person in (ours, theirs):
        audit_record(action="person.read", actor=alice, obj=person, centre=network["kastoria"])
    page = client_for(sam).get(URL).content.decode()
    assert "Παπαδοπούλου Μαρία" in page
    assert f"people.person {ours.pk}<" not in page
    assert "Γεωργίου" not in page  # another centre's person: no name, only the number
    assert f"people.person {theirs.pk}" in page
    assert "Άλκηστη Αλεξίου" in page
    assert "Προβολή της εγγραφής" in page
    assert "<code>person.read</code>" not in page
