"""`bench/run hsds`: what referrals teach about each service, and the HSDS API, at volume.

    bench/run hsds [--services 2000] [--referrals 50000] [--requests 30]

Builds its own data once in the configured database (use a database of your own; it
refuses `koinotita_bench`): synthetic services (bench/directory.py's generator) and
REFERRALS outgoing referrals of one centre to them, sent over the last 400 days in every
state. Then measures, p50/p95 in ms:

- the figures of every service at once (`service_outcomes(None)`: what the referral form's
  service picker computes), next to one raw GROUP BY on the same connection, and checks
  that both give the same counts for every service;
- the figures of one service (`service_outcomes([id])`: the service page);
- the HSDS API through the whole Django stack: a page of services (list and full form),
  one service, a page of services at locations, every service as NDJSON;
- the import of every official HSDS example (checked, then rolled back).
"""

import random
import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from bench.common import percentile
from bench.directory import generate
from bench.referrals import _persons, _refuse_shared_database
from koinotita.accounts.models import Role, ScopeLevel, User
from koinotita.accounts.services import role_grant
from koinotita.directory import hsds
from koinotita.directory.models import Service
from koinotita.directory.services import directory_import
from koinotita.organisations.models import Centre
from koinotita.referrals.models import Direction, Referral, State
from koinotita.referrals.selectors import OUTCOME_WINDOW_DAYS, service_outcomes

help = "Referral figures per service and the HSDS API: p50/p95, next to raw SQL."

EXAMPLES = Path(__file__).resolve().parent.parent / "koinotita/directory/tests/hsds_examples"
REASON = "Συνθετική παραπομπή του benchmark hsds."
STATES = [
    (State.SENT, 10),
    (State.RECEIVED, 5),
    (State.ACCEPTED, 15),
    (State.DECLINED, 15),
    (State.COMPLETED, 40),
    (State.NOT_COMPLETED, 10),
    (State.WITHDRAWN, 5),
]
RAW = """
SELECT service_id, COUNT(*),
       COUNT(answered_at),
       COUNT(accepted_at),
       SUM(CASE WHEN state IN ('completed', 'not_completed') THEN 1 ELSE 0 END),
       SUM(CASE WHEN state = 'completed' THEN 1 ELSE 0 END){median}
  FROM referrals_referral
 WHERE direction = 'outgoing' AND service_id IS NOT NULL AND sent_at >= %s
   AND NOT (state = 'withdrawn' AND answered_at IS NULL)
 GROUP BY service_id
"""


def add_arguments(parser):
    parser.add_argument("--services", type=int, default=2000, help="default 2000")
    parser.add_argument("--referrals", type=int, default=50000, help="default 50000")
    parser.add_argument("--requests", type=int, default=30, help="per measure (default 30)")
    parser.add_argument("--centre", default="kastoria")
    parser.add_argument("--seed", type=int, default=1)


def _caseworker(centre: Centre) -> User:
    user, created = User.objects.get_or_create(
        username=f"bench.hsds.{centre.code}", defaults={"first_name": "Bench"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        role_grant(user=user, role=Role.CASEWORKER, level=ScopeLevel.CENTRE, place=centre)
    return user


def _load(centre, caseworker, n: int, rng: random.Random, out) -> None:
    have = Referral.objects.filter(centre=centre, reason=REASON).count()
    if have >= n:
        out.write(f"  {have:,} bench referrals already there: reused\n")
        return
    services = list(Service.objects.values_list("pk", "organization_id"))
    persons = _persons(centre, max(200, n // 10), rng)
    states = [s for s, w in STATES for _ in range(w)]
    now = timezone.now()
    for start in range(have, n, 2000):
        rows = []
        for _ in range(start, min(n, start + 2000)):
            state = rng.choice(states)
            service_id, organization_id = rng.choice(services)
            sent = now - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1440))
            answered = None
            if state not in (State.SENT, State.RECEIVED, State.WITHDRAWN):
                answered = sent + timedelta(hours=rng.randint(2, 24 * 20))
            accepted = answered if state in (State.ACCEPTED, State.COMPLETED) else None
            if state == State.NOT_COMPLETED:
                accepted = answered
            rows.append(
                Referral(
                    centre=centre,
                    person_id=rng.choice(persons),
                    direction=Direction.OUTGOING,
                    service_id=service_id,
                    organization_id=organization_id,
                    reason=REASON,
                    state=state,
                    created_by=caseworker,
                    sent_at=sent,
                    received_at=answered,
                    answered_at=answered,
                    accepted_at=accepted,
                )
            )
        with transaction.atomic():
            Referral.objects.bulk_create(rows)
    out.write(f"  {n - have:,} bench referrals loaded\n")


def _time(fn, n: int) -> dict:
    for _ in range(min(3, n)):
        fn()
    latencies = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        latencies.append((time.perf_counter() - t0) * 1000)
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 95)}


# PostgreSQL computes the median response time too (in hours), so the answers compared are
# the whole figures; SQLite has no median aggregate, so there only the counts are compared.
MEDIAN_SQL = (
    ",\n       PERCENTILE_CONT(0.5) WITHIN GROUP"
    " (ORDER BY EXTRACT(EPOCH FROM answered_at - sent_at)) / 3600"
)


