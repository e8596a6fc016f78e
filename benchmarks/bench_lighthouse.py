"""Lighthouse (mobile profile, performance only) on the page: through Caddy vs direct.

    npm install --prefix ~/.cache/tapalpa-lighthouse -E lighthouse@12
    .venv/bin/python benchmarks/bench_lighthouse.py \
        --lighthouse ~/.cache/tapalpa-lighthouse/node_modules/.bin/lighthouse [--runs 3]

`direct` is what `streamlit run dashboard/app.py` serves with Streamlit's defaults (today's
product); `caddy` is `deploy/serve --replicas 2`. Lighthouse drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium) with its default mobile emulation and simulated slow-4G
throttling. Reported per target: the median performance score of --runs runs, with that
run's first contentful paint, largest contentful paint, total blocking time, speed index
and transferred bytes, plus the largest scripts the first view loads. Loopback only; the
basemap tiles cannot load (no internet here), the same for both targets.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
_spec = importlib.util.spec_from_file_location("deploy_serve", ROOT / "deploy" / "serve.py")
serve = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)

AUDITS = {
    "first-contentful-paint": "fcp_s",
    "largest-contentful-paint": "lcp_s",
    "total-blocking-time": "tbt_ms",
    "speed-index": "speed_index_s",
    "interactive": "tti_s",
}


def start(target: str) -> tuple[subprocess.Popen, str]:
    port = serve.free_port()
    if target == "caddy":
        command = [str(ROOT / "deploy" / "serve"), "--port", str(port), "--replicas", "2"]
    else:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    if not serve.wait_healthy(url, [process], 120):
        process.kill()
        raise RuntimeError(f"{target} did not start")
    time.sleep(2)
    return process, url


def lighthouse(binary: str, url: str, out: Path) -> dict:
    subprocess.run(  # noqa: S603
        [
            binary,
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--max-wait-for-load=90000",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=400,
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    result = {"score": report["categories"]["performance"]["score"]}
    for audit, name in AUDITS.items():
        value = audits[audit]["numericValue"]
        result[name] = round(value if name.endswith("_ms") else value / 1000, 2)
    result["transfer_mb"] = round(audits["total-byte-weight"]["numericValue"] / 1e6, 2)
    requests = audits["network-requests"]["details"]["items"]
    scripts = sorted(
        (r for r in requests if r.get("resourceType") == "Script"),
        key=lambda r: -r.get("resourceSize", 0),
    )
    result["scripts"] = len(scripts)
    result["largest_scripts"] = [
        f"{r['url'].rsplit('/', 1)[-1]} {r.get('resourceSize', 0) / 1e3:.0f} kB "
        f"({r.get('transferSize', 0) / 1e3:.0f} kB sent)"
        for r in scripts[:4]
    ]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--targets", default="direct,caddy")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (Path(args.lighthouse).exists() or shutil.which(args.lighthouse)):
        parser.error("Lighthouse not found: npm install it (see above) and pass --lighthouse")
    if not 1 <= args.runs <= 7:
        parser.error("--runs 1..7")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for target in args.targets.split(","):
            process, url = start(target)
            try:
                runs = [
                    lighthouse(args.lighthouse, url, Path(tmp) / f"{target}-{n}.json")
                    for n in range(args.runs)
                ]
            finally:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=30)
            median = statistics.median_low([r["score"] for r in runs])
            chosen = next(r for r in runs if r["score"] == median)
            results[target] = {**chosen, "scores": [r["score"] for r in runs]}
            print(target, json.dumps(results[target]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
