"""A report file states when it was generated in Athens time, never in UTC (issue 14)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from koinotita.monitoring.exports import _heading


def test_generated_is_athens_time():
    report = SimpleNamespace(
        scope_label="Κέντρο",
        start=dt.date(2025, 12, 1),
        end=dt.date(2025, 12, 31),
        set_name="ESF+",
        version="1",
        generated_at=dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC),
    )
    with translation.override("en"):
        assert dict(_heading(report))["Generated"] == "01/01/2026 00:30"
