"""Site administration: the audit log, user management."""
