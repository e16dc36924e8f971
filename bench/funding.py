"""`bench/run funding`: the operation page and the region view at volume.

Creates, for every active centre, an operation over `--years` years (default 5) with an
amendment, yearly budgets per category, and `--per-month` expenditures a month (default
30: thousands of rows per centre), loaded through the real import
(`funding.services.expenditure_import`). Then requests the operation page of each
centre's operation (as the supervisor of its municipality) and the region view (as the
region's monitor) `--requests` times each through Django's test client, and prints the
SQL queries per request and p50/p95/p99 in ms next to the raw-SQL figure: the same SELECTs
replayed on a raw cursor (the database's share, without ORM, templates and middleware).

Everything runs in one transaction that is rolled back: the benchmark leaves nothing.
"""

import datetime as dt
import os
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.common import percentile
from koinotita.accounts.models import Role, RoleAssignment, ScopeLevel, User
from koinotita.demo.funding import rows_csv, spending_rows
from koinotita.funding import services
from koinotita.funding.models import Category, Expenditure, SourceKind
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Centre, Region
from koinotita.organisations.services import network_load_reference

help = "Operation page and region view at volume: queries and p50/p95/p99."

MAX_QUERIES = 12
TARGET_P95_MS = 200
WARM_UP = 5
REGION = "dytiki-makedonia"


def add_arguments(parser):
    parser.add_argument("--years", type=int, default=5, help="years of spending (default 5)")
    parser.add_argument(
        "--per-month", type=int, default=30, help="expenditures per month (default 30)"
    )
    parser.add_argument("--requests", type=int, default=100, help="per page (default 100)")


def _load(options, out) -> list:
    centres = list(Centre.objects.filter(is_active=True).select_related("municipality"))
    today = dt.date.today()
    start = dt.date(today.year - options["years"], 1, 1)
    end = dt.date(today.year + 1, 12, 31)
    operations = []
    bar = Progress("loading operations", len(centres), out)
    for number, centre in enumerate(centres, start=1):
        budget = Decimal("2000000.00")
        op = services.operation_create(
            actor=services.SYSTEM,
            title=f"Bench · {centre.name}",
            code=f"BENCH-{centre.code}",
            programme="Bench",
            managing_authority="Bench",
            beneficiary=centre.municipality,
            centres=[centre],
            start_date=start,
            end_date=end - dt.timedelta(days=365),
            budget=Decimal("1500000.00"),
            sources=[(SourceKind.ESF_PLUS, "85"), (SourceKind.NATIONAL, "15")],
            implementation_mode="contracted",
            is_sample=True,
        )
        services.amendment_record(
            actor=services.SYSTEM,
            operation=op,
            date=start + dt.timedelta(days=400),
            decision_ref=f"BENCH-{number}",
            reason="bench",
            new_budget=budget,
            new_end_date=end,
        )
        per_year = (budget / (end.year - start.year + 1)).quantize(Decimal("0.01"))
        for year in range(start.year, end.year + 1):
            share = (per_year / 4).quantize(Decimal("0.01"))
            services.year_budget_set(
                actor=services.SYSTEM,
                operation=op,
                year=year,
                amounts={c: share for c in Category.values},
            )
        rows = spending_rows(
            code=op.code,
            start=start,
            end=end,
            budget=budget,
            pace=Decimal("0.95"),
            until=today,
            per_month=max(1, options["per_month"] // 4),
        )
        result = services.expenditure_import(
            actor=services.SYSTEM, operation=op, file_name="bench.csv", data=rows_csv(rows)
        )
        assert result.ok, result.as_dict()
        operations.append(op)
        bar.update(number)
    bar.finish()
    return operations


def _measure(clients_urls, n: int, out, label: str) -> dict:
    times, cpu_times, raw_times, counts = [], [], [], []
    bar = Progress(label, n, out)
    for i in range(n + WARM_UP):
        client, url = clients_urls[i % len(clients_urls)]
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                start, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                cpu = (time.process_time() - cpu) * 1000
            transaction.set_rollback(True)
        assert response.status_code == 200, (url, response.status_code)
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        raw = (time.perf_counter() - start) * 1000
        if i >= WARM_UP:
            times.append(elapsed)
            cpu_times.append(cpu)
            raw_times.append(raw)
            counts.append(len(captured.captured_queries))
            bar.update(i - WARM_UP + 1)
    bar.finish()
    return {
        "label": label,
        "queries": max(counts),
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "cpu_p50": statistics.median(cpu_times),
        "raw_p50": statistics.median(raw_times),
        "raw_p95": percentile(raw_times, 95),
    }


def _user(username: str, role: str, level: str, **place) -> User:
    user = User.objects.create(username=username, password="!")
    RoleAssignment.objects.create(user=user, role=role, level=level, **place)
    return user


def run(options, out):
    results = []
    with (
        override_settings(REQUIRE_2FA=False, SECURE_SSL_REDIRECT=False),
        transaction.atomic(),
    ):
        if not Region.objects.filter(code=REGION).exists():
            network_load_reference()
        started = time.perf_counter()
        operations = _load(options, out)
        loaded = time.perf_counter() - started
        region = Region.objects.get(code=REGION)
        in_region = [op for op in operations if op.beneficiary.regional_unit.region_id == region.pk]
        pages = []
        for op in in_region:
            supervisor = _user(
                f"bench.funding.{op.beneficiary.code}",
                Role.SUPERVISOR,
                ScopeLevel.MUNICIPALITY,
                municipality=op.beneficiary,
            )
            client = Client(HTTP_HOST="localhost", headers={"Accept-Language": "el"})
            client.force_login(supervisor)
            pages.append((client, f"/funding/{op.pk}/"))
        results.append(_measure(pages, options["requests"], out, "operation page"))
        monitor = _user("bench.funding.monitor", Role.MONITOR, ScopeLevel.REGION, region=region)
        client = Client(HTTP_HOST="localhost", headers={"Accept-Language": "el"})
        client.force_login(monitor)
        region_url = f"/funding/region/{REGION}/"
        results.append(_measure([(client, region_url)], options["requests"], out, "region view"))
        rows = Expenditure.objects.count()
        transaction.set_rollback(True)
    out.write("")
    out.write(
        f"{connection.vendor} ({connection.settings_dict['NAME']}): {len(operations)} "
        f"operations, {rows:,} expenditures ({rows // max(len(operations), 1):,} per centre), "
        f"loaded through the import in {loaded:.1f} s; {len(in_region)} operations in "
        f"{region.name}."
    )
    out.write(
        f"{'page':<16} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'raw p50':>8} {'raw p95':>8} {'app CPU p50':>11}"
    )
    ok = True
    for r in results:
        out.write(
            f"{r['label']:<16} {r['queries']:>7} {r['p50']:>8.1f} {r['p95']:>8.1f}"
            f" {r['p99']:>8.1f} {r['raw_p50']:>8.1f} {r['raw_p95']:>8.1f} {r['cpu_p50']:>11.1f}"
        )
        ok = ok and r["queries"] <= MAX_QUERIES and r["p95"] <= TARGET_P95_MS
    out.write(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; app CPU = this "
        "process's CPU time per request (Python: ORM, figures, templates), less sensitive "
        "to other load than the wall-clock figures."
    )
    out.write(
        f"target: ≤ {MAX_QUERIES} queries and p95 ≤ {TARGET_P95_MS} ms per page — "
        + ("met" if ok else "NOT met")
    )
