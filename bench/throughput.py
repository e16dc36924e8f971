"""Front-desk throughput through the real services, on the configured database:
registrations per second (`people.services.person_register`: validation, duplicate check,
look-alike check, the consent to registration, audit), further consents per second
(`consent_record`, for SMS) and contacts per second
(`reception.services.contact_log`), with latency percentiles and SQL queries per call.

    bench/run throughput [--n 500] [--centre CODE] [--rollback]

Each call runs in its own transaction and commits, as at the front desk; the persons and
contacts it creates stay (use a benchmark database, such as one built with `synth`), unless
--rollback wraps the whole run in one transaction that is rolled back at the end (commits
are then not measured).
"""

import json
import random
import statistics
import time
from datetime import date, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koinotita.accounts.models import Role, RoleAssignment, ScopeLevel, User
from koinotita.accounts.services import role_grant
from koinotita.demo.synthetic import (
    COLUMNS,
    Calendar,
    Identifiers,
    Names,
    PersonMaker,
)
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Centre, Site
from koinotita.people.models import Consent, Person
from koinotita.people.services import consent_record, person_register
from koinotita.reception.models import Channel, Service
from koinotita.reception.services import contact_log

help = "registrations and contacts per second through the real services"

# What a receptionist types; the rest (Latin names, search key, …) the service derives.
TYPED = (
    "given_name", "family_name", "father_name", "mother_name", "sex", "birth_date",
    "citizenship", "amka", "afm", "id_document_type", "id_document_number", "phone", "email",
    "address", "postal_code", "residence_municipality_id", "preferred_language", "categories",
)  # fmt: skip


class _Rollback(Exception):
    pass


def add_arguments(parser):
    parser.add_argument("--n", type=int, default=500, help="calls of each service (default 500)")
    parser.add_argument(
        "--centre", default="", help="centre code (default: the first with persons)"
    )
    parser.add_argument("--rollback", action="store_true", help="roll everything back at the end")
    parser.add_argument("--seed", type=int, default=1)


def _centre(code: str) -> Centre:
    if code:
        return Centre.objects.select_related("municipality").get(code=code)
    with_persons = Person.objects.order_by("id").values("centre_id")[:1]
    centre = Centre.objects.filter(pk__in=with_persons).select_related("municipality").first()
    return centre or Centre.objects.select_related("municipality").order_by("id").first()


