"""A service with several HTTP workers comes up even when its workers are slow to start.

uvicorn's supervisor kills a worker that does not answer its ping within a time counted from the
worker's spawn (5 s by default). On two busy cores a worker's imports took longer than that, so
every replacement was killed in turn and the service never became ready (seen in ``make test``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.platform import free_port, stack
from tests.support.scripts import end_group, start_script
from tests.support.waiting import wait_for

pytestmark = pytest.mark.infra
IMPORT_DELAY_S = 7  # longer than uvicorn's default health-check timeout of 5 s

# A gateway whose worker processes spend IMPORT_DELAY_S in their imports, as on a busy machine.
# A spawned worker imports this file as __mp_main__; the supervisor runs it as __main__.
SLOW_GATEWAY = f"""
import time

if __name__ == "__mp_main__":
    time.sleep({IMPORT_DELAY_S})

from ticketing_gateway.entrypoints.main import build_service

if __name__ == "__main__":
    build_service().run()
"""


def test_workers_slower_to_start_than_uvicorns_default_are_not_killed(
    infrastructure: None, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **stack.service_env(),
        "TICKETING_HTTP_WORKERS": "2",
        "TICKETING_HTTP_PORT": str(port),
    }
    supervisor, log = start_script(SLOW_GATEWAY, tmp_path, env)
    try:
        wait_for(
            lambda: log.read_text().count(f"ready on 127.0.0.1:{port}") >= 2,
            timeout=90,
            interval=0.2,
            what="two workers ready",
        )
        assert "died" not in log.read_text(), "the supervisor killed a worker still starting"
    finally:
        end_group(supervisor)
