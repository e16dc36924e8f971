"""`bench/run programmes`: a pre-screening of a household over the whole catalogue.

Loads the reference catalogue (in a transaction that is rolled back), then pre-screens a
household of two adults and two children `--runs` times on days before and after
1-12-2023, in-process, as the page does it (`screening.evaluate`: the parameters in force
on the day, one query, then every programme's rule), and prints p50/p95/p99 in ms against
the goal of issue 13 (p95 ≤ 50 ms). The figures page against a hand-SQL baseline is not
here yet."""

import datetime as dt
import time
from decimal import Decimal

from django.db import connection, transaction

from bench.common import percentile
from koinotita.programmes import screening
from koinotita.programmes.reference import programmes_load_reference
from koinotita.programmes.rules import Facts, Member

help = "Pre-screening of a household over the whole catalogue: p50/p95/p99."

TARGET_P95_MS = 50
WARM_UP = 20
FAMILY = Facts(
    members=(Member(40, "head"), Member(38, "partner"), Member(10, "child"), Member(7, "child")),
    income_6m=Decimal("600"),
    deposits=Decimal("1000"),
    real_estate=Decimal("0"),
    single_parent=False,
    renting=True,
)
DAYS = (dt.date(2023, 11, 30), dt.date(2023, 12, 1))


def add_arguments(parser):
    parser.add_argument("--runs", type=int, default=1000, help="pre-screenings (default 1000)")


def run(options, out):
    with transaction.atomic():
        programmes_load_reference()
        for n in range(WARM_UP):
            screening.evaluate(FAMILY, DAYS[n % 2])
        times = []
        amounts = set()
        for n in range(options["runs"]):
            started = time.perf_counter()
            results = screening.evaluate(FAMILY, DAYS[n % 2])
            times.append((time.perf_counter() - started) * 1000)
            amounts.add(next(r.amount for r in results if r.programme == "minimum-income"))
        programmes = len(results)
        transaction.set_rollback(True)
    p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
    out.write(
        f"{connection.vendor}: {options['runs']} pre-screenings over {programmes} programmes; "
        f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms (goal p95 ≤ {TARGET_P95_MS} ms: "
        f"{'met' if p95 <= TARGET_P95_MS else 'NOT met'}); minimum income amounts seen: "
        f"{sorted(str(a) for a in amounts)}"
    )
