"""Lighthouse (mobile profile, performance only) on the page, its embed and the static copy,
next to an empty Streamlit page served the same way, in one run.

    npm install --prefix ~/.cache/tapalpa-lighthouse -E lighthouse@12
    .venv/bin/python benchmarks/bench_lighthouse.py \
        --lighthouse ~/.cache/tapalpa-lighthouse/node_modules/.bin/lighthouse [--runs 3]

Targets (`--targets`, default the four the issue compares):

    caddy-empty  benchmarks/baseline_app.py (a slider and a line of text) through
                 `deploy/serve --app`: Streamlit's own floor on this profile
    caddy        the map page through `deploy/serve --replicas 2` (Streamlit's assets
                 precompressed, served by Caddy; built once per Streamlit version)
    caddy-embed  the same servers, `/?embed=true` (what an article's iframe loads)
    published    the same servers, `/published/index.html`: the static site written by
                 `python -m dashboard publish` (run here into a temporary folder, or
                 `--published DIR`), served by Caddy's file_server (deploy/Caddyfile)
    direct       `streamlit run` with Streamlit's defaults (no proxy)
    caddy-fly    `deploy/serve --no-precompressed` (Caddy compresses on the fly)

Targets on the same servers are measured in turn within each round (run 1 of each, then
run 2 of each, ...), so a burst of load on this shared machine falls on all of them.
Every Streamlit process is warmed by one reader session before measuring (benchmarks/
load.py). Lighthouse drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium) with its
default mobile emulation (412 x 823 CSS pixels) and simulated slow-4G throttling.
Reported per target: the median performance score of --runs runs, with that run's first
contentful paint, largest contentful paint, total blocking time, speed index, layout
shift (CLS) and transferred bytes, the largest scripts the first view loads, every run's
score and the load average when it started; then each score's ratio to the empty page's
(the issue's targets: the page >= 0.75x, the embed >= 0.85x; the static page >= 0.95;
CLS <= 0.1 on all three). Loopback only; the basemap tiles cannot load (no internet
here), the same for every target.
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


# target -> (servers it runs on, path of the page under the servers' address)
TARGETS = {
    "caddy-empty": ("caddy-empty", "/"),
    "caddy": ("caddy", "/"),
    "caddy-embed": ("caddy", "/?embed=true"),
    "published": ("caddy", "/published/index.html"),
    "direct": ("direct", "/"),
    "caddy-fly": ("caddy-fly", "/"),
}
DEFAULT_TARGETS = "caddy-empty,caddy,caddy-embed,published"
FLOOR = "caddy-empty"


def start(kind: str, static_dir: Path, published: Path | None) -> load.Servers:
    """The servers of `kind` (a TARGETS value), every Streamlit process warmed by one
    reader session (data loaded, caches filled), as after the first reader in production.
    `published`: the static site's folder, served at /published/ by the "caddy" kind."""
    if kind == "direct":
        servers = load.Servers("plain", 1, load.APP)
    elif kind == "caddy-fly":
        servers = load.Servers("caddy", 2, load.APP, ("--no-precompressed",))
    else:
        # Build the precompressed assets first (once per Streamlit version), so the run
        # measures them, not a half-built folder.
        subprocess.run(serve.precompress_command(static_dir), check=True)  # noqa: S603
        extra: tuple[str, ...] = ()
        if kind == "caddy-empty":
            extra = ("--app", str(EMPTY_APP))
        elif published is not None:
            extra = ("--published", str(published))
        servers = load.Servers("caddy", 2, load.APP, ("--static-dir", str(static_dir), *extra))
    for replica in servers.replicas:
        warm = asyncio.run(load.drive(replica, 1, 8, 4, 0))
        if warm.errors:
            servers.stop()
            raise RuntimeError(f"warm-up of {replica} failed: {warm.errors}")
    return servers


def lighthouse(binary: str, url: str, out: Path) -> dict:
    """One Lighthouse run's figures; a run Lighthouse cannot score (e.g. NO_FCP: the page
    painted nothing in time) counts as score 0 with its error, and the others go on."""
    done = subprocess.run(  # noqa: S603
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
        timeout=400,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        lines = [line for line in done.stderr.splitlines() if "error" in line.lower()]
        error = (lines or [f"exit status {done.returncode}"])[-1][:200]
        return {"score": 0.0, "error": error, **dict.fromkeys(AUDITS.values()), "transfer_mb": None}
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


def publish_site(folder: Path) -> Path:
    """`python -m dashboard publish FOLDER` (the static site as an editor publishes it)."""
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "dashboard", "publish", str(folder)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder


def measure(args, kind: str, targets: list[str], tmp: Path, published: Path | None) -> dict:
    """Every run of `targets` (all on servers of `kind`), round by round."""
    runs: dict[str, list[dict]] = {t: [] for t in targets}
    servers = start(kind, args.static_dir, published)
    try:
        for n in range(args.runs):
            for target in targets:
                load_average = round(os.getloadavg()[0], 2)
                result = lighthouse(
                    args.lighthouse, servers.base + TARGETS[target][1], tmp / f"{target}-{n}.json"
                )
                result["load_average"] = load_average
                runs[target].append(result)
                print(f"  {target} {n + 1}: {result['score']} (load {load_average})", flush=True)
    finally:
        servers.stop()
    return runs


def summary(runs: list[dict]) -> dict:
    """The median-score run (median_low: a real run, not an average) with every run's
    score and load average."""
    median = statistics.median_low([r["score"] for r in runs])
    chosen = next(r for r in runs if r["score"] == median)
    return {
        **chosen,
        "scores": [r["score"] for r in runs],
        "load_averages": [r["load_average"] for r in runs],
        "errors": [r.get("error", "") for r in runs],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--targets", default=DEFAULT_TARGETS, help=f"of {', '.join(TARGETS)}")
    parser.add_argument(
        "--static-dir",
        type=Path,
        default=serve.default_static_dir(),
        help="deploy/serve's --static-dir for the caddy target (default %(default)s)",
    )
    parser.add_argument(
        "--published",
        type=Path,
        help="a folder written by `python -m dashboard publish` (default: publish into a "
        "temporary folder first)",
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
    targets = args.targets.split(",")
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}: choose from {', '.join(TARGETS)}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            reports = args.keep
        published = args.published
        if "published" in targets and published is None:
            published = publish_site(Path(tmp) / "site")
        kinds = dict.fromkeys(TARGETS[t][0] for t in targets)
        for kind in kinds:
            group = [t for t in targets if TARGETS[t][0] == kind]
            for target, runs in measure(args, kind, group, reports, published).items():
                results[target] = summary(runs)
                print(target, json.dumps(results[target]), flush=True)
    if FLOOR in results:
        floor = results[FLOOR]["score"]
        print(f"\nratio of each median score to {FLOOR}'s ({floor}):")
        for target, result in results.items():
            result["ratio_to_empty"] = round(result["score"] / floor, 2) if floor else None
            errors = [r for r in result.get("errors", []) if r]
            print(
                f"  {target}: score {result['score']} ({result['ratio_to_empty']}x), "
                f"CLS {result['cls']}, LCP {result['lcp_s']} s, TBT {result['tbt_ms']} ms, "
                f"{result['transfer_mb']} MB, load {result['load_averages']}"
                + (f", failed runs: {errors}" if errors else "")
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
