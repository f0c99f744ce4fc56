"""send_after_commit: receivers hear of a change only once it is saved."""

from __future__ import annotations

import pytest
from blinker import NamedSignal, Signal

from cop.core.db import unit_of_work
from cop.signals import send_after_commit


def test_sent_after_the_commit_with_its_kwargs(app):
    heard: list[tuple[object, dict]] = []
    signal = Signal()
    signal.connect(lambda sender, **kw: heard.append((sender, kw)), weak=False)
    with app.app_context():
        with unit_of_work():
            send_after_commit(signal, "sender", value=1)
            assert heard == []
        assert heard == [("sender", {"value": 1})]


def test_dropped_when_the_unit_of_work_rolls_back(app):
    heard: list[object] = []
    signal = Signal()
    signal.connect(lambda sender, **kw: heard.append(sender), weak=False)
    with app.app_context():
        with pytest.raises(RuntimeError), unit_of_work():
            send_after_commit(signal, "sender")
            raise RuntimeError("rolled back")
        assert heard == []


def test_sent_at_once_outside_a_unit_of_work(app):
    heard: list[object] = []
    signal = Signal()
    signal.connect(lambda sender, **kw: heard.append(sender), weak=False)
    with app.app_context():
        send_after_commit(signal, "sender")
    assert heard == ["sender"]


def _signal_names() -> list[str]:
    from blinker import NamedSignal

    from cop import signals

    return sorted(n for n, v in vars(signals).items() if isinstance(v, NamedSignal))


@pytest.mark.parametrize("name", _signal_names())
def test_every_signal_has_a_sender_and_a_receiver(app, name):
    """The signal map has no dead ends: each signal is sent by some code under cop/
    and received by at least one receiver once create_app has wired them."""
    import re
    from pathlib import Path

    from cop import signals

    root = Path(signals.__file__).parent
    sent = re.compile(rf"signals\.{name}\b(?!\.connect)")
    senders = [
        path
        for path in root.rglob("*.py")
        if path.name != "signals.py" and sent.search(path.read_text(encoding="utf-8"))
    ]
    assert senders, f"nothing under cop/ sends {name}"
    assert getattr(signals, name).receivers, f"nobody receives {name}"


def test_a_failing_receiver_is_logged_and_the_others_still_run(app, caplog):
    heard: list[str] = []
    signal = NamedSignal("test-signal")

    def broken(sender, **kw):
        raise RuntimeError("index down")

    signal.connect(broken, weak=False)
    signal.connect(lambda sender, **kw: heard.append(sender), weak=False)
    with app.app_context(), unit_of_work():
        send_after_commit(signal, "sender")
    assert heard == ["sender"]
    assert "test-signal: a receiver failed" in caplog.text
