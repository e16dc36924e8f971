"""Aggregate validation of every report before it can be submitted: the hand-computed
fixture passes every check of both sets; each kind of check fails on figures made wrong
on purpose, and a failing report cannot be submitted — the service and the page say
which check and why, and nothing is written."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from koinotita.conftest import logged_in
from koinotita.monitoring import reports, services
from koinotita.monitoring.engine import COMPLETE, PARTICIPANTS, indicators_compute
from koinotita.monitoring.indicators import indicator_set
from koinotita.monitoring.models import Submission
from koinotita.monitoring.tests.test_indicators import YEAR, fixture  # noqa: F401 (fixture)
from koinotita.monitoring.validation import report_validate

D = dt.date


def _figures(centre, key):
    return indicators_compute(
        indicator_set=indicator_set(key), centre_ids=[centre.pk], start=YEAR[0], end=YEAR[1]
    )


@pytest.mark.parametrize("key", ["esf2014", "esfplus2021"])
def test_the_hand_computed_fixture_passes_every_check(fixture, key):  # noqa: F811
    result = report_validate(_figures(fixture, key), indicator_set(key))
    assert result.ok, result.failures
    assert result.checks > 100


# How to break the 2014-2020 figures, and the check that must catch it.
BREAKS = {
    "A01": lambda c: c["CO02"].update(F=c["CO01"]["F"] + 1),
    "A02": lambda c: c["CO05"].update(M=c["CO05"]["M"] + 1),
    "A03": lambda c: c["CR01"].update(F=c["REF:CR01"]["F"] + 1),
    "A04": lambda c: c["CO19"].update(F=c[COMPLETE]["F"] + 1),
    "A05": lambda c: c[PARTICIPANTS].update(M=0),
}


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_each_aggregate_check_catches_what_it_checks(fixture, code):  # noqa: F811
    figures = _figures(fixture, "esf2014")
    broken = copy.deepcopy(figures)
    BREAKS[code](broken.counts)
    result = report_validate(broken, indicator_set("esf2014"))
    assert not result.ok
    assert code in {f.code for f in result.failures}
    assert all(f.message.startswith(f.code + ":") for f in result.failures)


def test_esf_plus_checks_its_own_subsets_and_partitions(fixture):  # noqa: F811
    figures = _figures(fixture, "esfplus2021")
    figures.counts["EECO03"]["X"] = figures.counts["EECO02"]["X"] + 1
    figures.counts["EECO01"]["F"] += 1
    codes = {f.code for f in report_validate(figures, indicator_set("esfplus2021")).failures}
    assert {"A01", "A02"} <= codes


@pytest.fixture
def broken_engine(monkeypatch):
    """The engine gives CO02 above CO01 (as a wrong rule would)."""
    real = reports.indicators_compute

    def wrong(**kwargs):
        figures = real(**kwargs)
        if "CO02" in figures.counts:
            figures.counts["CO02"]["F"] = figures.get("CO01", "F") + 3
        return figures

    monkeypatch.setattr(reports, "indicators_compute", wrong)


def test_a_report_failing_a_check_cannot_be_submitted(sam, network, broken_engine):
    with pytest.raises(ValidationError) as caught:
        services.report_submit(
            actor=sam, centre=network["kastoria"], start=D(2025, 1, 1), end=D(2025, 12, 31),
            set_key="esf2014",
        )  # fmt: skip
    assert any(m.startswith("A01:") and "CO02" in m for m in caught.value.messages)
    assert not Submission.objects.exists()


def test_the_page_says_which_check_blocks_the_submission(sam, network, broken_engine):
    client = logged_in(sam)
    page = client.get(
        "/monitoring/reports/?scope=centre:kastoria&start=2025-01-01&end=2025-12-31&set=esf2014"
    )
    assert "submit_form" in page.context and page.context["report"].validation.failures
    html = page.content.decode()
    assert "A01" in html and 'action="/monitoring/reports/submit/"' not in html
    form = {"centre": "kastoria", "start": "2025-01-01", "end": "2025-12-31", "set": "esf2014"}
    response = client.post("/monitoring/reports/submit/", form, follow=True)
    assert any("A01" in str(m) for m in response.context["messages"])
    assert not Submission.objects.exists()


def test_the_snapshot_carries_version_completeness_validation_and_counts(
    sam,
    fixture,  # noqa: F811
):
    sub = services.report_submit(
        actor=sam, centre=fixture, start=YEAR[0], end=YEAR[1], set_key="esfplus2021"
    )
    data = sub.figures
    assert data["definitions_version"] == indicator_set("esfplus2021").version
    assert data["completeness"] == {"participants": 10, "complete": 8, "share": 0.8}
    assert data["validation"]["ok"] is True and data["validation"]["checks"] > 100
    assert data["counts"]["EECO01"] == {"F": 4, "M": 5, "X": 1, "U": 0}


def test_a_suppressed_report_carries_no_exact_counts(mona, fixture):  # noqa: F811
    page = logged_in(mona).get(
        "/monitoring/reports/?scope=region:dytiki-makedonia&start=2025-01-01&end=2025-12-31"
        "&set=esf2014"
    )
    shown = page.context["report"]
    assert shown.suppressed and shown.validation is None and shown.figures is None
    assert "validation" not in shown.as_json() and "counts" not in shown.as_json()
