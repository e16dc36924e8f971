"""Reception search: one box, any part of a name in any script, or an identifier.

How a query is read
- Digits, with any spacing and with or without +30: an identifier. AMKA, AFM, phone and
  document number match by prefix, an exact match ranking first.
- One or two letters then digits: a police ID card, its letters typed in Greek or Latin
  (normalised as stored, `identifiers.normalise_id_card`).
- Anything else: names. Each word becomes its phonetic form (`koinotita.lib.greek`), the form
  `Person.search_key` stores ("family given [latin-family latin-given]"), so case, accents,
  final sigma, Greek or Latin script and common Greeklish spellings do not matter. A word of
  four digits that is a plausible year keeps persons born that year ("Παπαδάκη 1985").

How names are matched, cheapest first (shared/PERFORMANCE.md)
1. Word starts: every term begins a word of the key ('papa%' or '% papa%'), in one query
   with LIMIT, served on PostgreSQL by the GIN trigram index on (centre_id, search_key).
   Ranked: the family name equal to a term, then family-name prefix hits, then the other
   word-start hits (given name, second surname, Latin form), then by name.
2. Only when that finds nobody, one broader query: the terms anywhere in the key ('%dopul%')
   and, on PostgreSQL, pg_trgm word similarity for typos (search_key %> 'query', the same
   index); on SQLite, keys that may be one edit from every term (`_near`), ranked here by
   edit distance.
3. A short given name («Γιάννης», «Κώστας») is also tried as the registered full forms it
   stands for («Ιωάννης», «Κωνσταντίνος»: lib.greek_names), after the name as typed.

The last word is the one being typed (the page searches as you type): it matches by its
stable prefix, the part of its phonetic form that no further letter can change. «Παπαδόπο»
may become «Παπαδόπουλος» ('papadopulos', not 'papadopo…'), so it matches 'papadop%'.

One search is at most two queries (and one more per full form of a short given name tried),
plus the audit event: searching is audited as a query,
in the chain of the user's own centre.
"""

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import and_, or_

from django.db import connections, transaction
from django.db.models import BooleanField, CharField, FloatField, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.greek import fold, phonetic_word
from koinotita.lib.greek_names import full_forms
from koinotita.people import identifiers
from koinotita.people.models import Person
from koinotita.people.selectors import person_list_for

LIMIT = 20
MAX_TERMS = 5  # words beyond these are ignored
MIN_NAME_LETTERS = 2  # fewer phonetic letters than this is too little to search
MIN_IDENTIFIER_LENGTH = 4  # digits (or letters and digits) needed for a prefix search
WORD_INDEXES = 4  # words of the key with a btree index (migration 0002_search_indexes)
MIN_ALTERNATIVES = 5  # a shorter word being typed matches as typed only (see word_forms)
MIN_SUBSTRING = 4  # shorter terms never match inside a word (too many, and slow)
MIN_SIMILARITY_QUERY = 4  # shorter queries skip the typo fallback (meaningless)
SQLITE_CANDIDATES = 3000  # SQLite typo fallback: candidates ranked in Python
SQLITE_MIN_SCORE = 0.7

_WORDS = re.compile(r"[\s\-‐–—_.,;/'’()]+")  # the separators of lib.greek.phonetic
_SEPARATORS = re.compile(r"[\s\-./()]+")
NUMBER_QUERY = re.compile(r"^\+?\d+$")
ID_CARD_QUERY = re.compile(r"^[^\W\d_]{1,2}\d+$")
_GREEK_LETTERS = "αβγδεζηθικλμνξοπρστυφχψω"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class SearchResult:
    persons: list[Person]
    kind: str  # "name", "identifier" or "empty"
    approximate: bool = False  # no word-start match: substring or similar-spelling matches
    too_short: bool = False  # too little was typed to search; nothing was looked up
    terms: list[str] = field(default_factory=list)  # phonetic terms (or identifier) sought


@dataclass(frozen=True)
class Term:
    full: str  # phonetic form of the word as typed
    forms: tuple[str, ...]  # it matches words starting with any of these (`full` first)
    # the registered full forms of a short given name («Γιάννης»: 'ioanis'), tried after
    # the word as typed (lib.greek_names)
    aliases: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """What every form starts with."""
        return os.path.commonprefix(list(self.forms))


# --- reading the query ------------------------------------------------------------------


def _letters(text: str) -> str:
    return _GREEK_LETTERS if any("α" <= c <= "ω" for c in text) else _LATIN_LETTERS


