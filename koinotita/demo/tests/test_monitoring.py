"""The demo's sample participation records: valid, only for persons with consent, once."""

from koinotita.demo.monitoring import demo_participations_ensure
from koinotita.monitoring.models import ParticipantSummary, Participation, RollupRun
from koinotita.monitoring.services import participation_clean


def test_demo_records_are_valid_consented_and_added_once(alice, person_factory):
    consenting = [person_factory(given=f"Ελένη{i}") for i in range(40)]
    without = [person_factory(given=f"Νίκη{i}", consent=False) for i in range(10)]
    added = demo_participations_ensure(seed=3)
    records = list(Participation.objects.all())
    assert added == len(records) > 0
    assert {r.person_id for r in records} <= {p.pk for p in consenting}
    assert not {r.person_id for r in records} & {p.pk for p in without}
    for record in records:
        participation_clean(record)  # raises if a record is not what the form would accept
    assert ParticipantSummary.objects.count() == len(records)
    assert RollupRun.objects.exists()
    assert demo_participations_ensure(seed=3) == 0  # run again: nothing added
    assert Participation.objects.count() == len(records)
