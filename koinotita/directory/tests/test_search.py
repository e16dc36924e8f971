"""Directory search: by need, municipality and Greek-aware text; staff and public pages."""

import pytest
from django.urls import reverse

from koinotita.directory.selectors import service_search
from koinotita.organisations.models import Municipality
from koinotita.testing.clients import logged_in


def names(qs) -> set[str]:
    return {s.name for s in qs}


def test_search_by_need(small_directory):
    assert names(service_search(need="food")) == {"Κοινωνικό Παντοπωλείο"}
    assert names(service_search(need="housing")) == set()


def test_search_by_category_of_beneficiaries(small_directory):
    from koinotita.directory.services import service_save

    food = small_directory["food"]
    food.eligibility_categories = ["poverty", "roma"]
    service_save(service=food, actor=None)
    assert names(service_search(category="roma")) == {"Κοινωνικό Παντοπωλείο"}
    assert names(service_search(category="migrant")) == set()


def test_search_by_municipality_through_area_or_location(small_directory):
    nestorio = Municipality.objects.get(code="nestorio")
    florina = Municipality.objects.get(code="florina")
    assert names(service_search(municipality=nestorio)) == {"Βοήθεια στο Σπίτι"}
    # offered at a location in Florina, with no service area of its own
    assert names(service_search(municipality=florina)) == {"Συμβουλευτική απασχόλησης"}


@pytest.mark.parametrize(
    "text",
    ["παντοπωλειο", "ΠΑΝΤΟΠΩΛΕΙΟ", "Παντοπωλείο", "pantopoleio", "pantopwleio", "κοινωνικο παντ"],
)
def test_text_search_ignores_accents_case_and_script(small_directory, text):
    assert "Κοινωνικό Παντοπωλείο" in names(service_search(text=text))


def test_text_search_finds_the_organisations_name_and_final_sigma(small_directory):
    assert names(service_search(text="Καστοριας")) == {
        "Κοινωνικό Παντοπωλείο",
        "Βοήθεια στο Σπίτι",
    }
    assert names(service_search(text="υπηρεσια καστοριάς βοήθεια")) == {"Βοήθεια στο Σπίτι"}


def test_text_search_anchors_at_word_starts(small_directory):
    assert names(service_search(text="πωλειο")) == set()


def test_accepting_referrals_filter(small_directory):
    found = names(service_search(accepting_referrals=True))
    assert "Συμβουλευτική απασχόλησης" not in found and "Κοινωνικό Παντοπωλείο" in found


def test_inactive_services_are_not_found(small_directory):
    small_directory["food"].status = "inactive"
    small_directory["food"].save()
    assert names(service_search(need="food")) == set()


def test_staff_search_page(small_directory, alice):
    response = logged_in(alice).get(reverse("directory-search"), {"need": "food"})
    assert response.status_code == 200
    assert "Κοινωνικό Παντοπωλείο" in response.content.decode()
    assert "Βοήθεια στο Σπίτι" not in response.content.decode()


def test_staff_search_page_needs_a_login(small_directory, client):
    response = client.get(reverse("directory-search"))
    assert response.status_code == 302


def test_staff_search_page_in_english(small_directory, alice):
    client = logged_in(alice)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("directory-search"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Service directory" in response.content.decode()


def test_the_municipalities_served_are_listed_in_the_users_language(small_directory, alice):
    client = logged_in(alice)
    greek = client.get(reverse("directory-search"), {"need": "elderly"})
    assert set(greek.context["services"][0].areas_text.split(", ")) == {"Καστοριά", "Νεστόριο"}
    english = logged_in(alice)
    english.cookies["django_language"] = "en"
    page = english.get(reverse("directory-search"), {"need": "elderly"}, HTTP_ACCEPT_LANGUAGE="en")
    assert set(page.context["services"][0].areas_text.split(", ")) == {"Kastoria", "Nestorio"}
    assert "Nestorio" in page.content.decode() and "Νεστόριο" not in page.content.decode()


def test_staff_search_page_in_greek(small_directory, alice):
    response = logged_in(alice).get(reverse("directory-search"), HTTP_ACCEPT_LANGUAGE="el")
    assert "Οδηγός υπηρεσιών" in response.content.decode()


def test_other_centre_sees_the_same_directory(small_directory, alice, charlie):
    """The directory is not personal data: another centre's worker sees the same services
    (only cooperation protocols belong to a centre; see test_protocols)."""
    a = logged_in(alice).get(reverse("directory-search"), {"q": "παντοπωλείο"})
    c = logged_in(charlie).get(reverse("directory-search"), {"q": "παντοπωλείο"})
    assert c.status_code == 200
    assert "Κοινωνικό Παντοπωλείο" in c.content.decode()
    assert a.context["services"] == c.context["services"]


def test_bad_search_input_is_reported_not_crashing(small_directory, alice):
    response = logged_in(alice).get(
        reverse("directory-search"), {"need": "nonsense", "municipality": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["services"] == []


def test_public_page_needs_no_login_and_shows_no_personal_data(small_directory, client):
    from koinotita.directory.models import Contact

    Contact.objects.create(
        service=small_directory["food"], name="Ελένη Παπαδοπούλου", title="Κοινωνική λειτουργός"
    )
    small_directory["food"].verified_by_name = "Αλίκη Υπάλληλος"
    small_directory["food"].save()
    response = client.get(reverse("directory-public"), {"need": "food"})
    assert response.status_code == 200
    assert "Κοινωνικό Παντοπωλείο" in response.content.decode()
    detail = client.get(reverse("directory-public-service", args=[small_directory["food"].pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Παπαδοπούλου" not in text and "Αλίκη Υπάλληλος" not in text
    assert "Κοινωνικό Παντοπωλείο" in text


def test_public_detail_of_an_inactive_or_unknown_service_is_404(small_directory, client):
    small_directory["food"].status = "defunct"
    small_directory["food"].save()
    url = reverse("directory-public-service", args=[small_directory["food"].pk])
    assert client.get(url).status_code == 404
    unknown = reverse("directory-public-service", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(unknown).status_code == 404


def test_search_page_query_count(sample_directory, alice, django_assert_max_num_queries):
    client = logged_in(alice)
    client.get(reverse("directory-search"))  # warm the session
    kastoria = Municipality.objects.get(code="kastoria")
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("directory-search"), {"municipality": kastoria.pk, "q": "κοινωνική"}
        )
    assert response.status_code == 200 and response.context["services"]
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory-search"))
    assert len(response.context["services"]) == 50


def test_public_page_query_count(sample_directory, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory-public"), {"need": "employment"})
    assert response.context["services"]


def test_htmx_request_gets_only_the_results(small_directory, alice):
    response = logged_in(alice).get(
        reverse("directory-search"), {"need": "food"}, HTTP_HX_REQUEST="true"
    )
    assert "<form" not in response.content.decode()
    assert "Κοινωνικό Παντοπωλείο" in response.content.decode()
