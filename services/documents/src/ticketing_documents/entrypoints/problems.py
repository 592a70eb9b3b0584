"""The one table from what a documents use case refuses to the problem the caller gets."""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_documents.service_layer.exceptions import (
    DocumentNotReady,
    DocumentsError,
    RenderNotFound,
    StoredDocumentMissing,
)
from ticketing_runtime.refusals import ProblemTable, install_refusals

PROBLEMS: ProblemTable = {
    DocumentNotReady: (404, "document-not-ready"),
    StoredDocumentMissing: (404, "document-not-found"),
    RenderNotFound: (404, "render-not-found"),
}


def install(app: FastAPI) -> None:
    install_refusals(app, DocumentsError, PROBLEMS)
