"""Insights: the coordinator's dashboard of a community (participation at a glance)."""
