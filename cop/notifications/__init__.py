"""Notifications: per-user messages from every feature (mentions, replies,
meeting changes), shown in a list, counted in the navigation and pushed live."""
