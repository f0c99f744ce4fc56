"""``bench/pages.py --smoke``: every load scenario of the benchmark for about a second on a
tiny data set, so the benchmark cannot rot between runs of ``make bench``.

It runs what ``make bench`` runs (seeding through the models, ``cop search reindex``,
the production server shape, wrk, the baselines, the SQL floor, statements per reply,
RSS and idle WebSockets) on SQLite, or on PostgreSQL when ``COP_TEST_DATABASE_URL`` is
set. The timings are not judged here (they live in bench/results/); what is checked is
that every scenario ran, answered without errors, and that the figures the targets are
judged by exist.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_URL, REDIS_URL, service_missing

ROOT = Path(__file__).resolve().parent.parent


def test_every_bench_scenario_runs_on_a_tiny_data_set(tmp_path):
    if shutil.which("wrk") is None:
        service_missing("wrk is not installed (apt-get install -y wrk): the load tool of bench/")
    command = [sys.executable, "bench/pages.py", "--smoke", "--out", str(tmp_path)]
    if PG_URL:
        database = "postgresql"
        base = PG_URL.rsplit("/", 1)[0]
        command += ["--databases", database, "--pg-url", f"{base}/cop_bench_smoke"]
        # its own Redis database number: the bench empties it, other tests use theirs
        redis = f"{REDIS_URL.rsplit('/', 1)[0]}/12" if REDIS_URL else "none"
        command += ["--redis-url", redis]
    else:
        database = "sqlite"
        command += ["--databases", database]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [path] = tmp_path.glob(f"pages_*_{database}.json")
    result = json.loads(path.read_text())
    [run] = result["runs"]
    scenarios = run["scenarios"]
    expected = {
        "topic first page", "topic middle page", "topic last page", "topic list",
        "community home", "search common (asesmen)", "search rare (fotosintesis)",
        "topic first page, 8 concurrent", "16 writers",
        "hello", "hello, 8 concurrent", "hello, 16 concurrent",
    }  # fmt: skip
    assert set(scenarios) == expected
    for name, runs in scenarios.items():
        assert runs and all(r["requests"] > 0 for r in runs), name
        assert sum(r["errors"] for r in runs) == 0, (name, runs)
    # the writers' replies are in the database: the scenario wrote, it did not just knock
    assert result["data"]["write_topics"]
    extra = run["extra"]
    assert extra["statements_per_reply"]["watched"] == extra["statements_per_reply"]["unwatched"]
    assert all(f["status"] == 200 and f["statements"] > 0 for f in extra["sql_floor"].values())
    assert extra["rss"]["cop_mb"] > extra["rss"]["hello_mb"] > 0
    assert extra["sockets"]["cop"]["per_socket_kb"] is not None
    targets = run["targets"]
    assert len(targets) == 16 and all(t["value"] is not None for t in targets)
    markdown = path.with_suffix(".md").read_text()
    assert "| target | measured | limit | |" in markdown
