"""The documents process: the render loop, consumers, HTTP and the outbox relay."""

from ticketing_documents.adapters.document_store import document_store_from
from ticketing_documents.entrypoints import handlers, http_documents, http_render_status, problems
from ticketing_documents.service_layer import reading
from ticketing_documents.service_layer.container import Documents
from ticketing_documents.service_layer.rendering import render_loop
from ticketing_documents.settings import DocumentsSettings
from ticketing_runtime.internal_http import ServiceClient
from ticketing_runtime.service import Service


def build_service(settings: DocumentsSettings | None = None) -> Service:
    settings = settings or DocumentsSettings()
    service = Service(settings, package="ticketing_documents", title="Ticketing documents")
    docs = Documents(
        database=service.database,
        orders=ServiceClient(settings, settings.orders_url),
        store=document_store_from(settings),
        settings=settings,
    )
    service.serve(
        docs,
        routers=(http_documents.router, http_render_status.router),
        problems=problems.install,
        handlers=lambda events: handlers.register(events, docs),
        loops=(lambda stop: render_loop(docs, stop),),
        closes=(docs.orders.close, docs.store.close),
    )
    service.gauge(
        "ticketing_parked_renders",
        "Renders given up on: paid tickets without a PDF (healthy: 0)",
        lambda: reading.parked_render_count(docs),
    )
    return service


def main() -> None:
    build_service().run()
