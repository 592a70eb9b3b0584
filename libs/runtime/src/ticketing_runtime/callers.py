"""Who calls a service: a customer session, a member of staff, or another service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

STAFF_ROLES = frozenset({"admin", "staff", "scanner"})

Kind = Literal["customer", "staff", "service"]


@dataclass(frozen=True)
class Identity:
    kind: Kind
    subject: str
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles)) or "admin" in self.roles

    @property
    def handles_orders(self) -> bool:
        """Staff who may read, sell and cancel any order: the staff and admin roles (a scanner
        token, a door phone's, admits tickets and nothing more)."""
        return self.is_staff and self.has_any(("staff",))
