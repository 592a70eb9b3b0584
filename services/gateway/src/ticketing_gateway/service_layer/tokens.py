"""Issuing bearer tokens: customer sessions (the public API) and staff tokens (an admin through
``POST /v1/admin/staff-tokens``, audited; operators with the signing key,
``ticketing-gateway mint-staff-token``)."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, datetime

from ticketing_gateway.domain.tokens import IssuedToken, TokenSigner, mint_session, mint_staff
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import Database
from ticketing_runtime.identity import Identity


@dataclass(frozen=True)
class IssueStaffToken:
    name: str
    roles: Set[str]
    ttl_s: int


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
    until when; never the token) before it is handed out: no entry, no token."""
    issued = issue_staff_token(token_signer, command)
    async with database.unit_of_work() as uow:
        await record_action(
            uow,
            admin,
            "gateway.staff_token.issued",
            target=("staff", issued.identity.subject),
            details={
                "roles": sorted(issued.identity.roles),
                "expires_at": datetime.fromtimestamp(issued.expires_at, UTC).isoformat(),
            },
        )
        await uow.commit()
    return issued