def _minimal(forms) -> tuple[str, ...]:
    """The forms, without those another form is a prefix of (it matches them already)."""
    kept: list[str] = []
    for form in sorted(set(forms), key=lambda f: (len(f), f)):
        if form and not any(form.startswith(k) for k in kept):
            kept.append(form)
    return tuple(kept)


def _forms_by_trying(word: str) -> tuple[str, ...]:
    """What the phonetic form of `word` may begin with once one more letter is typed."""
    full = phonetic_word(word)
    folded = fold(word)
    return _minimal([full, *(phonetic_word(folded + c)[: len(full)] for c in _letters(folded))])


@lru_cache(maxsize=4096)
def _ending_forms(ending: str) -> tuple[str, ...]:
    """The phonetic form of `ending`, then what it may begin with after one more letter."""
    return (phonetic_word(ending), *_forms_by_trying(ending))


def word_forms(word: str, *, complete: bool = False) -> tuple[str, ...]:
    """The phonetic forms a word matches by, its own first.

    A word still being typed also matches what the next letter may turn its end into:
    «Παπαδόπο» may become «Παπαδόπου» ('papadopo', 'papadopu'), «Νικ» «Νικσ…» ('nik',
    'nih'). The phonetic rules look at most three letters around, so the last four letters
    decide (cached) and the start of the word is kept as it is."""
    full = phonetic_word(word)
    if not full:
        return ()
    if complete or word.endswith("ς"):  # a space or a final sigma ends the word
        return (full,)
    base, *ending_forms = _ending_forms(fold(word)[-4:])
    if not full.endswith(base):  # the last four letters cut through a digraph
        forms = _forms_by_trying(word)
    else:
        head = full[: len(full) - len(base)]
        forms = _minimal([head + form for form in ending_forms])
    return (full, *(f for f in forms if f != full))


def name_terms(query: str) -> tuple[list[Term], int | None]:
    """The phonetic terms of a name query, and a birth year if one was typed. The last word
    is still being typed unless a space follows it."""
    words = [w for w in _WORDS.split(query) if w]
    still_typing = bool(query) and not _WORDS.match(query[-1])
    terms: list[Term] = []
    year = None
    this_year = timezone.localdate().year
    for i, word in enumerate(words):
        if word.isdigit():
            if len(word) == 4 and this_year - 120 <= int(word) <= this_year:
                year = int(word)
            continue
        typing = still_typing and i == len(words) - 1
        # What a short word may become matches too much to be worth it: «Δημο» is on its way
        # to «Δημου» as much as to «Δημοι», 'dimi', every Dimitris.
        forms = word_forms(word, complete=not typing or len(phonetic_word(word)) < MIN_ALTERNATIVES)
        if forms and all(t.full != forms[0] for t in terms):
            terms.append(Term(forms[0], forms, full_forms(forms[0])))
    return terms[:MAX_TERMS], year


def compact_query(query: str) -> str:
    return _SEPARATORS.sub("", query)


def phone_query_digits(compact: str) -> str:
    """Phone digits as stored (people.identifiers.normalise_phone), also for a prefix."""
    if compact.startswith("+30"):
        return compact[3:]
    if compact.startswith("0030"):
        return compact[4:]
    return identifiers.normalise_phone(compact)


# --- SQL ---------------------------------------------------------------------------------
# The name conditions are written as SQL fragments: the ORM would build the same SQL from a
# tree of Q and When objects, at a compile cost larger than the query's own run time.

_KEY = '"people_person"."search_key"'  # the table's own alias in every search query


@dataclass(frozen=True)
class _Sql:
    """A condition or value over people_person, with its parameters."""

    sql: str
    params: tuple = ()

    def __and__(self, other: "_Sql") -> "_Sql":
        return _Sql(f"({self.sql} AND {other.sql})", self.params + other.params)

    def __or__(self, other: "_Sql") -> "_Sql":
        return _Sql(f"({self.sql} OR {other.sql})", self.params + other.params)

    def condition(self) -> Q:
        return Q(RawSQL(self.sql, self.params, output_field=BooleanField()))  # noqa: S611

    def value(self, output_field) -> RawSQL:
        return RawSQL(self.sql, self.params, output_field=output_field)  # noqa: S611


def _all(fragments) -> _Sql:
    return reduce(and_, fragments)


def _any(fragments) -> _Sql:
    return reduce(or_, fragments)


