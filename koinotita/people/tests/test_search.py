"""Reception search (koinotita.people.search): names in any script and spelling, identifiers,
ranking, the typo fallback, scope, audit, the page and its query budget."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koinotita.accounts.scoping import scope_for
from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Municipality
from koinotita.people import search
from koinotita.people.models import Person
from koinotita.people.search import (
    Term,
    _forms_by_trying,
    _minimal,
    name_terms,
    person_search,
    word_forms,
)
from koinotita.testing.identifiers import make_afm, make_amka
from koinotita.testing.people import person_make
from koinotita.testing.queries import at_most, working

PHONE = "+30 697 123 4567"


def _register(actor, centre, family, given, *, born, sex="M", serial=1, **extra) -> Person:
    fields = {
        "family_name": family,
        "given_name": given,
        "father_name": extra.pop("father_name", "Γεώργιος"),
        "sex": sex,
        "birth_date": born,
        "amka": make_amka(born, sex, serial),
        "residence_municipality": Municipality.objects.get(code=centre.code),
        **extra,
    }
    return person_make(actor=actor, centre=centre, fields=fields, confirm=True)


@pytest.fixture
def people(alice, charlie, network):
    kastoria, florina = network["kastoria"], network["florina"]
    return {
        "christos": _register(
            alice,
            kastoria,
            "Παπαδόπουλος",
            "Χρήστος",
            born=date(1980, 5, 17),
            afm=make_afm(1234),
            phone=PHONE,
            id_document_number="ΑΒ 123456",
        ),
        "eleni": _register(
            alice, kastoria, "Παπαδοπούλου", "Ελένη", born=date(1985, 3, 14), sex="F"
        ),
        "evangelos": _register(alice, kastoria, "Θεοδώρου", "Ευάγγελος", born=date(1970, 1, 2)),
        "maria": _register(alice, kastoria, "Νικολάου", "Μαρία", born=date(1990, 7, 9), sex="F"),
        "nikoleta": _register(
            alice, kastoria, "Παπαδάκη", "Νικολέτα", born=date(1992, 11, 30), sex="F"
        ),
        "ardit": _register(alice, kastoria, "Hoxha", "Ardit", born=date(1988, 2, 3)),
        "florina": _register(
            charlie,
            florina,
            "Παπαδόπουλος",
            "Χρήστος",
            born=date(1980, 5, 17),
            serial=2,
            phone=PHONE,
        ),
    }


def found(user, query: str) -> list[Person]:
    return person_search(user, query).persons


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Παπαδόπουλος",  # as registered
        "Παπαδοπουλος",  # no accent
        "ΠΑΠΑΔΟΠΟΥΛΟΣ",  # upper case
        "παπαδοπουλοσ",  # final sigma typed as σ
        "Papadopoulos",  # ELOT 743
        "PAPADOPOULOS",
        "Papadopulos",  # Greeklish ou → u
        "papadopoulos xristos",
        "Hristos Papadopoulos",
        "Christos",
        "Xrhstos",
    ],
)
def test_a_name_is_found_in_any_script_case_and_spelling(alice, people, query):
    assert found(alice, query)[0] == people["christos"]


@pytest.mark.parametrize(
    "query",
    ["Θεοδώρου", "Θεοδωρου Ευαγγελος", "8eodorou", "Theodorou", "Evaggelos", "Euaggelos"],
)
def test_greeklish_variants_of_theodorou_evangelos(alice, people, query):
    assert found(alice, query) == [people["evangelos"]]


def test_a_latin_name_is_found_as_typed(alice, people):
    assert found(alice, "hoxha") == [people["ardit"]]
    assert found(alice, "Ardit") == [people["ardit"]]


def test_any_part_of_a_name_finds_everyone_it_starts(alice, people):
    result = found(alice, "Παπαδ")
    assert set(result) == {people["christos"], people["eleni"], people["nikoleta"]}
    assert found(alice, "Θεοδ") == [people["evangelos"]]
    assert found(alice, "Ευάγ") == [people["evangelos"]]  # a given name's start


def test_a_word_still_being_typed_matches_what_it_can_become(alice, people):
    # «Παπαδόπο» is on its way to «Παπαδόπουλος» (ου is one sound): it must not lose it.
    assert people["christos"] in found(alice, "Παπαδόπο")
    assert people["eleni"] in found(alice, "Papadopo")
    assert word_forms("Νικ") == ("nik", "nih")  # «Νικσ…» would be 'nih…'
    # A finished word (followed by a space) is taken as typed.
    assert name_terms("Μαρία ")[0][0].forms == ("maria",)
    assert name_terms("Μαρία")[0][0].forms == ("maria", "marie")  # «Μαρίαι…»


def test_two_terms_in_either_order(alice, people):
    assert found(alice, "Χρήστος Παπαδόπουλος") == [people["christos"]]
    assert found(alice, "Παπαδόπουλος Χρήστος") == [people["christos"]]
    assert found(alice, "Ελένη Παπαδ") == [people["eleni"]]
    assert found(alice, "Παπαδ Ελ") == [people["eleni"]]


def test_family_name_hits_rank_before_given_name_hits(alice, people):
    # «Νικ» starts Νικολάου Μαρία's family name and Παπαδάκη Νικολέτα's given name.
    assert found(alice, "Νικ") == [people["maria"], people["nikoleta"]]
    # The family name equal to the term ranks before longer family names it starts.
    assert found(alice, "Παπαδόπουλος")[0] == people["christos"]


def test_a_birth_year_narrows_the_names(alice, people):
    assert found(alice, "Παπαδ 1985") == [people["eleni"]]
    assert found(alice, "Παπαδ 1975") == []


def test_a_typo_is_found_by_the_fallback(alice, people):
    result = person_search(alice, "Παπαδόπυλος")  # υ for ου
    assert result.approximate
    assert result.persons[0] == people["christos"]
    result = person_search(alice, "Theodorpu")  # two letters swapped
    assert result.approximate
    assert result.persons == [people["evangelos"]]
    result = person_search(alice, "Evagelso Theodorou")  # one of two words mistyped
    assert result.approximate
    assert result.persons == [people["evangelos"]]


def test_a_fragment_inside_a_name_is_found_when_no_word_starts_with_it(alice, people):
    result = person_search(alice, "δοπουλ")
    assert result.approximate
    assert {people["christos"], people["eleni"]} <= set(result.persons)


def test_nothing_like_the_query_finds_nobody(alice, people):
    result = person_search(alice, "Ζαχαριάδου")
    assert result.persons == []
    assert result.kind == "name"


# --- identifiers ------------------------------------------------------------------------


def test_amka_full_and_prefix(alice, people):
    amka = people["christos"].amka
    assert found(alice, amka) == [people["christos"]]
    assert found(alice, amka[:6]) == [people["christos"]]  # the birth date DDMMYY
    assert found(alice, f"{amka[:4]} {amka[4:8]}") == [people["christos"]]


def test_afm(alice, people):
    assert found(alice, make_afm(1234)) == [people["christos"]]
    assert found(alice, "EL " + make_afm(1234)) == []  # a name-like query, no such name


@pytest.mark.parametrize("query", ["ΑΒ123456", "AB 123456", "ab123456", "αβ-123456", "AB1234"])
def test_id_card_with_letters_in_either_alphabet(alice, people, query):
    assert found(alice, query) == [people["christos"]]


@pytest.mark.parametrize(
    "query",
    ["6971234567", "697 123 4567", "697-123-45-67", PHONE, "+306971234567", "0030 6971234567"],
)
def test_phone_with_any_spacing_and_country_code(alice, people, query):
    assert found(alice, query) == [people["christos"]]


def test_phone_prefix(alice, people):
    assert found(alice, "697 12") == [people["christos"]]


def test_too_short_a_query_looks_nothing_up(alice, people, django_assert_num_queries):
    scope_for(alice)
    with django_assert_num_queries(0):
        for query in ("Π", "12", "  ", ""):
            result = person_search(alice, query)
            assert result.persons == []
    assert person_search(alice, "Π").too_short
    assert person_search(alice, "123").too_short
    assert person_search(alice, "").kind == "empty"
    assert not AuditEvent.objects.filter(action="person.search").exists()


# --- scope ------------------------------------------------------------------------------


def test_another_centre_is_never_searched(alice, charlie, people):
    assert people["florina"] not in found(alice, "Παπαδόπουλος Χρήστος")
    assert people["florina"] not in found(alice, "6971234567")
    assert people["florina"] not in found(alice, "Papadopolos")  # not via the fallback either
    assert found(charlie, "Παπαδόπουλος") == [people["florina"]]
    assert found(charlie, "Θεοδώρου") == []
    assert found(charlie, people["christos"].amka) == []


def test_merged_and_anonymised_persons_are_never_found(alice, people):
    Person.objects.filter(pk=people["eleni"].pk).update(merged_into=people["christos"])
    Person.objects.filter(pk=people["evangelos"].pk).update(anonymised_at=timezone.now())
    assert people["eleni"] not in found(alice, "Παπαδ")
    assert found(alice, "Θεοδώρου") == []
    assert found(alice, "Theodorpu") == []
    assert found(alice, people["evangelos"].amka) == []


def test_users_without_personal_data_find_nobody(mona, pat, people):
    assert found(mona, "Παπαδόπουλος") == []
    assert found(pat, "Παπαδόπουλος") == []


# --- audit and cost ---------------------------------------------------------------------


def test_search_is_audited_as_a_query_in_the_users_centre_chain(alice, people, network):
    person_search(alice, "Παπαδ")
    event = AuditEvent.objects.filter(action="person.search").get()
    assert event.actor_username == "alice"
    assert event.centre_id == network["kastoria"].pk
    shown = event.detail.pop("persons")
    assert event.detail == {"q": "Παπαδ", "kind": "name", "results": 3}
    assert len(shown) == 3  # the search names the persons it found
    person_search(alice, "697 123")
    event = AuditEvent.objects.filter(action="person.search").latest("seq")
    assert len(event.detail.pop("persons")) == 1
    assert event.detail == {"q": "697 123", "kind": "identifier", "results": 1}


@pytest.mark.parametrize("query", ["Παπαδ", "Παπαδόπουλς", "697 123 4567", "AB123456"])
def test_search_is_a_bounded_number_of_queries(alice, people, query):
    for serial in range(20):  # more persons must not mean more queries
        _register(alice, people["christos"].centre, "Παπαδάκης", "Ηλίας", born=date(1960, 1, 1),
                  serial=100 + serial)  # fmt: skip
    scope_for(alice)  # the scope is read once per request
    # At most two searches and the audit event (three statements: chain head, event, head);
    # on PostgreSQL the typo search also sets its plan (SET LOCAL, and RESET here, where the
    # test's transaction would otherwise keep it).
    with at_most(7) as captured:
        persons = found(alice, query)
        assert [p.residence_municipality.label for p in persons]  # no query per result
    settings = [sql for sql in working(captured) if sql.startswith(("SET", "RESET"))]
    if connection.vendor == "postgresql" and query == "Παπαδόπουλς":
        assert settings == ["SET LOCAL enable_indexscan = off", "RESET enable_indexscan"]
    else:
        assert settings == []


def test_the_indexes_serve_the_search_queries(alice, people):
    """On PostgreSQL every search query can run on the index meant for it (the plans at
    national volume are in bench/README.md); on SQLite the same queries run without them."""
    centre = people["christos"].centre
    postgresql = connection.vendor == "postgresql"
    Person.objects.bulk_create(
        Person(
            centre=centre,
            family_name=f"Επώνυμο{i}",
            given_name="Όνομα",
            search_key=f"{'abcdefghijklmnopqrstuvwxyz'[i % 26]}ekey{i} onoma",
            amka=f"9{i:010d}",
            afm=f"9{i:08d}",
            phone_digits=f"210{i:07d}",
            id_document_number=f"ΧΧ{i:06d}",
        )
        for i in range(20000 if postgresql else 10)  # enough for the planner to care
    )
    queries = ["Παπαδ", "Παπαδόπυλος", "697 123", "AB123456", people["christos"].amka[:6]]
    with CaptureQueriesContext(connection) as captured:
        for query in queries:
            assert person_search(alice, query).persons
    searches = [q["sql"] for q in captured if 'FROM "people_person"' in q["sql"]]
    if not postgresql:
        assert len(searches) == len(queries) + 1  # the typo took a second query
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%search_trgm%'")
            assert cursor.fetchall() == []
        return
    # Names: the word starts (one query), then the persons found, or the typo fallback.
    words, fallback, *identifiers = searches[0], searches[3], *searches[4:]
    assert len(searches) == len(queries) + 2
    assert "UNION ALL" in words
    assert "%> 'papadopilos'" in fallback
    # The fallback ORs two conditions on the trigram index: check each on its own.
    typo = [Term("papadopilos", ("papadopilos",))]
    part = 'SELECT 1 FROM people_person WHERE "people_person"."centre_id" = %s::bigint AND '
    inside = search._inside(typo, postgresql=True)
    statements = [(sql, None) for sql in (words, words, *identifiers)] + [
        (part + inside.sql, (centre.pk, *inside.params)),
        (part + '"people_person"."search_key" %%> %s', (centre.pk, "papadopilos")),
    ]
    word_2 = "split_part((search_key)::text, ' '::text, 2))::text"
    kept_words = ("search_family", "search_word_", "search_long")
    expected = [  # the indexes left in place, and the index used with the condition it serves
        (kept_words, "search_family", "(search_key)::text >= 'papad'"),
        (kept_words, "search_word_2", f"{word_2} >= 'papad'"),
        (("_prefix",), "phone_digits_prefix", "(phone_digits)::text ~>=~ '697123'"),
        (("_prefix",), "id_document_number_prefix", "::text ~>=~ 'ΑΒ123456'"),
        (("_prefix",), "amka_prefix", "(amka)::text ~>=~ '170580'"),
        (("search_trgm",), "search_trgm", "::bigint) AND ((search_key)::text ~~ '%papadopilos%'"),
        (("search_trgm",), "search_trgm", "::bigint) AND ((search_key)::text %> 'papadopilos'"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename = 'people_person' AND indexname <> 'people_person_pkey'"
        )
        indexes = [row[0] for row in cursor.fetchall()]
        for (sql, params), (kept, used, condition) in zip(statements, expected, strict=True):
            with transaction.atomic():  # rolled back: the indexes come back
                for index in indexes:
                    if not any(name in index for name in kept):
                        cursor.execute(f'DROP INDEX "{index}"')
                cursor.execute("ANALYZE people_person")
                cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows are no volume
                cursor.execute(f"EXPLAIN {sql}", params)
                lines = [row[0] for row in cursor.fetchall()]
                transaction.set_rollback(True)
            served = [  # the line after an index scan is its condition
                after
                for line, after in zip(lines, lines[1:], strict=False)
                if f" people_person_{used} " in line
            ]
            assert any(condition in line for line in served), (used, condition, lines)
            if used in ("search_family", "search_word_2"):  # read in order, stopping at the LIMIT
                scan = next(i for i, line in enumerate(lines) if f" people_person_{used} " in line)
                assert "Index Scan using" in lines[scan], lines
                assert "Limit" in lines[scan - 1], lines


def test_word_forms_match_trying_every_next_letter(people):
    """The cached shortcut (the last four letters decide) agrees with trying every letter."""
    names = [
        "Παπαδοπούλου", "Θεοδώρου", "Ευάγγελος", "Αικατερίνη", "Γεωργίου", "Κωνσταντίνος",
        "Τσαγκαράκης", "Μπουρνάζος", "Ντίνος", "Χατζηϊωάννου", "Papadopoulou", "Theodorou",
        "Evaggelos", "Aikaterini", "Xrhstos", "Dhmhtrhs", "Konstantinos", "Tsagkarakis",
        "Psyxogios", "Hoxha", "Mohammad",
    ]  # fmt: skip
    for name in names:
        for end in range(1, len(name) + 1):
            word = name[:end]
            assert set(_minimal(word_forms(word))) == set(_forms_by_trying(word)), word


# --- the page ---------------------------------------------------------------------------


def test_search_page_shows_results(rita, people, client_for):
    response = client_for(rita).get(reverse("people-person-search"), {"q": "papadopoulos"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert reverse("people-person-detail", args=[people["christos"].pk]) in page
    assert "Γεώργιος" in page  # father's name
    assert "1980" in page  # birth year
    assert "Καστοριά" in page  # municipality


def test_search_page_answers_htmx_with_the_fragment(rita, people, client_for):
    response = client_for(rita).get(
        reverse("people-person-search"), {"q": "Νικ"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert page.index("Νικολάου") < page.index("Νικολέτα")
    assert reverse("reception-contact-log", args=[people["maria"].pk]) in page


def test_search_page_of_another_centre_shows_none_of_this_one(charlie, people, client_for):
    client = client_for(charlie)
    response = client.get(
        reverse("people-person-search"),
        {"q": "Θεοδώρου"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "No one found" in page
    assert "Θεοδώρου" not in page
    response = client.get(reverse("people-person-search"), {"q": "Χρήστος"})
    page = response.content.decode()
    assert reverse("people-person-detail", args=[people["florina"].pk]) in page
    assert reverse("people-person-detail", args=[people["christos"].pk]) not in page
    detail = reverse("people-person-detail", args=[people["christos"].pk])
    assert client.get(detail).status_code == 404


def test_search_page_without_personal_data_is_forbidden(mona, client_for):
    response = client_for(mona).get(reverse("people-person-search"), {"q": "Παπα"})
    assert response.status_code == 403


def test_search_page_stays_within_the_query_budget(rita, people, client_for):
    client = client_for(rita)
    client.get(reverse("people-person-search"))  # session and login settle
    for query in ("Παπαδ", "Papadopolos"):
        with at_most(12):
            response = client.get(
                reverse("people-person-search"), {"q": query}, headers={"HX-Request": "true"}
            )
        assert response.status_code == 200
