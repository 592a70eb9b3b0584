"""A staff token's issue asked again with its Idempotency-Key, in process against the real
PostgreSQL: the same token while it works, a refusal once it no longer does (it was handed out
again, dead, as if new)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, update

from ticketing_gateway.adapters.tables import staff_tokens
from ticketing_gateway.domain.errors import Conflict
from ticketing_gateway.service_layer.tokens import IssueStaffToken, grant_staff_token, signer
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import Database

pytestmark = pytest.mark.infra
ADMIN = Identity(kind="staff", subject="staff:ops", roles=frozenset({"admin"}))


async def test_a_key_whose_token_expired_is_refused_not_handed_the_dead_token(
    database: Database,
) -> None:
    command = IssueStaffToken(f"door-{uuid.uuid4().hex[:8]}", {"scanner"}, 3600, uuid.uuid4().hex)
    token_signer = signer(GatewaySettings())
    first = await grant_staff_token(database, token_signer, command, ADMIN)
    again = await grant_staff_token(database, token_signer, command, ADMIN)
    assert again.token == first.token  # while it works: the same token
    async with database.unit_of_work() as uow:
        gone = update(staff_tokens).where(staff_tokens.c.token_id == first.token_id)
        await uow.session.execute(gone.values(expires_at=func.now()))
        await uow.commit()

    with pytest.raises(Conflict) as refused:
        await grant_staff_token(database, token_signer, command, ADMIN)
    assert refused.value.code == "staff-token-expired"
    assert "new key" in str(refused.value)
