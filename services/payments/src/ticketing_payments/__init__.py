"""Ticketing payments service: Stripe payment intents, verified and de-duplicated webhooks, refunds."""
