"""Sales of performances as orders know them: money per currency, tickets, check-ins, by hour."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.tables import orders, refunds, tickets

Row = dict[str, Any]
SETTLED = ("paid", "partially_refunded", "refunded")
LIVE_TICKETS = ("valid", "used")


async def revenue(session: AsyncSession, performance_ids: Sequence[str]) -> list[Row]:
    """Per performance and currency: what paid orders took, and their refunds pending or done
    (not the money of a payment that came for a cancelled order and went straight back: it
    was never in the gross)."""
    paid = (
        select(
            orders.c.performance_id,
            orders.c.currency,
            func.sum(orders.c.total_amount).label("gross"),
            func.count().label("orders"),
        )
        .where(orders.c.performance_id.in_(performance_ids), orders.c.status.in_(SETTLED))
        .group_by(orders.c.performance_id, orders.c.currency)
    )
    back = (
        select(
            orders.c.performance_id,
            refunds.c.currency,
            func.sum(refunds.c.amount).label("refunded"),
        )
        .join(orders, orders.c.order_id == refunds.c.order_id)
        .where(
            orders.c.performance_id.in_(performance_ids),
            orders.c.status.in_(SETTLED),
            refunds.c.status != "failed",
        )
        .group_by(orders.c.performance_id, refunds.c.currency)
    )
    refunded = {
        (r.performance_id, r.currency): int(r.refunded) for r in await session.execute(back)
    }
    return [
        {
            "performance_id": r.performance_id,
            "currency": r.currency,
            "orders": int(r.orders),
            "gross": int(r.gross),
            "refunded": refunded.get((r.performance_id, r.currency), 0),
        }
        for r in await session.execute(paid)
    ]


async def tickets_by_tier(session: AsyncSession, performance_ids: Sequence[str]) -> list[Row]:
    """Per performance, tier and ticket status, how many tickets."""
    query = (
        select(
            tickets.c.performance_id,
            tickets.c.tier_id,
            tickets.c.status,
            func.count().label("tickets"),
        )
        .where(tickets.c.performance_id.in_(performance_ids))
        .group_by(tickets.c.performance_id, tickets.c.tier_id, tickets.c.status)
    )
    return [dict(r._mapping) for r in await session.execute(query)]


async def sales_per_hour(session: AsyncSession, performance_ids: Sequence[str]) -> list[Row]:
    """Per performance, hour of payment (UTC) and currency: orders, tickets and money taken."""
    hour = func.date_trunc("hour", func.timezone("UTC", orders.c.paid_at)).label("hour")
    issued = (
        select(tickets.c.order_id, func.count().label("tickets"))
        .group_by(tickets.c.order_id)
        .subquery()
    )
    query = (
        select(
            orders.c.performance_id,
            hour,
            orders.c.currency,
            func.count().label("orders"),
            func.coalesce(func.sum(issued.c.tickets), 0).label("tickets"),
            func.sum(orders.c.total_amount).label("gross"),
        )
        .outerjoin(issued, issued.c.order_id == orders.c.order_id)
        .where(orders.c.performance_id.in_(performance_ids), orders.c.paid_at.is_not(None))
        .group_by(orders.c.performance_id, hour, orders.c.currency)
        .order_by(orders.c.performance_id, hour)
    )
    return [dict(r._mapping) for r in await session.execute(query)]


async def till(session: AsyncSession, clerk: str, since: datetime, until: datetime) -> list[Row]:
    """What ``clerk`` took at the desk in ``[since, until)`` and gave back, per payment method
    and currency: the sales they made (paid then), the refunds they made of desk sales, and
    the failed online refunds they paid back out of the till (cash or the card terminal)."""
    taken = (
        select(
            orders.c.payment_method,
            orders.c.currency,
            func.count().label("sales"),
            func.coalesce(func.sum(orders.c.total_amount), 0).label("taken"),
        )
        .where(
            orders.c.sold_by == clerk,
            orders.c.payment_method.isnot(None),
            orders.c.paid_at >= since,
            orders.c.paid_at < until,
        )
        .group_by(orders.c.payment_method, orders.c.currency)
    )
    given_back = (
        _refunds_per(orders.c.payment_method)
        .join(orders, orders.c.order_id == refunds.c.order_id)
        .where(
            refunds.c.requested_by == clerk,
            orders.c.payment_method.isnot(None),
            refunds.c.status != "failed",
            refunds.c.created_at >= since,
            refunds.c.created_at < until,
        )
    )
    paid_back = _refunds_per(refunds.c.paid_back_from_till).where(
        refunds.c.paid_back_by == clerk,
        refunds.c.paid_back_from_till.isnot(None),
        refunds.c.paid_back_at >= since,
        refunds.c.paid_back_at < until,
    )
    lines: dict[tuple[str, str], Row] = {}
    for row in (await session.execute(taken)).mappings():
        lines[(row["payment_method"], row["currency"])] = {**row, "refunds": 0, "refunded": 0}
    for query in (given_back, paid_back):
        for row in (await session.execute(query)).mappings():
            line = lines.setdefault(
                (row["payment_method"], row["currency"]),
                {"payment_method": row["payment_method"], "currency": row["currency"]}
                | {"sales": 0, "taken": 0, "refunds": 0, "refunded": 0},
            )
            line["refunds"] += row["refunds"]
            line["refunded"] += row["refunded"]
    return sorted(lines.values(), key=lambda line: (line["payment_method"], line["currency"]))


def _refunds_per(method: ColumnElement[Any]) -> Select[Any]:
    """Refunds counted and summed per ``method`` (a till's line) and currency."""
    return select(
        method.label("payment_method"),
        refunds.c.currency,
        func.count().label("refunds"),
        func.coalesce(func.sum(refunds.c.amount), 0).label("refunded"),
    ).group_by(method, refunds.c.currency)
