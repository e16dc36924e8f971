"""The partners answer the directory's monthly confirmation: the referrals app registers its
partner memberships as the recipients (koinotita/directory/plugins.py)."""

from django.core import mail

from koinotita.directory.models import VerificationRequest
from koinotita.directory.plugins import verification_recipients
from koinotita.directory.services import verification_mail
from koinotita.referrals.models import PartnerMembership
from koinotita.referrals.selectors import partners_to_ask


def test_active_partner_memberships_are_asked(pat_member, org, service):
    assert partners_to_ask() == [(org.pk, pat_member)]
    assert (org.pk, pat_member) in verification_recipients()
    pat_member.email = "pat@example.org"
    pat_member.save(update_fields=["email"])
    report = verification_mail()
    assert report.sent == 1
    assert mail.outbox[0].to == ["pat@example.org"]
    assert service.name in mail.outbox[0].body
    assert VerificationRequest.objects.get().organization == org


def test_inactive_memberships_roles_or_users_are_not_asked(pat_member, org):
    PartnerMembership.objects.filter(user=pat_member).update(is_active=False)
    assert partners_to_ask() == []
    PartnerMembership.objects.filter(user=pat_member).update(is_active=True)
    pat_member.role_assignments.update(is_active=False)
    assert partners_to_ask() == []
    pat_member.role_assignments.update(is_active=True)
    pat_member.is_active = False
    pat_member.save(update_fields=["is_active"])
    assert partners_to_ask() == []
