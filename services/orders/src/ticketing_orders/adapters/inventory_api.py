"""Calls to inventory's internal API: its refusals passed on to our caller as they were."""

from __future__ import annotations

from typing import Any

from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable


class InventoryUnavailable(Exception):
    """Inventory did not answer (down, or too slow), or failed (5xx): it may have acted."""


class InventoryRefused(Exception):
    """Inventory answered with a problem, passed on to our caller as it was."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(str(problem.get("detail", "refused")))
        self.status, self.problem = status, problem


async def ask(inventory: ServiceClient, method: str, path: str, json: Any = None) -> dict[str, Any]:
    """Inventory's answer; raises ``InventoryUnavailable`` or ``InventoryRefused``."""
    try:
        answer = await inventory.request(method, path, json=json)
    except ServiceUnavailable as exc:
        raise InventoryUnavailable(str(exc)) from exc
    if answer.status_code >= 500:
        # a failure, not a refusal: it may have acted first (pinned the hold in Redis, then
        # failed to record it), so the caller treats it as an answer lost
        raise InventoryUnavailable(f"{method} {path}: inventory answered {answer.status_code}")
    if answer.status_code != 200:
        raise InventoryRefused(answer.status_code, answer.json())
    found: dict[str, Any] = answer.json()
    return found
