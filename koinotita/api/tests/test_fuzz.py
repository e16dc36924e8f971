"""Fuzzing the API against its own OpenAPI schema (schemathesis, in process, on the test
database): every operation gets generated requests, each sent with a caseworker's and a
supervisor's token, and every answer must be below 500 and agree with the schema (status
documented, content type, body, headers). Bounded so that it runs in well under a minute
per database; derandomised, so that a failure found in CI is found again locally."""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from koinotita.accounts.services import api_token_create

EXAMPLES_PER_OPERATION = 8
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]


@pytest.fixture
def in_process():
    """Requests go straight to the WSGI application, as Django's test client sends them: the
    end of a request must not close the test's connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(alice, sam, in_process):
    return [api_token_create(user=user)[1] for user in (alice, sam)]


def _fuzz(operation, tokens: list[str], sent: list[int]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        for key in tokens:
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {key}"}, checks=CHECKS
            )
            sent.append(response.status_code)

    run()


@pytest.mark.slow
def test_api_answers_agree_with_the_schema_and_never_fail(tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    sent: list[int] = []
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, tokens, sent)
        except (Exception, BaseExceptionGroup) as failure:  # every operation is tried
            failures.append(f"{operation.label}: {failure}")
    print(
        f"\nschemathesis: {len(sent)} requests over {len(operations)} operations, "
        f"{len(failures)} failing; answers by status: {dict(sorted(Counter(sent).items()))}"
    )
    assert not failures, "\n\n".join(failures)
    assert len(operations) > 70
    assert len(sent) >= 1000
