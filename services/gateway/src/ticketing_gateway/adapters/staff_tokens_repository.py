"""Staff tokens in the gateway's schema, as ``StaffToken`` aggregates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_gateway.adapters.tables import staff_tokens
from ticketing_gateway.domain.staff_tokens import StaffToken
from ticketing_runtime.pagination import keyset_page

ISSUE_ORDER = (staff_tokens.c.issued_at, staff_tokens.c.token_id)


def _token(row: Mapping[str, Any]) -> StaffToken:
    return StaffToken(**{**row, "roles": frozenset(row["roles"])})


async def add(session: AsyncSession, token: StaffToken) -> None:
    values = {**vars(token), "roles": sorted(token.roles)}
    await session.execute(insert(staff_tokens).values(**values))


async def by_key(session: AsyncSession, issued_by: str, key: str) -> StaffToken | None:
    query = select(staff_tokens).where(
        staff_tokens.c.issued_by == issued_by, staff_tokens.c.idempotency_key == key
    )
    row = (await session.execute(query)).mappings().first()
    return _token(dict(row)) if row else None


async def get(
    session: AsyncSession, token_id: str, *, for_update: bool = False
) -> StaffToken | None:
    query = select(staff_tokens).where(staff_tokens.c.token_id == token_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).mappings().first()
    return _token(dict(row)) if row else None


async def save_withdrawal(session: AsyncSession, token: StaffToken) -> None:
    await session.execute(
        update(staff_tokens)
        .where(staff_tokens.c.token_id == token.token_id)
        .values(
            withdrawn_at=token.withdrawn_at,
            withdrawn_by=token.withdrawn_by,
            withdrawal_reason=token.withdrawal_reason,
        )
    )


async def issue_key(session: AsyncSession, token_id: str) -> tuple[Any, ...] | None:
    """The sort key of ``token_id`` in the newest-first list (a page cursor)."""
    found = await session.execute(select(*ISSUE_ORDER).where(staff_tokens.c.token_id == token_id))
    row = found.first()
    return tuple(row) if row else None


async def newest_first(
    session: AsyncSession, *, expired_too: bool, after: tuple[Any, ...] | None, limit: int
) -> tuple[list[StaffToken], bool]:
    query: Select[Any] = select(staff_tokens)
    if not expired_too:
        query = query.where(staff_tokens.c.expires_at > func.now())
    rows, has_more = await keyset_page(session, query, ISSUE_ORDER, after, limit, descending=True)
    return [_token(row) for row in rows], has_more


async def withdrawn_unexpired(session: AsyncSession) -> dict[str, datetime]:
    """token id -> expiry of every withdrawn token that has not expired yet."""
    found = await session.execute(
        select(staff_tokens.c.token_id, staff_tokens.c.expires_at).where(
            staff_tokens.c.withdrawn_at.is_not(None), staff_tokens.c.expires_at > func.now()
        )
    )
    return {token_id: expires_at for token_id, expires_at in found.all()}
