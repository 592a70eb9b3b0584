"""Tables of the inventory schema: the catalogue, seat inventory, sales and pinned holds.

The constraints carry the invariants: a tier's ``sold`` never exceeds its capacity, and a seat
has at most one live sale per performance — whatever Redis said.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from ticketing_runtime.columns import money, timestamp_now

metadata = MetaData()

venues = Table(
    "venues",
    metadata,
    Column("venue_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("time_zone", Text, nullable=False),
    Column("address", Text),
    timestamp_now("created_at"),
)

sections = Table(
    "sections",
    metadata,
    Column("section_id", Text, primary_key=True),
    Column("venue_id", Text, ForeignKey("venues.venue_id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("rank", Integer, nullable=False, server_default="0"),
    UniqueConstraint("venue_id", "name"),
)

seats = Table(
    "seats",
    metadata,
    Column("seat_id", Text, primary_key=True),
    Column("section_id", Text, ForeignKey("sections.section_id"), nullable=False),
    Column("row_label", Text, nullable=False),
    Column("row_rank", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("x", Float, nullable=False, server_default="0"),
    Column("y", Float, nullable=False, server_default="0"),
    Column("accessible", Boolean, nullable=False, server_default="false"),
    UniqueConstraint("section_id", "row_label", "number"),
)

events = Table(
    "events",
    metadata,
    Column("event_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("time_zone", Text, nullable=False),
    Column("status", String(16), nullable=False, server_default="draft"),
    Column("refund_returns_capacity", Boolean, nullable=False, server_default="true"),
    timestamp_now("created_at"),
    CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="event_status"),
)

performances = Table(
    "performances",
    metadata,
    Column("performance_id", Text, primary_key=True),
    Column("event_id", Text, ForeignKey("events.event_id"), nullable=False),
    Column("venue_id", Text, ForeignKey("venues.venue_id")),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("sales_open_at", DateTime(timezone=True), nullable=False),
    Column("sales_close_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, server_default="scheduled"),
    Column("hold_ttl_s", Integer, nullable=False, server_default="600"),
    Column("max_per_order", Integer, nullable=False, server_default="10"),
    timestamp_now("created_at"),
    CheckConstraint("status IN ('scheduled', 'cancelled')", name="performance_status"),
    CheckConstraint("ends_at > starts_at", name="performance_ends_after_start"),
    CheckConstraint("sales_close_at > sales_open_at", name="performance_sales_window"),
    CheckConstraint("hold_ttl_s BETWEEN 2 AND 3600", name="performance_hold_ttl"),
    CheckConstraint("max_per_order BETWEEN 1 AND 100", name="performance_max_per_order"),
)

tiers = Table(
    "tiers",
    metadata,
    Column("tier_id", Text, primary_key=True),
    Column("performance_id", Text, ForeignKey("performances.performance_id"), nullable=False),
    Column("name", Text, nullable=False),
    *money("price_amount"),
    Column("capacity", Integer, nullable=False),
    Column("sold", Integer, nullable=False, server_default="0"),
    Column("seated", Boolean, nullable=False, server_default="false"),
    UniqueConstraint("performance_id", "name"),
    CheckConstraint("price_amount >= 0", name="tier_price"),
    CheckConstraint("capacity >= 0", name="tier_capacity"),
    CheckConstraint("sold >= 0 AND sold <= capacity", name="tier_never_oversold"),
)

performance_seats = Table(
    "performance_seats",
    metadata,
    Column("performance_id", Text, ForeignKey("performances.performance_id"), primary_key=True),
    Column("seat_id", Text, ForeignKey("seats.seat_id"), primary_key=True),
    Column("tier_id", Text, ForeignKey("tiers.tier_id"), nullable=False),
)

_LIVE_SALE = text("status = 'live'")
_PINNED = text("status = 'pinned'")

# one row per sold ticket: a refund returns exactly the tickets it voids
sales = Table(
    "sales",
    metadata,
    Column("ticket_id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("hold_id", Text, nullable=False),
    Column("performance_id", Text, ForeignKey("performances.performance_id"), nullable=False),
    Column("tier_id", Text, ForeignKey("tiers.tier_id"), nullable=False),
    Column("seat_id", Text),
    Column("status", String(16), nullable=False, server_default="live"),
    timestamp_now("created_at"),
    CheckConstraint("status IN ('live', 'returned')", name="sale_status"),
    Index(
        "one_live_sale_per_seat",
        "performance_id",
        "seat_id",
        unique=True,
        postgresql_where=text("status = 'live' AND seat_id IS NOT NULL"),
    ),
    Index("sales_by_order", "order_id"),
    # sold per tier and sold seats of one performance (rebuild, reconciliation, seat maps)
    Index("live_sales_by_performance", "performance_id", "tier_id", postgresql_where=_LIVE_SALE),
)

pinned_holds = Table(
    "pinned_holds",
    metadata,
    Column("hold_id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("performance_id", Text, ForeignKey("performances.performance_id"), nullable=False),
    Column("session_id", Text, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("pinned_until", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, server_default="pinned"),
    timestamp_now("created_at"),
    CheckConstraint("status IN ('pinned', 'committed', 'released')", name="pinned_hold_status"),
    Index("live_pins_by_performance", "performance_id", postgresql_where=_PINNED),
)
