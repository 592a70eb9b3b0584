"""Ticketing orders: orders, coupons, tickets issued with payment, check-in, refunds."""
