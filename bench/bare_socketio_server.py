"""A bare python-socketio server: the baseline of bench/chat_fanout.py.

It does what the chat does minus authentication, permissions and the database:
``join`` enters a room, ``send`` emits the payload to the room and acks. It
runs in the same async mode and under the same server as cop in each run:

    python bench/bare_socketio_server.py PORT                  # threading: werkzeug
    BENCH_ASYNC_MODE=gevent gunicorn -k gevent -w 1 -b 127.0.0.1:PORT \\
        bench.bare_socketio_server:app                         # gevent: like production
"""

from __future__ import annotations

import os
import sys

import socketio

MODE = os.environ.get("BENCH_ASYNC_MODE", "threading")

sio = socketio.Server(async_mode=MODE, cors_allowed_origins="*")
app = socketio.WSGIApp(sio)


@sio.on("join")
def join(sid: str, data: dict) -> dict:
    sio.enter_room(sid, "room")
    return {"ok": True}


@sio.on("send")
def send(sid: str, data: dict) -> dict:
    sio.emit("new", data, to="room")
    return {"ok": True, "message": data}


if __name__ == "__main__":
    from werkzeug.serving import make_server

    make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True).serve_forever()
