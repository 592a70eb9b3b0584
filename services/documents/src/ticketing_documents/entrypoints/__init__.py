"""Entrypoints: HTTP routes, message handlers, the process entry point."""
