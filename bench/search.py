"""`bench/run search`: reception search, the application next to the best raw SQL.

Draws realistic reception queries from the persons of one centre (surname prefixes, full
names in Greek and Latin, Greeklish spellings, typos, partial AMKA, phone, AFM, ID card),
runs each through `person_search` as a reception user of that centre (and, with
--national, as a user who sees every centre), and the same query as the best raw-SQL
strategy of shared/PERFORMANCE.md on a raw cursor of the same connection: word starts on
the GIN trigram index with the centre, similarity only as a fallback, identifiers by prefix
on btree. Prints p50/p95/p99 in ms, the ratio, and how often the intended person was among
the results. See bench/README.md.
"""

import random
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from koinotita.accounts.models import RoleAssignment, User
from koinotita.accounts.scoping import forget_scope
from koinotita.accounts.services import role_grant
from koinotita.lib.greek import fold, phonetic
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Centre
from koinotita.people import identifiers, search
from koinotita.people.models import Person

help = "Reception search: p50/p95/p99 of realistic queries, next to raw SQL on the same DB."

# The mix of a reception day: who walks in is looked up by name far more than by number.
MIX = {
    "surname prefix": 20,
    "full name (Greek)": 16,
    "full name (Latin)": 10,
    "Greeklish": 14,
    "typo": 14,
    "AMKA prefix": 8,
    "AMKA": 4,
    "phone": 8,
    "AFM": 3,
    "ID card": 3,
}
WARM_UP = 50
LIMIT = search.LIMIT


def add_arguments(parser):
    parser.add_argument("--queries", type=int, default=1000, help="how many (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--centre", help="code of the reception's centre (default: the one with most persons)"
    )
    parser.add_argument(
        "--slowest", type=int, default=0, help="list the N slowest queries of the application"
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="also search as a user who sees every centre (slower; not a reception figure)",
    )


# --- realistic queries ------------------------------------------------------------------


@dataclass
class Query:
    kind: str
    text: str
    person_id: int


_GREEKLISH = {
    "α": ["a"], "β": ["v", "v", "b"], "γ": ["g"], "δ": ["d"], "ε": ["e"], "ζ": ["z"],
    "η": ["i", "i", "h"], "θ": ["th", "8", "th"], "ι": ["i"], "κ": ["k"], "λ": ["l"],
    "μ": ["m"], "ν": ["n"], "ξ": ["x", "ks"], "ο": ["o"], "π": ["p"], "ρ": ["r"], "σ": ["s"],
    "τ": ["t"], "υ": ["y", "i", "u"], "φ": ["f", "ph"], "χ": ["x", "h", "ch"], "ψ": ["ps"],
    "ω": ["o", "w"],
}  # fmt: skip
_GREEKLISH_PAIRS = {
    "ου": ["ou", "u", "ou"], "ευ": ["ev", "eu", "ef"], "αυ": ["av", "au", "af"],
    "γγ": ["gg", "ng"], "μπ": ["mp", "b"], "ντ": ["nt", "d"], "αι": ["ai", "e"],
    "ει": ["ei", "i"], "οι": ["oi", "i"],
}  # fmt: skip
_NEIGHBOURS = {  # keys next to each other on a Greek keyboard (typos)
    "α": "σς", "β": "νγ", "γ": "φβ", "δ": "σφ", "ε": "ρς", "ζ": "χσ", "η": "γξ", "θ": "υι",
    "ι": "ου", "κ": "λξ", "λ": "κ", "μ": "ν", "ν": "βμ", "ξ": "κη", "ο": "ιπ", "π": "ο",
    "ρ": "ετ", "σ": "αδ", "τ": "ρυ", "υ": "τθ", "φ": "δγ", "χ": "ζψ", "ψ": "χω", "ω": "ψ",
}  # fmt: skip


