"""Two answers at the same moment, on two database connections (PostgreSQL only: the
in-memory SQLite of the fast run has a single connection)."""

import threading

import pytest
from django.db import connection, connections

from koinotita.referrals.models import Referral, ReferralEvent, State, Via
from koinotita.referrals.services import AnsweredMeanwhile, referral_step

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real database connections"
)


@pytest.mark.django_db(transaction=True)
def test_two_partners_at_the_same_moment_one_wins_the_other_is_told(sent, pat_member, alice):
    seen = [Referral.objects.get(pk=sent.pk), Referral.objects.get(pk=sent.pk)]
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def answer(name, user, referral, to_state, via, **extra):
        try:
            start.wait()
            referral_step(actor=user, referral=referral, to_state=to_state, via=via, **extra)
            outcome[name] = "won"
        except AnsweredMeanwhile:
            outcome[name] = "told"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=answer, args=("partner", pat_member, seen[0], State.ACCEPTED, Via.PARTNER)
        ),
        threading.Thread(
            target=answer,
            args=("centre", alice, seen[1], State.DECLINED, Via.CENTRE),
            kwargs={"reason": "Καμία θέση."},
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcome.values()) == ["told", "won"], outcome
    sent.refresh_from_db()
    winner = State.ACCEPTED if outcome["partner"] == "won" else State.DECLINED
    assert sent.state == winner
    answers = ReferralEvent.objects.filter(
        referral=sent, to_state__in=[State.ACCEPTED, State.DECLINED]
    )
    assert answers.count() == 1
