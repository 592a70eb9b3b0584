"""Stripe through the official SDK: the emulator in development, Stripe itself in production."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe

from ticketing_payments.domain.payment import intent_key, refund_key
from ticketing_payments.settings import PaymentsSettings


class StripeUnavailable(Exception):
    """Stripe did not answer usefully (timeout, connection, 5xx, rate limit): try again later."""


class StripeRefused(Exception):
    """Stripe answered no to this request (invalid, declined): trying again changes nothing."""

    def __init__(self, message: str, code: str | None) -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class CreatedIntent:
    intent_id: str
    client_secret: str
    status: str


class StripeApi:
    def __init__(self, settings: PaymentsSettings) -> None:
        addresses: Any = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        self._client = stripe.StripeClient(
            settings.stripe_api_key.get_secret_value(),
            base_addresses=addresses,
            max_network_retries=0,  # our own backoff decides when to try again
            http_client=stripe.HTTPXClient(timeout=settings.stripe_timeout_s),
        )

    async def create_intent(
        self, order_id: str, amount: int, currency: str, email: str, description: str
    ) -> CreatedIntent:
        params: Any = {
            "amount": amount,
            "currency": currency.lower(),
            "description": description,
            "receipt_email": email,
            "metadata": {"order_id": order_id},
            "automatic_payment_methods": {"enabled": True},
        }
        intent = await self._call(
            self._client.v1.payment_intents.create_async,
            params,
            {"idempotency_key": intent_key(order_id)},
        )
        return CreatedIntent(intent.id, intent.client_secret, intent.status)

    async def retrieve_intent(self, intent_id: str) -> dict[str, Any]:
        intent = await self._call(self._client.v1.payment_intents.retrieve_async, intent_id)
        return intent.to_dict()  # type: ignore[no-any-return]

    async def cancel_intent(self, intent_id: str) -> str:
        """Cancel unless it already succeeded or was canceled; returns the intent's status, or
        ``"missing"`` for an intent Stripe does not know (deleted test data, a restarted
        emulator): nobody can pay it, so there is nothing left to cancel."""
        try:
            intent = await self._call(self._client.v1.payment_intents.cancel_async, intent_id)
        except StripeRefused as exc:
            if exc.code == "payment_intent_unexpected_state":
                return str((await self.retrieve_intent(intent_id))["status"])
            if exc.code == "resource_missing":
                return "missing"
            raise
        return str(intent.status)

    async def refund(
        self, intent_id: str, amount: int, refund_id: str, order_id: str
    ) -> dict[str, Any]:
        """Our refund ``refund_id`` of the intent: the one Stripe has already (an earlier attempt
        made it, and its answer or our record of it was lost: replayed a day later, past the
        idempotency key's 24 hours, it was made a second time), else a new one."""
        made = await self._refund_made(intent_id, refund_id)
        if made is not None:
            return made
        params: Any = {
            "payment_intent": intent_id,
            "amount": amount,
            "metadata": {"order_id": order_id, "refund_id": refund_id},
        }
        refund = await self._call(
            self._client.v1.refunds.create_async, params, {"idempotency_key": refund_key(refund_id)}
        )
        return refund.to_dict()  # type: ignore[no-any-return]

    async def _refund_made(self, intent_id: str, refund_id: str) -> dict[str, Any] | None:
        listed = await self._call(
            self._client.v1.refunds.list_async, {"payment_intent": intent_id, "limit": 100}
        )
        for found in listed.data:  # an intent has a handful of refunds, never a hundred
            refund: dict[str, Any] = found.to_dict()
            if (refund.get("metadata") or {}).get("refund_id") == refund_id:
                return refund
        return None

    async def forget_receipt_email(self, intent_id: str) -> None:
        """The intent (and its charge) without the customer's address for receipts."""
        params: Any = {"receipt_email": ""}
        await self._call(self._client.v1.payment_intents.update_async, intent_id, params)

    async def retrieve_refund(self, stripe_refund_id: str) -> dict[str, Any]:
        refund = await self._call(self._client.v1.refunds.retrieve_async, stripe_refund_id)
        return refund.to_dict()  # type: ignore[no-any-return]

    @staticmethod
    async def _call(method: Any, *args: Any) -> Any:
        try:
            return await method(*args)
        except (stripe.InvalidRequestError, stripe.CardError, stripe.IdempotencyError) as exc:
            raise StripeRefused(exc.user_message or str(exc), exc.code) from exc
        except stripe.StripeError as exc:
            # down, rate limited, or our key refused (an operator fixes it): try again later
            raise StripeUnavailable(str(exc) or type(exc).__name__) from exc


def verified_event(payload: bytes, signature: str | None, settings: PaymentsSettings) -> Any:
    """The event a webhook carries, once ``Stripe-Signature`` is checked (raises ``ValueError``
    for a bad payload and ``stripe.SignatureVerificationError`` for a bad signature)."""
    return stripe.Webhook.construct_event(
        payload,
        signature,
        settings.stripe_webhook_secret.get_secret_value(),
        tolerance=settings.stripe_webhook_tolerance_s,
    )