def _starts(prefix: str) -> _Sql:  # terms are phonetic, [a-z] only: nothing to escape
    return _Sql(f"{_KEY} LIKE %s", (f"{prefix}%",))


def _contains(fragment: str) -> _Sql:
    return _Sql(f"{_KEY} LIKE %s", (f"%{fragment}%",))


_KEY_C = f'{_KEY} COLLATE "C"'  # the key's byte order: its indexes serve LIKE 'x%' and ORDER BY


def _word_c(n: int) -> str:
    return f"split_part({_KEY}, ' ', {n}) COLLATE \"C\""


def _not(fragment: _Sql) -> _Sql:
    return _Sql(f"NOT {fragment.sql}", fragment.params)


def _family(prefix: str) -> _Sql:
    """The key, and so its first word, the family name, starts with `prefix` (PostgreSQL)."""
    return _Sql(f"{_KEY_C} LIKE %s", (f"{prefix}%",))


def _word(n: int, prefix: str) -> _Sql:
    """The n-th word of the key starts with `prefix` (PostgreSQL)."""
    return _Sql(f"{_word_c(n)} LIKE %s", (f"{prefix}%",))


def _long(prefix: str) -> _Sql:
    """A word after the indexed ones starts with `prefix`: the rare keys of five words or
    more have a partial trigram index of their own (PostgreSQL)."""
    sql = f"(split_part({_KEY}, ' ', {WORD_INDEXES + 1}) <> '' AND {_KEY} ~ %s)"
    return _Sql(sql, (f"(^| ){prefix}",))


def _word_start(prefix: str, postgresql: bool) -> _Sql:
    """`prefix` begins a word of the key.

    On PostgreSQL every arm is an index range scan within the centre (migration
    0002_search_indexes). Elsewhere, and to rank rows already found, two LIKEs."""
    if not postgresql:
        return _starts(prefix) | _Sql(f"{_KEY} LIKE %s", (f"% {prefix}%",))
    words = (_word(n, prefix) for n in range(2, WORD_INDEXES + 1))
    return _any([_family(prefix), *words, _long(prefix)])


def _scoped(user, centre_ids, postgresql: bool) -> QuerySet:
    """The persons the user may see (people.selectors.person_list_for), ready for search.

    On PostgreSQL, for a user of one centre, the centre is also given as a bigint, first:
    the scope's `centre_id IN (36)` becomes `centre_id = 36`, bigint = integer, an operator
    that btree_gin (PostgreSQL 15) lacks, so the trigram index on (centre_id, search_key)
    could not use the centre and the typo fallback would visit every centre's candidates.
    The planner keeps one of two equal constants, the first: this one, so the scope's
    condition is not counted twice either (which misleads it into scanning the centre)."""
    scoped = person_list_for(user)
    if postgresql and len(centre_ids) == 1:
        centre = _Sql('"people_person"."centre_id" = %s::bigint', (int(min(centre_ids)),))
        scoped = Person.objects.filter(centre.condition()) & scoped
    return scoped.select_related("residence_municipality")


def _name_rank(terms: list[Term]) -> _Sql:
    """0: the family name is a term; 1: it starts with one; 2: other word starts; for the
    word being typed, hits of what was typed before hits of what it may become."""
    exact = _any(_Sql(f"{_KEY} = %s", (t.full,)) | _starts(f"{t.full} ") for t in terms)
    family = _any(_starts(t.full) for t in terms)
    if all(t.forms == (t.full,) for t in terms):
        cases, params = ["WHEN {} THEN 0", "WHEN {} THEN 1"], [exact, family]
    else:
        typed = _all(_word_start(t.full, postgresql=False) for t in terms)
        family_prefix = _any(_starts(form) for t in terms for form in t.forms)
        cases = ["WHEN {} THEN 0", "WHEN {} THEN 1", "WHEN {} THEN 2", "WHEN {} THEN 3"]
        params = [exact & typed, family & typed, typed, family_prefix]
    sql = " ".join(case.format(p.sql) for case, p in zip(cases, params, strict=True))
    return _Sql(f"CASE {sql} ELSE {len(cases)} END", sum((p.params for p in params), ()))


# --- queries ----------------------------------------------------------------------------

_BY_NAME = ("family_name", "given_name", "pk")


