"""The running platform: readiness, schema isolation, one trace end to end, broker restarts."""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess

import asyncpg
import httpx
import pytest

from tests.support.platform import ROOT, RUN, SERVICES, infra, stack
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
BACKENDS = [s for s in SERVICES if s != "gateway"]


async def test_every_service_answers_ready(platform: str) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        services = {n: p for n, p in stack.PROCESSES.items() if not p.dev_tool}
        assert len(services) == 6
        for name, process in services.items():
            ready = await client.get(f"{process.url}/readyz")
            assert ready.status_code == 200, (name, ready.text)
            checks = ready.json()["checks"]
            assert {"database", "broker"} <= set(checks), name
            assert set(checks.values()) == {"ok"}, (name, checks)
            assert (await client.get(f"{process.url}/healthz")).json() == {"status": "ok"}
            metrics = await client.get(f"{process.url}/metrics")
            assert "ticketing_outbox_published_total" in metrics.text


async def test_gateway_reports_every_service_ready(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    report = (await gateway.get("/v1/admin/services", headers=admin_headers)).json()
    assert {name: r["status"] for name, r in report.items()} == {s: "ready" for s in SERVICES}


async def test_metrics_carry_the_gauges_to_alert_on_read_from_each_database(
    platform: str, admin_db: asyncpg.Connection
) -> None:
    """Work that sits: unpublished outbox rows everywhere, parked renders, parked e-mails and
    refunds Stripe refused; the parked renders as documents' own table counts them."""
    wanted = {
        "documents": "ticketing_parked_renders",
        "notifications": "ticketing_parked_emails",
        "orders": "ticketing_failed_refunds",
    }
    async with httpx.AsyncClient(timeout=5) as client:
        for name in SERVICES:
            text = (await client.get(f"{stack.PROCESSES[name].url}/metrics")).text
            assert f'ticketing_outbox_unpublished{{service="{name}"}} ' in text, name
            if name in wanted:
                assert f'{wanted[name]}{{service="{name}"}} ' in text, name
        text = (await client.get(f"{stack.PROCESSES['documents'].url}/metrics")).text
    parked = await admin_db.fetchval(
        "SELECT count(*) FROM documents.render_jobs WHERE status = 'parked'"
    )
    assert f'ticketing_parked_renders{{service="documents"}} {parked}' in text.splitlines()


@pytest.mark.parametrize("role", SERVICES)
async def test_each_role_is_refused_on_every_other_schema(role: str, infrastructure: None) -> None:
    connection = await asyncpg.connect(
        host="127.0.0.1",
        port=28432,
        database="ticketing",
        user=role,
        password=f"{role}_dev_password",
    )
    try:
        assert await connection.fetchval("SHOW search_path") == role
        for other in SERVICES:
            if other == role:
                continue
            for statement in (
                f"SELECT count(*) FROM {other}.outbox",
                f"CREATE TABLE {other}.intruder (x int)",
                f"INSERT INTO {other}.inbox (message_id, consumer, event_type)"
                " VALUES ('x', 'y', 'z')",
            ):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await connection.execute(statement)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.execute("CREATE TABLE public.intruder (x int)")
    finally:
        await connection.close()


async def test_one_trace_from_gateway_request_through_outbox_to_every_consumer(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    answer = await gateway.post(
        "/v1/admin/probes", headers={**admin_headers, "traceparent": traceparent}
    )
    assert answer.status_code == 202, answer.text
    probe_url = f"/v1/admin/probes/{answer.json()['probe_id']}"

    async def complete() -> bool:
        return bool((await gateway.get(probe_url, headers=admin_headers)).json()["complete"])

    await eventually(complete, what="every service to answer the probe")

    def spans() -> list[dict[str, object]]:
        lines = (RUN / "logs" / "spans.jsonl").read_text().splitlines()
        return [s for s in map(json.loads, lines) if s["trace_id"] == trace_id]

    def covered() -> set[tuple[object, object]]:
        return {(s["service"], s["kind"]) for s in spans()}

    expected = {("gateway", "SERVER"), ("gateway", "PRODUCER")}
    expected |= {(s, "CONSUMER") for s in BACKENDS} | {(s, "PRODUCER") for s in BACKENDS}
    expected |= {("gateway", "CONSUMER")}  # the answers come back in the same trace
    await eventually(lambda: expected <= covered(), what=f"spans {expected - covered()}")
    by_id = {s["span_id"]: s for s in spans()}
    for consumer in (s for s in spans() if s["kind"] == "CONSUMER"):
        parent = by_id[consumer["parent_span_id"]]
        assert parent["kind"] == "PRODUCER", "a consumer continues the relay's publish span"


async def test_rabbitmq_restart_loses_nothing_and_services_reconnect_by_themselves(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pids = {name: stack.pid_of(p) for name, p in stack.PROCESSES.items()}
    probe_ids: list[str] = []
    stop = asyncio.Event()

    async def keep_probing() -> None:
        while not stop.is_set():
            created = await gateway.post("/v1/admin/probes", headers=admin_headers)
            assert created.status_code == 202, created.text
            probe_ids.append(created.json()["probe_id"])
            await asyncio.sleep(0.1)  # pacing the load, not waiting for an outcome

    probing = asyncio.create_task(keep_probing())
    await eventually(lambda: len(probe_ids) >= 5, what="probes before the restart")
    restart = await asyncio.to_thread(
        subprocess.run, [str(ROOT / "scripts" / "infra"), "restart-rabbitmq"], check=True
    )
    assert restart.returncode == 0
    await eventually(lambda: len(probe_ids) >= 10, what="probes after the restart")
    stop.set()
    await probing

    async def all_complete() -> list[str]:
        incomplete = []
        for probe_id in probe_ids:
            probe = (
                await gateway.get(f"/v1/admin/probes/{probe_id}", headers=admin_headers)
            ).json()
            if not probe["complete"]:
                incomplete.append(f"{probe_id} missing {probe['missing']}")
        return [] if incomplete else probe_ids  # truthy once nothing is missing

    await eventually(all_complete, timeout=90, interval=1, what="every probe answered by all")
    assert {name: stack.pid_of(p) for name, p in stack.PROCESSES.items()} == pids, "no restarts"
    async with httpx.AsyncClient(timeout=5) as client:
        for process in stack.PROCESSES.values():
            assert (await client.get(f"{process.url}/readyz")).status_code == 200
    infra("status")
