"""The demo's sample referrals: every state of the lifecycle, consents recorded, overdue
ones on the caseworker's home, figures for the supervisor, an inbox for the partner."""

from django.urls import reverse

from koinotita.accounts.models import User
from koinotita.demo.referrals import INCOMING, PLANS, demo_referrals_ensure
from koinotita.demo.users import demo_users_ensure
from koinotita.directory.services import directory_load_sample
from koinotita.referrals.models import Direction, Referral, State
from koinotita.referrals.selectors import referral_overdue_for
from koinotita.testing.people import person_make


def test_demo_referrals_cover_the_lifecycle_and_are_made_once(network, client_for):
    demo_users_ensure()
    directory_load_sample()
    worker = User.objects.get(username="caseworker")
    assert demo_referrals_ensure() == 0  # no persons yet: nothing, and no error
    for n in range(len(PLANS) + len(INCOMING)):
        person_make(
            actor=worker,
            centre=network["kastoria"],
            fields={"family_name": f"Δείγμα{'αβγδεζηθικλμνξοπρστυφχψω'[n]}", "given_name": "Άννα"},
        )
    assert demo_referrals_ensure() == len(PLANS) + len(INCOMING)
    assert demo_referrals_ensure() == 0  # idempotent
    referrals = Referral.objects.all()
    assert referrals.count() == len(PLANS) + len(INCOMING)
    assert all(r.is_sample and r.centre_id == network["kastoria"].pk for r in referrals)
    assert set(referrals.values_list("state", flat=True)) == set(State.values)
    assert referrals.filter(direction=Direction.INCOMING).exists()
    assert all(r.decline_reason for r in referrals.filter(state=State.DECLINED))
    assert all(r.outcome for r in referrals.filter(state=State.NOT_COMPLETED))
    sent = referrals.exclude(sent_at__isnull=True).filter(direction=Direction.OUTGOING)
    assert all(r.consent_id and r.protocol_number for r in sent)
    for r in referrals:  # the history follows the dates
        ats = [e.at for e in r.events.order_by("pk")]
        assert ats == sorted(ats) and r.created_at == ats[0]

    overdue = list(referral_overdue_for(worker))
    assert len(overdue) >= 3
    assert {r.state for r in overdue} >= {State.SENT, State.RECEIVED, State.ACCEPTED}
    home = client_for(worker).get("/").content.decode()
    assert 'id="overdue-referrals"' in home
    supervisor = User.objects.get(username="supervisor")
    figures = client_for(supervisor).get(reverse("referrals-figures")).content.decode()
    assert "Κέντρο Ψυχικής Υγείας Καστοριάς" in figures
    inbox = client_for(User.objects.get(username="partner")).get(reverse("referrals-inbox"))
    assert inbox.status_code == 200 and "KASTORIA-" in inbox.content.decode()
