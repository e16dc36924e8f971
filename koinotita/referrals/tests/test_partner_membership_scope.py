"""Hole 3 of the security review, at its cause: a partner membership opens the referrals one
centre sends to one organisation, granted only by an administrator of that centre, audited.
Tried at the service, the inbox (page and API), the partner's steps and the admin screen."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.people.services import consent_record
from koinotita.referrals.models import PartnerMembership
from koinotita.referrals.selectors import referral_inbox_for
from koinotita.referrals.services import (
    partner_membership_grant,
    partner_membership_revoke,
    referral_create,
    referral_send,
    referral_step,
)
from koinotita.testing.clients import api_client
from koinotita.testing.users import user_with_role


@pytest.fixture
def kira(network):
    return user_with_role("kira", "admin", "centre", network["kastoria"])


@pytest.fixture
def florina_sent(charlie, florina_person, service, org):
    consent_record(
        actor=charlie, person=florina_person, purpose="referral", partner=org.name,
        given_on=date.today(),
    )  # fmt: skip
    draft = referral_create(
        actor=charlie,
        person=florina_person,
        service=service,
        reason="Υποστήριξη.",
        shared_fields=["name", "phone"],
        response_due=timezone.localdate() + timedelta(days=10),
    )
    return referral_send(actor=charlie, referral=draft)


def test_a_membership_granted_by_kastoria_shows_only_kastorias_referrals(
    kira, pat, org, sent, florina_sent, network, client_for
):
    partner_membership_grant(user=pat, organization=org, centre=network["kastoria"], actor=kira)
    assert list(referral_inbox_for(pat)) == [sent]
    page = client_for(pat).get("/referrals/inbox/")
    assert "Πέτρου" not in page.content.decode()  # Florina's person
    assert client_for(pat).get(f"/referrals/inbox/{florina_sent.pk}/").status_code == 404
    listing = api_client(pat).get("/api/v1/referrals/inbox")
    assert [r["id"] for r in listing.json()["items"]] == [sent.pk]
    assert api_client(pat).get(f"/api/v1/referrals/inbox/{florina_sent.pk}").status_code == 404
    with pytest.raises(PermissionDenied):
        referral_step(actor=pat, referral=florina_sent, to_state="received", via="partner")


def test_granting_is_audited_in_the_centres_chain(kira, pat, org, network):
    membership = partner_membership_grant(
        user=pat, organization=org, centre=network["kastoria"], actor=kira
    )
    event = AuditEvent.objects.get(action="partner_membership.granted")
    assert (event.actor_username, event.centre_id) == ("kira", network["kastoria"].pk)
    assert event.object_id == str(membership.pk)


def test_an_admin_cannot_link_a_partner_to_another_centres_referrals(kira, pat, org, network):
    with pytest.raises(PermissionDenied):
        partner_membership_grant(user=pat, organization=org, centre=network["florina"], actor=kira)
    assert not PartnerMembership.objects.exists()
    assert not AuditEvent.objects.filter(action="partner_membership.granted").exists()


def test_an_admin_cannot_link_an_account_of_another_centre_or_themselves(kira, org, network):
    florina_partner = user_with_role("fay", "partner", "centre", network["florina"])
    with pytest.raises(PermissionDenied):
        partner_membership_grant(
            user=florina_partner, organization=org, centre=network["kastoria"], actor=kira
        )
    with pytest.raises(ValidationError):  # kira holds no partner role
        partner_membership_grant(user=kira, organization=org, centre=network["kastoria"])


def test_a_national_admin_links_for_each_centre_separately(
    ada, pat, org, sent, florina_sent, network
):
    partner_membership_grant(user=pat, organization=org, centre=network["florina"], actor=ada)
    assert list(referral_inbox_for(pat)) == [florina_sent]
    pat.__dict__.pop("_koinotita_partner_memberships", None)
    partner_membership_grant(user=pat, organization=org, centre=network["kastoria"], actor=ada)
    pat.__dict__.pop("_koinotita_partner_memberships", None)
    assert set(referral_inbox_for(pat)) == {sent, florina_sent}
    with pytest.raises(ValidationError):
        partner_membership_grant(user=pat, organization=org, centre=network["kastoria"], actor=ada)


def test_revoking_ends_the_access_and_is_audited_only_in_scope(kira, ada, pat, org, sent, network):
    theirs = partner_membership_grant(user=pat, organization=org, centre=network["florina"],
                                      actor=ada)  # fmt: skip
    with pytest.raises(PermissionDenied):
        partner_membership_revoke(membership=theirs, actor=kira)
    mine = partner_membership_grant(user=pat, organization=org, centre=network["kastoria"],
                                    actor=kira)  # fmt: skip
    partner_membership_revoke(membership=mine, actor=kira)
    pat.__dict__.pop("_koinotita_partner_memberships", None)
    assert sent not in referral_inbox_for(pat)
    assert AuditEvent.objects.get(action="partner_membership.revoked").actor_username == "kira"


# --- the admin screen ------------------------------------------------------------------------


def test_the_admin_form_offers_only_the_admins_centres_and_partners(kira, pat, network, client_for):
    user_with_role("fay", "partner", "centre", network["florina"])
    page = client_for(kira).get("/admin/referrals/partnermembership/add/")
    form = page.context["adminform"].form
    assert list(form.fields["centre"].queryset) == [network["kastoria"]]
    assert [u.username for u in form.fields["user"].queryset] == ["pat"]


def test_linking_on_the_admin_page_goes_through_the_service(kira, pat, org, network, client_for):
    data = {"user": pat.pk, "organization": org.pk, "is_active": "on"}
    client = client_for(kira)
    refused = client.post("/admin/referrals/partnermembership/add/",
                          {**data, "centre": network["florina"].pk})  # fmt: skip
    assert refused.status_code == 200
    assert not PartnerMembership.objects.exists()
    made = client.post("/admin/referrals/partnermembership/add/",
                       {**data, "centre": network["kastoria"].pk})  # fmt: skip
    assert made.status_code == 302
    membership = PartnerMembership.objects.get()
    assert AuditEvent.objects.get(action="partner_membership.granted").actor_username == "kira"
    ended = client.post(f"/admin/referrals/partnermembership/{membership.pk}/change/", {})
    assert ended.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.filter(action="partner_membership.revoked").count() == 1


def test_another_centres_membership_is_not_in_the_admin(kira, ada, pat, org, network, client_for):
    theirs = partner_membership_grant(user=pat, organization=org, centre=network["florina"],
                                      actor=ada)  # fmt: skip
    client = client_for(kira)
    listing = client.get("/admin/referrals/partnermembership/")
    assert list(listing.context["cl"].result_list) == []
    page = client.get(f"/admin/referrals/partnermembership/{theirs.pk}/change/")
    assert page.status_code in (302, 404)
    client.post(f"/admin/referrals/partnermembership/{theirs.pk}/change/", {})
    theirs.refresh_from_db()
    assert theirs.is_active
