"""Whole purchases against a running stack (`make up`): hold → order → pay at the Stripe emulator
→ paid → PDF rendered → e-mail in the SMTP sink. Not a test: it measures.

    uv run python bench/e2e.py [--orders 300] [--concurrency 30]

Last line: one JSON object with orders_per_s (paid and e-mailed, over the whole run),
hold_to_paid_p50_ms / _p99_ms (from the hold request to the order's paid_at, both on this
machine's clock: the order is read back once a second, as a checkout page would, and not more
often, so that polling does not take the CPU it measures),
paid_to_email_p50_ms / _p99_ms (the order's paid_at to the sink's received_at), the
documents service's pdf_ms_per_ticket_p50 (its render_ms per ticket, from its table),
failed (purchases that did not end paid and e-mailed within the deadline), and the CPU spent
from the first hold to the last e-mail, read from ``/proc`` (``bench/cpu.py``), per paid and
e-mailed order: platform_cpu_ms_per_order (our six services, PostgreSQL, RabbitMQ, Redis, the
edge) and harness_cpu_ms_per_order (this load generator, the Stripe emulator, the SMTP sink),
with cpu_ms_by_process. CPU per order does not depend on what else the shared cores run; the
rates do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import stripe

from cpu import CpuMeter, per_unit
from show_setup import create_show, ok

STRIPE_KEY = "sk_test_dev_emulator"  # DEV DEFAULT: the emulator's
ORDER_POLL_S = 1.0  # a checkout page waiting for the payment
SINK_POLL_S = 0.25  # cheap: the sink lists only the mail after the last one seen
ADMIN_DSN = "postgresql://ticketing_admin:ticketing_admin_dev_password@127.0.0.1:28432/ticketing"


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def purchase(
    client: httpx.AsyncClient,
    stripe_client: stripe.StripeClient,
    performance_id: str,
    tier_id: str,
    tag: str,
) -> dict[str, Any]:
    """One customer, start to paid; returns the order id, e-mail and hold-to-paid time."""
    session = (await ok(await client.post("/v1/sessions")))["token"]
    buyer = {"Authorization": f"Bearer {session}"}
    started = datetime.now(UTC)
    held = await ok(
        await client.post(
            "/v1/holds",
            headers=buyer,
            json={"performance_id": performance_id, "tiers": [{"tier_id": tier_id, "quantity": 2}]},
        )
    )
    email = f"bench-{tag}-{uuid.uuid4().hex[:10]}@example.com"
    order = await ok(
        await client.post(
            "/v1/orders",
            headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
            json={"hold_id": held["hold_id"], "customer": {"name": "Bench Buyer", "email": email}},
        )
    )
    await stripe_client.v1.payment_intents.confirm_async(
        order["payment"]["payment_intent_id"], {"payment_method": "pm_card_visa"}
    )
    token = {"X-Order-Token": order["access_token"]}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        seen = (await client.get(f"/v1/orders/{order['order_id']}", headers=token)).json()
        if seen["status"] == "paid":
            paid_at = datetime.fromisoformat(seen["paid_at"])
            return {
                "order_id": order["order_id"],
                "email": email,
                "paid_at": paid_at,
                "hold_to_paid_ms": (paid_at - started).total_seconds() * 1000,
            }
        await asyncio.sleep(ORDER_POLL_S)
    raise TimeoutError(f"order {order['order_id']} not paid in 30 s")


async def mailed_at(sink: httpx.AsyncClient, emails: set[str], deadline_s: float) -> dict[str, Any]:
    """The sink's received_at of the first e-mail to each address (waits until all or deadline)."""
    found: dict[str, datetime] = {}
    last_seen = ""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline and len(found) < len(emails):
        answer = await sink.get("/messages", params={"after": last_seen} if last_seen else None)
        for message in answer.json()["messages"]:
            last_seen = message["id"]
            for to in message["to"]:
                if to in emails and to not in found:
                    found[to] = datetime.fromisoformat(message["received_at"])
        await asyncio.sleep(SINK_POLL_S)
    return found


async def run(args: argparse.Namespace) -> dict[str, Any]:
    stripe_client = stripe.StripeClient(
        STRIPE_KEY, base_addresses={"api": args.emulator}, max_network_retries=0
    )
    limits = httpx.Limits(max_connections=args.concurrency * 2)
    async with (
        httpx.AsyncClient(base_url=args.gateway, timeout=30, limits=limits) as client,
        httpx.AsyncClient(base_url=args.sink, timeout=30) as sink,
    ):
        performance_id, tier_id = await create_show(client, args.orders * 2, seated=False)
        gate = asyncio.Semaphore(args.concurrency)
        tag = uuid.uuid4().hex[:6]

        async def one() -> dict[str, Any] | BaseException:
            async with gate:
                try:
                    return await purchase(client, stripe_client, performance_id, tier_id, tag)
                except Exception as exc:  # counted as failed, reported below
                    return exc

        started = datetime.now(UTC)
        with CpuMeter() as meter:
            results = await asyncio.gather(*(one() for _ in range(args.orders)))
            paid = [r for r in results if isinstance(r, dict)]
            mailed = await mailed_at(sink, {p["email"] for p in paid}, args.mail_deadline_s)
    # paid and e-mailed orders per second: from the first hold to the last e-mail
    elapsed = (max(mailed.values(), default=datetime.now(UTC)) - started).total_seconds()
    to_email = [
        (mailed[p["email"]] - p["paid_at"]).total_seconds() * 1000
        for p in paid
        if p["email"] in mailed
    ]
    connection = await asyncpg.connect(args.admin_dsn)
    try:
        render_ms = await connection.fetch(
            "SELECT j.render_ms::float / count(d.*) AS per_ticket FROM documents.render_jobs j"
            " JOIN documents.documents d ON d.order_id = j.order_id AND d.ticket_id IS NOT NULL"
            " AND d.superseded_at IS NULL WHERE j.order_id = ANY($1)"
            " GROUP BY j.order_id, j.render_ms",
            [p["order_id"] for p in paid],
        )
    finally:
        await connection.close()
    hold_to_paid = [p["hold_to_paid_ms"] for p in paid]
    cpu = per_unit(meter, len(to_email))
    return {
        "orders": args.orders,
        "concurrency": args.concurrency,
        "orders_per_s": round(len(to_email) / elapsed, 2),
        "hold_to_paid_p50_ms": round(percentile(hold_to_paid, 0.5), 1),
        "hold_to_paid_p99_ms": round(percentile(hold_to_paid, 0.99), 1),
        "paid_to_email_p50_ms": round(percentile(to_email, 0.5), 1),
        "paid_to_email_p99_ms": round(percentile(to_email, 0.99), 1),
        "pdf_ms_per_ticket_p50": round(
            statistics.median(r["per_ticket"] for r in render_ms) if render_ms else float("nan"), 1
        ),
        "failed": args.orders - len(to_email),
        "platform_cpu_ms_per_order": cpu["platform_cpu_ms_per_unit"],
        "harness_cpu_ms_per_order": cpu["harness_cpu_ms_per_unit"],
        "cpu_ms_by_process": cpu["cpu_ms_by_process"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=30)
    parser.add_argument("--gateway", default="http://127.0.0.1:28080")
    parser.add_argument("--emulator", default="http://127.0.0.1:28090")
    parser.add_argument("--sink", default="http://127.0.0.1:28026")
    parser.add_argument("--admin-dsn", default=ADMIN_DSN)
    parser.add_argument("--mail-deadline-s", type=float, default=300.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
