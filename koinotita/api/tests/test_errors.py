"""The API's error contract: every error answer of /api/v1/ is JSON with `detail` (in the
user's language), documented on every operation; invalid input answers its documented
shape (`errors`: field → messages); too-large numbers are 422, never 500."""

import pytest
from django.test import Client

from koinotita.api.main import api
from koinotita.lib import errors
from koinotita.testing.clients import api_client


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_an_unknown_api_path_is_a_json_404_in_greek_by_default(alice):
    body = _problem(api_client(alice, language=None).get("/api/v1/no-such-thing"), 404)
    assert body["detail"] == "Δεν βρέθηκε."
    assert _problem(api_client(alice).get("/api/v1/no-such-thing"), 404)["detail"] == ("Not found.")


def test_a_method_the_path_does_not_take_is_a_json_405_with_allow(alice):
    response = api_client(alice).delete("/api/v1/centres")
    body = _problem(response, 405)
    assert "GET" in response["Allow"]
    assert body["detail"] == "This method is not allowed here."


def test_no_token_is_a_json_401(db):
    body = _problem(Client().get("/api/v1/cases"), 401)
    assert body["detail"] == "Λείπει ή δεν είναι έγκυρο το διακριτικό API."


def test_a_failure_is_a_json_500_that_hides_the_error(alice, monkeypatch):
    def broken(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("koinotita.organisations.api.centre_list_for", broken)
    client = api_client(alice)
    client.raise_request_exception = False
    response = client.get("/api/v1/centres")
    body = _problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "Nothing you sent was saved" in body["detail"]


def test_invalid_input_answers_the_documented_shape_field_to_messages(alice):
    response = api_client(alice).post(
        "/api/v1/cases", {"person": "not a number"}, content_type="application/json"
    )
    body = _problem(response, 422)
    assert body["errors"] == {
        "person": ["Enter a whole number."],
        "reason": ["This field is required."],
    }


def test_invalid_input_is_said_in_greek_by_default(alice):
    response = api_client(alice, language=None).post(
        "/api/v1/cases", {}, content_type="application/json"
    )
    body = _problem(response, 422)
    assert body["detail"] == "Το αίτημα δεν είναι έγκυρο."
    assert body["errors"]["person"] == ["Αυτό το πεδίο είναι υποχρεωτικό."]


def test_a_body_that_is_not_json_is_a_json_400(alice):
    response = api_client(alice, language=None).post(
        "/api/v1/cases", "{not json", content_type="application/json"
    )
    assert "JSON" in _problem(response, 400)["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/referrals?page=279732872691185728",
        "/api/v1/people?page=0",
        "/api/v1/cases/99999999999999999999",
        "/api/v1/people/99999999999999999999",
        "/api/v1/referrals/99999999999999999999",
        "/api/v1/funding/operations/99999999999999999999",
    ],
)
def test_out_of_range_pages_and_ids_are_422_or_404_never_500(sam, path):
    client = api_client(sam)
    client.raise_request_exception = False
    assert client.get(path).status_code in (404, 422)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/cases", {"person": 99999999999999999999, "reason": "x"}),
        ("/api/v1/tasks", {"title": "x", "due_on": "2026-01-01", "case": 99999999999999999999}),
        (
            "/api/v1/contacts",
            {"site": "x", "at": "2026-01-01T10:00", "channel": "x",
             "persons": [99999999999999999999]},
        ),
        (
            "/api/v1/referrals",
            {"person_id": 99999999999999999999, "reason": "x",
             "service_id": "00000000-0000-0000-0000-000000000000"},
        ),
    ],
)  # fmt: skip
def test_an_out_of_range_id_in_a_body_is_422(alice, path, body):
    response = api_client(alice).post(path, body, content_type="application/json")
    assert _problem(response, 422)["errors"]


def test_every_operation_documents_its_error_answers(db):
    schema = api.get_openapi_schema()
    assert "Problem" in schema["components"]["schemas"]
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 70
    for path, method, operation in operations:
        codes = set(operation["responses"])
        expected = set(errors.ERROR_STATUSES) - ({401} if not operation.get("security") else set())
        assert expected <= codes, (method, path, expected - codes)
        problem = operation["responses"][422]["content"]["application/json"]["schema"]
        assert problem == {"$ref": "#/components/schemas/Problem"}
    assert "Retry-After" in operations[0][2]["responses"][503]["headers"]


def test_the_published_schema_carries_the_error_answers(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "422" in schema["paths"]["/api/v1/cases"]["post"]["responses"]
