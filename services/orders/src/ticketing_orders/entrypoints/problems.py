"""The one table from what the orders use cases refuse to the problem+json callers get."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ticketing_orders.adapters.inventory_api import InventoryRefused, InventoryUnavailable
from ticketing_orders.domain import errors
from ticketing_orders.domain import refunds as refund
from ticketing_orders.domain.coupons import CouponRefused
from ticketing_runtime.problems import Problem, problem_response


@dataclass(frozen=True)
class Answer:
    status: int
    code: str
    detail: str | None = None  # None: the refusal's own detail


PROBLEMS: dict[type[Exception], Answer] = {
    errors.OrderNotFound: Answer(404, "order-not-found"),
    errors.HoldNotFound: Answer(404, "hold-not-found"),
    errors.HoldHasOrder: Answer(409, "hold-has-order"),
    errors.IdempotencyKeyReused: Answer(422, "idempotency-key-reused"),
    errors.OrderInProgress: Answer(409, "order-in-progress"),
    errors.OrderNotCancellable: Answer(409, "order-not-cancellable"),
    errors.CouponNotFound: Answer(404, "coupon-not-found"),
    errors.CouponCodeTaken: Answer(409, "coupon-code-taken"),
    errors.CouponChangeRefused: Answer(409, "coupon-change-refused"),
    errors.CouponInUse: Answer(409, "coupon-in-use"),
    errors.TicketNotUsed: Answer(409, "ticket-not-used"),
    errors.UnknownCursor: Answer(422, "unknown-cursor"),
    CouponRefused: Answer(422, "coupon-refused"),
    refund.OrderNotRefundable: Answer(409, "order-not-refundable"),
    refund.TicketNotRefundable: Answer(409, "ticket-not-refundable"),
    refund.RefundTooLarge: Answer(422, "refund-too-large"),
    refund.NothingToRefund: Answer(422, "nothing-to-refund"),
    refund.DuplicateTicket: Answer(422, "duplicate-ticket"),
    refund.UnknownTicket: Answer(422, "unknown-ticket"),
    InventoryUnavailable: Answer(
        503, "inventory-unavailable", "holds cannot be checked now; retry"
    ),
}


def problem_of(refused: Exception) -> Problem:
    """The problem for ``refused`` (a refusal missing from the table is a bug: a 500)."""
    if isinstance(refused, InventoryRefused):
        return Problem.relayed(refused.status, refused.problem)
    answer = PROBLEMS[type(refused)]
    extra = {"reason": refused.reason} if isinstance(refused, CouponRefused) else {}
    return Problem(answer.status, answer.code, answer.detail or str(refused), **extra)


def install(app: FastAPI) -> None:
    async def on_refusal(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(problem_of(exc), request.url.path)

    for refusal in (errors.OrdersRefusal, InventoryUnavailable, InventoryRefused):
        app.add_exception_handler(refusal, on_refusal)
