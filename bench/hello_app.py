"""The baseline of bench/pages.py: a bare Flask "hello", served exactly as cop is.

gunicorn -k gevent -w 1 -b 127.0.0.1:PORT bench.hello_app:app
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"


if __name__ == "__main__":  # the embedded shape's baseline: werkzeug threads, as `cop serve`
    import sys

    from werkzeug.serving import make_server

    make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True).serve_forever()
