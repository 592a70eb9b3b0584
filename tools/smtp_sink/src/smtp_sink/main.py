"""``smtp-sink``: the SMTP server and its JSON API on one event loop, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from aiohttp import web

from smtp_sink.config import ConfigError, Settings
from smtp_sink.http_api import create_app
from smtp_sink.mailbox import Mailbox
from smtp_sink.smtp_server import SmtpServer

log = logging.getLogger("smtp_sink")

STARTUP_FAILURE = 3  # the same exit status as the Stripe emulator when it cannot start
# on SIGTERM, messages being written get this long before the connections are closed
SHUTDOWN_GRACE_S = 3.0


async def serve(settings: Settings) -> int:
    mailbox = Mailbox(settings.mail_dir)
    mailbox.open()
    smtp = SmtpServer(mailbox, settings.host, settings.smtp_port)
    runner = web.AppRunner(create_app(mailbox), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        # SMTP first: once the API answers /readyz, the SMTP port is listening too
        await smtp.start()
        await web.TCPSite(runner, settings.host, settings.http_port).start()
    except OSError as exc:
        log.error("cannot start: %s", exc)
        await smtp.stop(grace_s=0)
        await runner.cleanup()
        return STARTUP_FAILURE

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    log.info(
        "SMTP sink on smtp://%s:%d, API on http://%s:%d, mail in %s",
        settings.host,
        settings.smtp_port,
        settings.host,
        settings.http_port,
        settings.mail_dir,
    )
    await stopping.wait()
    log.info("stopping")
    await smtp.stop(grace_s=SHUTDOWN_GRACE_S)
    await runner.cleanup()
    return 0


def main() -> None:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        raise SystemExit(f"smtp-sink: {exc}") from None
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiosmtpd logs every SMTP command at INFO; our own line per stored message is enough
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sys.exit(asyncio.run(serve(settings)))


if __name__ == "__main__":
    main()
