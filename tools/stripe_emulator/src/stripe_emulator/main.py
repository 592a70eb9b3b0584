"""``stripe-emulator``: serve the emulator with uvicorn (configured from the environment)."""

from __future__ import annotations

import logging
import sys

import uvicorn

from stripe_emulator.app import create_app
from stripe_emulator.config import ConfigError, Settings

# requests hanging in a "timeout" outage must not hold up a SIGTERM for long
GRACEFUL_SHUTDOWN_S = 3


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
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
