"""Small-cell suppression: the rules, and a property test over every report a monitor can
reach (the indicator tables and the activity tables, from random participation data)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koinotita.lib.suppression import MARK, Table, reveals_small_cell, suppress


def test_small_cells_and_the_cell_that_would_give_them_away_are_suppressed():
    table = Table("t", "t", ["F", "M", "Total"], [("a", [3, 10, 13]), ("b", [7, 8, 15])],
                  row_total=True)  # fmt: skip
    suppress(table)
    assert table.cell(0, 0) == MARK
    assert table.cell(0, 1) == MARK  # 13 − 10 would give the 3 away
    assert table.cell(0, 2) == 13 and table.cell(1, 0) == 7
    assert reveals_small_cell(table) == ""


def test_zero_is_shown_and_protects_nothing():
    table = Table("t", "t", ["n"], [("a", [0]), ("b", [2]), ("c", [9]), ("T", [11])],
                  col_total=True)  # fmt: skip
    suppress(table)
    assert table.cell(0, 0) == MARK  # the zero is the next-smallest: 11 − 9 = 2 otherwise
    assert table.cell(1, 0) == MARK
    assert reveals_small_cell(table) == ""


grids = st.lists(
    st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4),
    min_size=1,
    max_size=6,
).filter(lambda rows: len({len(r) for r in rows}) == 1)


@given(grids, st.booleans(), st.booleans())
def test_no_suppressed_table_reveals_a_cell_under_five(rows, with_row_total, with_col_total):
    values = [list(r) for r in rows]
    if with_row_total:
        values = [[*r, sum(r)] for r in values]
    if with_col_total:
        values.append([sum(col) for col in zip(*values, strict=True)])
    table = Table(
        "t",
        "t",
        [str(i) for i in range(len(values[0]))],
        [(str(i), v) for i, v in enumerate(values)],
        row_total=with_row_total,
        col_total=with_col_total,
    )
    suppress(table)
    assert reveals_small_cell(table) == ""


# --- The reports a monitor reaches --------------------------------------------------------

PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["F", "M", "X"]),
        st.integers(min_value=15, max_value=70),
        st.sampled_from(["unemployed", "inactive", "employed"]),
        st.sampled_from(["0", "1-2", "3-4", "5-8"]),
        st.sampled_from(["yes", "no", "declined"]),
        st.booleans(),
    ),
    min_size=0,
    max_size=14,
)


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(people=PEOPLE)
def test_no_report_a_monitor_can_reach_reveals_a_cell_under_five(people, django_db_blocker):
    from koinotita.accounts.models import User
    from koinotita.accounts.services import role_grant
    from koinotita.monitoring.conftest import enter, leave, make_person
    from koinotita.monitoring.indicators import indicator_sets
    from koinotita.monitoring.models import Participation
    from koinotita.monitoring.reports import report_build, report_for_viewer
    from koinotita.monitoring.selectors import report_scope_for
    from koinotita.organisations.models import Centre, Region
    from koinotita.organisations.services import network_load_reference

    if not Region.objects.exists():
        network_load_reference()
    kastoria = Centre.objects.get(code="kastoria")
    worker = User.objects.filter(username="w").first()
    if worker is None:
        worker = User.objects.create_user(username="w", password="x-x-x-x-x-x")
        role_grant(user=worker, role="caseworker", level="centre", place=kastoria)
        monitor = User.objects.create_user(username="m", password="x-x-x-x-x-x")
        role_grant(user=monitor, role="monitor", level="region",
                   place=Region.objects.get(code="dytiki-makedonia"))  # fmt: skip
    monitor = User.objects.get(username="m")
    Participation.objects.all().delete()
    for sex, age, status, isced, answer, leaves in people:
        person = make_person(kastoria, sex=sex, born=dt.date(2025 - age, 1, 1), actor=worker)
        record = enter(worker, person, dt.date(2025, 2, 1), labour_status=status,
                       unemployed_months=13 if status == "unemployed" else None, isced=isced,
                       disability=answer, minority=answer)  # fmt: skip
        if leaves:
            leave(worker, record, dt.date(2025, 3, 1), "employed")
    for spec in ("centre:kastoria", "municipality:kastoria", "region:dytiki-makedonia"):
        report_scope = report_scope_for(monitor, spec)
        assert report_scope.suppress
        for chosen in indicator_sets().values():
            built = report_build(report_scope=report_scope, indicator_set=chosen,
                                 start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))  # fmt: skip
            shown = report_for_viewer(built, suppress_cells=report_scope.suppress)
            for table in shown.tables:
                assert reveals_small_cell(table) == "", (spec, table.key)
                for _label, values in table.shown_rows():
                    for value in values:
                        assert value == MARK or value == 0 or value >= 5
