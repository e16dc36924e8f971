"""The administrator's journey in a real browser: a centre's administrator gives a role at
their centre to an account the centre created; another centre, a region or the whole
country are not offered, and what cannot be given is refused on the page."""

import pytest
from playwright.sync_api import expect

from koinotita.accounts.models import User
from koinotita.audit.models import AuditEvent
from koinotita.testing.browser import log_in, open_login, open_page
from koinotita.testing.users import PASSWORD, user_with_role

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def no_2fa(settings):
    settings.REQUIRE_2FA = False


def test_an_admin_grants_in_scope_and_is_offered_nothing_beyond(page, live_server, network):
    kira = user_with_role("kira", "admin", "centre", network["kastoria"])
    newcomer = User.objects.create_user(
        username="newcomer", password=PASSWORD, created_at_centre=network["kastoria"]
    )
    open_login(page, live_server)
    log_in(page, kira.username, PASSWORD)
    open_page(page, f"{live_server.url}/admin/accounts/user/{newcomer.pk}/change/")

    page.locator(".add-row a").click()
    row = "#id_role_assignments-0-"
    levels = page.locator(f"{row}level option").evaluate_all("os => os.map(o => o.value)")
    assert "national" not in levels
    centres = page.locator(f"{row}centre option").all_inner_texts()
    assert any("Καστοριάς" in c for c in centres)
    assert not any("Φλώρινας" in c for c in centres)
    assert page.locator(f"{row}region option").count() == 1  # the empty choice only

    # A region is not offered, and one cannot be given without it: refused on the page.
    page.locator(f"{row}role").select_option("caseworker")
    page.locator(f"{row}level").select_option("region")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.locator("#content")).to_contain_text("Επιλέξτε πού ασκείται ο ρόλος")
    assert not newcomer.role_assignments.exists()

    # At her own centre it is given, through the service, audited.
    page.locator(f"{row}level").select_option("centre")
    page.locator(f"{row}centre").select_option(str(network["kastoria"].pk))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assignment = newcomer.role_assignments.get()
    assert (assignment.role, assignment.centre_id) == ("caseworker", network["kastoria"].pk)
    assert (
        AuditEvent.objects.get(action="role.granted", object_id=str(assignment.pk)).actor_username
        == "kira"
    )