def _receptionist(centre: Centre) -> User:
    """A reception user of the centre: a synthetic one if synth made them, else one made here."""
    found = (
        RoleAssignment.objects.filter(centre=centre, role=Role.RECEPTION, is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if found:
        return found.user
    user, _ = User.objects.get_or_create(
        username=f"bench.{centre.code}", defaults={"first_name": "Bench", "password": "!bench"}
    )
    role_grant(user=user, role=Role.RECEPTION, level=ScopeLevel.CENTRE, place=centre)
    return user


def _registrations(centre: Centre, actor: User, n: int, seed: int) -> list[dict]:
    """`n` realistic registration forms with identifiers not yet used in the centre."""
    today = timezone.localdate()
    existing = Person.objects.filter(centre=centre)
    ids = Identifiers(
        used_amka=existing.exclude(amka="").values_list("amka", flat=True),
        used_afm=existing.exclude(afm="").values_list("afm", flat=True),
        used_documents=existing.exclude(id_document_number="").values_list(
            "id_document_number", flat=True
        ),
        start=existing.count() + 10_000_000 + seed * 100_000,
    )
    maker = PersonMaker(
        names=Names(), ids=ids, calendar=Calendar(today=today, years=1, suffix=""), today=today
    )
    rng = random.Random(f"{seed}:throughput:{centre.code}")
    rand = rng.random
    position = {name: i for i, name in enumerate(COLUMNS["person"])}
    forms: list[dict] = []
    while len(forms) < n:
        members = maker.household(rand, roma=False, migrant=None)
        persons, *_ = maker.rows_for_household(
            rand,
            members=members,
            person_id=0,
            household_id=0,
            centre_id=centre.pk,
            municipality_id=centre.municipality_id,
            postal_code="",
            area_code="24670",
            staff=[actor.pk],
            reg_day=0,
            reg_slot=0,
            roma=False,
            migrant=None,
            flags={"programme": False, "min_income": False, "poverty": False,
                   "basic_needs": False},
        )  # fmt: skip
        for row in persons:
            form = {name: row[position[name]] for name in TYPED}
            form["categories"] = json.loads(form["categories"])
            form["birth_date"] = date.fromisoformat(form["birth_date"])
            forms.append(form)
    return forms[:n]


def _timed(label: str, n: int, stdout, call) -> dict:
    progress = Progress(label, n, stdout)
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        call(i)
        latencies.append(time.perf_counter() - t0)
        progress.advance(1)
    seconds = time.perf_counter() - started
    progress.finish()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "label": label,
        "n": n,
        "seconds": seconds,
        "rate": n / seconds if seconds else 0.0,
        "p50": statistics.median(latencies) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
    }


def run(options, stdout):
    n = options["n"]
    if n < 1:
        stdout.write("--n must be 1 or more.")
        return
    centre = _centre(options["centre"])
    if centre is None:
        stdout.write("No centre: load the network first (`koinotita network --load-reference`).")
        return
    site = Site.objects.get(centre=centre, kind=Site.Kind.MAIN)
    actor = _receptionist(centre)
    services = list(Service.objects.filter(is_active=True).order_by("axis", "order")[:4])
    stdout.write(
        f"Throughput on {connection.vendor} ({connection.settings_dict['NAME']}), centre "
        f"{centre.code} ({Person.objects.filter(centre=centre).count():,} persons), as "
        f"{actor.username}; n = {n}{', rolled back at the end' if options['rollback'] else ''}"
    )
    forms = _registrations(centre, actor, n + 1, options["seed"])
    registered: list[Person] = []
    results = []

    def register(i):
        registered.append(
            person_register(
                actor=actor,
                centre=centre,
                fields=dict(forms[i]),
                consent_given_on=timezone.localdate(),
                confirm=True,
            )
        )

    def consent(i):
        consent_record(
            actor=actor,
            person=registered[i],
            purpose=Consent.Purpose.CONTACT_SMS,
            given_on=timezone.localdate(),
        )

    now = timezone.now()
    rng = random.Random(options["seed"])
    channels = [Channel.IN_PERSON, Channel.PHONE]

    def contact(i):
        contact_log(
            actor=actor,
            site=site,
            persons=[registered[i % len(registered)]],
            at=now - timedelta(minutes=rng.randint(1, 600)),
            channel=channels[i % 2],
            services=services[: 1 + i % 2],
            request_text="Πληροφορίες για το επίδομα στέγασης",
            minutes=rng.randint(5, 30),
        )

    def measure():
        results.append(_timed("register", n, stdout, register))
        results.append(_timed("consent", n, stdout, consent))
        results.append(_timed("contact", n, stdout, contact))
        # SQL queries of one more call of each
        queries = []
        with CaptureQueriesContext(connection) as ctx:
            register(n)
        queries.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            consent(n)
        queries.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            contact(n)
        queries.append(len(ctx.captured_queries))
        for result, count in zip(results, queries, strict=True):
            result["queries"] = count

    if options["rollback"]:
        try:
            with transaction.atomic():
                measure()
                raise _Rollback
        except _Rollback:
            pass
    else:
        measure()
    stdout.write("")
    stdout.write(
        f"  {'service':<10} {'calls':>6} {'seconds':>8} {'per s':>8} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7} {'queries':>8}"
    )
    for r in results:
        stdout.write(
            f"  {r['label']:<10} {r['n']:>6} {r['seconds']:>8.2f} {r['rate']:>8.1f} "
            f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} {r['queries']:>8}"
        )
