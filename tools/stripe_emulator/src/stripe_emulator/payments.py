"""PaymentIntents and the Charges their confirmation creates."""

from __future__ import annotations

import copy

from stripe_emulator import cards, params
from stripe_emulator.errors import StripeApiError, invalid_request, resource_missing
from stripe_emulator.events import EventLog, RequestInfo
from stripe_emulator.params import Params
from stripe_emulator.state import JSON, State, new_id, now

MAX_AMOUNT = 99_999_999
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
CANCELLATION_REASONS = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
# Accepted so that code written for real Stripe works; the emulator ignores them.
_ACCEPTED_IGNORED = (
    "application_fee_amount",
    "confirmation_method",
    "customer",
    "error_on_requires_action",
    "mandate",
    "mandate_data",
    "off_session",
    "on_behalf_of",
    "payment_method_configuration",
    "payment_method_data",
    "payment_method_options",
    "radar_options",
    "receipt_email",
    "return_url",
    "setup_future_usage",
    "shipping",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "transfer_data",
    "transfer_group",
    "use_stripe_sdk",
    "capture_method",
    "confirmation_token",
)
CREATE_PARAMS = (
    "amount",
    "currency",
    "automatic_payment_methods",
    "confirm",
    "description",
    "metadata",
    "payment_method",
    "payment_method_types",
    *_ACCEPTED_IGNORED,
)
UPDATE_PARAMS = (
    "amount",
    "currency",
    "description",
    "metadata",
    "payment_method",
    "payment_method_types",
    *_ACCEPTED_IGNORED,
)
CONFIRM_PARAMS = ("payment_method", "payment_method_types", *_ACCEPTED_IGNORED)
PAYMENT_INTENT_EXPANDABLE = ("latest_charge", "payment_method")
CHARGE_EXPANDABLE = ("payment_intent",)


def unexpected_state(message: str, payment_intent: JSON) -> StripeApiError:
    return invalid_request(
        message,
        code="payment_intent_unexpected_state",
        extra={"payment_intent": copy.deepcopy(payment_intent)},
    )


