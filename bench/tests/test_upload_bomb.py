import io

import pytest

from bench.runner import main as run_benchmark


@pytest.mark.slow
def test_the_upload_bomb_benchmark_builds_a_bomb_and_reports_both_refusals(db):
    out = io.StringIO()
    run_benchmark(["upload_bomb", "--expanded-mb", "8", "--max-rows", "1000"], out)
    text = out.getvalue()
    assert "MB once uncompressed" in text
    assert text.count("refused in") == 2 and "accepted" not in text
    assert "peak RSS" in text
