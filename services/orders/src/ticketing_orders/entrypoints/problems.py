"""The one table from what the orders use cases refuse to the problem+json callers get."""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_orders.adapters.inventory_api import InventoryRefused, InventoryUnavailable
from ticketing_orders.domain import errors
from ticketing_orders.domain import refunds as refund
from ticketing_orders.domain.coupons import CouponRefused
from ticketing_runtime.problems import Problem
from ticketing_runtime.refusals import ProblemTable, install_problems, problem_for

PROBLEMS: ProblemTable = {
    errors.OrderNotFound: (404, "order-not-found"),
    errors.HoldNotFound: (404, "hold-not-found"),
    errors.HoldHasOrder: (409, "hold-has-order"),
    errors.IdempotencyKeyReused: (422, "idempotency-key-reused"),
    errors.OrderInProgress: (409, "order-in-progress"),
    errors.OrderNotCancellable: (409, "order-not-cancellable"),
    errors.CouponNotFound: (404, "coupon-not-found"),
    errors.CouponCodeTaken: (409, "coupon-code-taken"),
    errors.CouponChangeRefused: (409, "coupon-change-refused"),
    errors.CouponInUse: (409, "coupon-in-use"),
    errors.TicketNotUsed: (409, "ticket-not-used"),
    errors.CustomerErased: (409, "customer-erased"),
    errors.UnknownCursor: (422, "unknown-cursor"),
    errors.CustomerStillNeeded: (409, "customer-still-needed"),
    CouponRefused: (422, "coupon-refused"),
    refund.OrderNotRefundable: (409, "order-not-refundable"),
    refund.TicketNotRefundable: (409, "ticket-not-refundable"),
    refund.RefundTooLarge: (422, "refund-too-large"),
    refund.NothingToRefund: (422, "nothing-to-refund"),
    refund.DuplicateTicket: (422, "duplicate-ticket"),
    refund.UnknownTicket: (422, "unknown-ticket"),
    refund.RefundNotFound: (404, "refund-not-found"),
    refund.RefundNotFailed: (409, "refund-not-failed"),
    refund.FailedRefundUnsettled: (409, "failed-refund-unsettled"),
}


def problem_of(refused: Exception) -> Problem:
    """The problem for ``refused`` (a refusal missing from the table is a bug: a 500)."""
    if isinstance(refused, InventoryRefused):
        return Problem.relayed(refused.status, refused.problem)
    if isinstance(refused, InventoryUnavailable):  # its own message is for our logs
        return Problem(
            503, "inventory-unavailable", "holds cannot be checked now; retry", retry_after_s=2
        )
    if isinstance(refused, errors.OrderInProgress):  # the same request again in a moment
        return problem_for(refused, PROBLEMS, retry_after_s=1)
    if isinstance(refused, CouponRefused):
        return problem_for(refused, PROBLEMS, reason=refused.reason)
    return problem_for(refused, PROBLEMS)


def install(app: FastAPI) -> None:
    install_problems(app, problem_of, errors.OrdersRefusal, InventoryUnavailable, InventoryRefused)
