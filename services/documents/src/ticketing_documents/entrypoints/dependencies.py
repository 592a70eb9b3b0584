"""The documents container for the routes (set on the app by ``main``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ticketing_documents.service_layer.container import Documents
from ticketing_runtime.service import app_state

DocumentsDep = Annotated[Documents, Depends(app_state("documents"))]
