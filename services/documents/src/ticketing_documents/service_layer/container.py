"""What the documents use cases, routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_documents.adapters.document_store import DocumentStore
from ticketing_documents.settings import DocumentsSettings
from ticketing_runtime.database import Database
from ticketing_runtime.internal_http import ServiceClient


@dataclass
class Documents:
    database: Database
    orders: ServiceClient
    store: DocumentStore
    settings: DocumentsSettings
