"""The subject-access export's referral steps are in Athens time, never in UTC (issue 14)."""

import datetime as dt

from koinotita.referrals.privacy import _iso, referrals_describe


def test_a_step_is_dated_in_athens_time():
    at = _iso(dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC))
    assert at == "2026-01-01T00:30:00+02:00"
    record = {
        "id": 1,
        "protocol_number": "Π-1",
        "direction": "out",
        "to": "Οργανισμός",
        "service": "",
        "state": "sent",
        "urgency": "normal",
        "reason": "—",
        "from_body": "",
        "shared_fields": [],
        "decline_reason": "",
        "outcome": "",
        "steps": [{"at": at, "by": "Άλκηστη", "to": "sent", "note": ""}],
        "documents": [],
    }
    assert ("2026-01-01 00:30", referrals_describe(record)[-1][1]) == referrals_describe(record)[-1]
