import io

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_the_referrals_benchmark_runs_small_and_reports_the_budget(network):
    out = io.StringIO()
    call_command("bench", "referrals", "--referrals", "60", "--requests", "2", stdout=out)
    report = out.getvalue()
    assert "raw SQL (count+page)" in report and "partner inbox" in report
    assert "within the budget" in report, report
