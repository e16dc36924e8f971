"""`bench/run directory`: directory search by need, municipality and text, the
application next to raw SQL on the same connection.

Generates synthetic services into the configured database until it holds --services of
them (organisations of every kind, 1–3 municipalities served each, a location for most; all
marked as sample data, names from a Greek vocabulary), then runs --queries realistic staff
searches — a need, a municipality, one or two words typed with or without accents or in
Greeklish, and their combinations — through `service_search` (what the search page runs:
the services and their municipalities, first 50 by name) and as one hand-written SQL query
with the same filters. Prints p50/p95/p99 in ms for both and their ratio. Run it on a
database of your own (see bench/README.md).
"""

import os
import random
import statistics
import sys
import time
import unicodedata
import uuid

from django.db import connection, transaction

from bench.search import greeklish
from koinotita.directory.models import (
    Location,
    Need,
    Organization,
    OrganizationKind,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from koinotita.directory.selectors import SEARCH_LIMIT, organisation_search_key, service_search
from koinotita.directory.services import service_derive
from koinotita.lib.greek import search_terms
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Municipality
from koinotita.organisations.services import network_load_reference

help = "Directory search (need, municipality, text): p50/p95/p99, next to raw SQL."

WARM_UP = 30
BENCH_PREFIX = "Συνθετικός φορέας"

WORDS = {
    "income": ["επίδομα", "οικονομική", "ενίσχυση", "εισόδημα"],
    "employment": ["απασχόληση", "εργασία", "κατάρτιση", "ανέργων", "συμβουλευτική"],
    "health": ["ιατρείο", "νοσοκομείο", "υγεία", "περίθαλψη", "εμβολιασμός"],
    "mental_health": ["ψυχική", "ψυχοθεραπεία", "ψυχολόγος", "ψυχιατρική"],
    "addiction": ["απεξάρτηση", "εξαρτήσεις", "πρόληψη"],
    "child_protection": ["παιδική", "προστασία", "ανηλίκων", "αναδοχή"],
    "family": ["οικογένεια", "γονέων", "στήριξη"],
    "food": ["παντοπωλείο", "συσσίτιο", "τρόφιμα", "γεύματα"],
    "housing": ["στέγαση", "ξενώνας", "φιλοξενία", "ενοίκιο"],
    "legal": ["νομική", "δικηγόρος", "βοήθεια"],
    "education": ["εκπαίδευση", "φροντιστήριο", "μαθήματα", "σχολείο"],
    "disability": ["αναπηρία", "αμεα", "διημέρευσης", "εργοθεραπεία"],
    "elderly": ["ηλικιωμένων", "κηφη", "σπίτι", "φροντίδα"],
    "violence": ["γυναικών", "βία", "συμβουλευτικό"],
    "migrants": ["μεταναστών", "προσφύγων", "διερμηνεία", "άσυλο"],
    "roma": ["ρομά", "διαμεσολάβηση", "καταυλισμός"],
}
PLACES = ["Καστοριάς", "Φλώρινας", "Κοζάνης", "Πτολεμαΐδας", "Γρεβενών", "Σιάτιστας", "Αμυνταίου"]
KINDS = [
    ("Κοινωνική Υπηρεσία Δήμου", OrganizationKind.MUNICIPAL),
    ("Κέντρο", OrganizationKind.PUBLIC),
    ("Μονάδα Υγείας", OrganizationKind.HEALTH),
    ("Σύλλογος", OrganizationKind.VOLUNTEER),
    ("Οργάνωση", OrganizationKind.NGO),
    ("ΚοινΣΕπ", OrganizationKind.SOCIAL_ENTERPRISE),
]


def add_arguments(parser):
    parser.add_argument("--services", type=int, default=5000, help="services (default 5000)")
    parser.add_argument("--queries", type=int, default=1000, help="searches (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )  # noqa: E501


def generate(out, target: int, rng: random.Random) -> int:
    """Add synthetic services until the database has `target` services; return how many."""
    have = Service.objects.count()
    if have >= target:
        return 0
    municipalities = list(Municipality.objects.order_by("pk"))
    needs = list(Need.values)
    missing = target - have
    progress = Progress("generating services", missing, out)
    made = 0
    while made < missing:
        batch = min(500, missing - made)
        orgs, services, areas, locations, sals = [], [], [], [], []
        for _ in range(max(1, batch // 5)):
            prefix, kind = rng.choice(KINDS)
            place = rng.choice(PLACES)
            org = Organization(
                id=uuid.uuid4(),
                name=f"{BENCH_PREFIX} {prefix} {place} {rng.randint(1, 9999)}",
                description="Συνθετικά δεδομένα για τη μέτρηση απόδοσης.",
                kind=kind,
                municipality=rng.choice(municipalities),
                is_sample=True,
            )
            org.search_key = organisation_search_key(org)
            orgs.append(org)
        for i in range(batch):
            org = orgs[i % len(orgs)]
            chosen = rng.sample(needs, rng.choice([1, 1, 2, 3]))
            words = [rng.choice(WORDS[n]) for n in chosen for _ in range(2)]
            service = Service(
                id=uuid.uuid4(),
                organization=org,
                name=" ".join(w.capitalize() for w in words[:3]) + f" {rng.randint(1, 999)}",
                description=" ".join(words) + ". Συνθετική υπηρεσία.",
                needs=chosen,
                accepting_referrals=rng.random() < 0.85,
                wait_time_days=rng.choice([None, 0, 3, 7, 14, 30]),
                is_sample=True,
                status="active" if rng.random() < 0.95 else "inactive",
            )
            service_derive(service, org)
            services.append(service)
            for municipality in rng.sample(municipalities, rng.choice([1, 1, 2, 3])):
                areas.append(
                    ServiceArea(id=uuid.uuid4(), service=service, municipality=municipality)
                )
            if rng.random() < 0.7:
                location = Location(
                    id=uuid.uuid4(),
                    organization=org,
                    name=f"Γραφείο {org.name[-20:]}",
                    municipality=rng.choice(municipalities),
                    is_sample=True,
                )
                locations.append(location)
                sals.append(ServiceAtLocation(id=uuid.uuid4(), service=service, location=location))
        with transaction.atomic():
            Organization.objects.bulk_create(orgs)
            Service.objects.bulk_create(services)
            ServiceArea.objects.bulk_create(areas)
            Location.objects.bulk_create(locations)
            ServiceAtLocation.objects.bulk_create(sals)
        made += batch
        progress.update(made)
    progress.finish()
    return made


def make_queries(count: int, rng: random.Random) -> list[dict]:
    municipality_ids = list(Municipality.objects.values_list("pk", flat=True))
    kinds = ["need", "need+municipality", "text", "text+municipality", "need+municipality+text"]
    queries = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        need = rng.choice(list(WORDS))
        word = rng.choice(WORDS[need])
        roll = rng.random()
        if roll < 0.3:
            typed = _strip_accents(word)
        elif roll < 0.5:
            typed = greeklish(word, rng)
        elif roll < 0.6:
            typed = word.upper()
        else:
            typed = word
        if rng.random() < 0.3:
            typed = typed[: max(4, len(typed) - 3)]  # a prefix, as people type
        query = {"kind": kind, "text": "", "need": "", "municipality": None}
        if "need" in kind:
            query["need"] = need
        if "municipality" in kind:
            query["municipality"] = rng.choice(municipality_ids)
        if "text" in kind:
            query["text"] = typed
        queries.append(query)
    return queries


def raw_sql(query: dict, postgresql: bool) -> tuple[str, list]:
    """The same search as one hand-written statement (services, organisation, and their
    municipalities aggregated in the same query)."""
    where, params = ["s.status = 'active'"], []
    if query["need"]:
        where.append("s.needs_key LIKE %s")
        params.append(f"% {query['need']} %")
    if query["municipality"]:
        where.append(
            "(s.id IN (SELECT a.service_id FROM directory_servicearea a"
            " WHERE a.municipality_id = %s) OR s.id IN (SELECT l.service_id FROM"
            " directory_serviceatlocation l JOIN directory_location loc ON loc.id = l.location_id"
            " WHERE loc.municipality_id = %s))"
        )
        params += [query["municipality"], query["municipality"]]
    # The words as lib.greek.search_terms reads them: the phonetic form starts a word of the
    # search key, or the stem starts a word of the stem key, or a shorter stem is a word there.
    for term in search_terms(query["text"]):
        either, values = [], []
        if term.phonetic:
            either.append("s.search_key LIKE %s")
            values.append(f"% {term.phonetic}%")
        if term.stem:
            either.append("s.stem_key LIKE %s")
            values.append(f"% {term.stem}%")
            for prefix in term.stem_prefixes:
                either.append("s.stem_key LIKE %s")
                values.append(f"% {prefix} %")
        where.append(f"({' OR '.join(either)})")
        params += values
    sql = (
        "SELECT s.id, s.name, o.name, s.accepting_referrals, s.wait_time_days,"
        " (SELECT string_agg(m.name, ', ') FROM directory_servicearea a2"
        " JOIN organisations_municipality m ON m.id = a2.municipality_id"
        " WHERE a2.service_id = s.id)"
        if postgresql
        else "SELECT s.id, s.name, o.name, s.accepting_referrals, s.wait_time_days,"
        " (SELECT group_concat(m.name, ', ') FROM directory_servicearea a2"
        " JOIN organisations_municipality m ON m.id = a2.municipality_id"
        " WHERE a2.service_id = s.id)"
    )
    sql += (
        " FROM directory_service s JOIN directory_organization o ON o.id = s.organization_id"
        f" WHERE {' AND '.join(where)} ORDER BY s.name, s.id LIMIT {SEARCH_LIMIT}"
    )
    return sql, params


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(options, out):
    postgresql = connection.vendor == "postgresql"
    rng = random.Random(options["seed"])
    if not Municipality.objects.exists():
        network_load_reference()
    made = generate(out, options["services"], rng)
    total = Service.objects.count()
    version = connection.cursor().connection.info.server_version if postgresql else ""
    out.write(
        f"Directory search benchmark on {connection.vendor} {version} "
        f"({connection.settings_dict['NAME']}): {total:,} services "
        f"({made:,} generated now), {Organization.objects.count():,} organisations, "
        f"{ServiceArea.objects.count():,} service areas."
    )
    if postgresql:
        with connection.cursor() as cursor:
            for table in (
                "directory_organization",
                "directory_service",
                "directory_servicearea",
                "directory_location",
                "directory_serviceatlocation",
            ):
                cursor.execute(f"ANALYZE {table}")
    queries = make_queries(options["queries"], rng)
    plans = [raw_sql(q, postgresql) for q in queries]
    ms = {"app": [], "raw": []}
    cpu: list[float] = []
    by_kind: dict[str, dict[str, list[float]]] = {}
    found = {"app": 0, "raw": 0}
    agree = 0
    progress = Progress("searching", len(queries), out)

    def app(q):
        return [s.pk for s in service_search(
            text=q["text"], need=q["need"], municipality=q["municipality"], listing=True
        )]  # fmt: skip

    with connection.cursor() as cursor:

        def raw(i):
            cursor.execute(*plans[i])
            return cursor.fetchall()

        for i in range(min(WARM_UP, len(queries))):
            app(queries[i])
            raw(i)
        for i, q in enumerate(queries):
            order = ("app", "raw") if i % 2 == 0 else ("raw", "app")
            got = {}
            for side in order:
                start, start_cpu = time.perf_counter(), time.process_time()
                rows = app(q) if side == "app" else raw(i)
                elapsed = (time.perf_counter() - start) * 1000
                if side == "app":
                    cpu.append((time.process_time() - start_cpu) * 1000)
                ms[side].append(elapsed)
                by_kind.setdefault(q["kind"], {"app": [], "raw": []})[side].append(elapsed)
                found[side] += bool(rows)
                got[side] = [uuid.UUID(str(r if side == "app" else r[0])) for r in rows]
            agree += got["app"] == got["raw"]
            progress.update(i + 1)
    progress.finish()
    out.write(
        f"\n{'':<26}{'n':>5}{'app p50':>9}{'p95':>7}{'raw p50':>9}{'p95':>7}{'app/raw p95':>13}"
    )
    for kind, sides in by_kind.items():
        n = len(sides["app"])
        out.write(
            f"{kind:<26}{n:>5}{_pct(sides['app'], 0.5):>9.1f}{_pct(sides['app'], 0.95):>7.1f}"
            f"{_pct(sides['raw'], 0.5):>9.1f}{_pct(sides['raw'], 0.95):>7.1f}"
            f"{_pct(sides['app'], 0.95) / _pct(sides['raw'], 0.95):>12.2f}×"
        )
    for side, label in (("app", "application (service_search)"), ("raw", "raw SQL")):
        p50, p95, p99 = (_pct(ms[side], q) for q in (0.5, 0.95, 0.99))
        out.write(
            f"  {label:<30} p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms"
            f"  mean {statistics.mean(ms[side]):5.1f}; searches with results {found[side]:,}"
        )
    out.write(
        f"  application CPU time (this process: ORM and Python, not the database's)"
        f" p50 {_pct(cpu, 0.5):6.1f}  p95 {_pct(cpu, 0.95):6.1f} ms"
    )
    out.write(f"  load average at the end of the run: {os.getloadavg()[0]:.1f}")
    out.write(f"  same results, in the same order, from both: {agree:,} of {len(queries):,}")
    p95 = _pct(ms["app"], 0.95)
    goal = "met" if p95 <= 50 else "NOT met"
    out.write(
        f"  application / raw SQL at p95: {p95 / _pct(ms['raw'], 0.95):.2f}×;"
        f" goal p95 ≤ 50 ms with {total:,} services: {goal}"
    )
    if p95 > 50:
        sys.exit(1)
