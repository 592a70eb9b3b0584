"""The ``/v1`` Stripe API: outage, auth, form decoding, idempotency, then the resource handlers."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from stripe_emulator import errors, forms, listing, params, publishable
from stripe_emulator.emulator import Emulator
from stripe_emulator.events import API_VERSION, RequestInfo
from stripe_emulator.idempotency import MAX_KEY_LENGTH, StoredResponse, fingerprint
from stripe_emulator.params import Params
from stripe_emulator.payments import CHARGE_EXPANDABLE, PAYMENT_INTENT_EXPANDABLE
from stripe_emulator.refunds import EXPANDABLE as REFUND_EXPANDABLE
from stripe_emulator.state import JSON, new_id

log = logging.getLogger("stripe_emulator.api")


@dataclass(frozen=True)
class Call:
    params: Params
    path_args: tuple[str, ...]
    request: RequestInfo

    @property
    def id(self) -> str:
        return self.path_args[0]


Handler = Callable[[Emulator, Call], JSON]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _route(method: str, path: str) -> Callable[[Handler], Handler]:
    pattern = re.compile("^" + path.replace("{id}", "([^/]+)") + "$")

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, pattern, handler))
        return handler

    return register


ROUTES: list[Route] = []


# -- payment intents ---------------------------------------------------------------------------


@_route("POST", "/v1/payment_intents")
def create_payment_intent(emu: Emulator, call: Call) -> JSON:
    expand = params.expand(call.params, PAYMENT_INTENT_EXPANDABLE)
    created = emu.payments.create(call.params, call.request)
    return emu.payments.render_payment_intent(created, expand)


@_route("GET", "/v1/payment_intents")
def list_payment_intents(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, (*listing.LIST_PARAMS, "customer"))
    items = list(reversed(emu.state.payment_intents.values()))
    return listing.page(items, call.params, "/v1/payment_intents", "payment_intent")


@_route("GET", "/v1/payment_intents/{id}")
def retrieve_payment_intent(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, ("client_secret",))
    expand = params.expand(call.params, PAYMENT_INTENT_EXPANDABLE)
    return emu.payments.render_payment_intent(emu.payments.payment_intent(call.id), expand)


@_route("POST", "/v1/payment_intents/{id}")
def update_payment_intent(emu: Emulator, call: Call) -> JSON:
    expand = params.expand(call.params, PAYMENT_INTENT_EXPANDABLE)
    updated = emu.payments.update(call.id, call.params)
    return emu.payments.render_payment_intent(updated, expand)


@_route("POST", "/v1/payment_intents/{id}/confirm")
def confirm_payment_intent(emu: Emulator, call: Call) -> JSON:
    expand = params.expand(call.params, PAYMENT_INTENT_EXPANDABLE)
    confirmed = emu.payments.confirm(call.id, call.params, call.request)
    return emu.payments.render_payment_intent(confirmed, expand)


@_route("POST", "/v1/payment_intents/{id}/cancel")
def cancel_payment_intent(emu: Emulator, call: Call) -> JSON:
    expand = params.expand(call.params, PAYMENT_INTENT_EXPANDABLE)
    canceled = emu.payments.cancel(call.id, call.params, call.request)
    return emu.payments.render_payment_intent(canceled, expand)


# -- charges and payment methods ---------------------------------------------------------------


@_route("GET", "/v1/charges")
def list_charges(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, (*listing.LIST_PARAMS, "payment_intent", "customer"))
    payment_intent = params.optional_str(call.params, "payment_intent")
    items = [
        c
        for c in reversed(emu.state.charges.values())
        if payment_intent in (None, c["payment_intent"])
    ]
    return listing.page(items, call.params, "/v1/charges", "charge")


@_route("GET", "/v1/charges/{id}")
def retrieve_charge(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, ())
    expand = params.expand(call.params, CHARGE_EXPANDABLE)
    return emu.payments.render_charge(emu.payments.charge(call.id), expand)


@_route("GET", "/v1/payment_methods/{id}")
def retrieve_payment_method(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, ())
    found = emu.state.payment_methods.get(call.id)
    if found is None:
        raise errors.resource_missing("payment_method", call.id)
    return {key: value for key, value in found.items() if not key.startswith("_")}


# -- refunds -----------------------------------------------------------------------------------


@_route("POST", "/v1/refunds")
def create_refund(emu: Emulator, call: Call) -> JSON:
    expand = params.expand(call.params, REFUND_EXPANDABLE)
    return emu.refunds.render(emu.refunds.create(call.params, call.request), expand)


@_route("GET", "/v1/refunds")
def list_refunds(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, (*listing.LIST_PARAMS, "payment_intent", "charge"))
    payment_intent = params.optional_str(call.params, "payment_intent")
    charge = params.optional_str(call.params, "charge")
    items = [
        r
        for r in reversed(emu.state.refunds.values())
        if payment_intent in (None, r["payment_intent"]) and charge in (None, r["charge"])
    ]
    return listing.page(items, call.params, "/v1/refunds", "refund")


@_route("GET", "/v1/refunds/{id}")
def retrieve_refund(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, ())
    expand = params.expand(call.params, REFUND_EXPANDABLE)
    return emu.refunds.render(emu.refunds.refund(call.id), expand)


# -- events ------------------------------------------------------------------------------------


@_route("GET", "/v1/events")
def list_events(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, (*listing.LIST_PARAMS, "type", "types", "delivery_success"))
    types = params.optional_str_list(call.params, "types") or []
    single = params.optional_str(call.params, "type")
    if single:
        types.append(single)
    return listing.page(emu.events.newest_first(types), call.params, "/v1/events", "event")


@_route("GET", "/v1/events/{id}")
def retrieve_event(emu: Emulator, call: Call) -> JSON:
    params.reject_unknown(call.params, ())
    found = emu.events.get(call.id)
    if found is None:
        raise errors.resource_missing("event", call.id)
    return found


# -- the request pipeline ----------------------------------------------------------------------


def _json_response(
    status: int, body: JSON | bytes, request_id: str, extra: dict[str, str] | None = None
) -> Response:
    content = body if isinstance(body, bytes) else json.dumps(body, indent=2).encode()
    headers = {"Request-Id": request_id, "Stripe-Version": API_VERSION, **(extra or {})}
    return Response(content, status_code=status, media_type="application/json", headers=headers)


def _error_response(
    error: errors.StripeApiError, request_id: str, extra: dict[str, str] | None = None
) -> Response:
    return _json_response(error.status, error.body(request_id), request_id, extra)


def _api_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() == "basic":  # curl -u sk_test_...:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[0] or None
    return None


def _redacted(key: str) -> str:
    return key[:8] + "*" * max(0, len(key) - 12) + key[-4:] if len(key) > 12 else "****"


async def _params(request: Request) -> Params:
    decoded = forms.decode(request.url.query)
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", errors="replace")
        content_type = request.headers.get("content-type", "")
        if body and "json" in content_type:
            raise errors.invalid_request(
                "Invalid request: Stripe's v1 API takes application/x-www-form-urlencoded "
                "bodies, not JSON."
            )
        decoded.update(forms.decode(body))
    return decoded


def _match(method: str, path: str) -> tuple[Handler, tuple[str, ...]] | None:
    for route in ROUTES:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route.handler, found.groups()
    return None


class StripeApi:
    def __init__(self, emu: Emulator) -> None:
        self._emu = emu

    async def handle(self, request: Request) -> Response:
        request_id = new_id("req_", 14)
        outage = self._emu.outage
        if outage.mode == "timeout":
            await outage.hang()
            return _error_response(errors.api_error(), request_id)
        if outage.mode == "error":
            return _error_response(errors.api_error(outage.status), request_id)

        api_key = _api_key(request)
        parsed: Params | None = None
        if api_key is None or publishable.is_publishable(api_key):
            try:
                parsed = await _params(request)
            except errors.StripeApiError as bad_params:
                return _error_response(bad_params, request_id)
            form_key = parsed.pop("key", None)
            if api_key is None and isinstance(form_key, str):
                api_key = form_key
            if publishable.is_publishable(api_key):
                return self._publishable(request, parsed, api_key, request_id)
        if api_key is None or not api_key.startswith("sk_"):
            shown = _redacted(api_key) if api_key else "(none)"
            error = errors.authentication(
                f"Invalid API Key provided: {shown}. Send a secret key "
                "(sk_test_...) in the Authorization header, using Bearer auth."
            )
            return _error_response(error, request_id, {"WWW-Authenticate": 'Bearer realm="Stripe"'})

        method, path = request.method.upper(), request.url.path
        try:
            call_params = parsed if parsed is not None else await _params(request)
        except errors.StripeApiError as bad_params:
            return _error_response(bad_params, request_id)

        key = request.headers.get("idempotency-key") if method == "POST" else None
        if key is None:
            status, body = self._run(method, path, call_params, RequestInfo(request_id, None))
            return _json_response(status, body, request_id)
        if len(key) > MAX_KEY_LENGTH:
            error = errors.invalid_request(
                f"Keys for idempotent requests can only be up to {MAX_KEY_LENGTH} characters long.",
                param="idempotency_key",
            )
            return _error_response(error, request_id)

        scope = (api_key, key)
        echo = {"Idempotency-Key": key}
        fp = fingerprint(method, path, call_params)
        async with self._emu.idempotency.serialised(scope):
            stored = self._emu.idempotency.get(scope)
            if stored is not None:
                if stored.fingerprint != fp:
                    return _error_response(errors.idempotency_mismatch(key), request_id, echo)
                replay = {
                    **echo,
                    "Idempotent-Replayed": "true",
                    "Original-Request": stored.request_id,
                }
                return _json_response(stored.status, stored.body, request_id, replay)
            status, body = self._run(method, path, call_params, RequestInfo(request_id, key))
            encoded = json.dumps(body, indent=2).encode()
            if status < 500:
                self._emu.idempotency.put(
                    scope, StoredResponse(fp, status, encoded, request_id, time.time())
                )
            return _json_response(status, encoded, request_id, echo)

    def _publishable(
        self, request: Request, call_params: Params, key: str, request_id: str
    ) -> Response:
        """A browser's call with a publishable key: only its own intent, by client secret."""
        method, path = request.method.upper(), request.url.path
        intent_id = publishable.intent_in_reach(method, path)
        if intent_id is None:
            return _error_response(publishable.forbidden(method, path, key), request_id)
        try:
            found = self._emu.state.payment_intents.get(intent_id)
            publishable.check_client_secret(found, intent_id, call_params)
        except errors.StripeApiError as refused:
            return _error_response(refused, request_id)
        status, body = self._run(method, path, call_params, RequestInfo(request_id, None))
        return _json_response(status, body, request_id)

    def _run(
        self, method: str, path: str, call_params: Params, info: RequestInfo
    ) -> tuple[int, JSON]:
        matched = _match(method, path)
        if matched is None:
            error = errors.invalid_request(
                f"Unrecognized request URL ({method}: {path}). This emulator supports only a "
                "part of Stripe's API: see tools/stripe_emulator/README.md.",
                status=404,
            )
            return error.status, error.body(info.id)
        handler, path_args = matched
        try:
            return 200, handler(self._emu, Call(call_params, path_args, info))
        except errors.StripeApiError as failure:
            return failure.status, failure.body(info.id)
        except Exception:
            log.exception("unexpected error handling %s %s", method, path)
            crash = errors.api_error(500, "An unexpected error occurred inside the emulator.")
            return crash.status, crash.body(info.id)
