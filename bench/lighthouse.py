"""Lighthouse on the home page and a public topic: performance, accessibility and the PWA checks.

A throwaway instance (SQLite, the demo data) is served by ``cop serve`` on
127.0.0.1; Lighthouse (npm) drives Debian's Chromium against it, as a phone
(its default emulation: a mid-range phone on a throttled 4G connection). Each
page's scores and the PWA audits that failed are printed and written to
``bench/results/lighthouse_<time>.json``.

Lighthouse is not part of the test tools (about 160 npm packages); install it once:

    mkdir -p /tmp/lighthouse && npm install --prefix /tmp/lighthouse lighthouse@11.7.1
    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lighthouse/node_modules/.bin/lighthouse

Version 11 is the last one with the PWA category (installable manifest, service worker,
offline start URL, themed splash screen); later versions only score the other three.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
PWA_AUDITS = (
    "installable-manifest",
    "service-worker",
    "splash-screen",
    "themed-omnibox",
    "content-width",
    "viewport",
    "maskable-icon",
    "apple-touch-icon",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(folder: Path, port: int) -> tuple[subprocess.Popen[bytes], str]:
    env = {
        **os.environ,
        "COP_CONFIG": "development",
        "COP_INSTANCE_PATH": str(folder),
        "COP_DATABASE_URL": f"sqlite:///{folder / 'cop.sqlite'}",
        "COP_MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "COP_UPLOAD_DIR": str(folder / "uploads"),
        "COP_JOB_QUEUE_PATH": str(folder / "jobs.sqlite"),
    }
    env.pop("COP_REDIS_URL", None)
    for command in (["db", "upgrade"], ["cop", "seed-demo"]):
        subprocess.run([FLASK, "--app", "wsgi", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
    server = subprocess.Popen(
        [FLASK, "--app", "wsgi", "cop", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - our own server
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def _public_topic(base: str) -> str:
    """The newest topic of the first public community of the demo (as a visitor sees it)."""
    with urllib.request.urlopen(base + "/api/v1/communities?limit=10") as response:  # noqa: S310
        communities = json.load(response)["items"]
    slug = next(c["slug"] for c in communities if c["visibility"] == "public")
    with urllib.request.urlopen(f"{base}/api/v1/communities/{slug}/topics?limit=1") as response:  # noqa: S310
        topic = json.load(response)["items"][0]
    return f"{base}/t/{topic['id']}"


def _lighthouse(binary: str, url: str, out: Path) -> dict[str, object]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        [binary, url, "--quiet", "--output=json", f"--output-path={out}",
         f"--chrome-flags={CHROME_FLAGS}",
         "--only-categories=performance,accessibility,best-practices,pwa"],
        env=env, check=True,
    )  # fmt: skip
    report = json.loads(out.read_text())
    scores = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    failed = [
        name
        for name in PWA_AUDITS
        if name in report["audits"] and report["audits"][name]["score"] not in (1, None)
    ]
    metrics = {
        key: report["audits"][key]["displayValue"]
        for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                    "cumulative-layout-shift")
    }  # fmt: skip
    return {"url": url, "scores": scores, "pwa_failed": failed, "metrics": metrics,
            "lighthouse": report["lighthouseVersion"]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse executable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server, base = _serve(folder, _free_port())
        try:
            pages = {"home": base + "/", "topic": _public_topic(base)}
            results = {
                name: _lighthouse(args.lighthouse, url, folder / f"{name}.json")
                for name, url in pages.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=20)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    path = ROOT / "bench" / "results" / f"lighthouse_{stamp}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    for name, result in results.items():
        print(name, result["scores"], "PWA failed:", result["pwa_failed"] or "none")
        print("   ", result["metrics"])
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
