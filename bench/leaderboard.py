"""Leaderboard benchmark: a community of 200 members with 100,000 scored actions.

Builds the ledger (``scored_actions``) and its monthly rollup (``points_monthly``)
as the app keeps them, spread over 18 months, then times, alternating in the
same run:

- the leaderboard query the page and the API run (``points.leaderboard``) for
  month, semester and all time;
- the baseline: a plain ``SELECT count(*)`` of the community's scored actions.

It reports p50/p95/p99 in milliseconds and the ratio of each p95 to the
baseline's, and writes ``bench/results/leaderboard_<UTC time>.json``.

    .venv/bin/python bench/leaderboard.py                      # SQLite (a temp file)
    .venv/bin/python bench/leaderboard.py --database-url postgresql://postgres@127.0.0.1:5432/badges
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _build(members: int, actions: int, now: datetime) -> int:
    from sqlalchemy import insert

    from cop.auth.models import User
    from cop.badges import points
    from cop.badges.models import MonthlyPoints, ScoredAction
    from cop.communities.models import Community, Membership
    from cop.extensions import db

    community = Community(slug="bench", name="KKG Bench", kind="KKG", invite_token="x" * 43)
    db.session.add(community)
    db.session.flush()
    users = [
        {
            "email": f"b{i}@bench.id",
            "username": f"bench{i}",
            "name": f"Guru {i:03d}",
            "password_hash": "x",
            "locale": "id",
            "timezone": "Asia/Makassar",
            "session_token": f"s{i:031d}",
        }
        for i in range(members)
    ]
    db.session.execute(insert(User), users)
    ids = [u.id for u in db.session.query(User.id).order_by(User.id)]
    db.session.execute(
        insert(Membership),
        [
            {"user_id": i, "community_id": community.id, "role": "member", "status": "active"}
            for i in ids
        ],
    )
    rng = random.Random(13)
    kinds = list(points.WEIGHTS)
    rows, months = [], {}
    for n in range(actions):
        user = ids[min(int(rng.paretovariate(1.2)) - 1, members - 1)] if n % 3 else rng.choice(ids)
        kind = rng.choice(kinds)
        at = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 540))
        pts = points.WEIGHTS[kind]
        rows.append(
            {
                "community_id": community.id,
                "user_id": user,
                "kind": kind,
                "subject_id": n,
                "points": pts,
                "credited": pts,
                "subject_key": f"{kind}:{n}:{user}",
                "occurred_at": at,
                "day": points.local_day(at),
            }
        )
        key = (user, points.local_day(at).replace(day=1))
        months[key] = months.get(key, 0) + pts
        if len(rows) == 5000:
            db.session.execute(insert(ScoredAction), rows)
            rows = []
    if rows:
        db.session.execute(insert(ScoredAction), rows)
    db.session.execute(
        insert(MonthlyPoints),
        [
            {"community_id": community.id, "user_id": u, "month": m, "points": p}
            for (u, m), p in months.items()
        ],
    )
    db.session.commit()
    return community.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    tmp = None
    if args.database_url is None:
        tmp = tempfile.mkdtemp()
        args.database_url = f"sqlite:///{tmp}/bench.db"
    from sqlalchemy import func, select, text

    from cop import create_app
    from cop.badges import points
    from cop.badges.models import ScoredAction
    from cop.extensions import db

    app = create_app("testing", {"DATABASE_URL": args.database_url})
    now = datetime.now(UTC)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        community_id = _build(args.members, args.actions, now)
        built = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        timings: dict[str, list[float]] = {"count": [], "month": [], "semester": [], "all": []}
        count_stmt = select(func.count(ScoredAction.id)).where(
            ScoredAction.community_id == community_id
        )
        assert db.session.scalar(count_stmt) == args.actions
        for _ in range(5):  # warm up
            points.leaderboard(community_id, "all", now=now)
        for turn in range(args.rounds):
            order = ["count", "month", "semester", "all"]
            if turn % 2:
                order.reverse()
            for name in order:
                t0 = time.perf_counter()
                if name == "count":
                    db.session.scalar(count_stmt)
                else:
                    entries = points.leaderboard(community_id, name, now=now)
                    assert entries
                timings[name].append((time.perf_counter() - t0) * 1000)
        db.session.rollback()
        dialect = db.engine.dialect.name
        db.drop_all()
    summary = {
        name: {
            "p50": statistics.median(v),
            "p95": _percentile(v, 0.95),
            "p99": _percentile(v, 0.99),
        }
        for name, v in timings.items()
    }
    base = summary["count"]["p95"]
    for name in ("month", "semester", "all"):
        summary[name]["p95_ratio_to_count"] = summary[name]["p95"] / base
    result: dict[str, Any] = {
        "when": now.isoformat(),
        "database": dialect,
        "members": args.members,
        "actions": args.actions,
        "rounds": args.rounds,
        "build_seconds": round(built, 1),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg(),
        },
        "ms": summary,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"leaderboard_{dialect}_{now.strftime('%Y-%m-%dT%H%M')}.json"
    out.write_text(json.dumps(result, indent=2))
    for name, figures in summary.items():
        print(f"{name:9s} " + "  ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    print(f"written {out}")


if __name__ == "__main__":
    main()
