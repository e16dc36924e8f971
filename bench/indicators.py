"""`bench/run indicators [--participants 1000000] [--reuse] [--dashboard-requests 60]`:
the ESF indicator report at national volume, the application next to a hand-written single
SQL pass, and the region dashboard as a monitor sees it.

Builds, in ITS OWN PostgreSQL database (refuses `koinotita_bench`, which belongs to the
person benchmarks), a national network of ~250 centres in 13 regions and `--participants`
participants (1,000,000 by default; 10% of them re-enter once) as participation rows,
loaded with COPY, then derives the per-participant summary the reports read
(`koinotita.monitoring.summary.summary_rebuild`, what `koinotita monitoring summarise`
runs). The rows are over SYNTHETIC PERSON IDS: the benchmark drops, in its own database
only, the foreign key from monitoring_participation.person_id to people_person (generating
a million persons with `koinotita synth` would take longer than the whole benchmark and the
indicators never read the person table). It then:

1. at 100,000 participants, exports the national-year report (JSON, CSV and XLSX) and
   records the peak memory of the export (tracemalloc);
2. at the full volume, times the region-year report (goal ≤ 1 s) and the national-year
   report (goal ≤ 5 s) through `indicators_compute` (what the pages, the API and the
   command run), each next to HAND_SQL below — one pass over the same table the
   application reads, the summary (goal: ≤ 1.5×) — and, for reference, HAND_SQL_BASE, the
   report written by hand over the participation records themselves (what the application
   did before the summary); all three must give the same counts;
3. exports the national year again and compares the peak memory with step 1 (it must not
   grow with the rows: the figures are SQL aggregates);
4. requests the region dashboard (`/monitoring/dashboard/?scope=region:bench-r01`) as a
   monitor of that region through Django's test client, over a synthetic monthly rollup of
   every centre (24 months), and prints the queries per request and p50/p95.

Run it (about 5 minutes to build on 2 busy cores, then the timings):

    createdb -h 127.0.0.1 -U postgres koinotita_monitoring_bench
    KOINOTITA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/koinotita_monitoring_bench \\
        bench/run indicators
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import statistics
import sys
import time
import tracemalloc

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from bench.common import percentile

help = "ESF indicator report at 1M participants: region-year ≤ 1 s, national-year ≤ 5 s"

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
REGIONS = 13
CENTRES_PER_REGION = 19
GOALS = {"region-year": 1.0, "national-year": 5.0}
GOAL_RATIO = 1.5

# The ESF 2014-2020 indicator report written by hand, in one statement, for PostgreSQL, over
# the participation records themselves (no summary): DISTINCT ON picks each participant's
# first entry and last record; FILTER counts. For reference: what a report costs without
# the summary.
BASE_WORK_MEM = "128MB"
HAND_SQL_BASE = """
WITH f AS (
  SELECT DISTINCT ON (centre_id, person_id) *
  FROM monitoring_participation WHERE centre_id = ANY(%(ids)s)
  ORDER BY centre_id, person_id, entry_date, id
), l AS (
  SELECT DISTINCT ON (centre_id, person_id) centre_id, person_id, exit_date, exit_status,
    qualification_gained, improved_situation, followup_status,
    exit_observed_on - exit_date AS obs_days, followup_on - exit_date AS fu_days
  FROM monitoring_participation WHERE centre_id = ANY(%(ids)s)
  ORDER BY centre_id, person_id, (exit_date IS NULL) DESC, exit_date DESC, id DESC
), x AS (
  SELECT f.*, l.exit_date AS l_exit, l.exit_status AS l_status,
    l.qualification_gained AS l_qual, l.improved_situation AS l_improved,
    l.followup_status AS l_fu,
    (l.obs_days IS NULL OR l.obs_days BETWEEN 0 AND 28) AS imm,
    (l.fu_days BETWEEN 154 AND 210) AS fu,
    f.entry_date BETWEEN %(start)s AND %(end)s AS entered,
    l.exit_date BETWEEN %(start)s AND %(end)s AS left_,
    (f.labour_status = 'unemployed' AND (f.unemployed_months > 12
      OR (f.age_at_entry < 25 AND f.unemployed_months > 6))) AS ltu,
    (f.migrant = 'yes' OR f.foreign_background = 'yes' OR f.minority = 'yes') AS mig,
    (f.migrant = 'yes' OR f.foreign_background = 'yes' OR f.minority = 'yes'
      OR f.disability = 'yes' OR f.other_disadvantage = 'yes' OR f.homeless) AS dis
  FROM f JOIN l USING (centre_id, person_id)
)
SELECT sex,
  COUNT(*) FILTER (WHERE entered),
  COUNT(*) FILTER (WHERE entered AND is_anonymous),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'unemployed'),
  COUNT(*) FILTER (WHERE entered AND ltu),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'inactive'),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'inactive' AND NOT in_education),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'employed'),
  COUNT(*) FILTER (WHERE entered AND age_at_entry < 25),
  COUNT(*) FILTER (WHERE entered AND age_at_entry > 54),
  COUNT(*) FILTER (WHERE entered AND age_at_entry > 54 AND (labour_status = 'unemployed'
    OR (labour_status = 'inactive' AND NOT in_education))),
  COUNT(*) FILTER (WHERE entered AND isced = '1-2'),
  COUNT(*) FILTER (WHERE entered AND isced = '3-4'),
  COUNT(*) FILTER (WHERE entered AND isced = '5-8'),
  COUNT(*) FILTER (WHERE entered AND jobless_household),
  COUNT(*) FILTER (WHERE entered AND jobless_household AND dependent_children),
  COUNT(*) FILTER (WHERE entered AND single_adult),
  COUNT(*) FILTER (WHERE entered AND mig),
  COUNT(*) FILTER (WHERE entered AND NOT mig AND 'declined' IN (migrant, foreign_background,
    minority)),
  COUNT(*) FILTER (WHERE entered AND disability = 'yes'),
  COUNT(*) FILTER (WHERE entered AND disability = 'declined'),
  COUNT(*) FILTER (WHERE entered AND other_disadvantage = 'yes'),
  COUNT(*) FILTER (WHERE entered AND other_disadvantage = 'declined'),
  COUNT(*) FILTER (WHERE entered AND homeless),
  COUNT(*) FILTER (WHERE entered AND rural),
  COUNT(*) FILTER (WHERE left_),
  COUNT(*) FILTER (WHERE left_ AND is_anonymous),
  COUNT(*) FILTER (WHERE left_ AND labour_status = 'inactive' AND l_status = 'job_searching'
    AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_status = 'education' AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_qual AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_status = 'employed' AND imm),
  COUNT(*) FILTER (WHERE left_ AND dis AND (l_status IN ('job_searching', 'education',
    'employed') OR l_qual) AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_fu = 'employed' AND fu),
  COUNT(*) FILTER (WHERE left_ AND l_improved AND fu),
  COUNT(*) FILTER (WHERE left_ AND age_at_entry > 54 AND l_fu = 'employed' AND fu),
  COUNT(*) FILTER (WHERE left_ AND dis AND l_fu = 'employed' AND fu)
