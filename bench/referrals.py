"""`bench/run referrals`: the referral list pages at volume — SQL queries per page and
p50/p95 latency through the whole Django stack (middleware, scoping, audit, templates),
next to the raw SQL of the same list on the same connection.

    bench/run referrals [--referrals 20000] [--requests 200] [--centre kastoria]

Builds its own data once, in the configured database (use a database of your own, e.g.
`createdb koinotita_referrals_bench`; it refuses `koinotita_bench`, which others load): a
caseworker, a partner user of a bench organisation with 20 services, persons of the
centre, and REFERRALS referrals in every state, bulk-inserted (the services are measured
by the test suite; here the reads are). A second run reuses them. See bench/README.md.
"""

import os
import random
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koinotita.accounts.models import Role, ScopeLevel, User
from koinotita.accounts.services import role_grant
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Centre
from koinotita.people.models import Person

help = "Referral list pages: queries per page and p50/p95, next to raw SQL on the same DB."

BENCH_ORG = "Bench · φορέας παραπομπών"
STATES = [
    ("draft", 5),
    ("sent", 20),
    ("received", 10),
    ("accepted", 20),
    ("declined", 10),
    ("completed", 25),
    ("not_completed", 5),
    ("withdrawn", 5),
]
PAGES = [
    ("list", "/referrals/", {}),
    ("list · state=sent", "/referrals/", {"state": "sent"}),
    ("list · overdue", "/referrals/", {"overdue": "1"}),
    ("list · page 20", "/referrals/", {"page": "20"}),
    ("partner inbox", "/referrals/inbox/", {}),
]
RAW_LIST = """
SELECT r.id, r.protocol_number, r.state, r.urgency, r.direction, r.response_due,
       r.created_at, r.from_body, p.family_name, p.given_name, s.name, o.name, u.username
FROM referrals_referral r
JOIN people_person p ON p.id = r.person_id
LEFT JOIN directory_service s ON s.id = r.service_id
LEFT JOIN directory_organization o ON o.id = r.organization_id
JOIN accounts_user u ON u.id = r.created_by_id
WHERE r.centre_id IN (%s)
ORDER BY r.created_at DESC, r.id DESC
LIMIT 50
"""
# Transaction control (BEGIN/COMMIT around the audit write and the session save) is counted
# apart: it is not a query of the page.
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
RAW_COUNT = "SELECT count(*) FROM referrals_referral WHERE centre_id IN (%s)"


def add_arguments(parser):
    parser.add_argument("--referrals", type=int, default=20000, help="how many (default 20000)")
    parser.add_argument("--requests", type=int, default=200, help="per page (default 200)")
    parser.add_argument("--centre", default="kastoria", help="centre code (default kastoria)")
    parser.add_argument("--seed", type=int, default=1)


def _refuse_shared_database():
    name = str(settings.DATABASES["default"]["NAME"])
    if name.endswith("koinotita_bench"):
        raise SystemExit(
            "koinotita_bench is shared (others load it): run this on a database of your own."
        )


def _users(centre: Centre, organization):
    from koinotita.referrals.models import PartnerMembership

    caseworker, created = User.objects.get_or_create(
        username=f"bench.referrals.{centre.code}", defaults={"first_name": "Bench"}
    )
    if created:
        caseworker.set_unusable_password()
        caseworker.save()
        role_grant(user=caseworker, role=Role.CASEWORKER, level=ScopeLevel.CENTRE, place=centre)
    partner, created = User.objects.get_or_create(
        username="bench.referrals.partner", defaults={"first_name": "Bench partner"}
    )
    if created:
        partner.set_unusable_password()
        partner.save()
        role_grant(user=partner, role=Role.PARTNER, level=ScopeLevel.CENTRE, place=centre)
        PartnerMembership.objects.create(user=partner, organization=organization, centre=centre)
    return caseworker, partner


def _directory():
    from koinotita.directory.models import Organization, Service

    organization = Organization.objects.filter(name=BENCH_ORG).first()
    if organization is None:
        organization = Organization.objects.create(
            name=BENCH_ORG, description="Synthetic organisation of the referral benchmark."
        )
        Service.objects.bulk_create(
            Service(organization=organization, name=f"Υπηρεσία {i + 1:02d}") for i in range(20)
        )
    return organization, list(Service.objects.filter(organization=organization))


def _persons(centre: Centre, n: int, rng: random.Random) -> list[int]:
    ids = list(
        Person.objects.filter(centre=centre, merged_into__isnull=True).values_list("pk", flat=True)[
            :n
        ]
    )
    missing = n - len(ids)
    if missing > 0:
        surnames = ["Παπαδοπούλου", "Γεωργίου", "Νικολάου", "Ιωάννου", "Δημητρίου", "Ζήση"]
        given = ["Μαρία", "Ελένη", "Νίκος", "Γιώργος", "Κατερίνα", "Δημήτρης"]
        Person.objects.bulk_create(
            Person(
                centre=centre,
                family_name=rng.choice(surnames),
                given_name=rng.choice(given),
                search_key="",
            )
            for _ in range(missing)
        )
        ids = list(
            Person.objects.filter(centre=centre, merged_into__isnull=True).values_list(
                "pk", flat=True
            )[:n]
        )
    return ids


