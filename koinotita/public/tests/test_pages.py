"""The citizens' pages: no login, the centres and their sites (antennas and branches), the
programme catalogue in plain words with the papers to bring, Greek and English."""

import pytest
from django.urls import reverse

PAGES = [
    ("public-index", {}),
    ("public-centre", {"code": "florina"}),
    ("public-programmes", {}),
    ("public-programme", {"code": "minimum-income"}),
    ("public-check", {}),
    ("public-request", {}),
    ("public-accessibility", {}),
    ("public-privacy", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_opens_without_login_sets_no_cookie_and_is_light(
    catalogue, client, name, kwargs
):
    for query in ("", "?lang=en"):
        response = client.get(reverse(name, kwargs=kwargs) + query)
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert len(response.content) < 100_000
        assert response["Content-Language"] == ("en" if query else "el")


def test_nearest_site_for_a_resident_of_prespes_is_florinas_antenna(catalogue, client):
    from koinotita.organisations.models import Municipality

    prespes = Municipality.objects.get(code="prespes")
    response = client.get(reverse("public-index"), {"municipality": prespes.pk})
    text = response.content.decode()
    assert "Αντένα εξυπηρέτησης Πρεσπών" in text
    assert "Κέντρο Κοινότητας Δήμου Φλώρινας" in text
    assert "site=florina-antenna-prespes" in text


def test_nestorio_is_served_by_kastorias_antenna(catalogue, client):
    from koinotita.organisations.models import Municipality

    nestorio = Municipality.objects.get(code="nestorio")
    response = client.get(reverse("public-index"), {"municipality": nestorio.pk, "lang": "en"})
    assert "Nestorio antenna" in response.content.decode()


def test_centre_page_lists_its_antenna_and_roma_branch_and_what_it_does(catalogue, client):
    text = client.get(reverse("public-centre", kwargs={"code": "florina"})).content.decode()
    assert "Αντένα εξυπηρέτησης Πρεσπών" in text
    assert "Παράρτημα υποστήριξης Ρομά Φλώρινας" in text
    assert "Υποδοχή" in text or "Ενημέρωση" in text  # the axes of the service catalogue


def test_unknown_centre_or_programme_is_404(catalogue, client):
    assert client.get(reverse("public-centre", kwargs={"code": "atlantis"})).status_code == 404
    assert client.get(reverse("public-programme", kwargs={"code": "nope"})).status_code == 404


def test_programme_page_says_what_to_bring(catalogue, client):
    text = client.get(
        reverse("public-programme", kwargs={"code": "minimum-income"})
    ).content.decode()
    assert "Τι να φέρετε" in text and "IBAN" in text


@pytest.mark.parametrize("query", ["εισόδημα", "εισοδήματος", "EISODIMA", "επιδόματος"])
def test_catalogue_search_is_greek_aware(catalogue, client, query):
    text = client.get(reverse("public-programmes"), {"q": query}).content.decode()
    assert "public/programmes/" in text and "Δεν υπάρχει πρόγραμμα" not in text


def test_catalogue_search_with_no_match_says_so(catalogue, client):
    text = client.get(reverse("public-programmes"), {"q": "ξψζ"}).content.decode()
    assert "Κανένα πρόγραμμα" in text
