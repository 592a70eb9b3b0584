"""What the gateway's use cases work with."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.tokens import TokenSigner
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.database import Database


@dataclass
class Gateway:
    settings: GatewaySettings
    database: Database
    upstreams: Upstreams
    signer: TokenSigner
