"""The documents process: HTTP, consumers and outbox relay."""

from ticketing_contracts import events
from ticketing_documents.settings import DocumentsSettings
from ticketing_runtime.service import Service

EMITS = (events.TicketsRenderedV1,)


def build_service(settings: DocumentsSettings | None = None) -> Service:
    return Service(
        settings or DocumentsSettings(),
        package="ticketing_documents",
        title="Ticketing documents",
        emits=EMITS,
    )


def main() -> None:
    build_service().run()
