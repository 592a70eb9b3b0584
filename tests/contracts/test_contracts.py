"""Contracts: committed schemas guard every event version; the AsyncAPI document is current."""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

import pytest
import yaml

from scripts import asyncapi
from tests.support.platform import ROOT
from ticketing_contracts import ALL_EVENTS, Envelope, EnvelopeError, emitted_by, events, model_for
from ticketing_contracts.envelope import CORRELATION_HEADER
from ticketing_contracts.schemas import incompatibilities, load_committed, render, schema_of
from ticketing_runtime.settings import ServiceSettings


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.event_type)
def test_every_event_has_a_committed_schema_that_it_still_satisfies(model) -> None:
    committed = load_committed(model.event_type)
    assert committed is not None, f"run `make schemas` to commit {model.event_type}"
    problems = incompatibilities(committed, schema_of(model))
    assert not problems, (
        f"{model.event_type} changed incompatibly; publish a new version (…v2) instead: {problems}"
    )


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.event_type)
def test_committed_schema_is_exactly_the_current_one(model) -> None:
    committed = load_committed(model.event_type)
    assert committed is not None
    assert render(committed) == render(schema_of(model)), "run `make schemas` and commit"


def test_every_routing_key_is_versioned_and_unique() -> None:
    types = [m.event_type for m in ALL_EVENTS]
    assert len(types) == len(set(types))
    for event_type in types:
        assert event_type.rsplit(".", 1)[1].startswith("v"), event_type
        assert model_for(event_type).event_type == event_type


ORDER_PAID = schema_of(model_for("orders.order.paid.v1"))


def _changed(mutate) -> list[str]:
    new = copy.deepcopy(ORDER_PAID)
    mutate(new)
    return incompatibilities(ORDER_PAID, new)


def test_compatibility_rule_accepts_a_new_optional_field_and_new_descriptions() -> None:
    def add_optional(schema) -> None:
        schema["properties"]["gift_message"] = {"type": "string"}
        schema["properties"]["order_id"]["description"] = "the order"

    assert _changed(add_optional) == []


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda s: s["properties"].pop("order_number"), "$.order_number: removed"),
        (
            lambda s: s["properties"].update(order_id={"type": "integer"}),
            "$.order_id: type changed",
        ),
        (lambda s: s["required"].remove("paid_at"), "$.paid_at: no longer required"),
        (
            lambda s: (
                s["properties"].update(channel={"type": "string"}),
                s["required"].append("channel"),
            ),
            "$.channel: new required field",
        ),
        (
            lambda s: s["$defs"]["Money"]["properties"].pop("currency"),
            "$.total.currency: removed",
        ),
        (
            lambda s: s["$defs"]["IssuedTicket"]["properties"].update(seat_id={"type": "integer"}),
            "$.tickets[].seat_id: type changed",
        ),
    ],
)
def test_compatibility_rule_refuses_breaking_changes(mutation, expected: str) -> None:
    problems = _changed(mutation)
    assert any(p.startswith(expected) for p in problems), problems


def test_envelope_round_trips_through_amqp_headers() -> None:
    envelope = Envelope.new(
        source="/ticketing/orders",
        type="orders.order.paid.v1",
        subject="ord_1",
        correlation_id="c1",
    ).with_trace({"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01", "other": "x"})
    headers = envelope.to_headers()
    assert headers["ce-type"] == "orders.order.paid.v1"
    assert "other" not in headers
    encoded = {k: v.encode() for k, v in headers.items()}  # AMQP may hand back bytes
    assert Envelope.from_headers(encoded, "application/json") == envelope


@pytest.mark.parametrize(
    ("drop", "message"),
    [("ce-id", "missing CloudEvents attribute 'ce-id'"), ("ce-type", "'ce-type'")],
)
def test_envelope_without_a_required_attribute_is_refused(drop: str, message: str) -> None:
    headers = Envelope.new(source="/x", type="t.v1").to_headers()
    del headers[drop]
    with pytest.raises(EnvelopeError, match=message):
        Envelope.from_headers(headers)


def test_envelope_with_unknown_specversion_or_bad_time_is_refused() -> None:
    headers = Envelope.new(source="/x", type="t.v1").to_headers()
    with pytest.raises(EnvelopeError, match="specversion"):
        Envelope.from_headers({**headers, "ce-specversion": "0.3"})
    with pytest.raises(EnvelopeError, match="ce-time"):
        Envelope.from_headers({**headers, "ce-time": "yesterday"})
    assert Envelope.from_headers(headers).time.tzinfo is not None


def test_asyncapi_document_is_up_to_date() -> None:
    generated = asyncapi.render()
    committed = (ROOT / "docs" / "asyncapi.yaml").read_text()
    assert generated.strip() == committed.strip(), (
        "run `make schemas` and commit docs/asyncapi.yaml"
    )
    for model in ALL_EVENTS:
        assert f"address: {model.event_type}" in committed, model.event_type


def test_the_asyncapi_document_names_the_vhost_and_the_correlation_header_in_use() -> None:
    """FastStream writes ``/ticketing`` and a ``correlation_id`` header: a subscriber generated
    from the document would connect to another vhost and read no correlation id."""
    document = yaml.safe_load((ROOT / "docs" / "asyncapi.yaml").read_text())
    vhosts = {
        binding["vhost"]
        for channel in document["channels"].values()
        for binding in channel["bindings"]["amqp"].values()
        if isinstance(binding, dict) and "vhost" in binding
    }
    default_url = ServiceSettings.model_fields["amqp_url"].default.get_secret_value()
    assert vhosts == {urlsplit(default_url).path.removeprefix("/")} == {"ticketing"}
    locations = {
        m["correlationId"]["location"] for m in document["components"]["messages"].values()
    }
    assert locations == {f"$message.header#/{CORRELATION_HEADER}"}


def test_the_asyncapi_document_says_messages_are_persistent_and_carry_the_envelope() -> None:
    """It said ``deliveryMode: 1`` (non-persistent) of every publication and named none of the
    ``ce-`` headers: a subscriber generated from it had no ``ce-id`` to de-duplicate on."""
    document = yaml.safe_load((ROOT / "docs" / "asyncapi.yaml").read_text())
    modes = {
        operation["bindings"]["amqp"]["deliveryMode"]
        for operation in document["operations"].values()
        if operation["action"] == "send"
    }
    assert modes == {2}
    for name, message in document["components"]["messages"].items():
        headers = message["headers"]
        assert {"ce-id", "ce-type", "ce-time"} <= set(headers["required"]), name
        assert CORRELATION_HEADER in headers["properties"], name
        assert message["contentType"] == "application/json", name


def test_each_service_emits_what_the_contracts_say_it_publishes() -> None:
    """``Service`` declares a service's publications from ``source_service`` (``emitted_by``):
    every event but the ones any service may send has exactly one publishing service."""
    services = ("gateway", "inventory", "orders", "payments", "documents", "notifications")
    by_service = {name: emitted_by(name) for name in services}
    published = [model for models in by_service.values() for model in models]
    anyone = [model for model in ALL_EVENTS if model.source_service == "any"]
    assert sorted(m.event_type for m in (*published, *anyone)) == sorted(
        m.event_type for m in ALL_EVENTS
    )
    assert len(set(published)) == len(published)
    assert by_service["documents"] == (events.TicketsRenderedV1,)
