"""Stripe's error objects (``{"error": {...}}``) and the status codes that go with them."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class StripeApiError(Exception):
    """Raised by a handler; rendered as Stripe's error body with ``status``."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: JSON | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = extra or {}

    def body(self, request_id: str | None = None) -> JSON:
        error: JSON = {"type": self.type, "message": self.message}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.decline_code is not None:
            error["decline_code"] = self.decline_code
        if self.param is not None:
            error["param"] = self.param
        if request_id is not None:
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error.update(self.extra)
        return {"error": error}


def invalid_request(
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    status: int = 400,
    extra: JSON | None = None,
) -> StripeApiError:
    return StripeApiError(
        status, "invalid_request_error", message, code=code, param=param, extra=extra
    )


def resource_missing(
    kind: str, object_id: str, *, param: str = "id", status: int = 404
) -> StripeApiError:
    """404 for an unknown id in the URL, 400 for an unknown id passed as a parameter."""
    return invalid_request(
        f"No such {kind}: '{object_id}'", param=param, code="resource_missing", status=status
    )


def missing_param(param: str) -> StripeApiError:
    return invalid_request(
        f"Missing required param: {param}.", param=param, code="parameter_missing"
    )


def authentication(message: str) -> StripeApiError:
    return StripeApiError(401, "invalid_request_error", message)


def idempotency_mismatch(key: str) -> StripeApiError:
    return StripeApiError(
        400,
        "idempotency_error",
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
    )


def api_error(status: int = 500, message: str | None = None) -> StripeApiError:
    return StripeApiError(
        status,
        "api_error",
        message
        or "An unknown error occurred while processing your request (emulated Stripe outage).",
    )
