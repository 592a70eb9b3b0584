"""The CloudEvents 1.0 envelope in AMQP 0-9-1 binary mode.

Attributes travel as AMQP headers with the prefix ``ce-`` (``ce-id``, ``ce-type`` …); the event
model is the JSON body. ``datacontenttype`` is the AMQP ``content_type`` property, the event id is
also the AMQP ``message_id`` and the correlation id the AMQP ``correlation_id``, so that tools that
know AMQP but not CloudEvents still see them. W3C trace context rides in ``traceparent`` /
``tracestate`` headers.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

HEADER_PREFIX = "ce-"
SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
CORRELATION_HEADER = "x-correlation-id"
TRACE_HEADERS = ("traceparent", "tracestate")


class EnvelopeError(ValueError):
    """A message whose headers do not form a valid CloudEvents envelope."""


@dataclass(frozen=True, slots=True)
class Envelope:
    id: str
    source: str
    type: str
    time: datetime
    subject: str | None = None
    dataschema: str | None = None
    datacontenttype: str = CONTENT_TYPE
    specversion: str = SPEC_VERSION
    correlation_id: str | None = None
    trace_headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def new(
        cls,
        *,
        source: str,
        type: str,
        subject: str | None = None,
        dataschema: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        return cls(
            id=str(uuid.uuid4()),
            source=source,
            type=type,
            time=datetime.now(UTC),
            subject=subject,
            dataschema=dataschema,
            correlation_id=correlation_id,
        )

    def with_trace(self, trace_headers: Mapping[str, str]) -> Envelope:
        picked = {k: v for k, v in trace_headers.items() if k in TRACE_HEADERS}
        return replace(self, trace_headers=picked)

    def to_headers(self) -> dict[str, str]:
        """AMQP headers for this envelope (binary content mode)."""
        headers = {
            f"{HEADER_PREFIX}id": self.id,
            f"{HEADER_PREFIX}source": self.source,
            f"{HEADER_PREFIX}type": self.type,
            f"{HEADER_PREFIX}specversion": self.specversion,
            f"{HEADER_PREFIX}time": self.time.isoformat(),
        }
        if self.subject is not None:
            headers[f"{HEADER_PREFIX}subject"] = self.subject
        if self.dataschema is not None:
            headers[f"{HEADER_PREFIX}dataschema"] = self.dataschema
        if self.correlation_id is not None:
            headers[CORRELATION_HEADER] = self.correlation_id
        headers.update(self.trace_headers)
        return headers

    @classmethod
    def from_headers(cls, headers: Mapping[str, Any], content_type: str | None = None) -> Envelope:
        def required(name: str) -> str:
            value = headers.get(f"{HEADER_PREFIX}{name}")
            if value is None or value == "":
                raise EnvelopeError(f"missing CloudEvents attribute '{HEADER_PREFIX}{name}'")
            return _text(value)

        specversion = required("specversion")
        if specversion != SPEC_VERSION:
            raise EnvelopeError(f"unsupported CloudEvents specversion {specversion!r}")
        try:
            time = datetime.fromisoformat(required("time"))
        except ValueError as exc:
            raise EnvelopeError(f"invalid '{HEADER_PREFIX}time': {exc}") from exc
        optional = {
            name: _text(headers[f"{HEADER_PREFIX}{name}"])
            for name in ("subject", "dataschema")
            if headers.get(f"{HEADER_PREFIX}{name}") is not None
        }
        correlation = headers.get(CORRELATION_HEADER)
        return cls(
            id=required("id"),
            source=required("source"),
            type=required("type"),
            time=time,
            subject=optional.get("subject"),
            dataschema=optional.get("dataschema"),
            datacontenttype=content_type or CONTENT_TYPE,
            specversion=specversion,
            correlation_id=_text(correlation) if correlation is not None else None,
            trace_headers={k: _text(headers[k]) for k in TRACE_HEADERS if k in headers},
        )


def _text(value: Any) -> str:
    if not isinstance(value, bytes):
        return str(value)
    try:
        return value.decode()
    except UnicodeDecodeError as exc:
        raise EnvelopeError(f"a header is not UTF-8 text: {exc}") from exc
