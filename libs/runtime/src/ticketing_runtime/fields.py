"""Field types of request models, shared by every service (invariant 10: bad input is refused
at the boundary with 422 naming the field and the reason, before any database call).

Limits (documented in the README): integers fit their PostgreSQL column (``integer``: 32 bits)
and a business bound below it; strings are bounded and free of control characters (PostgreSQL
refuses NUL outright); datetimes are aware and within years 2000 to 2999 (arithmetic on them never
overflows); time zones are IANA names this machine's ``zoneinfo`` knows; ids are URL-safe tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Header, Path, Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from ticketing_runtime.currencies import why_not_sold_in

#: largest value of a PostgreSQL ``integer`` column
INT32_MAX = 2_147_483_647
#: largest value of a PostgreSQL ``bigint`` column (a sequence number, a cursor)
INT64_MAX = 9_223_372_036_854_775_807
#: a price, discount or refund: at most 100,000,000 minor units (1 million in a 2-decimal currency)
MAX_AMOUNT = 100_000_000
#: units of one tier, uses of one coupon
MAX_COUNT = 1_000_000
#: a seat number within its row
MAX_SEAT_NUMBER = 100_000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab, newline and CR allowed


def single_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters (U+0000 to U+001F, U+007F)")
    return value


def multi_line(value: str) -> str:
    if _CONTROL_BUT_TEXT.search(value):
        raise ValueError("must not contain control characters other than tab and newline")
    return value


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    """``True`` for an IANA time zone name that ``zoneinfo`` can load here."""
    return name in _known_zones()


def iana_time_zone(value: str) -> str:
    if not is_time_zone(value):
        raise ValueError(f"{value!r} is not an IANA time zone name (such as 'Europe/Amsterdam')")
    return value


def _in_range(value: datetime) -> datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError("must be between the years 2000 and 2999")
    return value


def not_blank(value: str) -> str:
    """The text without surrounding white space; one with nothing to read (only white space,
    or invisible format characters such as U+200B or U+FEFF) is refused."""
    stripped = value.strip()
    if value and not any(_readable(character) for character in stripped):
        raise ValueError("must say something: it is only white space or invisible characters")
    return stripped


_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def no_encoded_word(value: str) -> str:
    """A name goes into e-mail headers, where a mail client would decode an RFC 2047
    encoded-word into other text than the one shown here (line breaks included)."""
    if _ENCODED_WORD.search(value):
        raise ValueError("must not contain a MIME encoded-word such as '=?utf-8?q?...?='")
    return value


def _readable(character: str) -> bool:
    return not character.isspace() and unicodedata.category(character) != "Cf"


#: a one-line text (a name, a label): no control characters
Line = Annotated[str, AfterValidator(single_line)]
#: a text that may span lines (a description): tab and newline allowed
Text = Annotated[str, AfterValidator(multi_line)]


def _stripped(value: object) -> object:
    """Spaces around a name dropped (a no-break space too), never a control character: a tab or
    newline there is refused as in any one-line text, not silently cut off."""
    if not isinstance(value, str):
        return value
    start, end = 0, len(value)
    while start < end and _is_space(value[start]):
        start += 1
    while end > start and _is_space(value[end - 1]):
        end -= 1
    return value[start:end]


def _is_space(character: str) -> bool:
    return character.isspace() and not _CONTROL.match(character)


#: a name to print (a customer's on the ticket, an event's): surrounding white space dropped
#: before its length is counted, one with nothing to read refused
Name = Annotated[
    Line,
    BeforeValidator(_stripped),
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(not_blank),
    AfterValidator(no_encoded_word),
]
ShortName = Annotated[
    Line,
    BeforeValidator(_stripped),
    StringConstraints(min_length=1, max_length=100),
    AfterValidator(not_blank),
    AfterValidator(no_encoded_word),
]
Description = Annotated[Text, StringConstraints(max_length=5000)]
Address = Annotated[Text, StringConstraints(max_length=500)]


def ascii_mailbox(address: str) -> str:
    """An address whose part before the @ is ASCII: one with other letters there (``josé@…``)
    needs SMTPUTF8 all the way to the mailbox, and its e-mails would park instead of reaching
    the customer, who is better told now."""
    if not address.rpartition("@")[0].isascii():
        raise ValueError(
            "the part before the @ must be ASCII letters, digits or punctuation: use another"
            " address (the domain may have other letters)"
        )
    return address


#: an e-mail address we can send to
EmailAddress = Annotated[EmailStr, Field(max_length=254), AfterValidator(ascii_mailbox)]
#: why (for the audit log), surrounding white space dropped; a blank one says nothing
Reason = Annotated[Text, AfterValidator(not_blank), StringConstraints(max_length=500)]
#: one of our public ids (``prf_…``) or a client's reference: a bounded URL-safe token
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
#: who a verified token names (``ses_…`` for a customer session, ``staff:<name>`` for staff)
Subject = Annotated[Line, StringConstraints(min_length=1, max_length=200)]
TimeZoneName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(iana_time_zone),
    Field(examples=["Europe/Amsterdam"]),
]


def _sold_in(currency: str) -> str:
    why = why_not_sold_in(currency)
    if why:
        raise ValueError(why)
    return currency


#: an ISO 4217 code: of an amount already priced (a payment, a refund), whatever it is
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
#: an ISO 4217 code a new price or coupon can be set in (see ``currencies.why_not_sold_in``)
PriceCurrency = Annotated[Currency, AfterValidator(_sold_in)]
#: a whole number as JSON writes one: ``true``, ``"100"`` or ``25.0`` are refused (a client's
#: wrong type was read as 1, 100 or 25, and moved real money)
Whole = Annotated[int, Strict()]
Amount = Annotated[Whole, Field(ge=0, le=MAX_AMOUNT, description="minor units")]
PositiveAmount = Annotated[Whole, Field(gt=0, le=MAX_AMOUNT, description="minor units")]
Count = Annotated[Whole, Field(ge=0, le=MAX_COUNT)]
PositiveCount = Annotated[Whole, Field(ge=1, le=MAX_COUNT)]
#: an aware instant in a sane range (naive datetimes are refused: whose local time?)
Instant = Annotated[AwareDatetime, AfterValidator(_in_range)]
#: an instant as a device's own clock tells it (an offline scanner's): any aware time, since a
#: clock reset or ahead is the server's to correct, never a reason to refuse what came with it
DeviceClock = Annotated[
    AwareDatetime,
    Field(description="the device's clock; before 2000 or ahead of the server's: taken as now"),
]

ID_PATTERN = r"^[A-Za-z0-9_-]+$"
#: a path segment naming one of our resources (``/v1/orders/{order_id}``)
PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
#: a query parameter naming one of our resources
QueryId = Annotated[str, Query(min_length=1, max_length=64, pattern=ID_PATTERN)]
#: a filter by one of our ids (``= None``: no filter)
OptionalQueryId = Annotated[str | None, Query(min_length=1, max_length=64, pattern=ID_PATTERN)]

#: the ``Idempotency-Key`` header a use case requires: the same key, the first answer again
IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=255)]
#: an ``Idempotency-Key`` header a use case takes if sent (with ``= None``)
OptionalIdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=8, max_length=255)
]


_SURROGATE = re.compile("[\ud800-\udfff]")


#: deeper than any body we take (a few levels): a deeper one is refused before it is walked
MAX_BODY_DEPTH = 32
_NOT_STORABLE = "not text UTF-8 can store"


def _unstorable(data: Any) -> str | None:
    """Why ``data`` cannot be taken: a lone UTF-16 surrogate (``"\\ud800"``: JSON allows one,
    UTF-8 and so the database do not), named where it is (``customer.name``), or nesting
    deeper than ``MAX_BODY_DEPTH``; ``None``: neither. Walked with a stack of its own: a body
    a thousand levels deep blew Python's (a 500, and a traceback as long in the log)."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            return f"the body nests deeper than {MAX_BODY_DEPTH} levels"
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return f"{path or 'body'}: {_NOT_STORABLE} (a lone surrogate such as \\ud800)"
            continue
        items: list[tuple[str, Any]] = []
        if isinstance(value, dict):
            if any(_SURROGATE.search(k) for k in value if isinstance(k, str)):
                where = path or "the body"
                return f"a field name in {where}: {_NOT_STORABLE} (a lone surrogate)"
            items = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            items = [(f"{path}[{n}]", v) for n, v in enumerate(value)]
        stack.extend((v, name, depth + 1) for name, v in reversed(items))
    return None


class RequestBody(BaseModel):
    """A request's JSON body: a field it does not take is refused, and so is text that cannot
    be stored (a lone surrogate failed at the first insert: a 500, the customer's name and
    address in the log's SQL)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any, info: ValidationInfo) -> Any:
        # parsed from JSON by pydantic (the hold fast path): its parser refuses a lone
        # surrogate itself, and the walk would only cost the hottest path
        if info.mode == "json":
            return data
        if why := _unstorable(data):
            raise ValueError(why)
        return data
