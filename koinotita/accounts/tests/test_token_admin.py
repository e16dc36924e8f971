"""The token admin screen is read-only; revoking goes through the audited service and only
for accounts the administrator's scope covers."""

from django.urls import reverse

from koinotita.accounts.models import ApiToken, User
from koinotita.accounts.services import api_token_create, role_grant
from koinotita.audit.models import AuditEvent
from koinotita.conftest import logged_in
from koinotita.testing.users import PASSWORD

CHANGELIST = reverse("admin:accounts_apitoken_changelist")


def test_tokens_are_revoked_through_the_service_within_scope(network, alice, charlie):
    kira = User.objects.create_user(username="kira", password=PASSWORD)
    role_grant(user=kira, role="admin", level="centre", place=network["kastoria"])
    hers, _key = api_token_create(user=alice)
    his, _key = api_token_create(user=charlie)
    response = logged_in(kira).post(
        CHANGELIST, {"action": "revoke", "_selected_action": [hers.pk, his.pk]}
    )
    assert response.status_code == 302
    hers.refresh_from_db()
    his.refresh_from_db()
    assert hers.revoked_at is not None
    assert his.revoked_at is None  # charlie is outside kira's scope
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == kira and event.object_id == str(hers.pk)


def test_the_token_screen_cannot_edit_or_delete(ada, alice):
    token, _key = api_token_create(user=alice)
    client = logged_in(ada)
    change = reverse("admin:accounts_apitoken_change", args=[token.pk])
    assert (
        client.post(change, {"name": "x", "revoked_at_0": "", "user": alice.pk}).status_code == 403
    )
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).exists()
