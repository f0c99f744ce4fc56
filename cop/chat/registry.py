"""Who is connected where: the user's socket ids and each channel's online users.

In one process a dict is enough. With ``COP_REDIS_URL`` the registry lives in
Redis, so a logout handled by one process finds the sockets held by another
(python-socketio's Redis manager then delivers the disconnect there) and
presence lists everyone in a channel whatever process they are connected to.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from flask import Flask, current_app

#: a crashed process leaves its entries behind: they expire after this long
REDIS_TTL = 24 * 3600


class MemoryRegistry:
    """The single-process registry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sids: dict[int, set[str]] = defaultdict(set)
        self._presence: dict[int, dict[str, int]] = defaultdict(dict)

    def add_sid(self, user_id: int, sid: str) -> None:
        with self._lock:
            self._sids[user_id].add(sid)

    def remove_sid(self, user_id: int, sid: str) -> None:
        with self._lock:
            self._sids[user_id].discard(sid)
            if not self._sids[user_id]:
                del self._sids[user_id]

    def sids(self, user_id: int) -> list[str]:
        with self._lock:
            return list(self._sids.get(user_id, ()))

    def enter(self, channel_id: int, sid: str, user_id: int) -> None:
        with self._lock:
            self._presence[channel_id][sid] = user_id

    def leave(self, channel_id: int, sid: str) -> None:
        with self._lock:
            self._presence[channel_id].pop(sid, None)
            if not self._presence[channel_id]:
                del self._presence[channel_id]

    def online(self, channel_id: int) -> list[int]:
        with self._lock:
            return sorted(set(self._presence.get(channel_id, {}).values()))


class RedisRegistry:
    """The registry shared by every process through Redis."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis: Any = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix

    def _user_key(self, user_id: int) -> str:
        return f"{self.prefix}:sids:{user_id}"

    def _channel_key(self, channel_id: int) -> str:
        return f"{self.prefix}:presence:{channel_id}"

    def add_sid(self, user_id: int, sid: str) -> None:
        pipe = self.redis.pipeline()
        pipe.sadd(self._user_key(user_id), sid)
        pipe.expire(self._user_key(user_id), REDIS_TTL)
        pipe.execute()

    def remove_sid(self, user_id: int, sid: str) -> None:
        self.redis.srem(self._user_key(user_id), sid)

    def sids(self, user_id: int) -> list[str]:
        return sorted(self.redis.smembers(self._user_key(user_id)))

    def enter(self, channel_id: int, sid: str, user_id: int) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(self._channel_key(channel_id), sid, user_id)
        pipe.expire(self._channel_key(channel_id), REDIS_TTL)
        pipe.execute()

    def leave(self, channel_id: int, sid: str) -> None:
        self.redis.hdel(self._channel_key(channel_id), sid)

    def online(self, channel_id: int) -> list[int]:
        return sorted({int(v) for v in self.redis.hvals(self._channel_key(channel_id))})


Registry = MemoryRegistry | RedisRegistry


def init_registry(app: Flask) -> None:
    """Pick the registry for this app: Redis when COP_REDIS_URL is set."""
    url = app.config.get("REDIS_URL")
    if url:
        prefix = f"cop:chat:{app.config.get('SOCKETIO_CHANNEL') or 'flask-socketio'}"
        app.extensions["cop_chat_registry"] = RedisRegistry(url, prefix)
    else:
        app.extensions["cop_chat_registry"] = MemoryRegistry()


def registry() -> Registry:
    """The current app's registry."""
    found: Registry = current_app.extensions["cop_chat_registry"]
    return found
