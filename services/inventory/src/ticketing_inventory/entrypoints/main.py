"""The inventory process: catalogue and holds over HTTP, sales from events, outbox relay."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis

from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.sale_terms import SaleTermsCache
from ticketing_inventory.entrypoints import (
    handlers,
    http_catalogue,
    http_holds,
    http_internal,
    http_staff_catalogue,
    http_stock,
    problems,
)
from ticketing_inventory.entrypoints.fast_holds import HoldPlacementFastPath
from ticketing_inventory.service_layer.container import Inventory
from ticketing_inventory.service_layer.expiry import sweep_expired_holds
from ticketing_inventory.service_layer.rebuild import rebuild, refill_lost_performances
from ticketing_inventory.settings import InventorySettings
from ticketing_runtime.service import Service

REFILL_EVERY_S = 15.0  # how soon a Redis that came back empty holds the stock again


def build_service(settings: InventorySettings | None = None) -> Service:
    settings = settings or InventorySettings()
    service = Service(settings, package="ticketing_inventory", title="Ticketing inventory")
    # a blocking pool: a burst of holds waits for a connection instead of failing
    pool = BlockingConnectionPool.from_url(
        settings.redis_url, decode_responses=True, max_connections=100, timeout=5
    )
    redis: Redis = Redis(connection_pool=pool)
    inv = Inventory(
        database=service.database,
        holds=HoldStore(
            redis,
            placements_per_session_per_minute=settings.holds_per_session_per_minute,
            live_holds_per_session=settings.live_holds_per_session,
        ),
        terms=SaleTermsCache(redis, service.database),
    )
    service.serve(
        inv,
        routers=(
            http_catalogue.router,
            http_holds.router,
            http_internal.router,
            http_stock.router,
            http_staff_catalogue.router,
        ),
        problems=problems.install,
        handlers=lambda events: handlers.register(events, inv),
        closes=(redis.aclose,),
    )
    service.fast_paths.append(lambda app: HoldPlacementFastPath(app, service.http.state))
    # the probe's own connection: a pool every hold holds (sale day) is not a Redis that is down,
    # and a probe queued for it took every replica out of rotation at once
    probe: Redis = Redis.from_url(
        settings.redis_url, socket_connect_timeout=2, socket_timeout=2, max_connections=2
    )
    service.readiness["redis"] = probe.ping
    service.shutdown_hooks.append(probe.aclose)
    service.startup_hooks.append(lambda: _rebuilt(inv))
    service.background.append(lambda stop: refill_lost_performances(inv, stop, REFILL_EVERY_S))
    if settings.hold_sweep_interval_s > 0:
        interval = settings.hold_sweep_interval_s
        service.background.append(lambda stop: sweep_expired_holds(inv, stop, interval))
    return service


async def _rebuilt(inv: Inventory) -> None:
    await rebuild(inv, only_missing=True)  # another replica may be selling already


def main() -> None:
    build_service().run()
