from koinotita.accounts.services import role_grant
from koinotita.organisations.models import Municipality
from koinotita.testing.users import user_with_role


def test_only_administrators_reach_the_admin(alice, sam, mona, client_for):
    for user in (alice, sam, mona):
        response = client_for(user).get("/admin/", follow=True)
        assert response.status_code == 403, user
        assert len(response.redirect_chain) == 1  # no loop through the login page


def test_anonymous_visitor_of_the_admin_goes_to_the_one_login_page(db):
    from django.test import Client

    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_national_administrator_manages_every_centre(ada, client_for):
    client = client_for(ada)
    assert client.get("/admin/").status_code == 200
    listing = client.get("/admin/organisations/centre/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 11
    assert client.get("/admin/organisations/region/add/").status_code == 200


def test_municipal_administrator_manages_only_her_centres(network, client_for):
    admin = user_with_role("municipal-it")
    role_grant(
        user=admin,
        role="admin",
        level="municipality",
        place=Municipality.objects.get(code="florina"),
    )
    client = client_for(admin)
    listing = client.get("/admin/organisations/centre/")
    assert [c.code for c in listing.context["cl"].result_list] == ["florina"]
    kastoria = network["kastoria"].pk
    assert client.get(f"/admin/organisations/centre/{kastoria}/change/").status_code == 302
    # reference data (regions, municipalities) is national: view only
    assert client.get("/admin/organisations/region/add/").status_code == 403


def test_audit_events_are_read_only_in_the_admin(ada, client_for):
    client = client_for(ada)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
