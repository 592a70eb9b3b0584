"""Tracing (OpenTelemetry, W3C trace context) and JSON logs that carry the trace id."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import IO, Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

from ticketing_runtime.correlation import current_correlation_id, current_request_id
from ticketing_runtime.settings import ServiceSettings


class JsonLinesSpanExporter(SpanExporter):
    """Dev/test exporter: one JSON object per finished span, appended to a file."""

    def __init__(self, path: str) -> None:
        self._out: IO[str] = open(path, "a")  # noqa: SIM115 - lives as long as the exporter

    def export(self, spans: Any) -> SpanExportResult:
        self._out.write("".join(_span_line(span) + "\n" for span in spans))
        self._out.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self._out.close()


def _span_line(span: ReadableSpan) -> str:
    ctx = span.get_span_context()
    assert ctx is not None
    return json.dumps(
        {
            "name": span.name,
            "service": span.resource.attributes.get("service.name"),
            "trace_id": f"{ctx.trace_id:032x}",
            "span_id": f"{ctx.span_id:016x}",
            "parent_span_id": f"{span.parent.span_id:016x}" if span.parent else None,
            "kind": span.kind.name,
            "attributes": dict(span.attributes or {}),
        }
    )


def configure_tracing(settings: ServiceSettings) -> None:
    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if settings.otel_spans_file:
        provider.add_span_processor(
            BatchSpanProcessor(
                JsonLinesSpanExporter(settings.otel_spans_file), schedule_delay_millis=200
            )
        )
    trace.set_tracer_provider(provider)


class JsonLogFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        ctx = trace.get_current_span().get_span_context()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if ctx.is_valid:
            entry["trace_id"] = f"{ctx.trace_id:032x}"
            entry["span_id"] = f"{ctx.span_id:016x}"
        if correlation := current_correlation_id.get():
            entry["correlation_id"] = correlation
        if request_id := current_request_id.get():
            entry["request_id"] = request_id
        for key, value in getattr(record, "fields", {}).items():
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(settings: ServiceSettings) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLogFormatter(settings.service_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("aiormq", "aio_pika", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def adopt_library_loggers(prefix: str = "faststream") -> None:
    """FastStream installs its own coloured stdout handlers; send its records to our JSON logs.

    Per-message access lines ("Received", "Processed") are dropped to WARNING: the consumer
    logs what it applied, with the message id and trace id.
    """
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith(prefix) and isinstance(logger, logging.Logger):
            logger.handlers.clear()
            logger.propagate = True
            if ".access" in name or name == prefix:
                logger.setLevel(logging.WARNING)


def tracer(name: str = "ticketing") -> trace.Tracer:
    return trace.get_tracer(name)
