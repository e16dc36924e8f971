"""The minimum income's social-inclusion link: an approved beneficiary is referred to a
service of the directory from the application, the person and the need filled in."""

from decimal import Decimal

from django.utils import timezone

from koinotita.directory.services import service_derive
from koinotita.programmes.models import Programme
from koinotita.programmes.reference import programmes_load_reference
from koinotita.programmes.services import (
    application_create,
    application_decide,
    application_submit,
)
from koinotita.testing.clients import logged_in


def _approved(alice, person):
    programmes_load_reference()
    today = timezone.localdate()
    application = application_create(
        actor=alice, person=person, programme=Programme.objects.get(code="minimum-income")
    )
    application_submit(actor=alice, application=application, submitted_on=today,
                       reference_number="R-1")  # fmt: skip
    return application_decide(actor=alice, application=application, step="approve",
                              decision_on=today, amount=Decimal("300"))  # fmt: skip


def test_an_approved_application_offers_the_referral(alice, person):
    application = _approved(alice, person)
    page = logged_in(alice).get(f"/programmes/applications/{application.pk}/")
    html = page.content.decode()
    assert 'id="refer-beneficiary"' in html
    assert f"/referrals/new/{person.pk}/" in html


def test_the_referral_form_starts_with_the_application_and_the_need(
    alice, person, service, other_service
):
    other_service.needs = ["employment"]
    service_derive(other_service)
    other_service.save()
    application = _approved(alice, person)
    page = logged_in(alice).get(
        f"/referrals/new/{person.pk}/", {"application": application.pk, "need": "employment"}
    )
    form = page.context["form"]
    assert f"#{application.pk}" in form.initial["reason"]
    assert list(form.fields["service"].queryset) == [other_service]


def test_another_centres_worker_gets_no_link_and_no_prefill(alice, charlie, person):
    application = _approved(alice, person)
    assert logged_in(charlie).get(f"/programmes/applications/{application.pk}/").status_code == 404
    assert logged_in(charlie).get(f"/referrals/new/{person.pk}/",
                                  {"application": application.pk}).status_code == 404  # fmt: skip
