import pytest

from koinotita.accounts.models import RoleAssignment
from koinotita.accounts.scoping import Capability, centres_for, restrict, scope_for
from koinotita.accounts.services import role_grant
from koinotita.organisations.models import Centre, Site


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


WESTERN_MACEDONIA_CENTRES = {
    "grevena",
    "deskati",
    "kastoria",
    "argos-orestiko",
    "kozani",
    "eordaia",
    "servia-velventos",
    "voio",
    "florina",
    "amyntaio",
}


def test_caseworker_sees_only_her_centre(alice):
    assert codes(centres_for(alice)) == {"kastoria"}
    assert codes(centres_for(alice, Capability.PERSONAL_DATA)) == {"kastoria"}


def test_worker_of_another_centre_does_not_see_this_one(charlie):
    assert codes(centres_for(charlie)) == {"florina"}
    kastoria = Centre.objects.get(code="kastoria")
    assert not scope_for(charlie).allows(Capability.PERSONAL_DATA, kastoria.pk)


def test_supervisor_of_a_municipality_sees_its_centres(sam):
    assert codes(centres_for(sam, Capability.SUPERVISE)) == {"kastoria"}


def test_monitor_sees_the_region_but_never_personal_data(mona):
    assert codes(centres_for(mona)) == WESTERN_MACEDONIA_CENTRES
    assert codes(centres_for(mona, Capability.AGGREGATES)) == WESTERN_MACEDONIA_CENTRES
    assert codes(centres_for(mona, Capability.PERSONAL_DATA)) == set()


def test_national_admin_administers_every_centre_but_reads_no_person(ada):
    assert codes(centres_for(ada, Capability.ADMINISTER)) == codes(Centre.objects.all())
    assert codes(centres_for(ada, Capability.PERSONAL_DATA)) == set()


def test_partner_reaches_no_centre(pat):
    assert codes(centres_for(pat)) == set()
    assert scope_for(pat).roles == {"partner"}


def test_user_without_role_has_an_empty_scope(nobody):
    assert scope_for(nobody).is_empty
    assert codes(centres_for(nobody)) == set()


def test_reception_may_see_personal_data_but_not_case_files(rita):
    assert codes(centres_for(rita, Capability.PERSONAL_DATA)) == {"kastoria"}
    assert codes(centres_for(rita, Capability.CASE_FILES)) == set()


def test_roles_add_up_across_assignments(alice, network):
    role_grant(user=alice, role="reception", level="centre", place=network["almyros"])
    assert codes(centres_for(alice, Capability.PERSONAL_DATA)) == {"kastoria", "almyros"}
    assert codes(centres_for(alice, Capability.CASE_FILES)) == {"kastoria"}


def test_inactive_assignment_opens_nothing(alice):
    RoleAssignment.objects.filter(user=alice).update(is_active=False)
    alice.refresh_from_db()
    assert codes(centres_for(alice)) == set()


def test_inactive_user_has_no_scope(alice):
    alice.is_active = False
    alice.save()
    assert scope_for(alice).is_empty


def test_restrict_filters_rows_by_their_owning_centre(alice, charlie):
    sites = Site.objects.all()
    assert {s.centre.code for s in restrict(sites, alice, Capability.PERSONAL_DATA)} == {"kastoria"}
    assert {s.centre.code for s in restrict(sites, charlie, Capability.PERSONAL_DATA)} == {
        "florina"
    }


def test_restrict_gives_nothing_to_anonymous(network):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(Site.objects.all(), AnonymousUser(), Capability.VIEW_NETWORK).exists()


def test_role_assignment_scope_must_match_its_level(alice, network):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        role_grant(user=alice, role="caseworker", level="region", place=network["kastoria"])
    with pytest.raises(ValidationError):
        role_grant(user=alice, role="caseworker", level="national", place=network["kastoria"])


def test_role_grant_is_audited(alice):
    from koinotita.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="role.granted", detail__user="alice")
    assert event.centre.code == "kastoria"
