import io

import pytest

from bench.runner import main as run_benchmark


@pytest.mark.slow
def test_the_referrals_benchmark_runs_small_and_reports_the_budget(network):
    out = io.StringIO()
    run_benchmark(["referrals", "--referrals", "60", "--requests", "2"], out)
    report = out.getvalue()
    assert "raw SQL (count+page)" in report and "partner inbox" in report
    assert "within the budget" in report, report
