import pytest

from koinotita.directory.services import directory_load_sample


@pytest.fixture
def sample_directory(network):
    report = directory_load_sample()
    assert report.ok, [p.text_en for p in report.problems]
    return report
