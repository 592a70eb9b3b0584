"""The base of every event model, and the value types events share."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_URI_PREFIX = "urn:ticketing:event:"


class Event(BaseModel):
    """A domain event: immutable, versioned, published on ``ticketing.events``.

    ``event_type`` is both the CloudEvents ``type`` and the AMQP routing key. Unknown fields are
    ignored on read so that a compatible change (a new optional field) keeps the version.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    source_service: ClassVar[str]
    subject_field: ClassVar[str | None] = None

    def subject(self) -> str | None:
        if self.subject_field is None:
            return None
        return str(getattr(self, self.subject_field))

    @classmethod
    def schema_uri(cls) -> str:
        return f"{SCHEMA_URI_PREFIX}{cls.event_type}"


class Money(BaseModel):
    """An amount in integer minor units (cents) of an ISO 4217 currency."""

    model_config = ConfigDict(frozen=True)

    amount: int = Field(ge=0, description="minor units, e.g. cents")
    currency: str = Field(min_length=3, max_length=3, pattern="^[A-Z]{3}$")


class Customer(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    email: str = Field(description="empty: none given (a box-office sale)")


class HeldLine(BaseModel):
    """What a hold or sale covers in one tier: a quantity, and the seats for a seated tier."""

    model_config = ConfigDict(frozen=True)

    tier_id: str
    quantity: int = Field(ge=1)
    seat_ids: list[str] = Field(default_factory=list)
