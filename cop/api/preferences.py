"""API: the caller's notification preferences and Web Push subscriptions."""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import add_schemas, obj
from cop.api.views import Body, bp
from cop.core.errors import ValidationError
from cop.core.web import current
from cop.notifications import preferences
from cop.notifications.kinds import EMAIL_MODES, KINDS
from cop.notifications.serializers import preferences_json
from cop.push import services as push_services

_CHOICE = obj(
    {
        "inapp": {"type": "boolean", "description": "In the bell and the list, live."},
        "push": {"type": "boolean", "description": "Web Push to the member's browsers."},
        "email": {"type": "string", "enum": list(EMAIL_MODES)},
    }
)
_CLOCK = {"type": ["string", "null"], "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
add_schemas(
    {
        "NotificationChoice": _CHOICE,
        "Preferences": obj(
            {
                "kinds": obj({kind.name: _CHOICE for kind in KINDS}),
                "quiet_hours": {
                    "anyOf": [obj({"start": _CLOCK, "end": _CLOCK}), {"type": "null"}],
                    "description": "In the member's own zone; null when none.",
                },
                "timezone": {"type": "string"},
                "muted_communities": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Slugs of the communities the member muted.",
                },
            }
        ),
        "PreferencesUpdate": obj(
            {
                "kinds": obj(
                    {
                        kind.name: obj(
                            {
                                "inapp": {"type": "boolean"},
                                "push": {"type": "boolean"},
                                "email": {"type": "string", "enum": list(EMAIL_MODES)},
                            },
                            required=[],
                        )
                        for kind in KINDS
                    },
                    required=[],
                ),
                "quiet_hours": {"anyOf": [obj({"start": _CLOCK, "end": _CLOCK}), {"type": "null"}]},
                "muted_communities": {"type": "array", "items": {"type": "string"}},
            },
            required=[],
            description="Only what is given changes; `quiet_hours: null` removes them.",
        ),
        "PushSubscriptionCreate": obj(
            {
                "endpoint": {"type": "string", "description": "https:// push service URL"},
                "keys": obj({"p256dh": {"type": "string"}, "auth": {"type": "string"}}),
                "expirationTime": {"type": ["number", "null"]},
            },
            required=["endpoint", "keys"],
            description="What the browser's PushSubscription.toJSON() gives.",
        ),
        "PushSubscriptionDelete": obj({"endpoint": {"type": "string"}}),
        "PushSubscription": obj({"id": {"type": "integer"}, "endpoint": {"type": "string"}}),
    }
)


@bp.get("/me/preferences")
@documented("The caller's notification preferences", tag="notifications", response="Preferences")
def get_preferences() -> ResponseReturnValue:
    """Every kind with its choice (defaults filled in), quiet hours, muted communities."""
    user = current()
    return preferences_json(user, preferences.preferences_of(user))


@bp.put("/me/preferences")
@documented(
    "Change notification preferences",
    tag="notifications",
    body="PreferencesUpdate",
    response="Preferences",
    errors=(400,),
)
def put_preferences() -> ResponseReturnValue:
    """Change what is given; the rest stays."""
    user = current()
    body = Body.from_request()
    unknown = sorted(set(body.data) - {"kinds", "quiet_hours", "muted_communities"})
    if unknown:
        raise ValidationError(fields={name[:40]: [_l("Unknown field.")] for name in unknown[:5]})
    current_prefs = preferences.preferences_of(user)
    kinds = _kinds(body.data.get("kinds", {}))
    start, end = _quiet(body.data, current_prefs)
    muted = _muted(user, body.data.get("muted_communities"))
    saved = preferences.save_preferences(user, kinds, quiet_start=start, quiet_end=end, muted=muted)
    return preferences_json(user, saved)


def _kinds(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(fields={"kinds": [_l("Must be an object of kinds.")]})
    return value


def _quiet(data: dict[str, Any], prefs: preferences.Preferences) -> tuple[int | None, int | None]:
    if "quiet_hours" not in data:
        return prefs.quiet_start, prefs.quiet_end
    value = data["quiet_hours"]
    if value is None:
        return None, None
    # the document's shape: an object with both ends, each "HH:MM" or null
    if (
        not isinstance(value, dict)
        or set(value) != {"start", "end"}
        or not all(isinstance(value[end], str | None) for end in ("start", "end"))
    ):
        raise ValidationError(fields={"quiet_hours": [_l("Send {start: 'HH:MM', end: 'HH:MM'}.")]})
    return (
        preferences.parse_clock(value.get("start"), "quiet_hours.start"),
        preferences.parse_clock(value.get("end"), "quiet_hours.end"),
    )


def _muted(user: Any, value: Any) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
        raise ValidationError(fields={"muted_communities": [_l("Must be a list of slugs.")]})
    return preferences.community_ids(user, value)


@bp.post("/me/push-subscriptions")
@documented(
    "Register this browser for Web Push",
    tag="notifications",
    status=201,
    body="PushSubscriptionCreate",
    response="PushSubscription",
    errors=(400,),
)
def create_push_subscription() -> ResponseReturnValue:
    """Store the browser's subscription (the same endpoint again updates it)."""
    user = current()
    body = Body.from_request()
    keys = body.data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    row = push_services.subscribe(
        user, body.data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    )
    return {"id": row.id, "endpoint": row.endpoint}, 201


@bp.delete("/me/push-subscriptions")
@documented(
    "Stop Web Push to this browser",
    tag="notifications",
    status=204,
    body="PushSubscriptionDelete",
    errors=(400, 404),
)
def delete_push_subscription() -> ResponseReturnValue:
    """Remove the caller's subscription at ``endpoint``."""
    user = current()
    body = Body.from_request()
    endpoint = body.required("endpoint")
    body.done()
    push_services.unsubscribe(user, endpoint)
    return "", 204