def _time_interleaved(fns: list, n: int) -> list[dict]:
    """Each strategy run n times in turn (a, b, a, b, …), so that both meet the same cache and
    the same machine load."""
    for fn in fns:
        fn()
    latencies: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, times in zip(fns, latencies, strict=True):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    return [{"p50": statistics.median(t), "p95": percentile(t, 95)} for t in latencies]


def _raw(since) -> dict:
    median = MEDIAN_SQL if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(RAW.format(median=median), [since])
        # SQLite keeps a UUID as 32 hex digits, PostgreSQL as a uuid: one form for both.
        return {str(uuid.UUID(str(row[0]))): tuple(row[1:]) for row in cursor.fetchall()}


def _same_counts(app: dict, raw: dict) -> tuple[int, int]:
    same = 0
    for pk, expected in raw.items():
        o = app.get(pk)
        if o is None:
            continue
        got = (o.referrals, o.answered, o.accepted, o.outcomes, o.completed)
        if len(expected) > len(got):  # with the median
            same_median = (expected[-1] is None and o.median_hours is None) or (
                expected[-1] is not None
                and o.median_hours is not None
                and abs(expected[-1] - o.median_hours) < 1e-6
            )
            same += got == tuple(expected[:-1]) and same_median
        else:
            same += got == tuple(expected)
    return same, len(raw)


def _imports() -> list[tuple[str, float, bool]]:
    out = []
    for path in sorted(EXAMPLES.glob("*.json")) + [EXAMPLES / "csv"]:
        t0 = time.perf_counter()
        with transaction.atomic():
            report = directory_import(tables=hsds.read_path(path), dry_run=True)
            transaction.set_rollback(True)
        out.append((path.name, (time.perf_counter() - t0) * 1000, report.error is None))
    return out


def run(options, out):
    _refuse_shared_database()
    rng = random.Random(options["seed"])
    centre = Centre.objects.filter(code=options["centre"]).first()
    if centre is None:
        from koinotita.organisations.services import (
            network_load_reference,  # import on use: only on an empty database
        )

        network_load_reference()
        centre = Centre.objects.get(code=options["centre"])
    generate(out, options["services"], rng)
    caseworker = _caseworker(centre)
    _load(centre, caseworker, options["referrals"], rng, out)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referrals_referral")
    n = options["requests"]
    now = timezone.now()  # one instant for both strategies: the same 12-month window
    since = now - timedelta(days=OUTCOME_WINDOW_DAYS)
    in_window = Referral.objects.filter(sent_at__gte=since, service__isnull=False).count()
    out.write(
        f"\nHSDS · {Service.objects.count():,} services · {in_window:,} referrals sent in the "
        f"last 12 months · {n} runs each · {connection.vendor}\n\n"
    )
    one = Referral.objects.filter(reason=REASON).values_list("service_id", flat=True).first()
    app_times, raw_times = _time_interleaved(
        [lambda: service_outcomes(None, now=now), lambda: _raw(since)], n
    )
    rows = [
        ("figures, every service (picker)", app_times),
        ("raw SQL GROUP BY (floor)", raw_times),
        ("figures, one service (page)", _time(lambda: service_outcomes([one], now=now), n)),
    ]
    app = service_outcomes(None, now=now)
    same, total = _same_counts(app, _raw(since))
    shown = sum(1 for o in app.values() if not o.suppressed)
    compared = "counts and median" if connection.vendor == "postgresql" else "counts"
    host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0]
    client = Client(HTTP_HOST=host)
    secure = settings.HTTPS
    api = "/api/v1/directory"
    calls = [
        ("API /services (page of 50)", f"{api}/services", {"per_page": 50}),
        ("API /services full (50)", f"{api}/services", {"per_page": 50, "full": "true"}),
        ("API /services/{id}", f"{api}/services/{one}", {}),
        ("API /service_at_locations (50)", f"{api}/service_at_locations", {"per_page": 50}),
        ("API /services ndjson (all)", f"{api}/services", {"format": "ndjson"}),
    ]
    with override_settings(SECURE_SSL_REDIRECT=False):
        for label, path, params in calls:

            def call(path=path, params=params):
                response = client.get(path, params, secure=secure)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")

            rows.append((label, _time(call, max(3, n // 3) if "ndjson" in label else n)))
    out.write(f"{'measure':<34} {'p50 ms':>9} {'p95 ms':>9}\n")
    for label, r in rows:
        out.write(f"{label:<34} {r['p50']:>9.1f} {r['p95']:>9.1f}\n")
    out.write(
        f"\nsame figures from the application and raw SQL ({compared}): "
        f"{same} of {total} services; "
        f"figures shown (5 or more referrals) for {shown:,} of {len(app):,}\n"
    )
    out.write("\nimport of the official HSDS examples (checked, rolled back):\n")
    for name, ms, ok in _imports():
        out.write(f"  {name:<32} {ms:>8.1f} ms  {'read' if ok else 'REFUSED'}\n")
