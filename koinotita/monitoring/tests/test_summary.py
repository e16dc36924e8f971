"""The per-participant summary the reports read: kept true by every write, by a merge of
persons and its undo, and rebuilt by `koinotita monitoring summarise`."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koinotita.monitoring import services
from koinotita.monitoring.conftest import enter, follow, leave
from koinotita.monitoring.engine import LEAVERS, PARTICIPANTS, indicators_compute
from koinotita.monitoring.indicators import indicator_set
from koinotita.monitoring.models import ParticipantSummary, Participation
from koinotita.monitoring.summary import summary_differences, summary_rebuild
from koinotita.people.merge import person_merge, person_merge_undo

D = dt.date
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


def figures(centre):
    return indicators_compute(
        indicator_set=indicator_set("esf2014"), centre_ids=[centre.pk], start=YEAR[0], end=YEAR[1]
    )


def test_every_write_keeps_the_participants_row_true(alice, person_factory, network):
    person = person_factory(born=D(1990, 1, 1))
    first = enter(alice, person, D(2025, 3, 1), labour_status="unemployed", unemployed_months=3)
    assert ParticipantSummary.objects.get().labour_status == "unemployed"
    second = enter(alice, person, D(2025, 5, 1), labour_status="employed")
    leave(alice, first, D(2025, 4, 1), "employed")
    leave(alice, second, D(2025, 6, 1), "education")
    follow(alice, second, D(2025, 12, 1), "employed")
    row = ParticipantSummary.objects.get()  # re-entry: still one participant
    assert (row.entry_date, row.labour_status) == (D(2025, 3, 1), "unemployed")
    assert (row.l_exit_date, row.l_exit_status, row.l_fu_days) == (D(2025, 6, 1), "education", 183)
    # A correction of the first entry's date reaches the summary.
    services.participation_update_entry(
        actor=alice, record=first, fields={"entry_date": D(2025, 3, 20)}
    )
    assert ParticipantSummary.objects.get().entry_date == D(2025, 3, 20)
    anonymous = person_factory(given="Άλλος", consent=False)
    enter(alice, anonymous, D(2025, 7, 1))
    assert ParticipantSummary.objects.count() == 2
    assert ParticipantSummary.objects.filter(is_anonymous=True, participant__lt=0).count() == 1
    assert summary_differences() == 0


def test_the_command_rebuilds_and_checks_the_summary(alice, person_factory, network, capsys):
    for i in range(3):
        record = enter(alice, person_factory(given=f"Π{'α' * (i + 1)}"), D(2025, 2, 1 + i))
        leave(alice, record, D(2025, 3, 1), "employed")
    before = figures(network["kastoria"]).counts
    ParticipantSummary.objects.filter(entry_date=D(2025, 2, 1)).update(sex="M", l_exit_date=None)
    with pytest.raises(CommandError, match="1 summary rows differ"):
        call_command("monitoring", "summarise", "--check")
    assert figures(network["kastoria"]).counts != before
    call_command("monitoring", "summarise")
    assert "3 participants" in capsys.readouterr().out
    call_command("monitoring", "summarise", "--check")
    assert figures(network["kastoria"]).counts == before
    assert summary_rebuild(centre_ids=[network["florina"].pk]) == 0
    assert ParticipantSummary.objects.count() == 3  # another centre's rebuild leaves these


def test_a_merge_moves_the_records_and_counts_the_person_once_and_undo_restores(
    alice, sam, person_factory, network
):
    kept = person_factory(given="Δημήτρης", sex="M", born=D(1980, 1, 1))
    duplicate = person_factory(given="Δημητρης", sex="M", born=D(1980, 1, 1))
    other = person_factory(given="Ελένη", born=D(1985, 1, 1))
    first = enter(alice, kept, D(2025, 3, 1), labour_status="unemployed", unemployed_months=20)
    leave(alice, first, D(2025, 4, 30), "job_searching")
    again = enter(alice, duplicate, D(2025, 6, 1), labour_status="inactive")
    leave(alice, again, D(2025, 9, 30), "employed")
    enter(alice, other, D(2025, 5, 1))
    counts = figures(network["kastoria"])
    assert counts.get(PARTICIPANTS) == 3 and counts.get(LEAVERS) == 2

    merge = person_merge(actor=sam, kept=kept, duplicate=duplicate)
    assert set(Participation.objects.filter(pk__in=[first.pk, again.pk]).values_list(
        "person_id", flat=True)) == {kept.pk}  # fmt: skip
    assert merge.moved["rows"]["monitoring.participation.person"] == [again.pk]
    counts = figures(network["kastoria"])
    # Re-entry counted once: first status at entry (unemployed), last exit (employed).
    assert counts.get(PARTICIPANTS) == 2 and counts.get(LEAVERS) == 1
    assert counts.get("CO01") == 1 and counts.get("CO02") == 1 and counts.get("CO03") == 1
    assert counts.get("CR04") == 1
    assert summary_differences() == 0

    person_merge_undo(actor=sam, merge=merge)
    again.refresh_from_db()
    assert again.person_id == duplicate.pk
    counts = figures(network["kastoria"])
    assert counts.get(PARTICIPANTS) == 3 and counts.get(LEAVERS) == 2
    assert counts.get("CR04") == 1 and counts.get("CO01") == 1
    assert summary_differences() == 0