FROM x WHERE entered OR left_
GROUP BY sex
"""

# The same report written by hand over the table the application reads: one row per
# participant (first entry's answers, last record's results as l_*), one scan, FILTER counts.
HAND_SQL = """
WITH x AS (
  SELECT *,
    (l_obs_days IS NULL OR l_obs_days BETWEEN 0 AND 28) AS imm,
    (l_fu_days BETWEEN 154 AND 210) AS fu,
    entry_date BETWEEN %(start)s AND %(end)s AS entered,
    l_exit_date BETWEEN %(start)s AND %(end)s AS left_,
    (labour_status = 'unemployed' AND (unemployed_months > 12
      OR (age_at_entry < 25 AND unemployed_months > 6))) AS ltu,
    (migrant = 'yes' OR foreign_background = 'yes' OR minority = 'yes') AS mig,
    (migrant = 'yes' OR foreign_background = 'yes' OR minority = 'yes'
      OR disability = 'yes' OR other_disadvantage = 'yes' OR homeless) AS dis
  FROM monitoring_participantsummary
  WHERE centre_id = ANY(%(ids)s) AND (entry_date BETWEEN %(start)s AND %(end)s
    OR l_exit_date BETWEEN %(start)s AND %(end)s)
)
SELECT sex,
  COUNT(*) FILTER (WHERE entered),
  COUNT(*) FILTER (WHERE entered AND is_anonymous),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'unemployed'),
  COUNT(*) FILTER (WHERE entered AND ltu),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'inactive'),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'inactive' AND NOT in_education),
  COUNT(*) FILTER (WHERE entered AND labour_status = 'employed'),
  COUNT(*) FILTER (WHERE entered AND age_at_entry < 25),
  COUNT(*) FILTER (WHERE entered AND age_at_entry > 54),
  COUNT(*) FILTER (WHERE entered AND age_at_entry > 54 AND (labour_status = 'unemployed'
    OR (labour_status = 'inactive' AND NOT in_education))),
  COUNT(*) FILTER (WHERE entered AND isced = '1-2'),
  COUNT(*) FILTER (WHERE entered AND isced = '3-4'),
  COUNT(*) FILTER (WHERE entered AND isced = '5-8'),
  COUNT(*) FILTER (WHERE entered AND jobless_household),
  COUNT(*) FILTER (WHERE entered AND jobless_household AND dependent_children),
  COUNT(*) FILTER (WHERE entered AND single_adult),
  COUNT(*) FILTER (WHERE entered AND mig),
  COUNT(*) FILTER (WHERE entered AND NOT mig AND 'declined' IN (migrant, foreign_background,
    minority)),
  COUNT(*) FILTER (WHERE entered AND disability = 'yes'),
  COUNT(*) FILTER (WHERE entered AND disability = 'declined'),
  COUNT(*) FILTER (WHERE entered AND other_disadvantage = 'yes'),
  COUNT(*) FILTER (WHERE entered AND other_disadvantage = 'declined'),
  COUNT(*) FILTER (WHERE entered AND homeless),
  COUNT(*) FILTER (WHERE entered AND rural),
  COUNT(*) FILTER (WHERE left_),
  COUNT(*) FILTER (WHERE left_ AND is_anonymous),
  COUNT(*) FILTER (WHERE left_ AND labour_status = 'inactive'
    AND l_exit_status = 'job_searching' AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_exit_status = 'education' AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_qualification_gained AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_exit_status = 'employed' AND imm),
  COUNT(*) FILTER (WHERE left_ AND dis AND (l_exit_status IN ('job_searching', 'education',
    'employed') OR l_qualification_gained) AND imm),
  COUNT(*) FILTER (WHERE left_ AND l_followup_status = 'employed' AND fu),
  COUNT(*) FILTER (WHERE left_ AND l_improved_situation AND fu),
  COUNT(*) FILTER (WHERE left_ AND age_at_entry > 54 AND l_followup_status = 'employed'
    AND fu),
  COUNT(*) FILTER (WHERE left_ AND dis AND l_followup_status = 'employed' AND fu)
