"""Deliver events to the webhook endpoint: signed, retried with back-off, recorded."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from stripe_emulator.signing import signature_header
from stripe_emulator.state import JSON

log = logging.getLogger("stripe_emulator.webhooks")

TIMEOUT_S = 5.0
# How long an event's first attempt waits for the previous event of the same PaymentIntent.
ORDER_WAIT_S = TIMEOUT_S + 1.0
MAX_RECORDED_ATTEMPTS = 10_000
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


@dataclass
class Endpoint:
    url: str
    secret: str
    retry_delays_s: tuple[float, ...]


@dataclass
class Attempt:
    event_id: str
    type: str
    attempt: int
    url: str
    at: float
    status_code: int | None = None
    error: str | None = None
    ok: bool = False
    duration_ms: float = 0.0
    manual: bool = False
    next_retry_in_s: float | None = None
    gave_up: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def ordering_key(event: JSON) -> str:
    """Events about one PaymentIntent are sent in emission order (first attempts only)."""
    obj = event["data"]["object"]
    if obj.get("object") == "payment_intent":
        return str(obj["id"])
    return str(obj.get("payment_intent") or obj.get("id") or event["id"])


@dataclass
class _Order:
    first_attempt_done: dict[str, asyncio.Future[None]] = field(default_factory=dict)


class WebhookDispatcher:
    def __init__(self, endpoint: Endpoint, timeout_s: float = TIMEOUT_S) -> None:
        self.endpoint = endpoint
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._attempts: deque[Attempt] = deque(maxlen=MAX_RECORDED_ATTEMPTS)
        self._payloads: dict[str, str] = {}
        self._order = _Order()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout_s)

    async def stop(self) -> None:
        await self._cancel_all()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def reset(self, endpoint: Endpoint) -> None:
        await self._cancel_all()
        self._attempts.clear()
        self._payloads.clear()
        self._order = _Order()
        self.endpoint = endpoint

    async def _cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    # -- delivery ----------------------------------------------------------------------------

    def enqueue(self, event: JSON) -> None:
        """Called for every emitted event (from inside a request, on the event loop)."""
        payload = self._payload(event)
        if not self.endpoint.url:
            return
        key = ordering_key(event)
        previous = self._order.first_attempt_done.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._order.first_attempt_done[key] = mine
        task = asyncio.create_task(self._deliver(event, payload, key, previous, mine))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def redeliver(self, event: JSON) -> Attempt:
        """One extra attempt now (same event id and payload, fresh signature)."""
        payload = self._payload(event)
        number = 1 + sum(1 for a in self._attempts if a.event_id == event["id"])
        return await self._attempt(event, payload, number, manual=True)

    def attempts(self, event_id: str | None = None) -> list[dict[str, Any]]:
        return [a.to_json() for a in self._attempts if event_id in (None, a.event_id)]

    def _payload(self, event: JSON) -> str:
        payload = self._payloads.get(event["id"])
        if payload is None:
            payload = self._payloads[event["id"]] = json.dumps(event, indent=2)
        return payload

    async def _deliver(
        self,
        event: JSON,
        payload: str,
        key: str,
        previous: asyncio.Future[None] | None,
        mine: asyncio.Future[None],
    ) -> None:
        try:
            if previous is not None and not previous.done():
                await asyncio.wait({previous}, timeout=ORDER_WAIT_S)
            number = 1
            result = await self._attempt(event, payload, number)
        finally:
            if not mine.done():
                mine.set_result(None)
            if self._order.first_attempt_done.get(key) is mine:
                del self._order.first_attempt_done[key]
        while not result.ok:
            delays = self.endpoint.retry_delays_s
            if number > len(delays) or not self.endpoint.url:
                result.gave_up = True
                event["pending_webhooks"] = 0
                log.warning(
                    "gave up delivering %s (%s) after %d attempts",
                    event["id"],
                    event["type"],
                    number,
                )
                return
            result.next_retry_in_s = delays[number - 1]
            await asyncio.sleep(delays[number - 1])
            number += 1
            result = await self._attempt(event, payload, number)
        event["pending_webhooks"] = 0

    async def _attempt(
        self, event: JSON, payload: str, number: int, manual: bool = False
    ) -> Attempt:
        endpoint = self.endpoint
        attempt = Attempt(
            event_id=event["id"],
            type=event["type"],
            attempt=number,
            url=endpoint.url,
            at=time.time(),
            manual=manual,
        )
        self._attempts.append(attempt)
        if not endpoint.url:
            attempt.error = "no webhook endpoint configured"
            return attempt
        if self._client is None:
            await self.start()
        assert self._client is not None
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Stripe-Signature": signature_header(payload, endpoint.secret),
        }
        started = time.monotonic()
        try:
            response = await self._client.post(
                endpoint.url, content=payload.encode(), headers=headers
            )
        except httpx.TimeoutException:
            attempt.error = f"timed out after {self._timeout_s:g}s"
        except httpx.HTTPError as exc:
            attempt.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            attempt.status_code = response.status_code
            attempt.ok = 200 <= response.status_code < 300
        attempt.duration_ms = round((time.monotonic() - started) * 1000, 1)
        log.info(
            "webhook %s %s attempt %d -> %s",
            event["id"],
            event["type"],
            number,
            attempt.status_code if attempt.error is None else attempt.error,
        )
        return attempt
