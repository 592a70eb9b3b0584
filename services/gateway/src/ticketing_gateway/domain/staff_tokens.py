"""A staff token as the gateway remembers it after handing it out once: for whom, with which
roles, until when, and whether an admin withdrew it (a lost phone, a clerk who left)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from ticketing_gateway.domain.errors import Conflict
from ticketing_runtime.callers import Identity


class StaffTokenStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # refused by every service within a few seconds
    EXPIRED = "expired"


@dataclass(frozen=True)
class StaffToken:
    token_id: str
    subject: str
    roles: frozenset[str]
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None
    idempotency_key: str | None = None  # the admin's, for a retry to get this same token
    request_fingerprint: str | None = None  # of what was asked under that key

    def status(self, now: datetime) -> StaffTokenStatus:
        if self.withdrawn_at is not None:
            return StaffTokenStatus.WITHDRAWN
        return StaffTokenStatus.ACTIVE if now < self.expires_at else StaffTokenStatus.EXPIRED

    def withdraw(self, admin: Identity, reason: str, now: datetime) -> StaffToken:
        """This token refused from now on; withdrawing it again changes nothing, and an expired
        token has nothing left to withdraw."""
        status = self.status(now)
        if status is StaffTokenStatus.WITHDRAWN:
            return self
        if status is StaffTokenStatus.EXPIRED:
            raise Conflict(
                "staff-token-expired",
                f"token {self.token_id} expired at {self.expires_at.isoformat()}: no service"
                " accepts it any more",
            )
        return replace(self, withdrawn_at=now, withdrawn_by=admin.subject, withdrawal_reason=reason)
