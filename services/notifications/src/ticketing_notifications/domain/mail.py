"""An e-mail as we mean it, before it becomes MIME: recipient, subject, both bodies, files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Attachment(NamedTuple):
    filename: str
    content_type: str  # "application/pdf"
    content: bytes


@dataclass(frozen=True)
class OutgoingMail:
    to: str  # the bare address: the SMTP recipient and what NotificationSentV1 records
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()
    to_name: str = ""  # shown in the To header when set


def fits_as_attachment(size_bytes: int, max_bytes: int) -> bool:
    """A file up to ``max_bytes`` is attached; a larger one is offered as a download link."""
    return size_bytes <= max_bytes
