"""The documents container for the routes (set on the app by ``main``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ticketing_documents.service_layer.container import Documents


def _documents(request: Request) -> Documents:
    found: Documents = request.app.state.documents
    return found


DocumentsDep = Annotated[Documents, Depends(_documents)]
