"""The installable app: web manifest, service worker, offline page (docs/notifications.md)."""
