"""A local stand-in for Stripe (dev and test tool; never deployed)."""
