import contextlib
import io

import pytest

from bench.runner import main as run_benchmark
from koinotita.directory.models import Service


@pytest.mark.slow
def test_the_directory_benchmark_generates_and_reports(network):
    out = io.StringIO()
    with contextlib.suppress(SystemExit):  # the goal's verdict: timing is not asserted here
        run_benchmark(["directory", "--services", "60", "--queries", "25"], out)
    text = out.getvalue()
    assert Service.objects.count() == 60
    assert "application (service_search)" in text and "raw SQL" in text
    assert "same results, in the same order, from both: 25 of 25" in text
