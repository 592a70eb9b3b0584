"""Refunds of a succeeded PaymentIntent's charge, full or partial."""

from __future__ import annotations

import copy

from stripe_emulator import cards, params
from stripe_emulator.errors import invalid_request, resource_missing
from stripe_emulator.events import EventLog, RequestInfo
from stripe_emulator.params import Params
from stripe_emulator.state import JSON, State, new_id, now

CREATE_PARAMS = (
    "payment_intent",
    "charge",
    "amount",
    "metadata",
    "reason",
    "instructions_email",
    "origin",
    "refund_application_fee",
    "reverse_transfer",
    "currency",
    "customer",
)
REASONS = ("duplicate", "fraudulent", "requested_by_customer")
EXPANDABLE = ("charge", "payment_intent")
ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga"}
    | {"pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


class Refunds:
    def __init__(self, state: State, events: EventLog) -> None:
        self._state = state
        self._events = events

    def refund(self, refund_id: str) -> JSON:
        found = self._state.refunds.get(refund_id)
        if found is None:
            raise resource_missing("refund", refund_id)
        return found

    def render(self, refund: JSON, expand: list[str]) -> JSON:
        rendered = copy.deepcopy(refund)
        if "charge" in expand:
            rendered["charge"] = copy.deepcopy(self._state.charges[refund["charge"]])
        if "payment_intent" in expand:
            rendered["payment_intent"] = copy.deepcopy(
                self._state.payment_intents[refund["payment_intent"]]
            )
        return rendered

    def create(self, p: Params, request: RequestInfo) -> JSON:
        params.reject_unknown(p, CREATE_PARAMS)
        charge = self._refundable_charge(p)
        amount = params.optional_int(p, "amount", minimum=1)
        metadata = params.apply_metadata({}, params.metadata_changes(p))
        reason = params.one_of(p, "reason", REASONS)
        left = charge["amount"] - charge["amount_refunded"]
        if left <= 0:
            raise invalid_request(
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        if amount is None:
            amount = left
        behaviour = self._refund_behaviour(charge)
        if amount > left:
            currency = charge["currency"]
            raise invalid_request(
                f"Refund amount ({_money(amount, currency)}) is greater than unrefunded amount "
                f"on charge ({_money(left, currency)})",
                param="amount",
                code="amount_too_large",
            )
        refund: JSON = {
            "id": new_id("re_"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": new_id("txn_"),
            "charge": charge["id"],
            "created": now(),
            "currency": charge["currency"],
            "destination_details": {"card": {"type": "refund"}, "type": "card"},
            "metadata": metadata,
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "pending" if behaviour == "pending" else "succeeded",
            "transfer_reversal": None,
        }
        self._state.refunds[refund["id"]] = refund
        if behaviour != "succeeds":
            self._state.refunds_later[refund["id"]] = (
                "succeeded" if behaviour == "pending" else "failed"
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self._events.emit("charge.refunded", charge, request)
        self._events.emit("refund.created", refund, request)
        return refund

    def settle_later(self, refund_id: str, status: str | None = None) -> JSON:
        """What Stripe does "some time later" to a refund of ``pm_card_pendingRefund`` (pending,
        then succeeded) or ``pm_card_refundFail`` (succeeded, then failed: the money is owed to
        the charge again), with ``charge.refund.updated`` and ``refund.updated``; ``status``
        settles it otherwise (a pending refund Stripe fails or cancels after all)."""
        refund = self.refund(refund_id)
        later = self._state.refunds_later.pop(refund_id, None)
        if later is None:
            raise invalid_request(f"Refund {refund_id} has nothing left to settle.")
        later = status or later
        refund["status"] = later
        if later in ("failed", "canceled"):
            refund["failure_reason"] = "expired_or_canceled_card"
            charge = self._state.charges[refund["charge"]]
            charge["amount_refunded"] -= refund["amount"]
            charge["refunded"] = False
        request = RequestInfo(id=None, idempotency_key=None)
        self._events.emit("charge.refund.updated", refund, request)
        self._events.emit("refund.updated", refund, request)
        return refund

    def _refund_behaviour(self, charge: JSON) -> str:
        payment_method = self._state.payment_methods.get(charge.get("payment_method") or "")
        return cards.card_of(payment_method).refund if payment_method else "succeeds"

    def _refundable_charge(self, p: Params) -> JSON:
        payment_intent_id = params.optional_str(p, "payment_intent")
        charge_id = params.optional_str(p, "charge")
        if payment_intent_id:
            payment_intent = self._state.payment_intents.get(payment_intent_id)
            if payment_intent is None:
                raise resource_missing(
                    "payment_intent", payment_intent_id, param="payment_intent", status=400
                )
            if payment_intent["status"] != "succeeded" or not payment_intent["latest_charge"]:
                raise invalid_request(
                    f"This PaymentIntent ({payment_intent_id}) does not have a successful "
                    "charge to refund.",
                    param="payment_intent",
                    code="payment_intent_unexpected_state",
                )
            charge: JSON = self._state.charges[payment_intent["latest_charge"]]
            if charge_id and charge_id != charge["id"]:
                raise invalid_request(
                    f"Charge {charge_id} does not belong to PaymentIntent {payment_intent_id}.",
                    param="charge",
                )
            return charge
        if charge_id:
            found = self._state.charges.get(charge_id)
            if found is None:
                raise resource_missing("charge", charge_id, param="charge", status=400)
            if found["status"] != "succeeded":
                raise invalid_request(
                    f"Charge {charge_id} has not succeeded and cannot be refunded.",
                    param="charge",
                    code="charge_not_refundable",
                )
            return found
        raise invalid_request(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )


def _money(amount: int, currency: str) -> str:
    text = f"{amount}" if currency in ZERO_DECIMAL else f"{amount / 100:.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"
