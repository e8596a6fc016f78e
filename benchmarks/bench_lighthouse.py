"""Lighthouse (mobile profile, performance only) on the page: through Caddy vs direct.

    npm install --prefix ~/.cache/tapalpa-lighthouse -E lighthouse@12
    .venv/bin/python benchmarks/bench_lighthouse.py \
        --lighthouse ~/.cache/tapalpa-lighthouse/node_modules/.bin/lighthouse [--runs 3]

`direct` is what `streamlit run dashboard/app.py` serves with Streamlit's defaults;
`caddy` is `deploy/serve --replicas 2` (Streamlit's assets precompressed, served by Caddy;
the build runs before the measurement, once per Streamlit version); `caddy-fly` is the
same with `--no-precompressed` (Caddy compresses what the replicas send, on the fly);
`caddy-empty` serves benchmarks/baseline_app.py (a slider and a line of text) the same
way as `caddy`: Streamlit's own floor on this profile, measured in the same run.
Every Streamlit process is warmed by one reader session before measuring (benchmarks/
load.py). Lighthouse drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium) with its default mobile emulation and simulated slow-4G
throttling. Reported per target: the median performance score of --runs runs, with that
run's first contentful paint, largest contentful paint, total blocking time, speed index
and transferred bytes, plus the largest scripts the first view loads. Loopback only; the
basemap tiles cannot load (no internet here), the same for both targets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_script  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
load = load_script("bench_load", ROOT / "benchmarks" / "load.py")
serve = load.serve

# Streamlit's floor: a page with only a slider and a line of text, served like ours.
EMPTY_APP = ROOT / "benchmarks" / "baseline_app.py"

AUDITS = {
    "first-contentful-paint": "fcp_s",
    "largest-contentful-paint": "lcp_s",
    "total-blocking-time": "tbt_ms",
    "speed-index": "speed_index_s",
    "interactive": "tti_s",
    "cumulative-layout-shift": "cls",
}


def start(target: str, static_dir: Path) -> load.Servers:
    """The target's servers, every Streamlit process warmed by one reader session (data
    loaded, caches filled), as after the first reader in production."""
    if target == "direct":
        servers = load.Servers("plain", 1, load.APP)
    elif target == "caddy-fly":
        servers = load.Servers("caddy", 2, load.APP, ("--no-precompressed",))
    else:
        # Build the precompressed assets first (once per Streamlit version), so the run
        # measures them, not a half-built folder.
        subprocess.run(serve.precompress_command(static_dir), check=True)  # noqa: S603
        extra = ("--app", str(EMPTY_APP)) if target == "caddy-empty" else ()
        servers = load.Servers("caddy", 2, load.APP, ("--static-dir", str(static_dir), *extra))
    for replica in servers.replicas:
        warm = asyncio.run(load.drive(replica, 1, 8, 4, 0))
        if warm.errors:
            servers.stop()
            raise RuntimeError(f"warm-up of {replica} failed: {warm.errors}")
    return servers


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
        scaled = value if name.endswith("_ms") or name == "cls" else value / 1000
        result[name] = round(scaled, 3 if name == "cls" else 2)
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
    parser.add_argument("--targets", default="direct,caddy-fly,caddy,caddy-empty")
    parser.add_argument(
        "--static-dir",
        type=Path,
        default=serve.default_static_dir(),
        help="deploy/serve's --static-dir for the caddy target (default %(default)s)",
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--keep", type=Path, help="keep Lighthouse's full reports (JSON) in this folder"
    )
    args = parser.parse_args()
    if not (Path(args.lighthouse).exists() or shutil.which(args.lighthouse)):
        parser.error("Lighthouse not found: npm install it (see above) and pass --lighthouse")
    if not 1 <= args.runs <= 7:
        parser.error("--runs 1..7")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            tmp = args.keep
        for target in args.targets.split(","):
            servers = start(target, args.static_dir)
            try:
                runs = [
                    lighthouse(args.lighthouse, servers.base, Path(tmp) / f"{target}-{n}.json")
                    for n in range(args.runs)
                ]
            finally:
                servers.stop()
            median = statistics.median_low([r["score"] for r in runs])
            chosen = next(r for r in runs if r["score"] == median)
            results[target] = {**chosen, "scores": [r["score"] for r in runs]}
            print(target, json.dumps(results[target]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
