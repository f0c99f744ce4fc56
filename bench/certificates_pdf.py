"""PDF benchmark: a meeting of 200 attendees (members recorded present).

Times, alternating in the same run and the same process:

- the certificates of every attendee as one PDF (``documents.certificates_pdf``),
  and the same document rendered as HTML only (``documents.certificates_html``):
  the baseline, so the ratio is what WeasyPrint's layout and PDF writing add;
- the laporan kegiatan for the same 200 (``documents.report_pdf`` against
  ``documents.report_html``);
- the ZIP of one PDF per certificate (laid out once, split by page).

Peak memory is the Python heap peak of each operation (``tracemalloc``) and the
process's maximum resident set size at the end (``ru_maxrss``, which includes
pango/cairo's C allocations). Writes ``bench/results/certificates_pdf_<UTC time>.json``.

    .venv/bin/python bench/certificates_pdf.py                  # 200 attendees, 3 rounds
    .venv/bin/python bench/certificates_pdf.py --attendees 300 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _build(attendees: int, now: datetime) -> int:
    """A KKG with ``attendees`` members, all present at a meeting that ended an hour ago."""
    from sqlalchemy import insert, select

    from cop.auth.models import User
    from cop.communities.models import Community, Membership
    from cop.extensions import db
    from cop.meetings.models import AgendaItem, Attendance, Meeting, Minutes

    community = Community(
        slug="bench", name="KKG Gugus 3 Tamalate", kind="KKG", invite_token="x" * 43
    )
    db.session.add(community)
    db.session.flush()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"b{i}@bench.id",
                "username": f"bench{i}",
                "name": f"Guru Nomor {i:03d}, S.Pd.",
                "password_hash": "x",
                "session_token": f"s{i:031d}",
                "school": f"SD Negeri {i % 40 + 1} Tamalate",
                "timezone": "Asia/Makassar",
            }
            for i in range(attendees + 1)
        ],
    )
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.execute(
        insert(Membership),
        [
            {
                "user_id": uid,
                "community_id": community.id,
                "role": "coordinator" if n == 0 else "member",
                "status": "active",
            }
            for n, uid in enumerate(ids)
        ],
    )
    start = now - timedelta(hours=4)
    meeting = Meeting(
        community_id=community.id,
        title="Pertemuan rutin KKG: asesmen diagnostik",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        timezone="Asia/Makassar",
        location="SD Inpres Tamalate, Makassar",
        pkb_hours=4,
        checkin_code="BENCH1",
        created_by_id=ids[0],
    )
    db.session.add(meeting)
    db.session.flush()
    titles = ("Pembukaan", "Asesmen diagnostik", "Berbagi praktik baik", "Rencana tindak lanjut")
    for pos, title in enumerate(titles):
        db.session.add(
            AgendaItem(meeting_id=meeting.id, position=pos, title=title, duration_min=45)
        )
    db.session.execute(
        insert(Attendance),
        [
            {
                "meeting_id": meeting.id,
                "user_id": uid,
                "method": "code",
                "status": "present",
                "checked_in_at": start,
            }
            for uid in ids[1:]
        ],
    )
    db.session.add(
        Minutes(
            meeting_id=meeting.id,
            body="## Hasil\n\n" + "Modul ajar dibahas bersama. " * 40,
            published=True,
            published_at=now,
        )
    )
    db.session.commit()
    return meeting.id


def _measure(work: Callable[[], Any]) -> tuple[float, int]:
    """(seconds, output size in bytes) of one call."""
    started = time.perf_counter()
    out = work()
    return time.perf_counter() - started, len(out)


def _heap_peak(work: Callable[[], Any]) -> float:
    """The Python heap peak of one call in MB (a separate, untimed run: tracing is slow)."""
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attendees", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="skip the traced runs")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    from cop import create_app
    from cop.extensions import db
    from cop.meetings import documents, services
    from cop.meetings.models import Meeting

    app = create_app("testing", {"DATABASE_URL": f"sqlite:///{tmp}/bench.db"})
    now = datetime.now(UTC)
    results: dict[str, list[tuple[float, int]]] = {}
    peaks: dict[str, float] = {}
    with app.app_context():
        db.create_all()
        meeting_id = _build(args.attendees, now)
        with app.test_request_context("/", base_url="https://cop.example.id"):
            meeting = db.session.get(Meeting, meeting_id)
            assert meeting is not None
            issued = services.issue_certificates(meeting)
            assert len(issued) == args.attendees
            cases: dict[str, Callable[[], Any]] = {
                "certificates_html": lambda: documents.certificates_html(meeting, issued),
                "certificates_pdf": lambda: documents.certificates_pdf(meeting, issued),
                "report_html": lambda: documents.report_html(meeting),
                "report_pdf": lambda: documents.report_pdf(meeting),
                "certificates_zip": lambda: documents.certificates_zip(meeting, issued),
            }
            documents.certificates_pdf(meeting, issued[:2])  # warm up (fonts, templates)
            for turn in range(args.rounds):
                order = list(cases)
                order = order[turn % len(order) :] + order[: turn % len(order)]
                for name in order:
                    results.setdefault(name, []).append(_measure(cases[name]))
                    print(name, f"{results[name][-1][0]:.2f} s", flush=True)
            if not args.no_memory:
                for name, work in cases.items():
                    peaks[name] = _heap_peak(work)
    summary: dict[str, Any] = {}
    for name, runs in results.items():
        summary[name] = {
            "median_s": round(statistics.median(r[0] for r in runs), 3),
            "max_s": round(max(r[0] for r in runs), 3),
            "heap_peak_mb": round(peaks[name], 1) if name in peaks else None,
            "bytes": runs[-1][1],
        }
    for doc in ("certificates", "report"):
        html, pdf = summary[f"{doc}_html"]["median_s"], summary[f"{doc}_pdf"]["median_s"]
        summary[f"{doc}_pdf"]["ratio_to_html"] = round(pdf / html, 1) if html else None
    record = {
        "when": now.isoformat(timespec="seconds"),
        "attendees": args.attendees,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": summary,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"certificates_pdf_{now.strftime('%Y-%m-%dT%H%M')}.json"
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    print("written to", out)


if __name__ == "__main__":
    main()
