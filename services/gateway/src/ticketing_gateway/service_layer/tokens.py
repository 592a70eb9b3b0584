"""Issuing bearer tokens: customer sessions (the public API) and staff tokens (developers and
operators, ``ticketing-gateway mint-staff-token``)."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from ticketing_gateway.domain.tokens import IssuedToken, TokenSigner, mint_session, mint_staff
from ticketing_gateway.settings import GatewaySettings


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
