"""A query parameter the route does not take is refused (422 ``unknown-parameter``), as Stripe
refuses one: a mistyped filter (``?stauts=paid``) would otherwise answer the whole unfiltered
list, and the caller would never know. One that takes a single value, given twice, is refused
too (422 ``repeated-parameter``): the last one was taken, silently."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from ticketing_runtime.problems import Problem

#: per route, computed once and kept on the route itself (a cache keyed by its address took a
#: dead app's route for a new one at the same address): the names it takes, those of a list
_TAKEN = "_ticketing_query_names"


async def refuse_unknown_query(request: Request) -> None:
    """An app dependency: runs after routing, before the route's own."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    known: tuple[frozenset[str], frozenset[str]] | None = getattr(route, _TAKEN, None)
    if known is None:
        fields = _query_fields(route.dependant)
        several = frozenset(f.alias for f in fields if _takes_several(f.field_info.annotation))
        known = (frozenset(f.alias for f in fields), several)
        setattr(route, _TAKEN, known)
    taken, lists = known
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        takes = ", ".join(sorted(taken)) or "none"
        raise Problem(
            422,
            "unknown-parameter",
            f"unknown query parameter {unknown[0]!r}: this route takes {takes}",
            unknown=unknown[:20],
        )
    counted = Counter(k for k, _ in request.query_params.multi_items())
    if repeated := sorted(k for k, n in counted.items() if n > 1 and k not in lists):
        raise Problem(
            422,
            "repeated-parameter",
            f"query parameter {repeated[0]!r} is given more than once: it takes one value",
            repeated=repeated[:20],
        )


def _query_fields(dependant: Dependant) -> list[Any]:
    fields: list[Any] = list(dependant.query_params)
    for needed in dependant.dependencies:
        fields += _query_fields(needed)
    return fields


def _takes_several(annotation: Any) -> bool:
    """A list, tuple or set (maybe optional, maybe annotated): repeated on purpose."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _takes_several(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_takes_several(a) for a in get_args(annotation) if a is not type(None))
    return origin in (list, tuple, set, frozenset, Sequence)