class Payments:
    def __init__(self, state: State, events: EventLog) -> None:
        self._state = state
        self._events = events

    # -- lookups -----------------------------------------------------------------------------

    def payment_intent(self, payment_intent_id: str) -> JSON:
        found = self._state.payment_intents.get(payment_intent_id)
        if found is None:
            raise resource_missing("payment_intent", payment_intent_id)
        return found

    def charge(self, charge_id: str) -> JSON:
        found = self._state.charges.get(charge_id)
        if found is None:
            raise resource_missing("charge", charge_id)
        return found

    def render_payment_intent(self, payment_intent: JSON, expand: list[str]) -> JSON:
        rendered = copy.deepcopy(payment_intent)
        if "latest_charge" in expand and rendered["latest_charge"]:
            rendered["latest_charge"] = copy.deepcopy(
                self._state.charges[rendered["latest_charge"]]
            )
        if "payment_method" in expand and rendered["payment_method"]:
            rendered["payment_method"] = cards.public(
                self._state.payment_methods[rendered["payment_method"]]
            )
        return rendered

    def render_charge(self, charge: JSON, expand: list[str]) -> JSON:
        rendered = copy.deepcopy(charge)
        if "payment_intent" in expand and rendered["payment_intent"]:
            rendered["payment_intent"] = copy.deepcopy(
                self._state.payment_intents[rendered["payment_intent"]]
            )
        return rendered

    # -- operations --------------------------------------------------------------------------

    def create(self, p: Params, request: RequestInfo) -> JSON:
        params.reject_unknown(p, CREATE_PARAMS)
        amount = _amount(p, required=True)
        currency = params.currency(p)
        description = params.optional_str(p, "description")
        metadata = params.apply_metadata({}, params.metadata_changes(p))
        confirm = params.optional_bool(p, "confirm") or False
        payment_method_ref = params.optional_str(p, "payment_method") or None
        automatic = params.optional_hash(p, "automatic_payment_methods")
        automatic_enabled = automatic is not None and automatic.get("enabled") == "true"
        method_types = params.optional_str_list(p, "payment_method_types") or ["card"]
        capture_method = params.optional_str(p, "capture_method")
        payment_method = (
            cards.resolve(self._state, payment_method_ref) if payment_method_ref else None
        )
        payment_intent_id = new_id("pi_")
        payment_intent: JSON = {
            "id": payment_intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_details": {"tip": {}},
            "amount_received": 0,
            "application": None,
            "application_fee_amount": None,
            "automatic_payment_methods": (
                {"allow_redirects": "always", "enabled": True} if automatic_enabled else None
            ),
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": (
                capture_method if capture_method == "automatic_async" else "automatic"
            ),
            "client_secret": f"{payment_intent_id}_secret_{new_id('', 25)}",
            "confirmation_method": "automatic",
            "created": now(),
            "currency": currency,
            "customer": None,
            "description": description,
            "invoice": None,
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": metadata,
            "next_action": None,
            "on_behalf_of": None,
            "payment_method": payment_method["id"] if payment_method else None,
            "payment_method_configuration_details": None,
            "payment_method_options": {},
            "payment_method_types": method_types,
            "processing": None,
            "receipt_email": params.optional_str(p, "receipt_email"),
            "review": None,
            "setup_future_usage": None,
            "shipping": None,
            "source": None,
            "statement_descriptor": None,
            "statement_descriptor_suffix": None,
            "status": "requires_payment_method",
            "transfer_data": None,
            "transfer_group": None,
        }
        self._state.payment_intents[payment_intent_id] = payment_intent
        self._events.emit("payment_intent.created", payment_intent, request)
        if confirm:
            if payment_method is None:
                raise _missing_payment_method(payment_intent)
            self._charge(payment_intent, payment_method, request)
        return payment_intent

    def update(self, payment_intent_id: str, p: Params) -> JSON:
        payment_intent = self.payment_intent(payment_intent_id)
        params.reject_unknown(p, UPDATE_PARAMS)
        money_changes = {"amount", "currency", "payment_method", "payment_method_types"} & set(p)
        if money_changes and payment_intent["status"] in ("succeeded", "canceled"):
            raise unexpected_state(
                f"You cannot update this PaymentIntent because it has a status of "
                f"{payment_intent['status']}.",
                payment_intent,
            )
        amount = _amount(p, required=False)
        if amount is not None:
            payment_intent["amount"] = amount
        if "currency" in p:
            payment_intent["currency"] = params.currency(p)
        if "description" in p:
            payment_intent["description"] = params.optional_str(p, "description") or None
        if "receipt_email" in p:  # "" unsets it, on the intent and on its charge, as on Stripe
            email = params.optional_str(p, "receipt_email") or None
            payment_intent["receipt_email"] = email
            if payment_intent["latest_charge"]:
                self._state.charges[payment_intent["latest_charge"]]["receipt_email"] = email
        if "payment_method_types" in p:
            types = params.optional_str_list(p, "payment_method_types")
            payment_intent["payment_method_types"] = types or ["card"]
        reference = params.optional_str(p, "payment_method")
        if reference:
            payment_intent["payment_method"] = cards.resolve(self._state, reference)["id"]
        payment_intent["metadata"] = params.apply_metadata(
            payment_intent["metadata"], params.metadata_changes(p)
        )
        return payment_intent

    def confirm(self, payment_intent_id: str, p: Params, request: RequestInfo) -> JSON:
        payment_intent = self.payment_intent(payment_intent_id)
        params.reject_unknown(p, CONFIRM_PARAMS)
        status = payment_intent["status"]
        if status == "succeeded":
            raise unexpected_state(
                "You cannot confirm this PaymentIntent because it has already succeeded "
                "after being previously confirmed.",
                payment_intent,
            )
        if status == "canceled":
            raise unexpected_state(
                "You cannot confirm this PaymentIntent because it has a status of canceled. "
                "Only a PaymentIntent with one of the following statuses may be confirmed: "
                "requires_confirmation, requires_payment_method.",
                payment_intent,
            )
        reference = params.optional_str(p, "payment_method") or payment_intent["payment_method"]
        if not reference:
            raise _missing_payment_method(payment_intent)
        payment_method = cards.resolve(self._state, reference)
        self._charge(payment_intent, payment_method, request)
        return payment_intent

    def cancel(self, payment_intent_id: str, p: Params, request: RequestInfo) -> JSON:
        payment_intent = self.payment_intent(payment_intent_id)
        params.reject_unknown(p, ("cancellation_reason",))
        reason = params.one_of(p, "cancellation_reason", CANCELLATION_REASONS)
        if payment_intent["status"] not in CANCELABLE:
            raise unexpected_state(
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{payment_intent['status']}. Only a PaymentIntent with one of the following "
                f"statuses may be canceled: {', '.join(CANCELABLE)}.",
                payment_intent,
            )
        payment_intent.update(
            status="canceled",
            canceled_at=now(),
            cancellation_reason=reason,
            payment_method=None,
        )
        self._events.emit("payment_intent.canceled", payment_intent, request)
        return payment_intent

    # -- charging ----------------------------------------------------------------------------

    def _charge(self, payment_intent: JSON, payment_method: JSON, request: RequestInfo) -> None:
        card = cards.card_of(payment_method)
        charge = self._new_charge(payment_intent, payment_method, card)
        payment_intent["latest_charge"] = charge["id"]
        if card.decline_code is None:
            payment_intent.update(
                status="succeeded",
                amount_received=payment_intent["amount"],
                payment_method=payment_method["id"],
                last_payment_error=None,
            )
            self._events.emit("charge.succeeded", charge, request)
            self._events.emit("payment_intent.succeeded", payment_intent, request)
            return
        message = card.decline_message or "Your card was declined."
        error: JSON = {
            "charge": charge["id"],
            "code": "card_declined",
            "decline_code": card.decline_code,
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": message,
            "payment_method": cards.public(payment_method),
            "type": "card_error",
        }
        payment_intent.update(
            status="requires_payment_method",
            payment_method=None,
            last_payment_error=error,
        )
        self._events.emit("charge.failed", charge, request)
        self._events.emit("payment_intent.payment_failed", payment_intent, request)
        raise StripeApiError(
            402,
            "card_error",
            message,
            code="card_declined",
            decline_code=card.decline_code,
            extra={
                "charge": charge["id"],
                "payment_intent": copy.deepcopy(payment_intent),
                "payment_method": cards.public(payment_method),
            },
        )

    def _new_charge(
        self, payment_intent: JSON, payment_method: JSON, card: cards.CardBehaviour
    ) -> JSON:
        succeeded = card.decline_code is None
        amount = payment_intent["amount"]
        charge: JSON = {
            "id": new_id("ch_"),
            "object": "charge",
            "amount": amount,
            "amount_captured": amount if succeeded else 0,
            "amount_refunded": 0,
            "application": None,
            "application_fee": None,
            "balance_transaction": new_id("txn_") if succeeded else None,
            "billing_details": payment_method["billing_details"],
            "calculated_statement_descriptor": "EMULATOR",
            "captured": succeeded,
            "created": now(),
            "currency": payment_intent["currency"],
            "customer": None,
            "description": payment_intent["description"],
            "disputed": False,
            "failure_code": None if succeeded else "card_declined",
            "failure_message": None if succeeded else card.decline_message,
            "fraud_details": {},
            "livemode": False,
            "metadata": dict(payment_intent["metadata"]),
            "outcome": _outcome(card),
            "paid": succeeded,
            "payment_intent": payment_intent["id"],
            "payment_method": payment_method["id"],
            "payment_method_details": {
                "card": {
                    "brand": card.brand,
                    "country": "US",
                    "exp_month": payment_method["card"]["exp_month"],
                    "exp_year": payment_method["card"]["exp_year"],
                    "funding": "credit",
                    "last4": card.last4,
                    "network": card.brand,
                },
                "type": "card",
            },
            "receipt_email": payment_intent["receipt_email"],
            "receipt_url": None,
            "refunded": False,
            "review": None,
            "status": "succeeded" if succeeded else "failed",
        }
        self._state.charges[charge["id"]] = charge
        return charge


def _amount(p: Params, *, required: bool) -> int | None:
    amount = (
        params.required_int(p, "amount", minimum=1)
        if required
        else params.optional_int(p, "amount", minimum=1)
    )
    if amount is not None and amount > MAX_AMOUNT:
        raise invalid_request(
            f"Amount must be no more than {MAX_AMOUNT}", param="amount", code="amount_too_large"
        )
    return amount


def _missing_payment_method(payment_intent: JSON) -> StripeApiError:
    return unexpected_state(
        "You cannot confirm this PaymentIntent because it's missing a payment method. "
        "Pass `payment_method` (for example pm_card_visa).",
        payment_intent,
    )


def _outcome(card: cards.CardBehaviour) -> JSON:
    if card.decline_code is None:
        return {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": 20,
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    return {
        "network_status": "declined_by_network",
        "reason": card.decline_code,
        "risk_level": "normal",
        "risk_score": 20,
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
    }
