import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from koinotita.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from koinotita.audit.selectors import audit_verify
from koinotita.audit.services import audit_record


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def events(alice, network):
    made = [
        audit_record(action="test.read", actor=alice, centre=network["kastoria"], detail={"n": i})
        for i in range(5)
    ]
    made.append(audit_record(action="test.global", actor=alice))
    return made


def test_events_chain_per_centre(events, network):
    kastoria = [e for e in events if e.centre_id == network["kastoria"].pk]
    assert [e.seq for e in kastoria][-5:] == sorted(e.seq for e in kastoria)[-5:]
    for before, after in zip(kastoria, kastoria[1:], strict=False):
        assert after.prev_hash == before.hash
    assert events[-1].chain == 0


def test_verify_passes_on_an_intact_trail(events):
    assert "OK" in verify()
    assert audit_verify().ok


def _tamper(sql: str, params: list) -> None:
    """What an intruder with database access would do: bypass the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
            cursor.execute(sql, params)


def test_verify_fails_and_names_an_altered_event(events):
    victim = events[2]
    _tamper("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["mallory", victim.pk])
    with pytest.raises(CommandError) as excinfo:
        verify()
    message = str(excinfo.value)
    assert f"event #{victim.pk}" in message
    assert "altered" in message


def test_verify_detects_a_deleted_event(events):
    victim = events[1]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken[0].seq == victim.seq


def test_verify_detects_a_deleted_tail(events):
    last = [e for e in events if e.chain == events[0].chain][-1]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    result = audit_verify()
    assert not result.ok
    assert "missing at the end" in result.broken[0].problem


def test_verify_detects_a_rewritten_chain_that_forgot_the_head(events):
    # Even with a recomputed hash, the head of the chain no longer matches.
    victim = events[4]
    _tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, victim.pk])
    assert not audit_verify().ok


def test_application_refuses_update_and_delete(events):
    event = AuditEvent.objects.get(pk=events[0].pk)
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_a_raw_update(events):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["changed", events[0].pk]
        )
    assert AuditEvent.objects.get(pk=events[0].pk).action == "test.read"


def test_raw_delete_is_refused_by_postgresql_and_detected_everywhere(events):
    # PostgreSQL's trigger refuses DELETE; SQLite's refuses UPDATE only (its test flushes
    # delete row by row), so there a raw DELETE goes through, and verify must catch it.
    delete = "DELETE FROM audit_auditevent WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(delete, [events[0].pk])
        assert AuditEvent.objects.filter(pk=events[0].pk).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute(delete, [events[0].pk])
        assert not audit_verify().ok


def test_an_event_written_in_a_rolled_back_transaction_leaves_no_trace(alice, network):
    before = AuditChainHead.objects.get(chain=network["kastoria"].pk).seq
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.rolled_back", actor=alice, centre=network["kastoria"])
        raise RuntimeError("the write this event records failed")
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    assert AuditChainHead.objects.get(chain=network["kastoria"].pk).seq == before
    assert audit_verify().ok


def test_greek_text_in_details_survives_the_hash(alice, network):
    audit_record(
        action="test.greek",
        actor=alice,
        centre=network["kastoria"],
        detail={"q": "Παπαδοπούλου Ελένη ς", "list": [1, 2]},
        reason="Αίτημα πρόσβασης",
    )
    assert audit_verify().ok
