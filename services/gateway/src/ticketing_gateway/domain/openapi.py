"""One OpenAPI document from the gateway's own and every service's: pure, no I/O."""

from __future__ import annotations

from typing import Any


def merged(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``own`` plus every service's ``/v1/`` paths (tagged with the service when untagged) and
    schemas; paths and schemas sorted, so the same inputs give the same document."""
    document = {**own, "paths": dict(own.get("paths", {}))}
    schemas = dict(own.get("components", {}).get("schemas", {}))
    for name, spec in services.items():
        for path, operations in spec.get("paths", {}).items():
            if path.startswith("/v1/") and path not in document["paths"]:
                document["paths"][path] = {
                    method: {**op, "tags": op.get("tags") or [name]}
                    for method, op in operations.items()
                }
        schemas.update(spec.get("components", {}).get("schemas", {}))
    document.setdefault("components", {})["schemas"] = dict(sorted(schemas.items()))
    document["paths"] = dict(sorted(document["paths"].items()))
    return document
