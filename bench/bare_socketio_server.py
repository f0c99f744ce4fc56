"""A bare python-socketio server (threading mode, werkzeug, simple-websocket): the baseline.

It does what the chat does minus authentication, permissions and the database:
``join`` enters a room, ``send`` emits the payload to the room and acks.
"""

from __future__ import annotations

import sys

import socketio
from werkzeug.serving import make_server

sio = socketio.Server(async_mode="threading", cors_allowed_origins="*")


@sio.on("join")
def join(sid: str, data: dict) -> dict:
    sio.enter_room(sid, "room")
    return {"ok": True}


@sio.on("send")
def send(sid: str, data: dict) -> dict:
    sio.emit("new", data, to="room")
    return {"ok": True, "message": data}


if __name__ == "__main__":
    port = int(sys.argv[1])
    make_server("127.0.0.1", port, socketio.WSGIApp(sio), threaded=True).serve_forever()
