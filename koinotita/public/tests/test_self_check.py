"""The self-check: the staff pre-screening's rules on a few plain answers; stores nothing
(no row, no cookie, no log line with the answers)."""

import logging

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from koinotita.public.forms import MEMBER_ROWS


def answers(ages=(40, 38, 10, 7), **household) -> dict:
    data = {
        "members-TOTAL_FORMS": str(MEMBER_ROWS),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": str(MEMBER_ROWS),
    }
    for i, age in enumerate(ages):
        data[f"members-{i}-age"] = str(age)
        data[f"members-{i}-disability"] = "no"
        data[f"members-{i}-unemployed"] = "no"
    data.update(
        {"income_6m": "0", "deposits": "0", "real_estate": "0", "single_parent": "no"}
        | {"renting": "yes"}
        | household
    )
    return {k: v for k, v in data.items() if v is not None}


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names)
            found[table] = cursor.fetchone()[0]
        return found


def test_two_adults_two_children_see_the_minimum_income_amount(catalogue, client):
    response = client.post(reverse("public-check"), answers())
    text = response.content.decode()
    assert response.status_code == 200
    # 216 + 108 + 2 × 54 (from 1.12.2023), no income: the whole guaranteed amount.
    assert "432.00" in text or "432,00" in text
    assert "Ελάχιστο Εγγυημένο Εισόδημα" in text and "πιθανώς ναι" in text
    assert "Τι να φέρετε" in text


def test_missing_answers_say_cannot_tell_and_what_is_missing(catalogue, client):
    data = answers(income_6m="", deposits="", real_estate="")
    text = client.post(reverse("public-check"), data).content.decode()
    assert "δεν μπορούμε να πούμε" in text
    assert "το εισόδημα του νοικοκυριού του τελευταίου εξαμήνου" in text


def test_no_member_at_all_says_cannot_tell(catalogue, client):
    text = client.post(reverse("public-check"), answers(ages=())).content.decode()
    assert "δεν μπορούμε να πούμε" in text


def test_negative_income_is_refused_with_a_message(catalogue, client):
    text = client.post(reverse("public-check"), answers(income_6m="-5")).content.decode()
    assert "αρνητικό" in text


def test_english(catalogue, client):
    text = client.post(reverse("public-check"), {**answers(), "lang": "en"}).content.decode()
    assert "probably yes" in text and "432" in text


def test_the_self_check_stores_nothing(catalogue, client, caplog):
    client.get(reverse("public-check"))
    before = _counts()
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("public-check"), answers(income_6m="1234.56"))
    assert response.status_code == 200
    assert _counts() == before
    assert not response.cookies
    assert "Set-Cookie" not in str(response.serialize_headers())
    assert "1234" not in caplog.text
    assert response["Cache-Control"] == "no-store"
    assert not client.session.keys()


@pytest.mark.parametrize("age", ["-1", "200", "abc"])
def test_impossible_ages_are_refused(catalogue, client, age):
    data = answers()
    data["members-0-age"] = age
    response = client.post(reverse("public-check"), data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
