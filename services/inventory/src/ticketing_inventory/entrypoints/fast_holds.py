"""``POST /v1/holds`` without FastAPI's routing, dependency injection and response validation:
at 9 a.m. on sale day it is most of the traffic, and that machinery was half of its CPU. Same
contract as the documented route in ``http_holds``: the same command, the same use case
(``service_layer.holds.place_hold``), the same problem table."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import Headers, State
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ticketing_inventory.domain.errors import InventoryError
from ticketing_inventory.entrypoints.http_holds import HOLDERS_ONLY, hold_out, may_hold, placement
from ticketing_inventory.entrypoints.problems import REDIS_DOWN, problem_of, redis_down_problem
from ticketing_inventory.entrypoints.schemas import HoldIn
from ticketing_inventory.service_layer.holds import place_hold
from ticketing_runtime.asgi import read_body
from ticketing_runtime.correlation import current_correlation_id
from ticketing_runtime.http_tracing import RequestTracing
from ticketing_runtime.identity import caller_from
from ticketing_runtime.problems import (
    Problem,
    problem_response,
    unhandled_problem,
    validation_problem,
)

log = logging.getLogger(__name__)
PATH = "/v1/holds"
MAX_BODY_BYTES = 64 * 1024  # a hold of 100 seats is ~4 KB


class HoldPlacementFastPath:
    """In front of the FastAPI app (``Service.fast_paths``), traced like any request."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state
        self.traced = RequestTracing(self._serve)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if scope.get("query_string"):  # the route takes none: its 422 names what it was sent
            await self.app(scope, receive, send)
            return
        await self.traced(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response = await self._place(scope, receive)
        except Problem as problem:
            response = problem_response(problem, PATH)
        except InventoryError as refused:
            response = problem_response(problem_of(refused), PATH)
        except REDIS_DOWN as down:
            response = problem_response(redis_down_problem(down), PATH)
        except Exception as error:  # what FastAPI's handlers would do: log, answer 500 (503)
            log.exception("placing a hold failed")
            response = problem_response(unhandled_problem(error, _request_id(scope)), PATH)
        await response(scope, receive, send)

    async def _place(self, scope: Scope, receive: Receive) -> Response:
        state: Any = self.state
        headers = Headers(scope=scope)
        who = caller_from(headers, state.settings)
        if who is None:
            raise Problem(
                401,
                "unauthenticated",
                "send 'Authorization: Bearer <token>' (POST /v1/sessions gives one)",
            )
        if not may_hold(who):
            raise Problem(403, "forbidden", HOLDERS_ONLY)
        raw = await read_body(receive, MAX_BODY_BYTES)
        try:
            body = HoldIn.model_validate_json(raw)
        except ValidationError as exc:
            raise validation_problem(exc.errors(), prefix=("body",)) from exc
        wanted = placement(body, who, headers.get("idempotency-key"))
        hold = hold_out(await place_hold(state.inventory, wanted))
        return Response(hold.model_dump_json(), status_code=201, media_type="application/json")


def _request_id(scope: Scope) -> str:
    return current_correlation_id.get() or Headers(scope=scope).get("x-request-id") or ""
