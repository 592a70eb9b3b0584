"""A query parameter the route does not take is a 422 naming it; the ones it takes, in its
own signature or in a dependency's, pass (the rule every service's app applies)."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, Query

from ticketing_runtime.problems import install_problem_handlers
from ticketing_runtime.query_params import refuse_unknown_query


def page(limit: Annotated[int, Query(le=100)] = 10) -> int:
    return limit


def app() -> FastAPI:
    made = FastAPI(dependencies=[Depends(refuse_unknown_query)])
    install_problem_handlers(made)

    @made.get("/orders")
    async def orders(
        status: str | None = None,
        starting_after: Annotated[str | None, Query(alias="starting-after")] = None,
        limit: int = Depends(page),
        tag: Annotated[list[str] | None, Query()] = None,
    ) -> dict[str, object]:
        return {"status": status, "after": starting_after, "limit": limit, "tag": tag}

    @made.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return made


@pytest.fixture
async def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app()), base_url="http://t")


@pytest.mark.parametrize(
    "query", ["", "?status=paid", "?starting-after=ord_1&limit=5", "?tag=a&tag=b"]
)
async def test_the_parameters_a_route_takes_pass(client: httpx.AsyncClient, query: str) -> None:
    assert (await client.get("/orders" + query)).status_code == 200


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/orders?stauts=paid", "stauts"),
        ("/orders?starting_after=x", "starting_after"),
        ("/ping?x=1", "x"),
    ],
)
async def test_one_it_does_not_take_is_422_naming_it(
    client: httpx.AsyncClient, url: str, named: str
) -> None:
    answer = await client.get(url)
    assert (answer.status_code, answer.headers["content-type"]) == (422, "application/problem+json")
    problem = answer.json()
    assert problem["type"].endswith("/unknown-parameter")
    assert f"unknown query parameter {named!r}" in problem["detail"]
    assert problem["unknown"] == [named]


@pytest.mark.parametrize("query", ["?status=paid&status=open", "?limit=5&limit=50"])
async def test_a_parameter_of_one_value_given_twice_is_a_422_naming_it(
    client: httpx.AsyncClient, query: str
) -> None:
    """The last one was taken, silently: ``?limit=5&limit=50`` answered 50 rows."""
    answer = await client.get("/orders" + query)
    assert answer.status_code == 422
    body = answer.json()
    assert body["type"].endswith("/repeated-parameter")
    assert query.split("=")[0].lstrip("?") in body["detail"]
