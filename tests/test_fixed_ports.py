"""The platform's fixed ports lie outside the kernel's ephemeral range.

A port in that range is free for the kernel to hand out as the source of an outgoing
connection; while its process restarts (``make down``/``up``, a chaos test's kill) a database
pool, nginx's upstream keep-alive or a test client can take it, and the process then cannot
bind it for as long as that connection lives (CI once lost 198 tests this way, on 58086)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.platform import ROOT, stack


def _infra_ports() -> dict[str, int]:
    defaults = re.findall(
        r"^(\w+_PORT)=\$\{TICKETING_\w+:-(\d+)\}", (ROOT / "scripts" / "infra").read_text(), re.M
    )
    return {name: int(port) for name, port in defaults}


def _ephemeral_range() -> range:
    low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    return range(int(low), int(high) + 1)


def test_every_fixed_port_lies_below_the_ephemeral_range() -> None:
    ports = {
        **_infra_ports(),
        "SMTP_SINK_SMTP_PORT": stack.SMTP_SINK_SMTP_PORT,
        **{p.name: p.port for p in stack.PROCESSES.values()},
    }
    assert {"PG_PORT", "REDIS_PORT", "AMQP_PORT", "DIST_PORT", "EPMD_PORT", "EDGE_PORT"} <= set(
        ports
    )
    ephemeral = _ephemeral_range()
    inside = {name: port for name, port in ports.items() if port in ephemeral}
    assert not inside, f"in the ephemeral range {ephemeral.start}-{ephemeral.stop - 1}: {inside}"
    assert len(set(ports.values())) == len(ports), f"two processes share a port: {ports}"
