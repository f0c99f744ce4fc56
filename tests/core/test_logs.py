"""Log lines carry the request id, which the response echoes; production logs are JSON."""

from __future__ import annotations

import json
import logging

from cop.core.logs import JsonFormatter, RequestIdFilter


def test_each_request_has_an_id_in_its_log_lines_and_its_response(app, client, caplog):
    @app.get("/_log_probe")
    def probe() -> str:
        logging.getLogger("cop.probe").warning("hello from the probe")
        return "ok"

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO):
        response = client.get("/_log_probe")
    rid = response.headers["X-Request-ID"]
    assert len(rid) == 16
    line = next(r for r in caplog.records if r.getMessage() == "hello from the probe")
    assert line.request_id == rid
    # a sane id from the proxy is kept; a forged one (newlines, too long) is replaced
    assert (
        client.get("/_log_probe", headers={"X-Request-ID": "nginx-abc123def"}).headers[
            "X-Request-ID"
        ]
        == "nginx-abc123def"
    )
    for forged in ("FAKE LINE level=ERROR", "x" * 200, "short"):
        echoed = client.get("/_log_probe", headers={"X-Request-ID": forged})
        assert echoed.headers["X-Request-ID"] != forged
        assert len(echoed.headers["X-Request-ID"]) == 16


def test_the_json_formatter_writes_one_object_per_line():
    record = logging.LogRecord("cop.x", logging.ERROR, __file__, 1, "gagal: %s", ("kode",), None)
    record.request_id = "abc12345"
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "gagal: kode" and entry["request_id"] == "abc12345"
    assert entry["level"] == "ERROR" and "ValueError: boom" in entry["traceback"]
