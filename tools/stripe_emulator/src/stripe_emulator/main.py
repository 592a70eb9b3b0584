"""``stripe-emulator``: serve the emulator with uvicorn (configured from the environment)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from types import FrameType

import uvicorn

from stripe_emulator.app import create_app
from stripe_emulator.config import ConfigError, Settings
from stripe_emulator.emulator import Emulator

# backstop: connections still open this long after a SIGTERM are cancelled
GRACEFUL_SHUTDOWN_S = 3
STARTUP_FAILURE = 3  # uvicorn's exit status when it cannot start (port taken, ...)


class _Server(uvicorn.Server):
    """uvicorn's server, which also ends the hang of requests caught in a "timeout" outage."""

    def __init__(self, config: uvicorn.Config, emulator: Emulator) -> None:
        super().__init__(config)
        self._emulator = emulator

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            loop.call_soon_threadsafe(self._emulator.outage.release_all)
        super().handle_exit(sig, frame)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main() -> None:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        raise SystemExit(f"stripe-emulator: {exc}") from None
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("stripe_emulator").info(
        "Stripe emulator on http://%s:%d, webhooks to %s",
        settings.host,
        settings.port,
        settings.webhook_url or "(nowhere: delivery disabled)",
    )
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal with the
    # handlers that were installed before it started: these make that a clean exit (status 0)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, _exit_cleanly)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    server = _Server(config, app.state.emulator)
    server.run()
    sys.exit(0 if server.started else STARTUP_FAILURE)


if __name__ == "__main__":
    main()
