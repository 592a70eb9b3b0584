"""The admin's view of every service's readiness (``GET /v1/admin/services``): a service whose
address answers something else than a readiness report is named so, not a 500 for all."""

from __future__ import annotations

from typing import Any

import httpx

from ticketing_gateway.domain.errors import UpstreamUnavailable
from ticketing_gateway.service_layer.probes import services_readiness


class Answering:
    """Upstreams as the probe uses them: one answer per service."""

    def __init__(self, answers: dict[str, httpx.Response | Exception]) -> None:
        self.answers = answers

    async def call(self, service: str, method: str, path: str, **_: Any) -> httpx.Response:
        answer = self.answers.get(service, httpx.Response(200, json={"status": "ready"}))
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_a_page_that_is_no_readiness_report_is_named_unreadable() -> None:
    upstreams = Answering(
        {
            "payments": httpx.Response(502, text="<html>Bad Gateway</html>"),
            "documents": UpstreamUnavailable("upstream-unavailable", "documents did not answer"),
        }
    )
    seen = await services_readiness(upstreams)  # type: ignore[arg-type]
    assert seen["payments"] == {
        "status": "unreadable",
        "detail": "answered 502 with no readiness report",
    }
    assert seen["documents"]["status"] == "unreachable"
    assert seen["orders"] == {"status": "ready"}
