"""What the documents routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

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


async def documents(request: Request) -> Documents:
    found: Documents = request.app.state.documents
    return found


DocumentsDep = Annotated[Documents, Depends(documents)]
