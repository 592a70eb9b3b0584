"""How tests authenticate when they call a service on its own port (not through the gateway).

The ONE place that knows how: today services trust the signed ``X-Ticketing-Identity`` header the
gateway adds, and the gateway itself takes bearer tokens; when services verify bearer tokens
themselves, only this function changes.
"""

from __future__ import annotations

from typing import Literal

from ticketing_runtime.identity import IDENTITY_HEADER, Identity, sign_identity
from ticketing_runtime.settings import ServiceSettings

Caller = Literal["customer", "staff", "admin", "scanner"]


def service_auth_headers(
    caller: Caller, service: str = "any", subject: str = "tests", ttl_s: int = 3600
) -> dict[str, str]:
    """Headers that make a direct call to ``service`` come from ``caller``."""
    if service == "gateway":
        return {"Authorization": f"Bearer {_bearer(caller, subject, ttl_s)}"}
    if caller == "customer":
        identity = Identity(kind="customer", subject=f"ses_{subject}")
    else:
        identity = Identity(kind="staff", subject=f"staff:{subject}", roles=frozenset({caller}))
    secret = ServiceSettings(service_name="tests").internal_token_secret.get_secret_value()
    return {IDENTITY_HEADER: sign_identity(identity, secret, ttl_s=ttl_s)}


def _bearer(caller: Caller, subject: str, ttl_s: int) -> str:
    from ticketing_gateway.domain.tokens import mint_session, mint_staff
    from ticketing_gateway.settings import GatewaySettings

    secret = GatewaySettings().token_secret.get_secret_value()
    if caller == "customer":
        return mint_session(secret, ttl_s).token
    return mint_staff(secret, subject, {caller}, ttl_s).token
