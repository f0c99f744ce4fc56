"""Threaded discussions: topics, posts, reactions, read tracking, moderation."""