def _by_name(queryset: QuerySet, terms: list[Term], limit: int) -> list[Person]:
    """Word-start hits ranked in one query (SQLite: a few thousand persons at most)."""
    condition = _all(_any(_word_start(f, postgresql=False) for f in t.forms) for t in terms)
    return list(
        queryset.filter(condition.condition())
        .alias(rank=_name_rank(terms).value(IntegerField()))
        .order_by("rank", *_BY_NAME)[:limit]
    )


def _by_name_postgresql(queryset: QuerySet, terms: list[Term], limit: int) -> list[Person]:
    """Word-start hits, best first, with bounded work whatever the centre's size.

    Tiers, best first: the family name starts with a term; then, for one term, the given
    name (second word) does; then any other word. Each tier is read as one or more parts,
    each at most `limit` rows in one query (UNION ALL), and the rows are merged here in the
    order shown. A part that one index gives in the order shown is a range scan that stops
    after `limit` rows: «Παπ» reads 20 of the 2,300 Papa- of a large centre, not all of them
    (sorting every match is what costs, shared/PERFORMANCE.md). So a word still being typed,
    which may end in several ways (`Term.forms`), gets one such part per form: an OR of
    ranges cannot be read in order from one index, and the planner would then walk the
    whole centre in key order, filtering every row (0.4-0.8 s at 150,000 persons). The
    rarer tiers (other words; two or more terms beyond the family name) are found through
    their own indexes and sorted (`sorted_key`). The key's order puts a family name equal to
    the term first ('papas hristos' < 'papasotiriu eleni'). A second query fetches the
    persons found, with what the results show."""
    key = _Sql(_KEY_C).value(CharField())
    # The same order, in a form no index provides: the planner then finds the part's rows
    # through its own indexes and sorts them, instead of walking the family-name index of
    # the whole centre in the hope of 20 early hits (when the part has few or none, the
    # usual case, that read all 150,000 persons of a large centre: 0.6 s).
    sorted_key = _Sql(f"({_KEY} || '') COLLATE \"C\"").value(CharField())
    family = _any(_family(f) for t in terms for f in t.forms)
    # (tier, condition, order shown): each part is read in the order of an index of its own
    parts: list[tuple[int, _Sql, tuple[RawSQL, RawSQL]]] = []
    if len(terms) == 1:
        forms = terms[0].forms
        given = _any(_word(2, f) for f in forms)
        parts += [(0, _family(f), (key, key)) for f in forms]
        word_2 = _Sql(_word_c(2)).value(CharField())
        parts += [(1, _word(2, f) & _not(family), (word_2, key)) for f in forms]
        for n in range(3, WORD_INDEXES + 1):
            word_n = _Sql(_word_c(n)).value(CharField())
            parts += [(2, _word(n, f) & _not(family) & _not(given), (word_n, key)) for f in forms]
        longer = _any(_long(f) for f in forms) & _not(family) & _not(given)
        parts.append((2, longer, (sorted_key, sorted_key)))
    else:
        every = _all(_any(_word_start(f, postgresql=True) for f in t.forms) for t in terms)
        parts += [(0, every & _family(f), (key, key)) for t in terms for f in t.forms]
        parts.append((1, every & _not(family), (sorted_key, sorted_key)))
    queries = [
        queryset.filter(condition.condition())
        .annotate(tier=Value(tier), shown=first, then=second)
        .order_by("shown", "then")
        .values_list("pk", "tier", "then")[:limit]
        for tier, condition, (first, second) in parts
    ]
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    ids: list[int] = []
    for pk, _tier, _key in sorted(rows, key=lambda row: (row[1], row[2])):
        if pk not in ids:
            ids.append(pk)
    ids = ids[:limit]
    if not ids:
        return []
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _inside(terms: list[Term], postgresql: bool) -> _Sql:
    return _all(
        _contains(t.stem) if len(t.stem) >= MIN_SUBSTRING else _word_start(t.stem, postgresql)
        for t in terms
    )