FROM x
GROUP BY sex
"""


def add_arguments(parser):
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="first memory measure")
    parser.add_argument("--reuse", action="store_true", help="keep the rows already loaded")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing")
    parser.add_argument(
        "--base-repeat", type=int, default=1, help="runs of the base-table hand SQL (slow)"
    )
    parser.add_argument(
        "--dashboard-requests", type=int, default=60, help="region dashboard requests (0: none)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of the app's statement"
    )


def _bar(done: int, total: int, label: str) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r{label:<24} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _network() -> tuple[list[int], list[int], int]:
    """~250 centres in 13 regions; returns the centre ids, those of region 1, a user id."""
    from koinotita.accounts.models import User
    from koinotita.organisations.models import Centre, Municipality, Region, RegionalUnit

    if not Region.objects.filter(code="bench-r01").exists():
        for r in range(1, REGIONS + 1):
            region = Region.objects.create(code=f"bench-r{r:02d}", name=f"Π{r}", name_en=f"R{r}")
            unit = RegionalUnit.objects.create(
                region=region, code=f"bench-u{r:02d}", name=f"ΠΕ{r}", name_en=f"U{r}"
            )
            for c in range(1, CENTRES_PER_REGION + 1):
                code = f"bench-{r:02d}-{c:02d}"
                municipality = Municipality.objects.create(
                    regional_unit=unit, code=code, name=f"Δ{r}-{c}", name_en=f"M{r}-{c}"
                )
                Centre.objects.create(municipality=municipality, code=code, name=code,
                                      name_en=code)  # fmt: skip
    user, _created = User.objects.get_or_create(username="bench-indicators")
    ids = list(
        Centre.objects.filter(code__startswith="bench-").order_by("pk").values_list("pk", flat=True)
    )
    region = list(
        Centre.objects.filter(municipality__regional_unit__region__code="bench-r01").values_list(
            "pk", flat=True
        )
    )
    return ids, region, user.pk


COLUMNS = (
    "centre_id, person_id, is_anonymous, entry_date, sex, age_at_entry, labour_status, "
    "unemployed_months, in_education, self_employed, isced, jobless_household, "
    "dependent_children, single_adult, migrant, foreign_background, third_country, minority, "
    "disability, other_disadvantage, homeless, rural, exit_date, exit_status, "
    "exit_self_employed, qualification_gained, exit_observed_on, followup_on, followup_status, "
    "improved_situation, note, created_by_id, created_at, updated_at"
)


def _rows(rng: random.Random, first_person: int, count: int, centres: list[int], user: int):
    """Tab-separated participation rows for persons first_person … first_person+count-1."""
    day0 = dt.date(2024, 10, 1)
    answers = ("no",) * 17 + ("yes", "yes", "declined")
    statuses = ("unemployed",) * 5 + ("inactive",) * 3 + ("employed",) * 2
    exits = ("employed", "job_searching", "education", "inactive")
    now = "2026-01-01 00:00:00+00"
    t, f = "t", "f"
    for person in range(first_person, first_person + count):
        centre = centres[person % len(centres)]
        entries = 2 if rng.random() < 0.1 else 1
        entry = day0 + dt.timedelta(days=rng.randrange(450))
        sex = "F" if rng.random() < 0.55 else ("M" if rng.random() < 0.99 else "X")
        age = rng.randrange(15, 75)
        for _n in range(entries):
            status = rng.choice(statuses)
            months = str(rng.randrange(1, 40)) if status == "unemployed" else r"\N"
            leaves = rng.random() < 0.6
            exit_date = entry + dt.timedelta(days=rng.randrange(20, 200)) if leaves else None
            if exit_date and exit_date > dt.date(2025, 12, 31):
                exit_date = None
            followup = (
                exit_date + dt.timedelta(days=rng.randrange(150, 215))
                if exit_date and rng.random() < 0.5
                else None
            )
            yield "\t".join(
                (
                    str(centre), str(person), f, entry.isoformat(), sex, str(age), status,
                    months, t if status == "inactive" and rng.random() < 0.3 else f,
                    t if status == "employed" and rng.random() < 0.2 else f,
                    rng.choice(("0", "1-2", "1-2", "3-4", "3-4", "3-4", "5-8")),
                    t if rng.random() < 0.2 else f, t if rng.random() < 0.3 else f,
                    t if rng.random() < 0.08 else f,
                    rng.choice(answers), rng.choice(answers), t if rng.random() < 0.05 else f,
                    rng.choice(answers), rng.choice(answers), rng.choice(answers),
                    t if rng.random() < 0.03 else f, t if rng.random() < 0.25 else f,
                    exit_date.isoformat() if exit_date else r"\N",
                    rng.choice(exits) if exit_date else "", f,
                    t if exit_date and rng.random() < 0.2 else f,
                    (exit_date + dt.timedelta(days=rng.randrange(0, 40))).isoformat()
                    if exit_date
                    else r"\N",
                    followup.isoformat() if followup else r"\N",
                    rng.choice(("employed", "unemployed", "inactive", "education"))
                    if followup
                    else "",
                    t if followup and rng.random() < 0.3 else f, "", str(user), now, now,
                )
            )  # fmt: skip
            entry = (exit_date or entry) + dt.timedelta(days=rng.randrange(10, 90))


def _load(first_person: int, count: int, centres: list[int], user: int) -> int:
    rng = random.Random(first_person)
    written, chunk = 0, 50_000
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY monitoring_participation ({COLUMNS}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for i, row in enumerate(_rows(rng, first_person, count, centres, user), start=1):
                buffer.write(row + "\n")
                written += 1
                if i % chunk == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                    _bar(min(first_person + i, first_person + count), first_person + count,
                         "loading rows")  # fmt: skip
            copy.write(buffer.getvalue())
        _bar(first_person + count, first_person + count, "loading rows")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_participation")
    return written


def _export_peak(national_scope) -> tuple[float, int]:
    from koinotita.monitoring.exports import report_csv, report_xlsx
    from koinotita.monitoring.indicators import indicator_set
    from koinotita.monitoring.reports import report_build, report_for_viewer

    tracemalloc.start()
    started = time.perf_counter()
    built = report_build(report_scope=national_scope, indicator_set=indicator_set("esf2014"),
                         start=YEAR[0], end=YEAR[1], activity=False)  # fmt: skip
    shown = report_for_viewer(built, suppress_cells=True)
    size = len(json.dumps(shown.as_json())) + len(report_csv(shown)) + len(report_xlsx(shown))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return time.perf_counter() - started, peak + 0 * size


def _time(fn, repeat: int) -> float:
    runs = []
    for _n in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _check_same(rows, scope, chosen, what: str) -> None:
    """The hand-written SQL and the application must count the same persons."""
    from koinotita.monitoring.engine import indicators_compute

    figures = indicators_compute(
        indicator_set=chosen, centre_ids=scope.centre_ids, start=YEAR[0], end=YEAR[1]
    )
    codes = ["PARTICIPANTS", "ANONYMOUS"] + [i.code for i in chosen.outputs]
    codes += ["LEAVERS", "LEAVERS_ANONYMOUS"] + [i.code for i in chosen.results]
    for sex, *values in rows:
        for code, value in zip(codes, values, strict=True):
            if figures.counts[code][sex] != value:
                raise CommandError(f"{code} {sex}: application {figures.counts[code][sex]}, "
                                   f"{what} {value}")  # fmt: skip


def _hand(sql: str, scope, work_mem: str | None = None):
    with transaction.atomic(), connection.cursor() as cursor:
        if work_mem:
            cursor.execute(f"SET LOCAL work_mem = '{work_mem}'")
        cursor.execute(sql, {"ids": list(scope.centre_ids), "start": YEAR[0], "end": YEAR[1]})
        return cursor.fetchall()


def _explain(scope, chosen, out) -> None:
    from koinotita.monitoring.engine import indicator_sql

    sql, params = indicator_sql(chosen, sorted(scope.centre_ids))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql,
                       {**params, "start": YEAR[0], "end": YEAR[1]})  # fmt: skip
        for (line,) in cursor.fetchall():
            out.write("    " + line)


def _rollup(centres: list[int]) -> int:
    """A synthetic monthly rollup for the bench centres (24 months), unless one exists."""
    from django.utils import timezone

    from koinotita.lib.dates import add_months, month_start
    from koinotita.monitoring.models import RollupCell, RollupRun
    from koinotita.people.models import Category
    from koinotita.reception.models import Channel, Service
    from koinotita.referrals.models import State

    cells = RollupCell.objects.filter(centre_id__in=centres)
    if cells.exists():
        return cells.count()
    M = RollupCell.Measure
    rng = random.Random(7)
    first = add_months(month_start(timezone.localdate()), -23)
    keys = [(M.CONTACTS, c) for c in Channel.values]
    keys += [(M.SERVICES, a) for a in Service.Axis.values]
    keys += [(M.REFERRALS, s) for s in State.values if s != State.DRAFT]
    keys += [(M.CASES_OPEN, "open")] + [(M.PERSONS, c) for c in Category.values]
    rows = (
        RollupCell(
            centre_id=centre,
            month=add_months(first, m),
            measure=measure,
            key=key,
            value=rng.randrange(0, 400),
        )  # fmt: skip
        for centre in centres
        for m in range(24)
        for measure, key in keys
    )
    made = len(RollupCell.objects.bulk_create(rows, batch_size=5000))
    now = timezone.now()
    RollupRun.objects.create(started_at=now, finished_at=now, rebuild=True, cells=made)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_rollupcell")
    return made


def _dashboard(centres: list[int], requests: int, out) -> None:
    """The region dashboard as a monitor of region 1: queries per request, p50/p95."""
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from koinotita.accounts.models import Role, RoleAssignment, ScopeLevel, User
    from koinotita.organisations.models import Region
    from koinotita.testing.queries import working

    cells = _rollup(centres)
    url = "/monitoring/dashboard/?scope=region:bench-r01"
    times, cpu, counts = [], [], []
    with override_settings(REQUIRE_2FA=False, SECURE_SSL_REDIRECT=False), transaction.atomic():
        monitor = User.objects.create(username="bench.indicators.monitor", password="!")
        RoleAssignment.objects.create(user=monitor, role=Role.MONITOR, level=ScopeLevel.REGION,
                                      region=Region.objects.get(code="bench-r01"))  # fmt: skip
        client = Client(HTTP_HOST="localhost", headers={"Accept-Language": "el"})
        client.force_login(monitor)
        assert client.get(url).status_code == 200  # warm: what a live system already has
        for i in range(requests + 5):
            with CaptureQueriesContext(connection) as captured:
                started, used = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                used = time.process_time() - used
            assert response.status_code == 200 and b"chart-contacts" in response.content
            if i >= 5:
                times.append(elapsed * 1000)
                cpu.append(used * 1000)
                counts.append(len(working(captured)))
        transaction.set_rollback(True)
    out.write(
        f"region dashboard as a monitor ({len(centres) // REGIONS} centres, {cells:,} rollup "
        f"cells in all): {max(counts)} queries, p50 {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 95):.1f} ms, app CPU p50 {statistics.median(cpu):.1f} ms "
        f"({requests} requests; goal ≤ 12 queries, p95 ≤ 150 ms "
        f"{'OK' if max(counts) <= 12 and percentile(times, 95) <= 150 else 'MISSED'})"
    )


def run(options, out):
    import os

    from koinotita.monitoring.engine import indicators_compute
    from koinotita.monitoring.indicators import indicator_set
    from koinotita.monitoring.models import ParticipantSummary
    from koinotita.monitoring.selectors import ReportScope
    from koinotita.monitoring.summary import summary_rebuild

    if connection.vendor != "postgresql":
        raise CommandError("This benchmark needs PostgreSQL (its own database).")
    if connection.settings_dict["NAME"] == "koinotita_bench":
        raise CommandError("Use a database of your own, not koinotita_bench.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        # Synthetic person ids (see the docstring): in this database only.
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = "
            "'monitoring_participation'::regclass AND contype = 'f' AND conname LIKE "
            "'%%person_id%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE monitoring_participation DROP CONSTRAINT "{name}"')
    centres, region, user = _network()
    total, small = options["participants"], min(options["small"], options["participants"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT person_id) FROM monitoring_participation")
        have = cursor.fetchone()[0]
    if not options["reuse"] or have not in (small, total):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE monitoring_participantsummary, monitoring_participation")
        have = 0
    rows = 0
    summary_seconds = None

    def summarise():
        nonlocal summary_seconds
        if ParticipantSummary.objects.count() == have:
            return
        began = time.perf_counter()
        summary_rebuild()
        summary_seconds = time.perf_counter() - began

    national = ReportScope("national", "", "National", tuple(centres), suppress=True)
    regional = ReportScope("region", "bench-r01", "R1", tuple(region), suppress=True)
    if have < small:
        rows += _load(1, small, centres, user)
        have = small
    summarise()
    memory_small = _export_peak(national) if have == small else None
    if have < total:
        rows += _load(small + 1, total - small, centres, user)
        have = total
    summarise()
    build_seconds = time.perf_counter() - started
    memory_full = _export_peak(national)
    chosen = indicator_set("esf2014")
    summary_note = f", of which the summary {summary_seconds:.0f} s" if summary_seconds else ""
    out.write(f"Participants: {total:,} in {len(centres)} centres ({rows:,} rows loaded now); "
              f"build {build_seconds:.0f} s{summary_note}")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM monitoring_participation")
        out.write(f"rows in monitoring_participation: {cursor.fetchone()[0]:,}; "
                  f"in the summary: {ParticipantSummary.objects.count():,}")  # fmt: skip
    out.write(f"load average before the timings: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    out.write(f"{'report':<15} {'application':>12} {'app CPU':>8} {'hand SQL':>10} {'ratio':>6}"
              f" {'base-table SQL':>15}  goal")  # fmt: skip
    for name, scope in (("region-year", regional), ("national-year", national)):

        def app(scope=scope):
            return indicators_compute(
                indicator_set=chosen, centre_ids=scope.centre_ids, start=YEAR[0], end=YEAR[1]
            )

        _check_same(_hand(HAND_SQL, scope), scope, chosen, "hand-written SQL")
        app()  # warm
        used = time.process_time()
        app_seconds = _time(app, options["repeat"])
        app_cpu = (time.process_time() - used) / max(options["repeat"], 1)
        raw = _time(lambda scope=scope: _hand(HAND_SQL, scope), options["repeat"])
        base = None
        if options["base_repeat"]:
            _check_same(_hand(HAND_SQL_BASE, scope, BASE_WORK_MEM), scope, chosen,
                        "base-table hand SQL")  # fmt: skip
            base = _time(lambda scope=scope: _hand(HAND_SQL_BASE, scope, BASE_WORK_MEM),
                         options["base_repeat"])  # fmt: skip
        ok = app_seconds <= GOALS[name] and app_seconds <= GOAL_RATIO * raw
        out.write(
            f"{name:<15} {app_seconds * 1000:>10.0f}ms {app_cpu * 1000:>6.1f}ms "
            f"{raw * 1000:>8.0f}ms {app_seconds / raw:>5.2f}× "
            + (f"{base * 1000:>13.0f}ms" if base is not None else f"{'—':>15}")
            + f"  ≤ {GOALS[name]:.0f} s, ≤ {GOAL_RATIO}× {'OK' if ok else 'MISSED'}"
        )
        if options["explain"]:
            _explain(scope, chosen, out)
    if memory_small is not None:
        out.write(
            f"national-year export peak memory: {memory_small[1] / 1024:,.0f} KiB at "
            f"{small:,} participants, {memory_full[1] / 1024:,.0f} KiB at {total:,} "
            f"(ratio {memory_full[1] / max(memory_small[1], 1):.2f})"
        )
    else:
        out.write(f"national-year export peak memory: {memory_full[1] / 1024:,.0f} KiB")
    if options["dashboard_requests"]:
        _dashboard(centres, options["dashboard_requests"], out)
    out.write(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
