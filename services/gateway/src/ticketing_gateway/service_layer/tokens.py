"""Issuing bearer tokens: customer sessions (the public API) and staff tokens (an admin through
``POST /v1/admin/staff-tokens``, audited and withdrawable; operators with the signing key,
``ticketing-gateway mint-staff-token``: neither listed nor withdrawable, rotate the key)."""

from __future__ import annotations

import json
import time
from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from ticketing_gateway.adapters import staff_tokens_repository as staff_tokens
from ticketing_gateway.domain.errors import Conflict, Invalid, NotFound
from ticketing_gateway.domain.staff_tokens import StaffToken
from ticketing_gateway.domain.tokens import IssuedToken, TokenSigner, mint_session, mint_staff
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime import bearer_tokens
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import Database
from ticketing_runtime.identity import Identity


@dataclass(frozen=True)
class IssueStaffToken:
    name: str
    roles: Set[str]
    ttl_s: int
    idempotency_key: str | None = None  # a retry with it gets the same token

    @property
    def fingerprint(self) -> str:
        return json.dumps([self.name, sorted(self.roles), self.ttl_s])


def signer(settings: GatewaySettings) -> TokenSigner:
    """The signing key; refused at start when no service would accept what it signs."""
    token_signer = TokenSigner(settings.token_signing_key.get_secret_value())
    if token_signer.public_key_b64 not in settings.token_public_keys:
        raise ValueError(
            "TICKETING_TOKEN_PUBLIC_KEYS does not list the public half of "
            "TICKETING_TOKEN_SIGNING_KEY: the services would refuse every token"
        )
    return token_signer


def issue_session(token_signer: TokenSigner, settings: GatewaySettings) -> IssuedToken:
    """A new anonymous customer session, valid ``session_ttl_s``."""
    return mint_session(token_signer, settings.session_ttl_s)


def issue_staff_token(token_signer: TokenSigner, command: IssueStaffToken) -> IssuedToken:
    return mint_staff(token_signer, command.name, set(command.roles), command.ttl_s)


async def grant_staff_token(
    database: Database, token_signer: TokenSigner, command: IssueStaffToken, admin: Identity
) -> IssuedToken:
    """A staff token issued by ``admin``, recorded in the audit log (who, for whom, which roles,
    until when; never the token) before it is handed out: no entry, no token. With an
    ``idempotency_key`` the admin used before, the token issued then, signed again (a second
    token nobody saw was made when the first answer was lost); with another request, refused."""
    if (earlier := await _issued_with_key(database, command, admin)) is not None:
        return _issued_again(token_signer, command, earlier)
    try:
        return await _issue(database, token_signer, command, admin)
    except IntegrityError:  # the same key twice at once: the other made it
        if (earlier := await _issued_with_key(database, command, admin)) is None:
            raise
        return _issued_again(token_signer, command, earlier)


async def _issued_with_key(
    database: Database, command: IssueStaffToken, admin: Identity
) -> StaffToken | None:
    if command.idempotency_key is None:
        return None
    async with database.unit_of_work() as uow:
        return await staff_tokens.by_key(uow.session, admin.subject, command.idempotency_key)


async def _issue(
    database: Database, token_signer: TokenSigner, command: IssueStaffToken, admin: Identity
) -> IssuedToken:
    now = int(time.time())
    issued = mint_staff(token_signer, command.name, set(command.roles), command.ttl_s, now=now)
    assert issued.token_id is not None  # every staff token has one
    async with database.unit_of_work() as uow:
        await staff_tokens.add(
            uow.session,
            StaffToken(
                token_id=issued.token_id,
                subject=issued.identity.subject,
                roles=issued.identity.roles,
                issued_by=admin.subject,
                issued_at=datetime.fromtimestamp(now, UTC),
                expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
                idempotency_key=command.idempotency_key,
                request_fingerprint=command.fingerprint if command.idempotency_key else None,
            ),
        )
        await record_action(
            uow,
            admin,
            "gateway.staff_token.issued",
            target=("staff", issued.identity.subject),
            details={
                "token_id": issued.token_id,
                "roles": sorted(issued.identity.roles),
                "expires_at": datetime.fromtimestamp(issued.expires_at, UTC).isoformat(),
            },
        )
        await uow.commit()
    return issued


