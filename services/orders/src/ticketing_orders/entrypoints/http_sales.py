"""The sales summary for staff: inventory's stock of every tier beside the orders' money,
tickets and check-ins, per performance or for a whole event."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ticketing_contracts import Money
from ticketing_orders.adapters import inventory_api, sales_figures
from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.staff_schemas import (
    HourOut,
    PerformanceSalesOut,
    RevenueOut,
    SalesSummaryOut,
    TierSalesOut,
    TillBalance,
    TillLineOut,
    TillOut,
)
from ticketing_runtime.fields import ID_PATTERN, Instant
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/orders", tags=["sales"])
Id = Annotated[str | None, Query(min_length=1, max_length=64, pattern=ID_PATTERN)]


@router.get("/till", response_model=TillOut)
async def till(
    staff: Staff,
    orders: OrdersDep,
    since: Annotated[Instant, Query(description="inclusive: the shift's start")],
    until: Annotated[Instant | None, Query(description="exclusive (default: now)")] = None,
) -> TillOut:
    """The signed-in clerk's own desk sales and refunds between ``since`` and ``until``, per
    payment method and currency: the cash to hand in and the terminal's total at a shift's end."""
    until = until or datetime.now(UTC)
    if until <= since:
        raise Problem(422, "validation-error", "until must be after since")
    async with orders.database.unit_of_work() as uow:
        rows = await sales_figures.till(uow.session, staff.subject, since, until)
    return TillOut(
        sold_by=staff.subject, since=since, until=until, lines=[_till_line(r) for r in rows]
    )


def _till_line(row: dict[str, Any]) -> TillLineOut:
    def money(amount: int) -> Money:
        return Money(amount=amount, currency=row["currency"])

    return TillLineOut(
        payment_method=row["payment_method"],
        sales=row["sales"],
        taken=money(row["taken"]),
        refunds=row["refunds"],
        refunded=money(row["refunded"]),
        net=TillBalance(amount=row["taken"] - row["refunded"], currency=row["currency"]),
    )


@router.get("/sales-summary", response_model=SalesSummaryOut)
async def sales_summary(
    _: Staff, orders: OrdersDep, performance_id: Id = None, event_id: Id = None
) -> SalesSummaryOut:
    """One performance (``performance_id``) or every performance of an event (``event_id``):
    capacity, sold, held and available per tier (inventory), gross, refunded and net revenue per
    currency and sales per hour (orders), and check-ins so far."""
    if (performance_id is None) == (event_id is None):
        raise Problem(422, "validation-error", "name exactly one of performance_id and event_id")
    query = f"performance_id={performance_id}" if performance_id else f"event_id={event_id}"
    stock = await inventory_api.ask(orders.inventory, "GET", f"/internal/stock?{query}")
    ids = [p["performance_id"] for p in stock["performances"]]
    async with orders.database.unit_of_work() as uow:
        money = await sales_figures.revenue(uow.session, ids)
        issued = await sales_figures.tickets_by_tier(uow.session, ids)
        hours = await sales_figures.sales_per_hour(uow.session, ids)
    shows = [_performance(p, money, issued, hours) for p in stock["performances"]]
    tiers = [t for s in shows for t in s.tiers]
    return SalesSummaryOut(
        event_id=stock["event_id"],
        performances=shows,
        revenue=_revenue(money),
        capacity=sum(t.capacity for t in tiers),
        sold=sum(t.sold for t in tiers),
        held=sum(t.held for t in tiers),
        available=sum(t.available for t in tiers),
        checked_in=sum(s.checked_in for s in shows),
    )


def _performance(
    show: dict[str, Any],
    money: list[dict[str, Any]],
    issued: list[dict[str, Any]],
    hours: list[dict[str, Any]],
) -> PerformanceSalesOut:
    mine = show["performance_id"]
    live: dict[str, int] = defaultdict(int)
    checked_in = 0
    for row in (r for r in issued if r["performance_id"] == mine):
        if row["status"] in sales_figures.LIVE_TICKETS:
            live[row["tier_id"]] += row["tickets"]
        checked_in += row["tickets"] if row["status"] == "used" else 0
    return PerformanceSalesOut(
        performance_id=mine,
        starts_at=show["starts_at"],
        time_zone=show.get("time_zone", "UTC"),  # an inventory of before it said
        status=show["status"],
        tiers=[TierSalesOut(**t, tickets_issued=live[t["tier_id"]]) for t in show["tiers"]],
        revenue=_revenue([r for r in money if r["performance_id"] == mine]),
        sales_per_hour=[
            HourOut(**{**h, "hour": h["hour"].replace(tzinfo=UTC)})  # the query's clock is UTC
            for h in hours
            if h["performance_id"] == mine
        ],
        checked_in=checked_in,
    )


def _revenue(rows: list[dict[str, Any]]) -> list[RevenueOut]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        figures = per[row["currency"]]
        figures[0] += row["orders"]
        figures[1] += row["gross"]
        figures[2] += row["refunded"]
    return [
        RevenueOut(currency=c, orders=n, gross=g, refunded=r, net=g - r)
        for c, (n, g, r) in sorted(per.items())
    ]
