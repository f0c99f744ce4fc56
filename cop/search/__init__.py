"""Full-text search over what the caller may see (SQLite FTS5 or PostgreSQL)."""
