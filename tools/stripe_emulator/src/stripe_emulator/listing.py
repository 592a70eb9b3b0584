"""Stripe's list objects, paginated by ``limit``, ``starting_after`` and ``ending_before``."""

from __future__ import annotations

from stripe_emulator import params
from stripe_emulator.errors import invalid_request, resource_missing
from stripe_emulator.params import Params
from stripe_emulator.state import JSON

LIST_PARAMS = ("limit", "starting_after", "ending_before", "created")
MAX_LIMIT = 100
DEFAULT_LIMIT = 10


def page(newest_first: list[JSON], p: Params, url: str, kind: str) -> JSON:
    limit = params.optional_int(p, "limit", minimum=1) or DEFAULT_LIMIT
    if limit > MAX_LIMIT:
        raise invalid_request(
            f"This value must be less than or equal to {MAX_LIMIT}.", param="limit"
        )
    starting_after = params.optional_str(p, "starting_after")
    ending_before = params.optional_str(p, "ending_before")
    ids = [item["id"] for item in newest_first]
    if starting_after:
        if starting_after not in ids:
            raise resource_missing(kind, starting_after, param="starting_after", status=400)
        rest = newest_first[ids.index(starting_after) + 1 :]
        data, has_more = rest[:limit], len(rest) > limit
    elif ending_before:
        if ending_before not in ids:
            raise resource_missing(kind, ending_before, param="ending_before", status=400)
        before = newest_first[: ids.index(ending_before)]
        data, has_more = before[-limit:], len(before) > limit
    else:
        data, has_more = newest_first[:limit], len(newest_first) > limit
    return {"object": "list", "data": data, "has_more": has_more, "url": url}
