"""Ordinary Greek inflection finds the service on the public and the staff directory pages
(issue 14, blocker 6), on SQLite and on PostgreSQL: the words meet by their Snowball stem,
besides accents, final sigma and Greeklish."""

import pytest
from django.db import connection
from django.urls import reverse

from koinotita.directory.selectors import service_search
from koinotita.directory.tests.conftest import make_service
from koinotita.lib.greek import stem_word
from koinotita.testing.clients import logged_in

PAIRS = [
    ("Διανομή τροφίμων", "τρόφιμα"),
    ("Τρόφιμα για οικογένειες", "τροφίμων"),
    ("Στέγη για άστεγους", "στέγαση"),
    ("Υποστήριξη στη στέγαση", "στέγη"),
    ("Ξενώνας για γυναίκες θύματα βίας", "βία"),
    ("Συμβουλευτική για τη βία", "βίας"),
]


@pytest.fixture
def inflected(small_directory):
    organization = small_directory["social"]
    return {name: make_service(organization, name) for name, _ in PAIRS}


@pytest.mark.parametrize(("name", "query"), PAIRS)
def test_an_inflected_word_finds_the_service(inflected, name, query):
    found = [s.name for s in service_search(text=query)]
    assert name in found


@pytest.mark.parametrize(("name", "query"), PAIRS)
def test_public_and_staff_pages_find_inflected_words(inflected, alice, client, name, query):
    public = client.get(reverse("directory-public"), {"q": query})
    staff = logged_in(alice).get(reverse("directory-search"), {"q": query})
    assert name in public.content.decode()
    assert name in staff.content.decode()


def test_accents_final_sigma_and_greeklish_still_find(inflected):
    assert "Διανομή τροφίμων" in [s.name for s in service_search(text="ΤΡΟΦΙΜΩΝ")]
    assert "Διανομή τροφίμων" in [s.name for s in service_search(text="trofimon")]
    assert "Ξενώνας για γυναίκες θύματα βίας" in [s.name for s in service_search(text="βιας")]


def test_a_short_stem_does_not_find_every_word_with_its_letter(inflected):
    found = [s.name for s in service_search(text="βία")]
    assert "Βοήθεια στο Σπίτι" not in found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's greek configuration")
def test_python_stems_are_postgresqls_greek_stems(db):
    words = ["τρόφιμα", "τροφίμων", "στέγαση", "στέγασης", "υποστήριξη", "οικογένειες"]
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute("SELECT to_tsvector('greek', %s)::text", [word])
            (vector,) = cursor.fetchone()
            assert vector.split(":")[0].strip("'") == stem_word(word), word
