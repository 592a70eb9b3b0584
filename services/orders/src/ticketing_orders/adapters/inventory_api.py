"""Calls to inventory's internal API: its refusals passed on to our caller as they were."""

from __future__ import annotations

from typing import Any

from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable
from ticketing_runtime.problems import Problem


async def ask(inventory: ServiceClient, method: str, path: str, json: Any = None) -> dict[str, Any]:
    """Inventory's answer; 503 when it is down, its own problem when it refuses."""
    try:
        answer = await inventory.request(method, path, json=json)
    except ServiceUnavailable as exc:
        raise Problem(503, "inventory-unavailable", "holds cannot be checked now; retry") from exc
    if answer.status_code != 200:
        raise Problem.relayed(answer.status_code, answer.json())
    found: dict[str, Any] = answer.json()
    return found
