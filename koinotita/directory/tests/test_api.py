"""The read-only HSDS-shaped API: no token, HSDS pages, objects valid against the schemas."""

from django.test import Client

from koinotita.directory.models import Contact
from koinotita.directory.tests.hsds_validate import errors

API = "/api/v1/directory"


def test_service_list_is_an_hsds_page_without_a_token(small_directory):
    response = Client().get(f"{API}/services", {"need": "food"})
    assert response.status_code == 200
    page = response.json()
    assert page["total_items"] == 1 and page["first_page"] and page["last_page"]
    [service] = page["contents"]
    assert service["name"] == "Κοινωνικό Παντοπωλείο"
    assert errors("service", service) == []


def test_service_list_filters_by_municipality_and_text(small_directory):
    client = Client()
    page = client.get(f"{API}/services", {"municipality": "nestorio"}).json()
    assert [s["name"] for s in page["contents"]] == ["Βοήθεια στο Σπίτι"]
    page = client.get(f"{API}/services", {"search": "voitheia spiti"}).json()
    assert [s["name"] for s in page["contents"]] == ["Βοήθεια στο Σπίτι"]
    page = client.get(f"{API}/services", {"municipality": "atlantis"}).json()
    assert page["empty"] and page["total_items"] == 0


def test_service_list_pages(sample_directory):
    client = Client()
    first = client.get(f"{API}/services", {"per_page": 10}).json()
    second = client.get(f"{API}/services", {"per_page": 10, "page": 2}).json()
    assert first["size"] == 10 and len(first["contents"]) == 10 and not first["last_page"]
    assert {s["id"] for s in first["contents"]}.isdisjoint({s["id"] for s in second["contents"]})
    assert first["total_pages"] == -(-first["total_items"] // 10)


def test_service_detail_is_valid_hsds_and_has_no_personal_data(small_directory):
    jobs = small_directory["jobs"]
    Contact.objects.create(service=jobs, name="Γιώργος Ιωάννου", title="Σύμβουλος")
    jobs.verified_by_name = "Αλίκη Υπάλληλος"
    jobs.save()
    response = Client().get(f"{API}/services/{jobs.pk}")
    assert response.status_code == 200
    service = response.json()
    assert errors("service", service) == []
    assert service["organization"]["name"] == "ΔΥΠΑ Φλώρινας"
    assert service["service_at_locations"][0]["location"]["name"] == "ΚΠΑ2 Φλώρινας"
    assert service["contacts"][0]["title"] == "Σύμβουλος"
    assert "Ιωάννου" not in response.content.decode()
    assert "Αλίκη" not in response.content.decode()


def test_unknown_or_malformed_service_is_404(small_directory):
    client = Client()
    assert client.get(f"{API}/services/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get(f"{API}/services/not-a-uuid").status_code == 404


def test_inactive_service_is_not_public(small_directory):
    food = small_directory["food"]
    food.status = "inactive"
    food.save()
    assert Client().get(f"{API}/services/{food.pk}").status_code == 404


def test_organisations(small_directory):
    client = Client()
    page = client.get(f"{API}/organizations", {"search": "καστοριας"}).json()
    assert [o["name"] for o in page["contents"]] == ["Κοινωνική Υπηρεσία Δήμου Καστοριάς"]
    assert errors("organization", page["contents"][0]) == []
    org = client.get(f"{API}/organizations/{small_directory['social'].pk}").json()
    assert errors("organization", org) == []
    assert {s["name"] for s in org["services"]} == {"Κοινωνικό Παντοπωλείο", "Βοήθεια στο Σπίτι"}


def test_taxonomy_terms_and_root(network):
    client = Client()
    terms = client.get(f"{API}/taxonomy_terms", {"per_page": 100}).json()
    assert any(t["code"] == "food" for t in terms["contents"])
    assert all(errors("taxonomy_term", t) == [] for t in terms["contents"])
    assert client.get(f"{API}/").json()["version"] == "3.0"


def test_other_centre_token_sees_the_same_public_directory(small_directory, charlie):
    """The directory API is public (no personal data): a token of another centre changes
    nothing, and no centre's protocols are in it."""
    from koinotita.accounts.services import api_token_create

    token = api_token_create(user=charlie, name="t")[1]
    response = Client().get(
        f"{API}/services/{small_directory['jobs'].pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    assert "Μνημόνιο" not in response.content.decode()
