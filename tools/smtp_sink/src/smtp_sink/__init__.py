"""A local SMTP server that keeps every message it receives (dev and test tool; never deployed)."""
