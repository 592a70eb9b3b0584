"""How tests authenticate to a service on its own port (not through the gateway).

The ONE place that knows how: today services trust the signed ``X-Ticketing-Identity`` header the
gateway adds; when services verify bearer tokens themselves, only this function changes.
"""

from __future__ import annotations

from typing import Literal

from ticketing_runtime.identity import IDENTITY_HEADER, Identity, sign_identity
from ticketing_runtime.settings import ServiceSettings

Caller = Literal["customer", "staff", "admin", "scanner"]


def service_auth_headers(
    caller: Caller, subject: str = "tests", ttl_s: int = 3600
) -> dict[str, str]:
    """Headers that make a direct call to a service come from ``caller``."""
    if caller == "customer":
        identity = Identity(kind="customer", subject=f"ses_{subject}")
    else:
        identity = Identity(kind="staff", subject=subject, roles=frozenset({caller}))
    secret = ServiceSettings(service_name="tests").internal_token_secret.get_secret_value()
    return {IDENTITY_HEADER: sign_identity(identity, secret, ttl_s=ttl_s)}
