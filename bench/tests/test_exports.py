import io

import pytest

from bench.runner import main as run_benchmark


@pytest.mark.slow
def test_the_exports_benchmark_runs_small_and_checks_its_answers(network):
    out = io.StringIO()
    run_benchmark(["exports", "--rows", "300", "--reversed", "3", "--no-fork"], out)
    report = out.getvalue()
    assert "answers equal: 297 rows" in report, report
    assert "baseline" in report and "after" in report
