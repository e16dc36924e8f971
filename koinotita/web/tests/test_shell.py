from django.test import Client, override_settings
from django.urls import reverse


def test_home_shows_the_roles_and_what_they_can_do(alice, client_for):
    response = client_for(alice).get(reverse("web-home"))
    assert response.status_code == 200
    actions = [a.url for a in response.context["actions"]]
    assert actions[0] == reverse("people-person-search")
    assert reverse("organisations-centre-list") in actions
    assert reverse("audit-event-list") not in actions  # supervisors only
    assert reverse("admin:index") not in actions
    assert "Κέντρο Κοινότητας Δήμου Καστοριάς" in response.content.decode()


def test_supervisor_home_offers_the_audit_trail(sam, client_for):
    response = client_for(sam).get(reverse("web-home"))
    assert reverse("audit-event-list") in [a.url for a in response.context["actions"]]


def test_admin_home_offers_administration(ada, client_for):
    response = client_for(ada).get(reverse("web-home"))
    assert reverse("admin:index") in [a.url for a in response.context["actions"]]


def test_user_with_no_role_sees_a_page_saying_so(nobody, client_for):
    response = client_for(nobody).get(reverse("web-home"))
    assert response.status_code == 200
    assert response.context["no_role"] is True
    assert response.context["actions"] == []


def test_partner_has_a_home_but_no_centre(pat, client_for):
    response = client_for(pat).get(reverse("web-home"))
    assert response.status_code == 200
    assert response.context["actions"] == []
    assert response.context["no_role"] is False


def test_language_switch_to_english_and_back(alice, client_for):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("web-home")).content.decode()
    assert '<html lang="en">' in english
    assert "Welcome, Alice" in english
    client.post(reverse("set_language"), {"language": "el", "next": "/"})
    assert '<html lang="el">' in client.get(reverse("web-home")).content.decode()


def test_404_page_is_in_the_users_language(alice, client_for):
    client = client_for(alice)
    greek = client.get("/no-such-page/")
    assert greek.status_code == 404
    assert '<html lang="el">' in greek.content.decode()
    english = client.get("/no-such-page/", headers={"Accept-Language": "en"})
    assert "Page not found" in english.content.decode()


def test_500_page_is_clear_and_hides_the_error(alice, client_for):
    from django.urls import path

    from koinotita import urls

    def broken(request):
        raise RuntimeError("secret internals")

    class BrokenUrls:
        urlpatterns = [path("boom/", broken), *urls.urlpatterns]

    client = client_for(alice)
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=BrokenUrls, DEBUG=False):
        response = client.get("/boom/", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "secret internals" not in body


def test_403_page_for_a_role_without_the_right(alice, client_for):
    response = client_for(alice).get(reverse("audit-event-list"))
    assert response.status_code == 403
    assert "403" in response.content.decode()


@override_settings(DEMO=True)
def test_demo_banner_and_demo_logins_show_in_demo_mode(db):
    body = Client().get(reverse("accounts-login")).content.decode()
    assert 'class="demo-banner"' in body
    assert "reception-demo" in body


def test_no_demo_banner_in_production(db):
    body = Client().get(reverse("accounts-login")).content.decode()
    assert "demo-banner" not in body
    assert "reception-demo" not in body


def test_security_headers_are_sent(db):
    response = Client().get(reverse("accounts-login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
