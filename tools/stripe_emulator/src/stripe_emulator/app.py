"""The FastAPI application: health probes, the emulator's control endpoints and ``/v1``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response

from stripe_emulator import control
from stripe_emulator.api import StripeApi
from stripe_emulator.config import Settings
from stripe_emulator.emulator import Emulator


def create_app(settings: Settings | None = None) -> FastAPI:
    emu = Emulator(settings or Settings.from_env())
    api = StripeApi(emu)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await emu.webhooks.start()
        try:
            yield
        finally:
            await emu.webhooks.stop()

    app = FastAPI(
        title="Stripe emulator",
        description="A local stand-in for a part of Stripe's API (dev and tests only).",
        lifespan=lifespan,
    )
    app.state.emulator = emu
    # browsers confirm intents from the storefront's origin with a publishable key (Stripe.js
    # does the same against api.stripe.com, which allows every origin)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["*"],
        expose_headers=["Request-Id", "Idempotent-Replayed"],
        max_age=600,
    )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(control.router)

    @app.api_route("/v1/{path:path}", methods=["GET", "POST", "DELETE"], include_in_schema=False)
    async def stripe_v1(request: Request) -> Response:
        return await api.handle(request)

    return app
