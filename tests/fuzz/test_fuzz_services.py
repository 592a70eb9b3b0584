"""Every operation of every service, with customer, staff and admin credentials: no answer is a
5xx, and every documented answer conforms to its schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.fuzz.conftest import MAX_EXAMPLES, SEED, TALLY
from tests.support.service_auth import Caller, service_auth_headers

pytestmark = pytest.mark.infra
schema = schemathesis.pytest.from_fixture("service_schema")
CALLERS: tuple[Caller, ...] = ("customer", "staff", "admin")


def _fuzzed(test: Any) -> Any:
    test = settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=SEED != "random",
        suppress_health_check=list(HealthCheck),
        database=None,
    )(test)
    return seed(int(SEED))(test) if SEED != "random" else test


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@_fuzzed
def test_no_server_error_and_answers_as_documented(case: Any, caller: Caller) -> None:
    headers = {**(case.headers or {}), **service_auth_headers(caller)}
    response = case.call(headers=headers, timeout=15)
    TALLY.count(f"{case.method} {case.path}", response.status_code)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
