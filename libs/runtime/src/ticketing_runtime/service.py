"""One shape for every service process: HTTP (FastAPI) + consumers (FastStream) + outbox relay.

Start-up: logs and tracing, migrations, broker topology, consumers, relay and background tasks.
SIGTERM (uvicorn): stop accepting requests and finish in-flight ones, then stop consuming and
wait for in-flight messages, let the relay finish its batch, close connections, exit; all of it
within ``shutdown_grace_s`` counted from the signal (``ticketing_runtime.shutdown``).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import uvicorn
from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request
from fastapi.telemetry import TelemetryConfig
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange
from pydantic import StringConstraints
from starlette.types import ASGIApp
from uvicorn.supervisors import Multiprocess

from ticketing_contracts import (
    EXCHANGE,
    AuditActionRecordedV1,
    Event,
    PlatformProbeAnsweredV1,
    emitted_by,
)
from ticketing_runtime.api_docs import install_api_docs
from ticketing_runtime.asgi import BoundaryGuard
from ticketing_runtime.audit import record_action
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import EventConsumer
from ticketing_runtime.database import Database
from ticketing_runtime.fields import Line
from ticketing_runtime.health import ReadinessCheck, StateGauge
from ticketing_runtime.health import router as health_router
from ticketing_runtime.http_server import ProblemHttpProtocol
from ticketing_runtime.http_tracing import install_request_tracing
from ticketing_runtime.identity import Identity, require_roles
from ticketing_runtime.internal_http import ServiceClient
from ticketing_runtime.migrations import upgrade
from ticketing_runtime.openapi_problems import document_problems
from ticketing_runtime.outbox import unpublished_count
from ticketing_runtime.parking_lot import (
    ParkedMessage,
    ReplayResult,
    discard_parked,
    list_parked,
    replay_parked,
)
from ticketing_runtime.probes import answer_probes
from ticketing_runtime.problems import Problem, install_problem_handlers
from ticketing_runtime.query_params import refuse_unknown_query
from ticketing_runtime.relay import OutboxRelay
from ticketing_runtime.settings import ServiceSettings
from ticketing_runtime.shutdown import ShutdownBudget
from ticketing_runtime.telemetry import (
    adopt_library_loggers,
    configure_logging,
    configure_tracing,
)
from ticketing_runtime.topology import declare_consumer
from ticketing_runtime.withdrawn_tokens import (
    WithdrawnSource,
    from_gateway,
    keep_withdrawn_tokens,
    read_before_serving,
)

log = logging.getLogger(__name__)

#: a parked message's id as the broker holds it (ours are event ids; a stranger's may be anything)
MessageId = Annotated[Line, StringConstraints(min_length=1, max_length=200)]

AdminIdentity = Annotated[Identity, Depends(require_roles("admin"))]
BackgroundTask = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


# RequestTracing makes the one server span per request (with the correlation id); FastAPI's own
# spans per dependency and per serialisation step tripled the cost of a hold.
FASTAPI_TELEMETRY_OFF: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


class Service:
    """A service process: build it, register consumers/routes/background tasks, then ``run``."""

    def __init__(
        self,
        settings: ServiceSettings,
        *,
        package: str,
        title: str,
        emits: Sequence[type[Event]] | None = None,
        answers_probes: bool = True,
        document_internal_routes: bool = True,
    ) -> None:
        self.settings = settings
        self.package = package
        self.name = package.removeprefix("ticketing_")
        """What the code calls this service (``service_name`` may be set otherwise)."""
        self.database = Database(settings)
        self.publisher = ConfirmedPublisher(
            settings.amqp_url.get_secret_value(),
            connection_name=f"{settings.service_name}-publisher",
        )
        self.broker = RabbitBroker(
            settings.amqp_url.get_secret_value(),
            graceful_timeout=settings.shutdown_grace_s,
            reconnect_interval=1.0,
            app_id=settings.service_name,
            description=f"{title} ({settings.service_name})",
        )
        answers: tuple[type[Event], ...] = (PlatformProbeAnsweredV1,) if answers_probes else ()
        if emits is None:  # what the contracts say this service publishes
            emits = emitted_by(self.name)
        self.emits: tuple[type[Event], ...] = (*emits, *answers, AuditActionRecordedV1)
        self.consumers: list[EventConsumer] = []
        self.events = self.consumer("events")
        """The service's main consumer group (queue ``<service>.events``)."""
        if answers_probes:
            answer_probes(self.events, settings.service_name)
        self.readiness: dict[str, ReadinessCheck] = {
            "database": self.database.ping,
            "broker": self._broker_ready,
        }
        self.background: list[BackgroundTask] = []
        self.startup_hooks: list[Callable[[], Awaitable[None]]] = []
        self.shutdown_hooks: list[Callable[[], Awaitable[None]]] = []
        gateway = ServiceClient(settings, settings.gateway_url, timeout_s=2.0)
        self.shutdown_hooks.append(gateway.close)
        self.withdrawn_tokens: WithdrawnSource = from_gateway(gateway)
        """Where this process reads the withdrawn staff tokens (the gateway reads its own)."""
        # ASGI layers in front of the whole FastAPI app (its exception, body-limit and routing
        # machinery) for the few hottest requests; each wraps what follows it
        self.fast_paths: list[Callable[[ASGIApp], ASGIApp]] = []
        self._attached = False
        self.http = FastAPI(
            title=title,
            lifespan=self._lifespan,
            version="1",
            telemetry=FASTAPI_TELEMETRY_OFF,
            redirect_slashes=False,
            dependencies=[Depends(refuse_unknown_query)],
            docs_url=None,  # ours: Swagger UI from this origin (api_docs)
            redoc_url=None,
        )
        install_api_docs(self.http)
        document_problems(self.http)
        self.http.state.settings = settings
        self.http.state.readiness_checks = self.readiness
        # the broker down: events wait in the outbox and HTTP requests are served all the same
        self.http.state.degrading_checks = frozenset({"broker"})
        self.state_gauges: list[StateGauge] = []
        self.http.state.state_gauges = self.state_gauges
        self.gauge(
            "ticketing_outbox_unpublished",
            "Outbox rows not yet published (a stuck relay or broker grows it)",
            self._unpublished,
        )
        self.http.state.stopping = False
        install_problem_handlers(self.http)
        install_request_tracing(self.http)
        self.http.include_router(health_router)
        self.http.include_router(self._admin_router(), include_in_schema=document_internal_routes)
        self._declare_publications()

    def gauge(self, name: str, help: str, read: Callable[[], Awaitable[int]]) -> None:
        """Report ``read()`` (a count the service layer reads from the database) on
        ``/metrics`` as ``name``."""
        self.state_gauges.append(StateGauge(name, help, read))

    async def _unpublished(self) -> int:
        async with self.database.unit_of_work() as uow:
            return await unpublished_count(uow.session)

    def serve(
        self,
        container: object,
        *,
        routers: Sequence[APIRouter],
        problems: Callable[[FastAPI], None],
        handlers: Callable[[EventConsumer], None],
        loops: Sequence[BackgroundTask] = (),
        closes: Sequence[Callable[[], Awaitable[None]]] = (),
    ) -> None:
        """Wire what every service has: its container on ``http.state.<name>`` (where
        ``app_state`` finds it for the routes), its routers (in this order: the first match wins),
        its problem table, its consumers on ``events``, its loops, and what to close at the end."""
        setattr(self.http.state, self.name, container)
        for router in routers:
            self.http.include_router(router)
        problems(self.http)
        handlers(self.events)
        self.background.extend(loops)
        self.shutdown_hooks.extend(closes)

    def consumer(self, name: str) -> EventConsumer:
        consumer = EventConsumer(self.settings.service_name, name, self.database)
        self.consumers.append(consumer)
        return consumer

    def attach_consumers(self) -> RabbitBroker:
        """Subscribe every consumer on the FastStream broker (also used to document them)."""
        if not self._attached:
            for consumer in self.consumers:
                consumer.attach(self.broker, self.publisher, self.settings.consumer_prefetch)
            self._attached = True
        return self.broker

    def _declare_publications(self) -> None:
        exchange = RabbitExchange(EXCHANGE, type=ExchangeType.TOPIC, durable=True, declare=False)
        for model in self.emits:
            self.broker.publisher(
                model.event_type,
                exchange=exchange,
                schema=model,
                title=f"{self.settings.service_name}:{model.event_type}:publish",
                description=(model.__doc__ or model.event_type).strip(),
            )

    async def _broker_ready(self) -> None:
        if not self.publisher.is_connected():
            raise ConnectionError("publisher connection is down")
        if not await self.broker.ping(timeout=1.0):
            raise ConnectionError("consumer connection is down")

    @asynccontextmanager
    async def _lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        configure_tracing(self.settings)
        if self.settings.migrate_on_start:
            await asyncio.to_thread(upgrade, self.settings, self.package)
        await self.publisher.connect()
        for consumer in self.consumers:
            await declare_consumer(self.publisher.channel, consumer.queues, consumer.routing_keys)
        self.attach_consumers()
        await self.broker.start()
        adopt_library_loggers()
        for hook in self.startup_hooks:
            await hook()
        await read_before_serving(self.withdrawn_tokens, self.settings.withdrawn_tokens_startup_s)
        budget = ShutdownBudget(self.settings.shutdown_grace_s)
        budget.watch_signals()
        stop = asyncio.Event()
        relay = OutboxRelay(self.database, self.publisher)
        tasks = [asyncio.create_task(relay.run(stop), name="outbox-relay")]
        for loop in (task(stop) for task in self.background):
            # named by the coroutine (a lambda's own name says nothing in the shutdown's log)
            tasks.append(asyncio.create_task(loop, name=getattr(loop, "__qualname__", None)))
        withdrawn = keep_withdrawn_tokens(
            self.withdrawn_tokens, stop, self.settings.withdrawn_tokens_poll_s
        )
        tasks.append(asyncio.create_task(withdrawn, name="withdrawn-tokens"))
        log.info(
            "%s ready on %s:%s",
            self.settings.service_name,
            self.settings.http_host,
            self.settings.http_port,
        )
        try:
            yield
        finally:
            app.state.stopping = True
            budget.begin()
            log.info("shutting down: draining consumers (%.1f s left)", budget.remaining())
            await budget.within("draining consumers", self.broker.stop())
            stop.set()
            _, pending = await asyncio.wait(tasks, timeout=budget.remaining())
            for task in pending:
                log.warning("shutdown: %s did not end in time; cancelled", task.get_name())
                task.cancel()
            # within the budget too, all together: a broker or database unreachable at exit
            # would hold the process past Kubernetes' grace period, and SIGKILL ends it mid-close
            await budget.within("closing connections", self._close())
            budget.restore_signals()
            log.info("stopped")

    async def _close(self) -> None:
        """Every close at once: one that hangs keeps none of the others from closing."""
        closes = [hook() for hook in self.shutdown_hooks]
        closes += [self.publisher.close(), self.database.dispose()]
        for failed in await asyncio.gather(*closes, return_exceptions=True):
            if isinstance(failed, Exception):
                log.warning("shutdown: a close failed: %r", failed)

    def _admin_router(self) -> APIRouter:
        # public (through the edge, which routes /v1/admin/services/<name>/… to this service)
        router = APIRouter(
            prefix=f"/v1/admin/services/{self.settings.service_name}", tags=["admin"]
        )

        def find(consumer: str) -> EventConsumer:
            for candidate in self.consumers:
                if candidate.name.split(".", 1)[1] == consumer:
                    return candidate
            names = ", ".join(c.name.split(".", 1)[1] for c in self.consumers) or "none"
            raise Problem(
                404, "unknown-consumer", f"no consumer {consumer!r}; this service has: {names}"
            )

        @router.get("/parking-lot", response_model=list[ParkedMessage])
        async def parked(
            _: AdminIdentity,
            consumer: str = "events",
            limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        ) -> list[ParkedMessage]:
            return await list_parked(self.publisher, find(consumer).queues, limit)

        @router.post("/parking-lot/replay", response_model=ReplayResult)
        async def replay(
            identity: AdminIdentity,
            consumer: Annotated[str, Body()] = "events",
            message_ids: Annotated[list[MessageId] | None, Body(max_length=1000)] = None,
        ) -> ReplayResult:
            result = await replay_parked(self.publisher, find(consumer).queues, message_ids)
            await self._audit(
                identity,
                "parking_lot.replayed",
                {"consumer": consumer, "asked": message_ids, **result.model_dump(mode="json")},
            )
            return result

        @router.post("/parking-lot/discard")
        async def discard(
            identity: AdminIdentity,
            message_ids: Annotated[
                list[MessageId], Body(embed=True, min_length=1, max_length=1000)
            ],
            consumer: Annotated[str, Body()] = "events",
        ) -> dict[str, list[str | None]]:
            discarded = await discard_parked(self.publisher, find(consumer).queues, message_ids)
            log.warning("%s discarded parked messages %s", identity.subject, discarded)
            details = {"consumer": consumer, "asked": message_ids, "discarded": discarded}
            await self._audit(identity, "parking_lot.discarded", details)
            return {"discarded": discarded}

        return router

    async def _audit(self, identity: Identity, action: str, details: dict[str, Any]) -> None:
        """After the broker acted (it is not in our transaction): the entry follows the act."""
        async with self.database.unit_of_work() as uow:
            await record_action(uow, identity, action, details=details)
            await uow.commit()

    def asgi(self) -> ASGIApp:
        """The whole HTTP app: the fast paths in front of FastAPI."""
        app: ASGIApp = self.http
        for fast_path in reversed(self.fast_paths):
            app = fast_path(app)
        return BoundaryGuard(app)

    def run(self) -> None:
        """Serve until SIGTERM. With ``http_workers`` > 1, that many processes share the port,
        each a full replica (HTTP, consumers, loops), under uvicorn's supervisor."""
        configure_logging(self.settings)
        options: dict[str, Any] = {
            "host": self.settings.http_host,
            "port": self.settings.http_port,
            "log_config": None,
            "lifespan": "on",
            "timeout_graceful_shutdown": int(self.settings.shutdown_grace_s),
            "access_log": False,
            # longer than clients' idle keep-alive (httpx: 5 s), so the server never closes a
            # connection a client is about to reuse
            "timeout_keep_alive": 30,
            "http": ProblemHttpProtocol,
        }
        if self.settings.http_workers == 1:
            uvicorn.Server(uvicorn.Config(self.asgi(), **options)).run()
            return
        os.environ[_FACTORY_ENV] = f"{self.package}.entrypoints.main:build_service"
        # set before the workers start (and import prometheus_client): /metrics sums them all
        metrics_dir = tempfile.mkdtemp(prefix=f"ticketing-{self.settings.service_name}-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        config = uvicorn.Config(
            f"{__name__}:worker_app",
            factory=True,
            workers=self.settings.http_workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            **options,
        )
        try:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        finally:
            shutil.rmtree(metrics_dir, ignore_errors=True)


_FACTORY_ENV = "TICKETING_SERVICE_FACTORY"
# uvicorn kills a worker that does not answer its supervisor's ping within this time, counted
# from the worker's spawn. Its default, 5 s, is shorter than a worker's imports take when
# several services start at once on two busy cores: every replacement was killed again, forever.
WORKER_HEALTHCHECK_S = 60


def worker_app() -> ASGIApp:
    """A worker process's app (uvicorn imports this): the same service, built again."""
    module, _, name = os.environ[_FACTORY_ENV].partition(":")
    service: Service = getattr(importlib.import_module(module), name)()
    configure_logging(service.settings)
    return service.asgi()


def app_state(name: str) -> Callable[[Request], Awaitable[Any]]:
    """A route dependency answering ``request.app.state.<name>``: the container ``serve`` set."""

    async def found(request: Request) -> Any:
        return getattr(request.app.state, name)

    return found


def settings_for(service: str, cls: type[ServiceSettings] = ServiceSettings, **kw: Any) -> Any:
    return cls(service_name=service, **kw)
