"""Hand a MIME message to the SMTP server (aiosmtplib); say whether a failure is worth a retry."""

from __future__ import annotations

import socket
from email.message import EmailMessage

import aiosmtplib


class MailDeliveryFailed(Exception):
    """The server did not take the message. ``retryable``: the same message may succeed later."""

    def __init__(self, reason: str, *, retryable: bool, smtp_code: int | None = None) -> None:
        super().__init__(reason)
        self.retryable = retryable
        self.smtp_code = smtp_code


class SmtpSender:
    """One connection per message: sending is rare enough, and nothing stale is ever reused."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout_s: float,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
    ) -> None:
        self._host, self._port, self._timeout_s = host, port, timeout_s
        self._username, self._password = username, password
        self._starttls = starttls
        # looked up once: aiosmtplib would otherwise resolve our name (DNS) for every message
        self._local_hostname = socket.getfqdn()

    async def send(self, message: EmailMessage) -> str:
        """Deliver to the recipients of the message's headers; returns its Message-ID.

        Raises ``MailDeliveryFailed``: retryable for refused connections, timeouts, dropped
        connections, 4xx answers and our own set-up (authentication, STARTTLS); not retryable
        for 5xx answers about the message or its recipient.
        """
        message_id = message["Message-ID"]
        if not message_id:
            raise ValueError("the message has no Message-ID (to_email_message sets one)")
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                start_tls=self._starttls,
                timeout=self._timeout_s,
                local_hostname=self._local_hostname,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refusal.code for refusal in exc.recipients]
            raise MailDeliveryFailed(
                f"recipient refused: {exc}",
                retryable=all(_transient(code) for code in codes),
                smtp_code=codes[0] if codes else None,
            ) from exc
        except (aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPNotSupported) as exc:
            # a 535 or a server without STARTTLS is our configuration, not this message:
            # retrying (then parking) keeps the e-mails until someone fixes the settings
            raise MailDeliveryFailed(
                f"SMTP set-up failed: {exc}", retryable=True, smtp_code=_code(exc)
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise MailDeliveryFailed(
                f"SMTP {exc.code}: {exc.message}",
                retryable=_transient(exc.code),
                smtp_code=exc.code,
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # refused or dropped connections, timeouts, TLS errors
            raise MailDeliveryFailed(f"{type(exc).__name__}: {exc}", retryable=True) from exc
        return str(message_id)


def _transient(code: int) -> bool:
    """5xx is a permanent refusal (RFC 5321); anything else may pass on another try."""
    return not 500 <= code < 600


def _code(exc: aiosmtplib.SMTPException) -> int | None:
    return exc.code if isinstance(exc, aiosmtplib.SMTPResponseException) else None
