"""The gateway process, and ``ticketing-gateway mint-staff-token`` for developers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from fastapi.openapi.utils import get_openapi

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.entrypoints import handlers, http, http_audit, http_staff_tokens, problems
from ticketing_gateway.entrypoints.http_openapi import keep_merged
from ticketing_gateway.service_layer.container import Gateway
from ticketing_gateway.service_layer.tokens import (
    IssueStaffToken,
    issue_staff_token,
    signer,
    withdrawn_until,
)
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.openapi_problems import declared
from ticketing_runtime.service import Service

__all__ = ["build_service", "main", "mint_staff_token", "signer"]


def build_service(settings: GatewaySettings | None = None) -> Service:
    settings = settings or GatewaySettings()
    service = Service(
        settings,
        package="ticketing_gateway",
        title="Ticketing API",
        answers_probes=False,
        document_internal_routes=False,
    )
    upstreams = Upstreams(settings)
    own_document = _own_openapi(service)
    service.withdrawn_tokens = lambda: withdrawn_until(service.database)
    service.serve(
        Gateway(settings, service.database, upstreams, signer(settings)),
        routers=(
            http.router,
            http_audit.router,
            http_staff_tokens.router,
            http_staff_tokens.internal_router,
        ),
        problems=problems.install,
        handlers=handlers.register,
        loops=(lambda stop: keep_merged(service.http, upstreams, own_document, stop),),
        closes=(upstreams.close,),
    )
    return service


def _own_openapi(service: Service) -> Callable[[], dict[str, Any]]:
    app = service.http

    def generate() -> dict[str, Any]:
        # not app.openapi(): the merged document replaces it; its problems declared as every
        # service's are (FastAPI's HTTPValidationError, a shape nobody sends, was left in)
        return declared(get_openapi(title=app.title, version=app.version, routes=app.routes))

    return generate


def mint_staff_token(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="ticketing-gateway mint-staff-token")
    parser.add_argument("--name", required=True, help="who the token is for")
    parser.add_argument(
        "--role", action="append", required=True, choices=["admin", "staff", "scanner"]
    )
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="seconds (default 8 h)")
    args = parser.parse_args(argv)
    command = IssueStaffToken(args.name, set(args.role), args.ttl)
    print(issue_staff_token(signer(GatewaySettings()), command).token)


def main() -> None:
    if sys.argv[1:2] == ["mint-staff-token"]:
        mint_staff_token(sys.argv[2:])
        return
    build_service().run()
