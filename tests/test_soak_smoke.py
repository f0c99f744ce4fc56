"""``bench/soak.py --smoke``: ten members browse, post, chat, RSVP and upload for 10 s
against a real ``cop serve`` on SQLite, so the soak cannot rot between its runs.

Beyond running, it holds the soak's own promises on that short run: no answer of 500 or
more, no request left unanswered, every acknowledged write in the database once.
(Memory growth needs the full 5 minutes to mean anything: see bench/results/soak_*.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_short_soak_loses_and_doubles_nothing(tmp_path):
    command = [sys.executable, "bench/soak.py", "--smoke", "--out", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    [path] = tmp_path.glob("soak_*_sqlite.json")
    result = json.loads(path.read_text())
    assert result["server_errors"] == 0, result["server_error_samples"]
    assert result["failures"] == 0, result["failure_samples"]
    assert set(result["by_action"]) == {"browse", "chat", "post", "rsvp", "upload"}
    for kind, writes in result["writes"].items():
        assert writes["acknowledged"] > 0, kind
        assert writes["lost"] == 0 and writes["duplicated"] == 0, (kind, writes)
    assert result["jobs_after"]["left"] == 0
    assert len(result["rss_mb"]) >= 10 and result["rss_end_mb"] > 0
    assert "| acknowledged writes lost | 0 | 0 | met |" in path.with_suffix(".md").read_text()
    # the exit status is the verdict, memory included (a 10 s run is mostly warm-up)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
