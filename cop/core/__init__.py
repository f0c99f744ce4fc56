"""Shared pieces used by every feature: database helpers, errors, permissions,
pagination, time zones, Markdown, mail and security headers."""
