"""Accounts: registration, login, password reset, profile and API tokens."""
