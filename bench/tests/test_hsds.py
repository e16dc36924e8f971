import io

import pytest

from bench.runner import main as run_benchmark


@pytest.mark.slow
def test_the_hsds_benchmark_runs_small_and_checks_its_figures(network):
    out = io.StringIO()
    run_benchmark(["hsds", "--services", "30", "--referrals", "300", "--requests", "2"], out)
    report = out.getvalue()
    assert "figures, every service (picker)" in report and "raw SQL GROUP BY" in report
    same = report.split("same figures from the application and raw SQL (")[1]
    same = same.split("): ")[1].split(" services")[0]
    found, total = same.split(" of ")
    assert found == total and int(total) > 0, report
    assert "REFUSED" not in report and "API /services ndjson" in report
