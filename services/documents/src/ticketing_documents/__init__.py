"""Ticketing documents service: PDF tickets (WeasyPrint, QR codes) and their storage."""
