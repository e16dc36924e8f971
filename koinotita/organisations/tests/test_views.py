from django.urls import reverse


def detail(code: str) -> str:
    return reverse("organisations-centre-detail", args=[code])


def test_caseworker_sees_her_centre_with_its_antenna(alice, client_for):
    response = client_for(alice).get(reverse("organisations-centre-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Κέντρο Κοινότητας Δήμου Καστοριάς" in body
    assert "Αντένα εξυπηρέτησης Νεστορίου" in body
    assert "Φλώρινας" not in body


def test_centre_detail_works_for_its_own_staff(alice, bob, client_for):
    for user in (alice, bob):
        response = client_for(user).get(detail("kastoria"))
        assert response.status_code == 200
        assert "Νεστόριο" in response.content.decode()


def test_other_centre_gets_404(alice, charlie, client_for):
    assert client_for(alice).get(detail("florina")).status_code == 404
    assert client_for(charlie).get(detail("kastoria")).status_code == 404


def test_unknown_centre_gets_the_same_404(alice, client_for):
    assert client_for(alice).get(detail("no-such-centre")).status_code == 404


def test_monitor_sees_the_centres_of_her_region_only(mona, client_for):
    client = client_for(mona)
    assert client.get(detail("florina")).status_code == 200
    assert client.get(detail("almyros")).status_code == 404
    assert client.get(reverse("organisations-centre-list")).context["centre_count"] == 10


def test_partner_and_role_less_users_see_no_centre(pat, nobody, client_for):
    for user in (pat, nobody):
        client = client_for(user)
        assert client.get(detail("kastoria")).status_code == 404
        assert client.get(reverse("organisations-centre-list")).context["centre_count"] == 0


def test_network_pages_stay_within_the_query_budget(sam, client_for, django_assert_max_num_queries):
    client = client_for(sam)
    with django_assert_max_num_queries(12):
        client.get(reverse("organisations-centre-list"))
    with django_assert_max_num_queries(12):
        client.get(detail("kastoria"))
