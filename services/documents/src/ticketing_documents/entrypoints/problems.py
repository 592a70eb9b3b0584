"""The one table from what a documents use case refuses to the problem the caller gets."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ticketing_documents.service_layer.exceptions import (
    DocumentNotReady,
    DocumentsError,
    RenderNotFound,
    StoredDocumentMissing,
)
from ticketing_runtime.problems import Problem, problem_response

PROBLEMS: dict[type[DocumentsError], tuple[int, str]] = {
    DocumentNotReady: (404, "document-not-ready"),
    StoredDocumentMissing: (404, "document-not-found"),
    RenderNotFound: (404, "render-not-found"),
}


def problem_for(refused: DocumentsError) -> Problem:
    status, code = PROBLEMS[type(refused)]
    return Problem(status, code, str(refused))


def install(app: FastAPI) -> None:
    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DocumentsError)
        return problem_response(problem_for(exc), request.url.path)

    app.add_exception_handler(DocumentsError, on_refused)
