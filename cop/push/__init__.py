"""Web Push: subscriptions of members' browsers, VAPID keys, and sending a notification
to the phone's lock screen (docs/notifications.md)."""
