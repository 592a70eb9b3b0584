"""A query parameter the route does not take is refused (422 ``unknown-parameter``), as Stripe
refuses one: a mistyped filter (``?stauts=paid``) would otherwise answer the whole unfiltered
list, and the caller would never know."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from ticketing_runtime.problems import Problem

_TAKEN: dict[int, frozenset[str]] = {}  # per route: computed once


async def refuse_unknown_query(request: Request) -> None:
    """An app dependency: runs after routing, before the route's own."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    taken = _TAKEN.get(id(route))
    if taken is None:
        taken = _TAKEN[id(route)] = frozenset(_query_names(route.dependant))
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        takes = ", ".join(sorted(taken)) or "none"
        raise Problem(
            422,
            "unknown-parameter",
            f"unknown query parameter {unknown[0]!r}: this route takes {takes}",
            unknown=unknown[:20],
        )


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for needed in dependant.dependencies:
        names |= _query_names(needed)
    return names