def _broader_postgresql(queryset: QuerySet, terms: list[Term], limit: int) -> list[Person]:
    """Substring hits first, then spellings similar to the whole query (typos): pg_trgm's
    word similarity over its threshold (0.6), both on the trigram index with the centre."""
    inside = _inside(terms, postgresql=True)
    phrase = " ".join(t.full for t in terms)
    if len(phrase) < MIN_SIMILARITY_QUERY:
        return list(queryset.filter(inside.condition()).order_by(*_BY_NAME)[:limit])
    similar = _Sql(f"{_KEY} %%> %s", (phrase,))
    found = (
        queryset.filter((inside | similar).condition())
        .alias(
            inside_rank=_Sql(f"CASE WHEN {inside.sql} THEN 0 ELSE 1 END", inside.params).value(
                IntegerField()
            ),
            similarity=_Sql(f"word_similarity(%s, {_KEY})", (phrase,)).value(FloatField()),
        )
        .order_by("inside_rank", "-similarity", *_BY_NAME)[:limit]
    )
    # The planner prices word similarity as a cheap filter and walks the whole centre on its
    # btree index (0.35 s for «Papadki» in a centre of 154,000 persons) instead of asking the
    # trigram index for the candidates (0.04 s). Forbid plain index scans for this one query.
    # SET LOCAL ends with the transaction (or is undone with it if the query fails); inside an
    # outer transaction it would outlive this query, so it is reset then.
    connection = connections[queryset.db]
    nested = connection.in_atomic_block
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        persons = list(found)
        if nested:
            cursor.execute("RESET enable_indexscan")
    return persons


