"""Tables of the orders schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ticketing_runtime.columns import created_and_updated, money, timestamp_now

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("order_number", Text, nullable=False, unique=True),
    Column("access_token_digest", Text, nullable=False),
    Column("session_id", Text, nullable=False),
    Column("idempotency_key", Text, nullable=False),
    Column("request_fingerprint", Text, nullable=False),
    Column("hold_id", Text, nullable=False),
    Column("performance_id", Text),
    Column("event_name", Text),
    Column("starts_at", DateTime(timezone=True)),
    Column("time_zone", Text),
    Column("venue_name", Text),
    Column("venue_address", Text),
    Column("customer_name", Text, nullable=False),
    Column("customer_email", Text, comment="none: a box-office sale without an address"),
    Column("status", Text, nullable=False),
    Column("gross_amount", Integer, comment="before the coupon"),
    Column("discount_amount", Integer, nullable=False, server_default="0"),
    Column("coupon_code", Text),
    *money("total_amount", nullable=True),
    Column("payment_deadline", DateTime(timezone=True)),
    Column("payment_intent_id", Text),
    Column("client_secret", Text),
    Column("payment_status", Text, nullable=False, server_default="creating"),
    Column("payment_error", Text),
    Column(
        "placing_until",
        DateTime(timezone=True),
        comment="lease of the live request placing the order (renewed while it runs)",
    ),
    Column("placed_response", JSONB, comment="the first answer, replayed for the same key"),
    timestamp_now("created_at"),
    Column("paid_at", DateTime(timezone=True)),
    Column("expired_at", DateTime(timezone=True)),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("payment_method", Text, comment="none: online (Stripe, or free); else the desk's"),
    Column("sold_by", Text, comment="the staff member of a box-office sale"),
    Column(
        "erased_at",
        DateTime(timezone=True),
        comment="when the customer's personal data was erased (on request, or after retention)",
    ),
    UniqueConstraint("session_id", "idempotency_key", name="one_order_per_idempotency_key"),
    CheckConstraint(
        "payment_method IS NULL OR payment_method IN ('cash', 'card_terminal', 'complimentary')",
        name="order_payment_method",
    ),
    # one live order per hold: a hold is pinned to one order
    Index(
        "one_live_order_per_hold",
        "hold_id",
        unique=True,
        postgresql_where="status IN ('placing', 'pending_payment', 'paid')",
    ),
)
Index(
    "orders_due_to_expire", orders.c.payment_deadline, postgresql_where="status = 'pending_payment'"
)
# staff search: by e-mail (any case), by performance, by date (newest first)
Index("orders_by_email", func.lower(orders.c.customer_email))
Index("orders_by_performance", orders.c.performance_id, orders.c.created_at)
Index("orders_by_created_at", orders.c.created_at)
# the retention loop: orders whose customer is still on record, by when their performance began
Index("orders_keeping_personal_data", orders.c.starts_at, postgresql_where="erased_at IS NULL")
# a clerk's till: their desk sales by when paid
Index(
    "orders_sold_at_desk",
    orders.c.sold_by,
    orders.c.paid_at,
    postgresql_where=orders.c.sold_by.isnot(None),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Text, ForeignKey("orders.order_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("tier_id", Text, nullable=False),
    Column("tier_name", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Integer, nullable=False),
    Column("seat_ids", ARRAY(Text), nullable=False),
    Column("seats", JSONB, nullable=False, server_default="[]", comment="labels as printed"),
)

tickets = Table(
    "tickets",
    metadata,
    Column("ticket_id", Text, primary_key=True),
    Column("ticket_number", Text, nullable=False, unique=True),
    Column("order_id", Text, ForeignKey("orders.order_id"), nullable=False, index=True),
    Column("performance_id", Text, nullable=False),
    Column("tier_id", Text, nullable=False),
    Column("seat_id", Text),
    Column("unit_price", Integer, nullable=False),
    Column("secret", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("status", Text, nullable=False, server_default="valid"),
    Column("used_at", DateTime(timezone=True)),
    Column("used_by", Text),
    Column("used_device", Text, comment="the scanning device (offline uploads name it)"),
    Column(
        "used_request",
        Text,
        comment=(
            "the Idempotency-Key of the check-in by number that used it: that entry asked again"
            " (its answer lost) is answered as the first time"
        ),
    ),
    Column(
        "used_recorded_at",
        DateTime(timezone=True),
        comment=(
            "when the server last recorded a change of its use: checked in (an offline scan's "
            "used_at is the device's) or reset"
        ),
    ),
    timestamp_now("issued_at"),
    CheckConstraint("status IN ('valid', 'used', 'refunded', 'voided')", name="ticket_status"),
    # invariant 7 in the data: a used ticket has its moment of use
    CheckConstraint("status <> 'used' OR used_at IS NOT NULL", name="used_has_used_at"),
)

#: the admissions feed the doors follow (``GET …/admissions?since=``)
Index(
    "tickets_admitted_recently",
    tickets.c.performance_id,
    tickets.c.used_recorded_at,
    postgresql_where=tickets.c.used_recorded_at.isnot(None),
)

coupons = Table(
    "coupons",
    metadata,
    Column("coupon_id", Text, primary_key=True),
    Column("code", Text, nullable=False, unique=True, comment="upper case"),
    Column("kind", Text, nullable=False),
    Column("percent_off", Integer),
    *money("amount_off", nullable=True),
    Column("max_uses", Integer),
    Column("max_uses_per_email", Integer),
    Column("valid_from", DateTime(timezone=True)),
    Column("valid_to", DateTime(timezone=True)),
    Column("tier_ids", ARRAY(Text), nullable=False, server_default="{}"),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("uses", Integer, nullable=False, server_default="0"),
    *created_and_updated(),
    CheckConstraint("kind IN ('percent', 'fixed')", name="coupon_kind"),
    CheckConstraint(
        "(kind = 'percent' AND percent_off BETWEEN 1 AND 100 AND amount_off IS NULL)"
        " OR (kind = 'fixed' AND amount_off > 0 AND currency IS NOT NULL AND percent_off IS NULL)",
        name="coupon_amount",
    ),
    # the last line of defence of max uses (the reservation checks first, under a row lock)
    CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="coupon_max_uses"),
    CheckConstraint("uses >= 0", name="coupon_uses_not_negative"),
)

#: one use per order: reserved at placement, released when the order dies, redeemed when paid
coupon_uses = Table(
    "coupon_uses",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("coupon_id", Text, ForeignKey("coupons.coupon_id"), nullable=False),
    Column("email", Text, nullable=False, comment="lower case"),
    Column("status", Text, nullable=False),
    *created_and_updated(),
    CheckConstraint("status IN ('reserved', 'redeemed', 'released')", name="coupon_use_status"),
    Index("coupon_uses_by_email", "coupon_id", "email"),
)

refunds = Table(
    "refunds",
    metadata,
    Column("refund_id", Text, primary_key=True),
    Column("order_id", Text, ForeignKey("orders.order_id"), nullable=False, index=True),
    *money(),
    Column("ticket_ids", ARRAY(Text), nullable=False),
    Column("status", Text, nullable=False),
    Column("automatic", Boolean, nullable=False, server_default="false"),
    Column("reason", Text),
    Column("requested_by", Text),
    Column("idempotency_key", Text),
    Column("stripe_refund_id", Text),
    Column("error", Text),
    Column(
        "request_fingerprint",
        Text,
        comment="of the staff request that made it: its Idempotency-Key answers only that one",
    ),
    Column("paid_back_by", Text, comment="a failed refund paid back by hand: by whom"),
    Column(
        "paid_back_from_till",
        Text,
        comment="cash or card_terminal: out of that clerk's desk till (counted in it)",
    ),
    Column("paid_back_at", DateTime(timezone=True)),
    *created_and_updated(),
    CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="refund_status"),
    CheckConstraint("amount >= 0", name="refund_amount"),
    UniqueConstraint("order_id", "idempotency_key", name="one_refund_per_idempotency_key"),
)
#: a clerk's till: the failed refunds they paid back from it, by when
Index(
    "refunds_paid_back_from_till",
    refunds.c.paid_back_by,
    refunds.c.paid_back_at,
    postgresql_where=refunds.c.paid_back_from_till.isnot(None),
)
#: a clerk's till: the refunds they made, by when
Index(
    "refunds_by_requester",
    refunds.c.requested_by,
    refunds.c.created_at,
    postgresql_where=refunds.c.requested_by.isnot(None),
)

#: tickets the door must refuse, per performance in the order they were revoked: ``seq`` counts
#: up per performance under a lock held to commit, so a reader never sees a later one first
ticket_revocations = Table(
    "ticket_revocations",
    metadata,
    Column("performance_id", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("ticket_id", Text, nullable=False),
    Column("reason", Text, nullable=False),
    timestamp_now("revoked_at"),
    PrimaryKeyConstraint("performance_id", "seq", name="ticket_revocations_pkey"),
    CheckConstraint("reason IN ('refunded', 'voided')", name="revocation_reason"),
)

#: performances inventory cancelled: the door admits nobody to them (a box-office sale's tickets
#: stay valid until the desk refunds them, and a scan would have kept its share paid)
cancelled_performances = Table(
    "cancelled_performances",
    metadata,
    Column("performance_id", Text, primary_key=True),
    timestamp_now("cancelled_at"),
)

#: scans a device made offline, one row per (device, client nonce): a retried upload counts once
offline_scans = Table(
    "offline_scans",
    metadata,
    Column("device_id", Text, nullable=False),
    Column("nonce", Text, nullable=False),
    Column("scanner", Text, nullable=False),
    Column("performance_id", Text, nullable=False),
    Column("ticket_id", Text),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("outcome", Text, nullable=False),
    Column("detail", Text, nullable=False),
    timestamp_now("uploaded_at"),
    PrimaryKeyConstraint("device_id", "nonce", name="offline_scans_pkey"),
)

#: when each address last got the e-mail with links to its orders ("find my tickets"): keyed by
#: a digest of the lower-case address, so the table names nobody; at most one such e-mail per
#: address per ``order_links_interval_s``
order_link_requests = Table(
    "order_link_requests",
    metadata,
    Column("address_digest", Text, primary_key=True, comment="sha256 of the lower-case address"),
    Column("last_sent_at", DateTime(timezone=True), nullable=False),
)
