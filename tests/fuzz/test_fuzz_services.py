"""Every operation of every service on its own port, as customer, staff and admin: no answer is
a 5xx, and every documented answer conforms to its schema (schemathesis's
``not_a_server_error`` and ``response_schema_conformance``). Then the whole public document
(the gateway's merge) through the edge on the public port: nginx passes odd and percent-encoded
paths on as sent or refuses them itself, and no answer is a 5xx."""

from __future__ import annotations

import random
import time
from typing import Any, cast

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.fuzz.conftest import MAX_EXAMPLES, SEED, TALLY, TIME_BUDGET_S
from tests.support.platform import stack
from tests.support.service_auth import Caller, service_auth_headers

pytestmark = pytest.mark.infra
CALLERS: tuple[Caller, ...] = ("customer", "staff", "admin")
FUZZED = ("gateway", "inventory", "orders", "payments", "documents", "notifications")
#: the gateway's own routes (what it forwards is fuzzed at the owning service)
GATEWAY_OWN = r"^/v1/(sessions|me|admin/)"
CHECKS = [not_a_server_error, response_schema_conformance]


def operations_of(service: str) -> list[Any]:
    url = stack.PROCESSES[service].url
    schema: Any = schemathesis.openapi.from_url(f"{url}/openapi.json")
    schema.config.update(base_url=url)
    if service == "gateway":
        schema = schema.include(path_regex=GATEWAY_OWN)
    return [cast(Any, result).ok() for result in schema.get_all_operations()]


def fuzz(service: str, operation: Any, failures: list[str], checks: list[Any] = CHECKS) -> None:
    """``MAX_EXAMPLES`` requests (valid and invalid by the schema), each sent per caller."""
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    run_seed = int(SEED) if SEED != "random" else random.randrange(2**32)

    @hypothesis_seed(run_seed)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.generate],  # no shrinking: failures are recorded as they come
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        for caller in CALLERS:
            headers = {**(case.headers or {}), **service_auth_headers(caller, service)}
            response = case.call(headers=headers, timeout=15)
            TALLY.count(operation.label, response.status_code)
            try:
                case.validate_response(response, checks=checks)
            except Exception as exc:  # recorded, not shrunk: the run stays bounded
                failures.append(
                    f"{operation.label} as {caller}: {response.status_code}"
                    f" {type(exc).__name__}: {str(exc)[:300]} (reproduce: {case.as_curl_command()})"
                )

    run()


def run_bounded(service: str, operations: list[Any], checks: list[Any]) -> list[str]:
    failures: list[str] = []
    started = time.monotonic()
    for operation in operations:
        if TIME_BUDGET_S and time.monotonic() - started > TIME_BUDGET_S:
            TALLY.skipped_operations.append(operation.label)  # reported: the run stays bounded
            continue
        fuzz(service, operation, failures, checks)
    TALLY.failures += failures
    return failures


@pytest.mark.parametrize("service", FUZZED)
def test_no_server_error_and_answers_as_documented(platform: str, service: str) -> None:
    failures = run_bounded(service, operations_of(service), CHECKS)
    assert not failures, "\n".join(failures[:20])


def test_no_server_error_through_the_edge(platform: str) -> None:
    """The merged document's operations sent to the edge (``platform`` is its URL). Only the
    5xx check: the edge's own refusals (400 for dot segments, 413, 429 of the rate limits) are
    problem+json that no service documents."""
    everything = schemathesis.openapi.from_url(f"{platform}/openapi.json")
    everything.config.update(base_url=platform)
    operations = [cast(Any, result).ok() for result in everything.get_all_operations()]
    random.Random(int(SEED) if SEED != "random" else None).shuffle(operations)
    failures = run_bounded("edge", operations, [not_a_server_error])
    assert not failures, "\n".join(failures[:20])