def _load(centre, caseworker, organization, services, n: int, rng, out) -> None:
    from koinotita.referrals.models import Referral, ReferralEvent

    have = Referral.objects.filter(centre=centre, organization=organization).count()
    if have >= n:
        out.write(f"  {have:,} bench referrals already there: reused\n")
        return
    persons = _persons(centre, max(200, n // 4), rng)
    now = timezone.now()
    year = timezone.localtime(now).year
    states = [s for s, w in STATES for _ in range(w)]
    progress = Progress("referrals", n - have, out)
    batch = 2000
    for start in range(have, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            state = rng.choice(states)
            created = now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
            sent = None if state == "draft" else created + timedelta(hours=rng.randint(1, 48))
            answered = None
            if state in ("accepted", "declined", "completed", "not_completed"):
                answered = sent + timedelta(hours=rng.randint(2, 24 * 20))
            service = rng.choice(services)
            rows.append(
                Referral(
                    centre=centre,
                    person_id=rng.choice(persons),
                    service=service,
                    organization=organization,
                    reason="Συνθετική παραπομπή του benchmark.",
                    urgency=rng.choice(["routine", "routine", "priority", "urgent"]),
                    shared_fields=["name", "phone"],
                    response_due=(created + timedelta(days=14)).date(),
                    state=state,
                    protocol_number="" if sent is None else f"BENCH-{year}-{i + 1:07d}",
                    created_by=caseworker,
                    created_at=created,
                    sent_at=sent,
                    received_at=answered,
                    answered_at=answered,
                    accepted_at=answered if state in ("accepted", "completed") else None,
                    closed_at=answered if state not in ("draft", "sent", "received") else None,
                )
            )
        intended = [r.created_at for r in rows]  # auto_now_add overwrites it on insert
        with transaction.atomic():
            made = Referral.objects.bulk_create(rows)
            for r, when in zip(made, intended, strict=True):
                r.created_at = when
            Referral.objects.bulk_update(made, ["created_at"], batch_size=500)
            ReferralEvent.objects.bulk_create(
                ReferralEvent(
                    centre=centre,
                    referral=r,
                    at=r.created_at,
                    actor=caseworker,
                    via="centre",
                    to_state=r.state,
                )
                for r in made
            )
        progress.advance(len(rows))
    progress.finish()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _measure_page(client: Client, path: str, params: dict, n: int) -> dict:
    latencies, queries, control, cpu = [], [], [], []
    secure = settings.HTTPS
    for _ in range(min(5, n)):  # warm-up
        client.get(path, params, secure=secure)
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path, params, secure=secure)
            latencies.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params} answered {response.status_code}")
        statements = [q["sql"] for q in captured.captured_queries]
        queries.append(len([q for q in statements if not q.startswith(CONTROL)]))
        control.append(len(statements) - queries[-1])
    return {
        "p50": statistics.median(latencies),
        "p95": _pct(latencies, 0.95),
        "queries": max(queries),
        "control": max(control),
        "cpu": statistics.median(cpu),
    }


def _measure_raw(centre_id: int, n: int) -> dict:
    latencies = []
    with connection.cursor() as cursor:
        for _ in range(n):
            t0 = time.perf_counter()
            cursor.execute(RAW_COUNT % "%s", [centre_id])
            cursor.fetchall()
            cursor.execute(RAW_LIST % "%s", [centre_id])
            cursor.fetchall()
            latencies.append((time.perf_counter() - t0) * 1000)
    return {"p50": statistics.median(latencies), "p95": _pct(latencies, 0.95)}


def run(options, out):
    _refuse_shared_database()
    rng = random.Random(options["seed"])
    centre = Centre.objects.filter(code=options["centre"]).first()
    if centre is None:
        from koinotita.organisations.services import network_load_reference

        network_load_reference()
        centre = Centre.objects.get(code=options["centre"])
    organization, services = _directory()
    caseworker, partner = _users(centre, organization)
    _load(centre, caseworker, organization, services, options["referrals"], rng, out)

    from koinotita.referrals.models import Referral

    if connection.vendor == "postgresql":  # fresh statistics after the bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referrals_referral")
            cursor.execute("ANALYZE people_person")
    total = Referral.objects.filter(centre=centre).count()
    out.write(
        f"\nReferral list pages · centre {centre.code} · {total:,} referrals · "
        f"{options['requests']} requests each · {connection.vendor}\n\n"
    )
    host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0]
    results = []
    with override_settings(REQUIRE_2FA=False, SECURE_SSL_REDIRECT=False):
        for label, path, params in PAGES:
            user = partner if "inbox" in path else caseworker
            client = Client(HTTP_HOST=host)
            client.force_login(user)
            progress = Progress(label[:10], 1, out)
            results.append((label, _measure_page(client, path, params, options["requests"])))
            progress.advance(1)
            progress.finish()
    raw = _measure_raw(centre.pk, options["requests"])
    out.write(
        f"\n{'page':<22} {'queries':>7} {'+txn':>5} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8}\n"
    )
    for label, r in results:
        out.write(
            f"{label:<22} {r['queries']:>7} {r['control']:>5} {r['p50']:>8.1f} "
            f"{r['p95']:>8.1f} {r['cpu']:>8.1f}\n"
        )
    out.write(
        f"{'raw SQL (count+page)':<22} {2:>7} {0:>5} {raw['p50']:>8.1f} {raw['p95']:>8.1f}\n"
        "\nGoal (shared/PERFORMANCE.md): any staff page ≤ 12 queries, p95 ≤ 150 ms.\n"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    out.write(f"Load average of the machine during the run: {load} ({os.cpu_count()} cores).\n")
    worst = max(r["queries"] for _, r in results)
    verdict = "within" if worst <= 12 else "OVER"
    out.write(f"Most queries on one page: {worst} — {verdict} the budget.\n")
