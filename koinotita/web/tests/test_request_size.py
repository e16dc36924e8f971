"""Request size: a body over the limit is refused with 413 before it is read — JSON under
/api/, the Greek page elsewhere; a view that takes files accepts its larger limit."""

import io
import socket

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from koinotita.web.middleware import RequestSizeLimitMiddleware, request_limit

SMALL = override_settings(MAX_REQUEST_BYTES=1024, MAX_UPLOAD_REQUEST_BYTES=8192)


@SMALL
def test_a_form_post_over_the_limit_is_413_with_the_greek_page(db):
    response = Client().post("/accounts/login/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    body = response.content.decode()
    assert '<html lang="el">' in body and "Πολύ μεγάλο" in body


@SMALL
def test_an_api_post_over_the_limit_is_413_json(db):
    response = Client(headers={"Accept-Language": "en"}).post(
        "/api/v1/cases", {"reason": "x" * 2000}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "larger than 1 MB" in response.json()["detail"]


@SMALL
def test_a_post_under_the_limit_goes_on(db):
    response = Client().post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code != 413


@SMALL
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("api:attachment_create", {"case_id": 1}),
        ("cases-attachment-add", {"pk": 1}),
        ("referrals-attachment-upload", {"pk": 1}),
        ("people-import-upload", {}),
    ],
)
def test_views_that_take_files_have_the_larger_limit(name, kwargs):
    assert request_limit(reverse(name, kwargs=kwargs)) == 8192


@SMALL
@pytest.mark.parametrize("path", ["/api/v1/cases", "/accounts/login/", "/no/such/path/"])
def test_other_paths_have_the_smaller_limit(path):
    assert request_limit(path) == 1024


@SMALL
def test_a_chunked_body_is_counted_and_refused_over_the_limit():
    middleware = RequestSizeLimitMiddleware(lambda request: "passed on")
    request = RequestFactory().generic("POST", "/accounts/login/", b"")
    request.META.pop("CONTENT_LENGTH", None)
    request.META.update(
        {
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input_terminated": True,
            "wsgi.input": io.BytesIO(b"x" * 5000),
        }
    )
    assert middleware(request).status_code == 413


@SMALL
def test_a_small_chunked_body_is_read_and_handed_on():
    seen = {}

    def view(request):
        seen["body"] = request.body
        return "passed on"

    middleware = RequestSizeLimitMiddleware(view)
    request = RequestFactory().generic("POST", "/accounts/login/", b"")
    request.META.pop("CONTENT_LENGTH", None)
    request.META.update(
        {
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input_terminated": True,
            "wsgi.input": io.BytesIO(b"a=1&b=2"),
        }
    )
    assert middleware(request) == "passed on"
    assert seen["body"] == b"a=1&b=2"


@pytest.mark.django_db(transaction=True)
def test_the_live_server_answers_413_to_a_huge_content_length_without_the_body(live_server):
    """A real socket: the headers announce 100 MB, no byte of the body is sent, and the
    answer comes at once (the server did not wait to read it)."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\n"
            + f"Host: {host}:{port}\r\n".encode()
            + b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 104857600\r\n\r\n"
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 413 " in status_line, answer[:200]