def _issued_again(
    token_signer: TokenSigner, command: IssueStaffToken, earlier: StaffToken
) -> IssuedToken:
    if earlier.request_fingerprint != command.fingerprint:
        raise Invalid(
            "idempotency-key-reused",
            "this Idempotency-Key issued another staff token; use a new key for another",
        )
    if earlier.withdrawn_at is not None:  # handed out again, it looked like a working token
        raise Conflict(
            "staff-token-withdrawn",
            f"this Idempotency-Key issued token {earlier.token_id}, withdrawn since"
            f" {earlier.withdrawn_at:%Y-%m-%d %H:%M} UTC: issue a new one with a new key",
        )
    if earlier.expires_at <= datetime.now(UTC):
        raise Conflict(
            "staff-token-expired",
            f"this Idempotency-Key issued token {earlier.token_id}, expired at"
            f" {earlier.expires_at:%Y-%m-%d %H:%M} UTC: issue a new one with a new key",
        )
    issued_at = int(earlier.issued_at.timestamp())
    return mint_staff(
        token_signer,
        command.name,
        set(command.roles),
        int(earlier.expires_at.timestamp()) - issued_at,
        now=issued_at,
        token_id=earlier.token_id,
    )


@dataclass(frozen=True)
class WithdrawStaffToken:
    token_id: str
    reason: str


@dataclass(frozen=True)
class StaffTokensQuery:
    """Newest first, ``limit`` of them after the token ``starting_after``; the expired ones only
    when ``expired_too``."""

    expired_too: bool = False
    limit: int = 20
    starting_after: str | None = None


async def withdraw_staff_token(
    database: Database, command: WithdrawStaffToken, admin: Identity
) -> StaffToken:
    """Refuse the token from now on, audited: this process at once, every other one at its next
    read of the list (``TICKETING_WITHDRAWN_TOKENS_POLL_S``)."""
    async with database.unit_of_work() as uow:
        token = await staff_tokens.get(uow.session, command.token_id, for_update=True)
        if token is None:
            raise NotFound("staff-token-not-found", f"no staff token {command.token_id!r}")
        withdrawn = token.withdraw(admin, command.reason, datetime.now(UTC))
        if withdrawn != token:
            await staff_tokens.save_withdrawal(uow.session, withdrawn)
            await record_action(
                uow,
                admin,
                "gateway.staff_token.withdrawn",
                target=("staff", token.subject),
                details={"token_id": token.token_id, "reason": command.reason},
            )
        await uow.commit()
    bearer_tokens.withdraw_only(await withdrawn_until(database))
    return withdrawn


async def list_staff_tokens(
    database: Database, query: StaffTokensQuery
) -> tuple[list[StaffToken], bool]:
    async with database.unit_of_work() as uow:
        after = None
        if query.starting_after is not None:
            after = await staff_tokens.issue_key(uow.session, query.starting_after)
            if after is None:
                raise Invalid(
                    "unknown-cursor", f"starting_after: no staff token {query.starting_after!r}"
                )
        return await staff_tokens.newest_first(
            uow.session, expired_too=query.expired_too, after=after, limit=query.limit
        )


async def withdrawn_until(database: Database) -> dict[str, float]:
    """token id -> when it expires, of every withdrawn token still unexpired (what every
    service refuses)."""
    async with database.unit_of_work() as uow:
        found = await staff_tokens.withdrawn_unexpired(uow.session)
    return {token_id: expires_at.timestamp() for token_id, expires_at in found.items()}
