"""The mail folder: one ``.eml`` file per received message, named so that names sort by arrival.

A message id is the file name without ``.eml``: ``20261123T101530.123456Z-<32 hex>``. Each file
is the message as received, preceded by ``Return-Path`` and ``X-Envelope-To`` headers that keep
the SMTP envelope (Bcc recipients included), the way a delivering mail server records it.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

SUFFIX = ".eml"
_STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_ID_PATTERN = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{32}$")
ENVELOPE_TO_HEADER = "X-Envelope-To"


@dataclass(frozen=True)
class MessageSummary:
    id: str
    envelope_from: str
    envelope_to: tuple[str, ...]
    header_from: str
    header_to: str
    subject: str
    message_id: str | None
    received_at: datetime
    size: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from": self.envelope_from,
            "to": list(self.envelope_to),
            "header_from": self.header_from,
            "header_to": self.header_to,
            "subject": self.subject,
            "message_id": self.message_id,
            "received_at": self.received_at.isoformat(),
            "size": self.size,
        }


def is_message_id(text: str) -> bool:
    """True for names this mailbox makes (so an id from a URL can never leave the folder)."""
    return _ID_PATTERN.fullmatch(text) is not None


class Mailbox:
    """Blocking file operations; the servers call them through ``asyncio.to_thread``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._last_stamp = datetime.min.replace(tzinfo=UTC)
        # a stored file never changes (written whole, then renamed), so its headers are read
        # once: a test or benchmark polling the list must not re-parse every message each time
        self._summaries: dict[str, MessageSummary] = {}

    def open(self) -> None:
        """Create the folder, and remove temporary files a killed sink may have left."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for leftover in self.directory.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def store(self, mail_from: str, rcpt_tos: list[str], content: bytes) -> str:
        """Write the message atomically (temp file, fsync, rename); returns its id."""
        message_id = f"{self._next_stamp().strftime(_STAMP_FORMAT)}-{uuid.uuid4().hex}"
        envelope = (
            f"Return-Path: <{mail_from}>\r\n{ENVELOPE_TO_HEADER}: {', '.join(rcpt_tos)}\r\n"
        ).encode()
        final = self.directory / f"{message_id}{SUFFIX}"
        temporary = self.directory / f".{message_id}{SUFFIX}.tmp"
        with temporary.open("wb") as file:
            file.write(envelope + content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
        return message_id

    def summaries(self, after: str = "") -> list[MessageSummary]:
        """Oldest first; ``after`` (a message id) keeps only the messages that arrived later."""
        names = sorted(
            entry.name
            for entry in os.scandir(self.directory)
            if entry.name.endswith(SUFFIX) and not entry.name.startswith(".")
        )
        known, summaries = self._summaries, []
        for name in names:
            message_id = name.removesuffix(SUFFIX)
            if message_id <= after:
                continue
            if message_id not in known:
                try:
                    known[message_id] = _summary(self.directory / name)
                except FileNotFoundError:
                    continue  # cleared meanwhile
            summaries.append(known[message_id])
        if len(known) > len(names):  # forget cleared files
            present = {name.removesuffix(SUFFIX) for name in names}
            self._summaries = {k: v for k, v in known.items() if k in present}
        return summaries

    def raw(self, message_id: str) -> bytes | None:
        if not is_message_id(message_id):
            return None
        try:
            return (self.directory / f"{message_id}{SUFFIX}").read_bytes()
        except FileNotFoundError:
            return None

    def clear(self) -> int:
        removed = 0
        for path in self.directory.glob(f"*{SUFFIX}"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def _next_stamp(self) -> datetime:
        # strictly increasing, so two messages in the same microsecond still sort by arrival
        with self._lock:
            stamp = max(datetime.now(UTC), self._last_stamp + timedelta(microseconds=1))
            self._last_stamp = stamp
            return stamp


def _summary(path: Path) -> MessageSummary:
    # compat32 and decoding only the fields we show: the default policy's header objects cost
    # ten times more, and a first listing reads every message kept
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(_header_block(path))
    message_id = path.name.removesuffix(SUFFIX)
    envelope_to = _unfolded(headers.get(ENVELOPE_TO_HEADER, ""))
    return MessageSummary(
        id=message_id,
        envelope_from=_unfolded(headers.get("Return-Path", "")).strip("<>"),
        envelope_to=tuple(a.strip() for a in envelope_to.split(",") if a.strip()),
        header_from=_decoded(headers.get("From")),
        header_to=_decoded(headers.get("To")),
        subject=_decoded(headers.get("Subject")),
        message_id=_unfolded(headers["Message-ID"]) if "Message-ID" in headers else None,
        received_at=datetime.strptime(message_id.split("-", 1)[0], _STAMP_FORMAT).replace(
            tzinfo=UTC
        ),
        size=path.stat().st_size,
    )


def _header_block(path: Path) -> bytes:
    """The message's header lines only: the parser would otherwise read the whole message
    (attachments included) just to find where the headers end."""
    block = b""
    with path.open("rb") as file:
        while chunk := file.read(8192):
            block += chunk
            for blank_line in (b"\r\n\r\n", b"\n\n"):
                end = block.find(blank_line)
                if end >= 0:
                    return block[: end + len(blank_line)]
    return block


def _unfolded(value: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", str(value)).strip()


def _decoded(value: str | None) -> str:
    """RFC 2047 encoded words (non-ASCII names and subjects) as text."""
    if value is None:
        return ""
    return str(make_header(decode_header(_unfolded(value))))
