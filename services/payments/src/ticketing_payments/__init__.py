"""Ticketing payments: Stripe payment intents, verified de-duplicated webhooks, refunds."""
