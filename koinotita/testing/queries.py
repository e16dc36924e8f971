"""Counting the SQL a page runs, as production would run it.

Tests run inside a transaction, so Django's `atomic()` blocks (the session save, every
service) add SAVEPOINT/RELEASE statements that production, in autocommit, runs as a plain
BEGIN/COMMIT that is not counted. `at_most(n)` counts the statements that do work.
"""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

_BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def working(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(_BOOKKEEPING)]


@contextmanager
def at_most(limit: int):
    with CaptureQueriesContext(connection) as captured:
        yield captured
    done = working(captured)
    assert len(done) <= limit, f"{len(done)} queries, more than {limit}:\n" + "\n".join(
        sql[:200] for sql in done
    )