def greeklish(word: str, rng: random.Random) -> str:
    """A Greek word as someone types it in Latin letters without a rule."""
    text, out, i = fold(word), [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _GREEKLISH_PAIRS:
            out.append(rng.choice(_GREEKLISH_PAIRS[pair]))
            i += 2
            continue
        ch = text[i]
        options = _GREEKLISH.get(ch, [ch])
        if ch == "η" and (i == 0 or text[i - 1] in "αεηιουω"):
            options = ["i"]  # h for η only after a consonant (Dhmhtrhs), as people type it
        out.append(rng.choice(options))
        i += 1
    latin = "".join(out)
    return latin.capitalize() if rng.random() < 0.7 else latin


def typo(word: str, rng: random.Random) -> str:
    """One slip of the finger, never on the first letter."""
    if len(word) < 5:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "neighbour", "double"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "neighbour":
        letter = fold(word[i])
        if letter in _NEIGHBOURS:
            return word[:i] + rng.choice(_NEIGHBOURS[letter]) + word[i + 1 :]
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _vary(text: str, rng: random.Random) -> str:
    """Case and accents as people type them."""
    roll = rng.random()
    if roll < 0.25:
        text = text.upper()
    elif roll < 0.45:
        text = text.lower()
    if rng.random() < 0.4:
        text = "".join(
            c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
        )
        text = unicodedata.normalize("NFC", text)
    return text


def _first(name: str) -> str:
    return name.split()[0] if name.split() else name


def make_query(kind: str, p: Person, rng: random.Random) -> str | None:  # noqa: C901
    family, given = _first(p.family_name), _first(p.given_name)
    if kind == "surname prefix":
        return _vary(family[: rng.randint(3, 6)], rng)
    if kind == "full name (Greek)":
        words = [family, given] if rng.random() < 0.6 else [given, family]
        return _vary(" ".join(words), rng)
    if kind == "full name (Latin)":
        latin_family, latin_given = _first(p.family_name_latin), _first(p.given_name_latin)
        if not latin_family:
            return None
        words = [latin_family] + ([latin_given] if rng.random() < 0.7 else [])
        return " ".join(words).upper() if rng.random() < 0.3 else " ".join(words)
    if kind == "Greeklish":
        if family == _first(p.family_name_latin):  # a Latin name has no Greeklish
            return None
        words = [greeklish(family, rng)] + ([greeklish(given, rng)] if rng.random() < 0.6 else [])
        return " ".join(words)
    if kind == "typo":
        latin = rng.random() < 0.3 and p.family_name_latin
        mistyped = typo(_first(p.family_name_latin) if latin else family, rng)
        if rng.random() < 0.4:
            mistyped += " " + (_first(p.given_name_latin) if latin else given)
        return mistyped if latin else _vary(mistyped, rng)
    if kind == "AMKA prefix" and p.amka:
        prefix = p.amka[: rng.randint(6, 9)]
        return f"{prefix[:6]} {prefix[6:]}".strip() if rng.random() < 0.3 else prefix
    if kind == "AMKA" and p.amka:
        return p.amka
    if kind == "phone" and p.phone_digits:
        d = p.phone_digits[: rng.choice([6, 8, 10, 10, 10])]
        return rng.choice([d, f"{d[:3]} {d[3:6]} {d[6:]}".strip(), f"+30 {d}"])
    if kind == "AFM" and p.afm:
        return p.afm
    if kind == "ID card" and p.id_document_number:
        latin = p.id_document_number.translate(str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"))
        return rng.choice([latin, latin.lower(), f"{latin[:2]} {latin[2:]}"])
    return None


def draw_queries(centre: Centre, count: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    ids = list(
        Person.objects.filter(centre=centre, merged_into__isnull=True, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, min(len(ids), count * 2))
    persons = Person.objects.in_bulk(chosen)
    kinds, weights = list(MIX), list(MIX.values())
    queries = []
    for pk in chosen:
        if len(queries) == count:
            break
        kind = rng.choices(kinds, weights)[0]
        text = make_query(kind, persons[pk], rng)
        if text:
            queries.append(Query(kind, text, pk))
    return queries


# --- the raw-SQL floor ------------------------------------------------------------------

_SELECT = (
    "SELECT p.id, p.family_name, p.given_name, p.father_name, p.birth_date, m.name "
    "FROM people_person p LEFT JOIN organisations_municipality m "
    "ON m.id = p.residence_municipality_id "
    "WHERE p.merged_into_id IS NULL AND p.anonymised_at IS NULL"
)
STRATEGIES = {
    "words": "word starts on the btree word indexes, similarity fallback (the application's)",
    "trigram": "word starts as LIKE on the GIN trigram index (PERFORMANCE.md), same fallback",
}


@dataclass
class RawPlan:
    """The SQL for one query, prepared before the clock starts: only the database is timed."""

    first: tuple[str, list]
    fallback: tuple[str, list] | None = None


def _raw_word_start(term: str, strategy: str, postgresql: bool) -> tuple[str, list]:
    if not postgresql:
        return "(p.search_key LIKE %s OR p.search_key LIKE %s)", [f"{term}%", f"% {term}%"]
    if strategy == "trigram":
        return "(p.search_key LIKE %s OR p.search_key LIKE %s)", [f"{term}%", f"% {term}%"]
    n = search.WORD_INDEXES
    arms = [f"split_part(p.search_key, ' ', {i}) LIKE %s" for i in range(1, n + 1)]
    arms.append(f"(split_part(p.search_key, ' ', {n + 1}) <> '' AND p.search_key ~ %s)")
    return f"({' OR '.join(arms)})", [f"{term}%"] * n + [f"(^| ){term}"]


def raw_plan(text: str, centre_id: int | None, postgresql: bool, strategy: str) -> RawPlan | None:
    where, params = "", []
    if centre_id is not None:  # bigint: see people.search._scoped
        where = " AND p.centre_id = %s::bigint" if postgresql else " AND p.centre_id = %s"
        params = [centre_id]
    order = f" ORDER BY p.family_name, p.given_name LIMIT {LIMIT}"
    compact = search.compact_query(" ".join(text.split()))
    if search.NUMBER_QUERY.match(compact) or search.ID_CARD_QUERY.match(compact):
        if len(compact.lstrip("+")) < search.MIN_IDENTIFIER_LENGTH:
            return None
        if search.ID_CARD_QUERY.match(compact):
            number = identifiers.normalise_id_card(compact)[0]
            cond, args = "p.id_document_number LIKE %s", [number + "%"]
        else:
            digits, phone = compact.lstrip("+"), search.phone_query_digits(compact)
            cond = (
                "(p.amka LIKE %s OR p.afm LIKE %s OR p.phone_digits LIKE %s"
                " OR p.id_document_number LIKE %s)"
            )
            args = [digits + "%", digits + "%", phone + "%", digits + "%"]
        return RawPlan((f"{_SELECT}{where} AND {cond}{order}", params + args))
    terms = [t for t in phonetic(text).split() if t]
    if not terms:
        return None
    conds, args = [], []
    for term in terms:
        cond, term_args = _raw_word_start(term, strategy, postgresql)
        conds.append(cond)
        args += term_args
    first = (f"{_SELECT}{where} AND {' AND '.join(conds)}{order}", params + args)
    if not postgresql:
        return RawPlan(first)
    phrase = " ".join(terms)
    fallback = (
        f"{_SELECT}{where} AND p.search_key %%> %s"
        f" ORDER BY word_similarity(%s, p.search_key) DESC, p.family_name LIMIT {LIMIT}",
        params + [phrase, phrase],
    )
    return RawPlan(first, fallback)


@dataclass
class CapturedPlan:
    """The statements the application sent for one query, captured before the clock
    starts, to be replayed as raw SQL: the database's share of the application's time."""

    statements: list[str]


def captured_plan(user, text: str) -> CapturedPlan:
    with CaptureQueriesContext(connection) as captured:
        search.person_find_unaudited(user, text)
    return CapturedPlan([q["sql"] for q in captured.captured_queries])


def raw_search(cursor, plan: RawPlan | CapturedPlan | None) -> list[int]:
    if plan is None:
        return []
    if isinstance(plan, CapturedPlan):
        rows = []
        # The typo search runs in its own transaction with SET LOCAL (people/search.py):
        # replay it the same way, or the setting would not hold.
        wrapped = any(statement.startswith("SET LOCAL") for statement in plan.statements)
        if wrapped:
            cursor.execute("BEGIN")
        for statement in plan.statements:
            cursor.execute(statement)
            if cursor.description is not None:  # SET returns no rows
                rows = cursor.fetchall()
        if wrapped:
            cursor.execute("COMMIT")
        return [row[0] for row in rows]
    cursor.execute(*plan.first)
    rows = cursor.fetchall()
    if not rows and plan.fallback:
        cursor.execute(*plan.fallback)
        rows = cursor.fetchall()
    return [row[0] for row in rows]


# --- running ----------------------------------------------------------------------------

SIDES = {
    "app": "application: person_search, with its audit event",
    "search": "application without the audit event (people.search.person_find_unaudited)",
    "raw": "raw SQL: the application's own statements, replayed on a cursor",
    "trigram": "raw SQL, PERFORMANCE.md's trigram LIKE strategy",
}


@dataclass
class Timings:
    ms: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    queries: list[Query] = field(default_factory=list)


def _user(username: str, role: str, level: str, place=None) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"first_name": "Benchmark", "is_active": True}
    )
    if not RoleAssignment.objects.filter(user=user, role=role, level=level).exists():
        role_grant(user=user, role=role, level=level, place=place)
    forget_scope(user)
    return user


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(out, label, user, centre_id, queries, postgresql) -> dict[str, Timings]:
    """Each query four ways, back to back, in an order that rotates from query to query."""
    plans = {
        "raw": [captured_plan(user, q.text) for q in queries],
        "trigram": [raw_plan(q.text, centre_id, postgresql, "trigram") for q in queries],
    }
    by_kind: dict[str, Timings] = {}
    sides = list(SIDES)
    progress = Progress(label, len(queries), out)
    with connection.cursor() as cursor:

        def one(side: str, i: int) -> list[int]:
            q = queries[i]
            if side == "app":
                return [p.pk for p in search.person_search(user, q.text).persons]
            if side == "search":
                return [p.pk for p in search.person_find_unaudited(user, q.text).persons]
            return raw_search(cursor, plans[side][i])

        for i in range(min(WARM_UP, len(queries))):  # a warm cache, as in PERFORMANCE.md
            for side in sides:
                one(side, i)
        for i, q in enumerate(queries):
            timing = by_kind.setdefault(q.kind, Timings())
            timing.queries.append(q)
            for side in sides[i % 4 :] + sides[: i % 4]:
                start = time.perf_counter()
                found = one(side, i)
                timing.ms[side].append((time.perf_counter() - start) * 1000)
                timing.found[side] += q.person_id in found
            progress.update(i + 1)
    progress.finish()
    return by_kind


def slowest(out, by_kind: dict[str, Timings], count: int) -> None:
    rows = [
        (t.ms["app"][i], t.ms["search"][i], t.ms["raw"][i], t.ms["trigram"][i], q)
        for t in by_kind.values()
        for i, q in enumerate(t.queries)
    ]
    out.write(f"\nThe {count} slowest (ms: app+audit, app search, raw SQL, trigram SQL):")
    for app, find, raw, trigram, q in sorted(rows, key=lambda r: -r[0])[:count]:
        out.write(f"  {app:7.1f}{find:7.1f}{raw:7.1f}{trigram:7.1f}  {q.kind:<18} {q.text}")


def report(out, title: str, by_kind: dict[str, Timings]) -> dict:
    out.write(f"\n{title} — ms per search, p50 / p95")
    out.write(
        f"{'':<20}{'n':>5}{'app+audit':>14}{'app search':>14}{'raw SQL':>14}"
        f"{'search/raw':>12}{'trigram SQL':>14}{'found':>7}"
    )

    def row(name: str, ms: dict[str, list[float]], found: dict[str, int]) -> None:
        n = len(ms["app"])
        cells = "".join(
            f"{_pct(ms[side], 0.5):>7.1f}{_pct(ms[side], 0.95):>7.1f}"
            for side in ("app", "search", "raw")
        )
        ratio = _pct(ms["search"], 0.95) / _pct(ms["raw"], 0.95)
        trigram = f"{_pct(ms['trigram'], 0.5):>7.1f}{_pct(ms['trigram'], 0.95):>7.1f}"
        out.write(f"{name:<20}{n:>5}{cells}{ratio:>11.2f}×{trigram}{found['app'] / n:>7.0%}")

    for kind in MIX:
        if kind in by_kind:
            row(kind, by_kind[kind].ms, by_kind[kind].found)
    every = {side: [t for tm in by_kind.values() for t in tm.ms[side]] for side in SIDES}
    found = {side: sum(tm.found[side] for tm in by_kind.values()) for side in SIDES}
    row("all queries", every, found)
    summary = {side: [_pct(every[side], q) for q in (0.5, 0.95, 0.99)] for side in SIDES}
    for side, label in SIDES.items():
        p50, p95, p99 = summary[side]
        out.write(f"  {label:<58} p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms")
    ratio = {q: summary["search"][i] / summary["raw"][i] for i, q in enumerate(("p50", "p95"))}
    mean = statistics.mean(every["search"]) / statistics.mean(every["raw"])
    out.write(
        f"  search / raw SQL: p50 {ratio['p50']:.2f}×, p95 {ratio['p95']:.2f}×, mean {mean:.2f}×;"
        f" intended person found: application {found['app'] / len(every['app']):.0%},"
        f" raw {found['raw'] / len(every['raw']):.0%},"
        f" trigram {found['trigram'] / len(every['trigram']):.0%}"
    )
    return summary


def run(options, out):
    postgresql = connection.vendor == "postgresql"
    busiest = (
        Centre.objects.annotate(n=Count("persons")).filter(n__gt=0).order_by("-n", "pk").first()
    )
    centre = Centre.objects.get(code=options["centre"]) if options.get("centre") else busiest
    if centre is None:
        out.write("No persons in this database: run `koinotita synth` first.")
        sys.exit(1)
    total = Person.objects.count()
    in_centre = Person.objects.filter(centre=centre).count()
    version = connection.cursor().connection.info.server_version if postgresql else ""
    out.write(
        f"Reception search benchmark on {connection.vendor} {version} "
        f"({connection.settings_dict['NAME']}): {total:,} persons; centre {centre.code} "
        f"with {in_centre:,} persons."
    )
    queries = draw_queries(centre, options["queries"], options["seed"])
    out.write(
        f"{len(queries)} queries (seed {options['seed']}), after a warm-up of {WARM_UP}; "
        "each run four ways back to back:"
    )
    for label in SIDES.values():
        out.write(f"  - {label}")
    reception = _user(f"bench-reception-{centre.code}", "reception", "centre", centre)
    results = measure(out, "reception, one centre", reception, centre.pk, queries, postgresql)
    report(out, f"Reception user of {centre.code} (one centre)", results)
    if options.get("slowest"):
        slowest(out, results, options["slowest"])
    if options.get("national"):
        national = _user("bench-national", "supervisor", "national")
        results = measure(out, "national scope", national, None, queries, postgresql)
        report(out, "User of every centre (national scope)", results)
