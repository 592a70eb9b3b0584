"""The SMTP side: aiosmtpd on the sink's own event loop, every accepted message written to disk."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from smtp_sink.mailbox import Mailbox

log = logging.getLogger("smtp_sink")

# the name in our greeting; set explicitly because aiosmtpd otherwise asks DNS per connection
SERVER_HOSTNAME = "smtp-sink.local"


class SinkHandler:
    """aiosmtpd handler: answers 250 only once the message is safely in its file."""

    def __init__(self, mailbox: Mailbox) -> None:
        self._mailbox = mailbox
        self._writes = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        content = envelope.original_content or b""
        self._writes += 1
        self._idle.clear()
        try:
            stored_id = await asyncio.to_thread(
                self._mailbox.store, envelope.mail_from or "", list(envelope.rcpt_tos), content
            )
        except OSError:
            log.exception("could not store a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message, try again later"
        finally:
            self._writes -= 1
            if self._writes == 0:
                self._idle.set()
        log.info(
            "stored %s from %s to %s (%d bytes)",
            stored_id,
            envelope.mail_from,
            ", ".join(envelope.rcpt_tos),
            len(content),
        )
        return f"250 2.0.0 OK stored as {stored_id}"

    async def writes_finished(self) -> None:
        await self._idle.wait()


class SinkSMTP(SMTP):
    """aiosmtpd's protocol, remembering its open connections so shutdown can close them."""

    def __init__(self, handler: SinkHandler, connections: set[SinkSMTP], **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._connections = connections

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._connections.add(self)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        self._connections.discard(self)
        super().connection_lost(error)


class SmtpServer:
    def __init__(self, mailbox: Mailbox, host: str, port: int) -> None:
        self.handler = SinkHandler(mailbox)
        self._host, self._port = host, port
        self._connections: set[SinkSMTP] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SinkSMTP(
                self.handler,
                self._connections,
                hostname=SERVER_HOSTNAME,
                enable_SMTPUTF8=True,
                loop=loop,
            ),
            self._host,
            self._port,
        )

    async def stop(self, grace_s: float) -> None:
        """Refuse new connections, let messages being written finish, then hang up on clients.

        A message is only acknowledged after its file exists, so a client cut off mid-session
        has not been told its message was taken and will send it again.
        """
        if self._server is not None:
            self._server.close()
        try:
            await asyncio.wait_for(self.handler.writes_finished(), grace_s)
        except TimeoutError:
            log.warning("messages still being written after %.1f s; closing anyway", grace_s)
        for connection in list(self._connections):
            if connection.transport is not None:
                connection.transport.close()
        if self._server is not None:
            await self._server.wait_closed()
