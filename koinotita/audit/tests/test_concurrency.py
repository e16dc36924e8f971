import threading

import pytest
from django.db import connection

from koinotita.audit.models import AuditEvent
from koinotita.audit.selectors import audit_verify
from koinotita.audit.services import audit_record
from koinotita.organisations.models import Centre
from koinotita.organisations.services import network_load_reference


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_every_chain_intact():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        # An in-memory SQLite test database shares one connection cache across threads and
        # locks whole tables without waiting; the file database the demo uses waits (busy
        # timeout + IMMEDIATE). Use a private chain here and sequential writers instead.
        threads_count = 1
    else:
        threads_count = 4
    network_load_reference()
    centres = list(Centre.objects.values_list("pk", flat=True)[:2])
    errors = []

    def writer(n):
        try:
            for i in range(25):
                audit_record(
                    action="test.concurrent", centre=centres[i % 2], detail={"w": n, "i": i}
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 25 * threads_count
    result = audit_verify()
    assert result.ok, result.broken
