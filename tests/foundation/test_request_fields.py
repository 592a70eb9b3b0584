"""Request fields: money and counts are whole numbers as JSON writes them, a client's wrong type
(``true``, ``"100"``, ``25.0``) refused, never read as 1, 100 or 25 (a refund of
``{"amount": true}`` gave back one cent; a tier of capacity ``true`` sold one seat); a name has
something to read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from ticketing_gateway.entrypoints.http_staff_tokens import StaffTokenIn
from ticketing_inventory.entrypoints.schemas import HoldIn, TierIn
from ticketing_orders.entrypoints.schemas import CouponIn, CustomerIn, OrderIn, RefundIn
from ticketing_runtime.problems import validation_problem

TIER = {"name": "Stalls", "price": {"amount": 2500, "currency": "EUR"}, "capacity": 10}
HOLD = {"performance_id": "prf_1", "tiers": [{"tier_id": "tier_1", "quantity": 2}]}
COUPON = {"code": "SPRING", "kind": "percent", "percent_off": 10, "max_uses": 5}
CUSTOMER = {"name": "Zoë", "email": "z@x.io"}
TOKEN = {"name": "door-1", "roles": ["scanner"], "ttl_s": 3600}

CASES: list[tuple[type[BaseModel], dict[str, Any], tuple[str | int, ...]]] = [
    (RefundIn, {"amount": 100}, ("amount",)),
    (TierIn, TIER, ("price", "amount")),
    (TierIn, TIER, ("capacity",)),
    (HoldIn, HOLD, ("tiers", 0, "quantity")),
    (CouponIn, COUPON, ("percent_off",)),
    (CouponIn, COUPON, ("max_uses",)),
    (StaffTokenIn, TOKEN, ("ttl_s",)),
]


def with_value(body: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(body))
    node: Any = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


@pytest.mark.parametrize(("model", "body", "path"), CASES)
@pytest.mark.parametrize("wrong", [True, "100", 25.0])
def test_a_wrong_type_is_refused_in_json_and_in_a_parsed_body(
    model: type[BaseModel], body: dict[str, Any], path: tuple[str | int, ...], wrong: Any
) -> None:
    """Both ways a body reaches a model: FastAPI's parsed body, and the hold fast path's JSON."""
    bad = with_value(body, path, wrong)
    with pytest.raises(ValidationError):
        model.model_validate(bad)
    with pytest.raises(ValidationError):
        model.model_validate_json(json.dumps(bad))


@pytest.mark.parametrize(("model", "body", "path"), CASES)
def test_a_whole_number_passes(
    model: type[BaseModel], body: dict[str, Any], path: tuple[str | int, ...]
) -> None:
    model.model_validate(body)
    model.model_validate_json(json.dumps(body))


@pytest.mark.parametrize("blank", ["   ", "\u00a0", "\u200b", "\ufeff", " \u202e "])
def test_a_name_with_nothing_to_read_is_refused(blank: str) -> None:
    with pytest.raises(ValidationError, match=r"must say something|at least 1 item"):
        CustomerIn.model_validate({"name": blank, "email": "ana@example.com"})


def test_a_names_length_is_counted_without_the_space_around_it() -> None:
    padded = " " * 10 + "x" * 200 + " "
    assert CustomerIn.model_validate({"name": padded, "email": "a@x.io"}).name == "x" * 200


def test_a_name_keeps_its_letters_and_loses_the_space_around_them() -> None:
    named = CustomerIn.model_validate({"name": "  Zoë O\u2019Brien ", "email": "z@example.com"})
    assert named.name == "Zoë O\u2019Brien"


@pytest.mark.parametrize(
    ("body", "at"),
    [
        (
            {"hold_id": "hld_1", "customer": {"name": "Zo\udc00e", "email": "z@x.io"}},
            "customer.name",
        ),
        ({"hold_id": "hld_1", "customer": CUSTOMER, "coupon": "AB\ud800"}, "coupon"),
        ({"hold_id": "hld_1", "customer": CUSTOMER, "x\ud800": 1}, "a field name in the body"),
    ],
)
def test_text_utf8_cannot_store_is_refused_naming_where(body: dict[str, Any], at: str) -> None:
    """A lone surrogate, which JSON allows, failed at the first insert: a 500, and the log's SQL
    quoted the customer's name and address."""
    with pytest.raises(ValidationError, match="not text UTF-8 can store") as refused:
        OrderIn.model_validate(body)
    assert at in str(refused.value)
    emoji = {"hold_id": "hld_1", "customer": {"name": "Zoë 🎭", "email": "z@x.io"}}
    assert OrderIn.model_validate(emoji).customer.name == "Zoë 🎭"  # a pair is one character


def test_a_text_too_long_or_short_is_counted_in_characters_not_items() -> None:
    """A limit checked after our own validators is pydantic's generic one: a name of 201
    characters was "at most 200 items after validation"."""
    with pytest.raises(ValidationError) as refused:
        RefundIn.model_validate({"reason": "x" * 501})
    with pytest.raises(ValidationError) as empty:
        CustomerIn.model_validate({"name": "", "email": "z@x.io"})
    detail = validation_problem(refused.value.errors(), ("body",)).detail
    assert detail == "body.reason: should be at most 500 characters, not 501"
    said = validation_problem(empty.value.errors(), ("body",)).detail
    assert said == "body.name: should be at least 1 character, not 0"


def test_a_seat_listed_twice_in_one_hold_is_refused() -> None:
    """It was held once: the buyer who asked for two seats got one."""
    body = {"performance_id": "prf_1", "seats": ["seat_1", "seat_2", "seat_1"]}
    with pytest.raises(ValidationError, match="seat_1 listed twice"):
        HoldIn.model_validate(body)
    with pytest.raises(ValidationError, match="seat_1 listed twice"):  # the hold fast path
        HoldIn.model_validate_json(json.dumps(body))


def test_a_hold_body_that_is_not_json_is_told_why_in_the_body() -> None:
    """The hold fast path's parser names no position in the path: the location was lost."""
    with pytest.raises(ValidationError) as refused:
        HoldIn.model_validate_json(b'{"performance_id": "prf_1",}')
    [error] = validation_problem(refused.value.errors(), ("body",)).extra["errors"]
    assert error == {
        "location": "body",
        "message": "not valid JSON: trailing comma at line 1 column 28",
    }


@pytest.mark.parametrize("name", ["Ana\t", "\nAna", "Ana\x0b"])
def test_a_control_character_around_a_name_is_refused_not_cut_off(name: str) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        CustomerIn.model_validate({"name": name, "email": "a@x.io"})


@pytest.mark.parametrize("name", ["=?utf-8?q?Ana=0D=0ABcc=3A_x?=", "Ana =?ISO-8859-1?B?QQ==?= B"])
def test_a_name_holding_a_mime_encoded_word_is_refused(name: str) -> None:
    """An e-mail client would decode it into other text, line breaks included."""
    with pytest.raises(ValidationError, match="encoded-word"):
        CustomerIn.model_validate({"name": name, "email": "a@x.io"})
    assert CustomerIn.model_validate({"name": "Who =? Me ?=", "email": "a@x.io"}).name


def test_a_body_nested_deeper_than_any_we_take_is_refused_without_running_out_of_stack() -> None:
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"a": deep}
    with pytest.raises(ValidationError, match="nests deeper than 32 levels"):
        OrderIn.model_validate({"hold_id": "hld_1", "customer": CUSTOMER, "x": deep})