def _one_edit(a: str, b: str) -> bool:
    """`a` and `b` differ by at most one inserted, deleted, replaced or swapped letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return (
        a[i + 1 :] == b[i + 1 :]  # replaced (or equal)
        or a[i + 1 :] == b[i:]  # a letter more in a
        or a[i:] == b[i + 1 :]  # a letter more in b
        or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])  # swapped
    )


def _term_likeness(term: Term, words: list[str]) -> float:
    """1 when a word of the key starts with the term, 0.9 when a word (or, for a word being
    typed, a word's start of the same length) is one edit from it, else a rough ratio."""
    if any(w.startswith(f) for w in words for f in term.forms):
        return 1.0
    typing = term.forms != (term.full,)
    for w in words:
        if _one_edit(term.full, w) or (typing and _one_edit(term.full, w[: len(term.full)])):
            return 0.9
    size = len(term.full) + 1
    return max(difflib.SequenceMatcher(None, term.full, w[:size]).ratio() for w in words) * 0.8


def _similarity(terms: list[Term], key: str) -> float:
    """Mean over the terms of the best likeness to a word of the key (0 to 1)."""
    words = key.split()
    if not words:
        return 0.0
    return sum(_term_likeness(t, words) for t in terms) / len(terms)


def _near(term: Term) -> _Sql:
    """What a key must hold to be one edit from `term`: an edit leaves either the first half
    of the word or the rest after its middle letter as typed, so a word of the key starts
    with the first or contains the second (SQLite's typo candidates)."""
    word = term.full
    if len(word) < 4:
        return _word_start(word[:2], postgresql=False)
    half = len(word) // 2
    return _word_start(word[:half], postgresql=False) | _contains(word[half + 1 :])


def _broader_sqlite(queryset: QuerySet, terms: list[Term], limit: int) -> list[Person]:
    """Substring hits, then keys one edit from every term (`_near`), ranked here: SQLite has
    no trigram similarity, so the candidates of a centre are scored in Python."""
    inside = _inside(terms, postgresql=False)
    nearby = _all(_near(t) for t in terms)
    candidates = queryset.filter((inside | nearby).condition()).order_by(*_BY_NAME)
    scored = []
    for person in candidates[:SQLITE_CANDIDATES]:
        if all(t.stem in person.search_key for t in terms):
            score = 2.0
        else:
            score = _similarity(terms, person.search_key)
        if score >= SQLITE_MIN_SCORE:
            scored.append((-score, len(scored), person))
    return [person for _score, _i, person in sorted(scored)[:limit]]


MAX_ALIAS_VARIANTS = 3


def _alias_variants(terms: list[Term]) -> list[list[Term]]:
    """The query with a short given name replaced by each registered form it stands for
    («Παπαδάκη Γιάννης» → «Παπαδάκη Ιωάννης»), one term at a time, at most a few."""
    variants = []
    for i, term in enumerate(terms):
        for alias in term.aliases:
            variants.append([*terms[:i], Term(alias, (alias,)), *terms[i + 1 :]])
    return variants[:MAX_ALIAS_VARIANTS]


def _search_names(
    queryset: QuerySet, terms: list[Term], year: int | None, limit: int, postgresql: bool
) -> tuple[list[Person], bool]:
    if year is not None:
        queryset = queryset.filter(birth_date__year=year)
    by_name = _by_name_postgresql if postgresql else _by_name
    persons = by_name(queryset, terms, limit)
    for variant in _alias_variants(terms):
        if len(persons) >= limit:
            break
        seen = {p.pk for p in persons}
        more = by_name(queryset.exclude(pk__in=seen), variant, limit - len(persons))
        persons += [p for p in more if p.pk not in seen]
    if persons:
        return persons, False
    if postgresql:
        return _broader_postgresql(queryset, terms, limit), True
    return _broader_sqlite(queryset, terms, limit), True


def _column(name: str, operator: str, value: str) -> _Sql:
    return _Sql(f'"people_person"."{name}" {operator} %s', (value,))


def _identifier_conditions(compact: str) -> tuple[_Sql, _Sql]:
    """(prefix condition, exact condition) for an identifier typed without spacing. The
    values are digits and letters only: nothing to escape in LIKE."""
    pairs = []  # (column, value)
    if ID_CARD_QUERY.match(compact):
        number, _unverified = identifiers.normalise_id_card(compact)
        pairs += [("id_document_number", number), ("id_document_number", compact.upper())]
    else:
        digits = compact.lstrip("+")
        phone = phone_query_digits(compact)
        pairs.append(("id_document_number", digits))
        if len(phone) >= MIN_IDENTIFIER_LENGTH:
            pairs.append(("phone_digits", phone))
        if not compact.startswith("+"):
            if len(digits) <= 11:
                pairs.append(("amka", digits))
            if len(digits) <= 9:
                pairs.append(("afm", digits))
            if len(digits) == 8:  # an old 8-digit AFM is stored with a leading zero
                pairs.append(("afm", f"0{digits}"))
    pairs = list(dict.fromkeys(pairs))
    prefix = _any(_column(name, "LIKE", f"{value}%") for name, value in pairs)
    exact = _any(_column(name, "=", value) for name, value in pairs)
    return prefix, exact


def _search_identifier(queryset: QuerySet, compact: str, limit: int) -> list[Person]:
    prefix, exact = _identifier_conditions(compact)
    rank = _Sql(f"CASE WHEN {exact.sql} THEN 0 ELSE 1 END", exact.params)
    return list(
        queryset.filter(prefix.condition())
        .alias(rank=rank.value(IntegerField()))
        .order_by("rank", *_BY_NAME)[:limit]
    )


# --- the search -------------------------------------------------------------------------


def person_find_unaudited(user, query: str, limit: int = LIMIT) -> SearchResult:
    """The search without its audit event: for person_search and the benchmark only."""
    raw = query or ""
    query = " ".join(raw.split())
    if not query:
        return SearchResult([], "empty")
    compact = compact_query(query)
    if NUMBER_QUERY.match(compact) or ID_CARD_QUERY.match(compact):
        if len(compact.lstrip("+")) < MIN_IDENTIFIER_LENGTH:
            return SearchResult([], "identifier", too_short=True, terms=[compact])
        kind, sought = "identifier", [compact]
    else:
        terms, year = name_terms(raw.lstrip())
        sought = [t.full for t in terms]
        if sum(len(t.full) for t in terms) < MIN_NAME_LETTERS:
            return SearchResult([], "name", too_short=True, terms=sought)
        kind = "name"
    centres = scope_for(user).centre_ids(Capability.PERSONAL_DATA)
    if not centres:
        return SearchResult([], kind, terms=sought)
    postgresql = connections[Person.objects.db].vendor == "postgresql"
    scoped = _scoped(user, centres, postgresql)
    if kind == "identifier":
        return SearchResult(_search_identifier(scoped, compact, limit), kind, terms=sought)
    persons, approximate = _search_names(scoped, terms, year, limit, postgresql)
    return SearchResult(persons, kind, approximate=approximate, terms=sought)


def person_search(user, query: str, *, limit: int = LIMIT, request=None) -> SearchResult:
    """The persons in `user`'s scope that `query` finds, best first (at most `limit`).

    Audited as a query ("person.search", with what was asked and how many were found) in
    the chain of the user's own centre; nothing is audited when nothing was looked up."""
    result = person_find_unaudited(user, query, limit)
    if result.kind == "empty" or result.too_short:
        return result
    centres = scope_for(user).centre_ids(Capability.PERSONAL_DATA)
    audit_record(
        action="person.search",
        actor=user,
        request=request,
        centre=min(centres) if centres else None,  # the user's own chain, not a global one
        detail={
            "q": " ".join(query.split()),
            "kind": result.kind,
            "results": len(result.persons),
            "persons": sorted(p.pk for p in result.persons),
        },
    )
    return result
