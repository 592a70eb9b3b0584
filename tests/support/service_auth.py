"""How tests authenticate when they call a service on its own port (not through the edge).

The ONE place that knows how: every service verifies the gateway's bearer tokens itself (EdDSA,
with the gateway's public key), so a direct call carries the same token a client would send.
"""

from __future__ import annotations

from typing import Literal

Caller = Literal["customer", "staff", "admin", "scanner"]


def service_auth_headers(
    caller: Caller, service: str = "any", subject: str = "tests", ttl_s: int = 3600
) -> dict[str, str]:
    """Headers that make a direct call to ``service`` come from ``caller`` (any service takes the
    same bearer token; ``service`` names the callee for readers)."""
    return {"Authorization": f"Bearer {_bearer(caller, subject, ttl_s)}"}


def _bearer(caller: Caller, subject: str, ttl_s: int) -> str:
    from ticketing_gateway.domain.tokens import mint_session, mint_staff
    from ticketing_gateway.entrypoints.main import signer
    from ticketing_gateway.settings import GatewaySettings

    signing = signer(GatewaySettings())
    if caller == "customer":
        return mint_session(signing, ttl_s).token
    return mint_staff(signing, subject, {caller}, ttl_s).token
