"""Each service's OpenAPI document declares the problem+json answers it sends, not FastAPI's
own 422 shape (``HTTPValidationError``), which no service ever sent (no servers)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from ticketing_runtime.openapi_problems import PROBLEM_MEDIA_TYPE, document_problems


class ThingIn(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    document_problems(app)

    @app.post("/v1/things", status_code=201)
    async def make(thing: ThingIn) -> dict[str, str]:
        return {"name": thing.name}

    @app.get("/v1/things/{thing_id}", responses={422: {"description": "an odd id, on purpose"}})
    async def read(thing_id: str) -> dict[str, str]:
        return {"thing_id": thing_id}

    return app


def _problem(response: dict[str, Any]) -> bool:
    schema = response["content"][PROBLEM_MEDIA_TYPE]["schema"]
    return bool(schema == {"$ref": "#/components/schemas/Problem"})


def test_every_operation_declares_its_problems_and_fastapis_own_422_is_gone() -> None:
    document = _app().openapi()
    made = document["paths"]["/v1/things"]["post"]["responses"]
    assert set(made) == {"201", "422", "4XX", "5XX"}
    assert all(_problem(made[status]) for status in ("422", "4XX", "5XX"))
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail"}


def test_a_routes_own_422_is_kept_and_the_document_built_once() -> None:
    app = _app()
    read = app.openapi()["paths"]["/v1/things/{thing_id}"]["get"]["responses"]
    assert read["422"] == {"description": "an odd id, on purpose"}
    assert _problem(read["4XX"])
    assert app.openapi() is app.openapi()
