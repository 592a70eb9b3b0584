"""Decode Stripe's form encoding (``metadata[k]=v``, ``expand[]=x``, ``items[0][price]=p``)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from stripe_emulator.errors import invalid_request

Params = dict[str, Any]

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
# Free-form hashes: their keys stay keys even when they look like list indexes.
_HASHES = frozenset({"metadata"})


def decode(encoded: str) -> Params:
    """Parse a query string or an ``application/x-www-form-urlencoded`` body."""
    root: Params = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        match = _KEY.match(key)
        if match is None:
            _insert(root, [key], value, key)
            continue
        path = [match.group(1), *_SEGMENT.findall(match.group(2))]
        _insert(root, path, value, key)
    return {key: _finalize(value, key) for key, value in root.items()}


def _insert(node: Params, path: list[str], value: str, full_key: str) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        if head in node and isinstance(node[head], dict | list):
            raise invalid_request(f"Invalid value for {full_key}: expected a hash.", param=full_key)
        node[head] = value
        return
    if rest[0] == "":
        # ``name[]=v`` appends; ``name[][k]=v`` is not something Stripe's SDKs produce.
        existing = node.setdefault(head, [])
        if not isinstance(existing, list) or len(rest) > 1:
            raise invalid_request(f"Invalid array: {full_key}", param=full_key)
        existing.append(value)
        return
    child = node.setdefault(head, {})
    if not isinstance(child, dict):
        raise invalid_request(f"Invalid hash: {full_key}", param=full_key)
    _insert(child, rest, value, full_key)


def _finalize(value: Any, parent_key: str | None) -> Any:
    """Turn ``{"0": a, "1": b}`` (the SDK's indexed arrays) into ``[a, b]``."""
    if isinstance(value, list):
        return [_finalize(item, None) for item in value]
    if not isinstance(value, dict):
        return value
    items = {key: _finalize(item, key) for key, item in value.items()}
    if parent_key not in _HASHES and items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items
