"""Validate decoded request parameters the way Stripe reports problems (``param`` + ``code``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stripe_emulator.errors import invalid_request, missing_param

Params = dict[str, Any]

METADATA_MAX_KEYS = 50
METADATA_KEY_MAX = 40
METADATA_VALUE_MAX = 500


def reject_unknown(params: Params, allowed: Iterable[str]) -> None:
    known = set(allowed) | {"expand"}
    for name in params:
        if name not in known:
            raise invalid_request(
                f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
            )


def optional_str(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_request(f"Invalid string: {value!r}", param=name)
    return value


def required_str(params: Params, name: str) -> str:
    value = optional_str(params, name)
    if value is None or value == "":
        raise missing_param(name)
    return value


def optional_int(params: Params, name: str, *, minimum: int | None = None) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_request(
            f"Invalid integer: {value!r}", param=name, code="parameter_invalid_integer"
        )
    try:
        number = int(value)
    except ValueError:
        raise invalid_request(
            f"Invalid integer: {value}", param=name, code="parameter_invalid_integer"
        ) from None
    if minimum is not None and number < minimum:
        raise invalid_request(
            f"This value must be greater than or equal to {minimum}.",
            param=name,
            code="parameter_invalid_integer",
        )
    return number


def required_int(params: Params, name: str, *, minimum: int | None = None) -> int:
    if name not in params or params[name] == "":
        raise missing_param(name)
    value = optional_int(params, name, minimum=minimum)
    assert value is not None
    return value


def optional_bool(params: Params, name: str) -> bool | None:
    value = params.get(name)
    if value is None:
        return None
    if value in ("true", "false"):
        return bool(value == "true")
    raise invalid_request(f"Invalid boolean: {value!r}", param=name)


def optional_hash(params: Params, name: str) -> Params | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        raise invalid_request(f"Invalid hash: {value!r}", param=name)
    return value


def optional_str_list(params: Params, name: str) -> list[str] | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid_request(f"Invalid array: {value!r}", param=name)
    return list(value)


def currency(params: Params, name: str = "currency") -> str:
    value = required_str(params, name).lower()
    if len(value) != 3 or not value.isalpha():
        raise invalid_request(f"Invalid currency: {value}.", param=name)
    return value


def metadata_changes(params: Params, name: str = "metadata") -> dict[str, str] | None:
    """The metadata sent, or ``None``; an empty value means "unset this key", like Stripe."""
    value = params.get(name)
    if value is None:
        return None
    if value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid_request(f"Invalid hash: {value!r}", param=name)
    if len(value) > METADATA_MAX_KEYS:
        raise invalid_request(
            f"You can specify up to {METADATA_MAX_KEYS} keys in metadata.", param=name
        )
    changes: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid_request(f"Invalid string: {item!r}", param=f"{name}[{key}]")
        if len(key) > METADATA_KEY_MAX:
            raise invalid_request(
                f"Metadata keys can have up to {METADATA_KEY_MAX} characters, but you passed "
                f"in a key that is {len(key)} characters.",
                param=f"{name}[{key}]",
            )
        if len(item) > METADATA_VALUE_MAX:
            raise invalid_request(
                f"Metadata values can have up to {METADATA_VALUE_MAX} characters, but you "
                f"passed in a value that is {len(item)} characters.",
                param=f"{name}[{key}]",
            )
        changes[key] = item
    return changes


def apply_metadata(current: dict[str, str], changes: dict[str, str] | None) -> dict[str, str]:
    if changes is None:
        return dict(current)
    if not changes:
        return {}
    merged = dict(current)
    for key, item in changes.items():
        if item == "":
            merged.pop(key, None)
        else:
            merged[key] = item
    return merged


def expand(params: Params, expandable: Iterable[str]) -> list[str]:
    fields = optional_str_list(params, "expand") or []
    allowed = set(expandable)
    for field in fields:
        if field not in allowed:
            raise invalid_request(f"This property cannot be expanded ({field}).", param="expand")
    return fields


def one_of(params: Params, name: str, choices: Iterable[str]) -> str | None:
    value = optional_str(params, name)
    options = list(choices)
    if value is not None and value not in options:
        raise invalid_request(f"Invalid {name}: must be one of {', '.join(options)}", param=name)
    return value
