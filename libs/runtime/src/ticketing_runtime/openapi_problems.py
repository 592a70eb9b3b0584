"""Every service's OpenAPI document says how it refuses: ``application/problem+json``.

FastAPI documents only the success and a 422 of its own shape (``HTTPValidationError``:
``detail`` a list of ``loc``/``msg``), which the services never send; a client generated from
the document (the web clients' ``schema.d.ts``, another team's) was typed for answers that do
not come. Each operation gets the 422 the services send and the ranges 4XX and 5XX, all
``Problem``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

#: RFC 9457 problem details as the services send them (``problems.Problem.to_dict``)
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details: what went wrong, and what to do",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "the kind of problem, a URI ending in its code"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "what went wrong, for a person to read"},
        "instance": {"type": "string", "description": "the path the problem is about"},
        "request_id": {"type": "string", "description": "quote it to support"},
        "errors": {
            "type": "array",
            "description": "422: each invalid field",
            "items": {
                "type": "object",
                "required": ["location", "message"],
                "properties": {"location": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,  # a problem's own fields (available, retry_after_s, ...)
}

_REFUSALS: dict[str, str] = {
    "422": "Invalid request: the problem names each invalid field (errors)",
    "4XX": "Refused: the problem's type names why, its detail what to do",
    "5XX": "Failed on our side: 503 to retry (Retry-After), 500 with the request id",
}
_FASTAPIS_OWN = ("HTTPValidationError", "ValidationError")


def document_problems(app: FastAPI) -> None:
    """From now on ``app``'s document declares its problem+json answers."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def with_problems() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declared(build())
        return app.openapi_schema

    app.openapi = with_problems  # type: ignore[method-assign]


def declared(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its operations' problem answers declared (pure)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in _REFUSALS.items():
                if status == "422" and status in responses and not _is_fastapis_422(responses):
                    continue  # a route's own 422, declared on purpose
                responses[status] = {
                    "description": description,
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
                }
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPIS_OWN:
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    return document


def _is_fastapis_422(responses: dict[str, Any]) -> bool:
    content = responses["422"].get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))
