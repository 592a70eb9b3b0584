"""Ticketing notifications service: e-mail over SMTP from templates, de-duplicated and retried."""
