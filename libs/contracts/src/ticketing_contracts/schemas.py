"""JSON Schemas of the events: generation, the committed copies, and the compatibility rule.

Compatible (keeps the version): a new optional field, new descriptions. Incompatible (needs
``…v2``): a field removed, renamed or retyped, a new required field, a required field made
optional or an optional one required, a narrowed enum.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ticketing_contracts.base import Event
from ticketing_contracts.catalog import ALL_EVENTS

SCHEMA_DIR = Path(__file__).parent / "schemas"
_DOC_KEYS = {"title", "description", "default", "examples"}


def schema_of(model: type[Event]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="serialization")
    return {
        "$id": model.schema_uri(),
        "$schema": "https://json-schema.org/draft/2020-12/schema",
    } | {
        "x-event-type": model.event_type,
        "x-source": model.source_service,
        **schema,
    }


def committed_path(event_type: str) -> Path:
    return SCHEMA_DIR / f"{event_type}.json"


def load_committed(event_type: str) -> dict[str, Any] | None:
    path = committed_path(event_type)
    if not path.exists():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_all() -> list[Path]:
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for model in ALL_EVENTS:
        path = committed_path(model.event_type)
        path.write_text(render(schema_of(model)))
        written.append(path)
    return written


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why ``new`` cannot replace ``old`` under the same version (empty when it can)."""
    return _compare(_inline(old, old.get("$defs", {})), _inline(new, new.get("$defs", {})), "$")


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline(defs[name], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _compare(old: dict[str, Any], new: dict[str, Any], path: str) -> list[str]:
    if "properties" in old:
        return _compare_objects(old, new, path)
    if "items" in old and "items" in new:
        return _compare(old["items"], new["items"], f"{path}[]")
    if "additionalProperties" in old and isinstance(old["additionalProperties"], dict):
        return _compare(
            old["additionalProperties"], new.get("additionalProperties") or {}, f"{path}{{}}"
        )
    if _shape(old) != _shape(new):
        return [f"{path}: type changed from {_shape(old)} to {_shape(new)}"]
    return []


def _compare_objects(old: dict[str, Any], new: dict[str, Any], path: str) -> list[str]:
    problems: list[str] = []
    old_props, new_props = old["properties"], new.get("properties", {})
    old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
    for name, sub in old_props.items():
        where = f"{path}.{name}"
        if name not in new_props:
            problems.append(f"{where}: removed")
            continue
        problems += _compare(sub, new_props[name], where)
        if name in old_req and name not in new_req:
            problems.append(f"{where}: no longer required")
        if name not in old_req and name in new_req:
            problems.append(f"{where}: became required")
    for name in sorted(set(new_props) - set(old_props)):
        if name in new_req:
            problems.append(f"{path}.{name}: new required field")
    return problems


def _shape(node: Any) -> str:
    def strip(n: Any) -> Any:
        if isinstance(n, dict):
            return {k: strip(v) for k, v in n.items() if k not in _DOC_KEYS}
        if isinstance(n, list):
            return [strip(v) for v in n]
        return n

    return json.dumps(strip(node), sort_keys=True)
