"""Ticketing orders service: orders, coupons, tickets issued atomically with payment, check-in, refunds."""
