"""When each address last got the e-mail with links to its orders (the throttle's table)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.tables import order_link_requests as requests


async def claim_sending(session: AsyncSession, address_digest: str, interval_s: float) -> bool:
    """True, and the address marked as mailed now, unless it was mailed in the last
    ``interval_s``; one statement, so two requests at once for one address claim it once."""
    mailed = insert(requests).values(address_digest=address_digest, last_sent_at=func.now())
    claimed = mailed.on_conflict_do_update(
        index_elements=[requests.c.address_digest],
        set_={"last_sent_at": func.now()},
        where=requests.c.last_sent_at <= func.now() - timedelta(seconds=interval_s),
    ).returning(requests.c.address_digest)
    return (await session.execute(claimed)).first() is not None


async def forget(session: AsyncSession, address_digest: str) -> None:
    """The address was never mailed links, as far as the throttle knows (its erasure)."""
    await session.execute(delete(requests).where(requests.c.address_digest == address_digest))
