"""Benchmark what a reader waits for, in a real browser (Playwright driving /usr/bin/chromium).

    .venv/bin/python benchmarks/bench_browser.py [--runs 5] [--synthetic 100000] [--compare DIR]

Two figures, each the median of --runs runs (a fresh browser context per run, after one
warm-up load so the server's data cache is filled, as for any reader after the first):

- page load → map visible: from navigation start to the first animation frame in which
  the map's Leaflet container has a size and has drawn its overlay (states, points);
- slider key press → map shows the new window: from the keydown of ArrowRight on the
  time slider's start thumb (one hour later) to the first animation frame in which the
  map shows the new window (the live page draws a one-stop step from the neighbouring
  views sent with the last view, before the rerun: README "In the browser"). When the
  map's container carries a `data-window` attribute (the ISO start/end of the window it
  has drawn, set by the map's own script after it redraws in place), the figure waits
  for that attribute to change; without it, for the
  component to have rebuilt its Leaflet map (a new `window.map`, loaded and drawn).
  Printed beside it for the pages: from the same keydown to the rerun's view of the new
  window reaching the map (streamlit-folium calling TapalpaMap.update with it): what a
  step the map holds no view for (a drag, Home/End) waits for, before its drawing.

The same two figures are measured on an empty Streamlit page (a range slider and a line
of text showing its value) in the same run: Streamlit's own floor on this machine. Data:
the bundled geodata, then N synthetic incidents (benchmarks/bench_page.py's generator)
through TAPALPA_GEODATA. Times are read from the page's own clock (performance.now()).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_page import synthetic_geodata  # noqa: E402
from benchmarks.common import free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
APP = ROOT / "dashboard" / "app.py"
EMPTY_APP = """import streamlit as st

low, high = st.slider("Window", 0, 240, (0, 48))
st.write(f"Window {low}-{high}")
"""

WATCHERS = Path(__file__).with_suffix(".js")  # the page-side clocks


def start(app: Path, env: dict[str, str], root: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """Serve `app` from `root`. `python -m streamlit` puts its working directory first on
    sys.path, so `root` decides which checkout's `dashboard` package the page imports
    (PYTHONPATH alone does not: it comes after it)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=root,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"streamlit did not start for {app}")


def one_run(browser, url: str, empty: bool) -> tuple[float, float, str]:
    """(load ms, key press ms, how the new window was detected) for one fresh context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(path=WATCHERS)
    page = context.new_page()
    try:
        page.goto(url)
        ready = "window.__bench.slider" if empty else "window.__bench.map"
        page.wait_for_function(f"() => Boolean({ready})", timeout=180_000)
        load = page.evaluate(f"() => {ready}")
        thumb = page.get_by_role("slider").first
        thumb.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)  # let the first run's other elements settle
        if empty:
            before = page.get_by_text(re.compile(r"^Window \d+-\d+$")).inner_text()
            page.evaluate("(before) => window.__benchWatchPressEmpty(before)", before)
        else:
            page.evaluate("() => window.__benchWatchPress()")
        thumb.focus()
        thumb.press("ArrowRight")
        page.wait_for_function("() => window.__press.t1 !== null", timeout=180_000)
        if not empty:  # the rerun's view reaching the map (the preview's confirmation)
            page.wait_for_function("() => window.__press.t2 !== null", timeout=180_000)
        press = page.evaluate(
            "() => [window.__press.t1 - window.__press.t0, window.__press.mode,"
            " (window.__press.t2 || window.__press.t1) - window.__press.t0]"
        )
        return load, press[0], press[1], press[2]
    finally:
        context.close()


def measure(browser, app: Path, env: dict[str, str], runs: int, empty: bool = False):
    checkout = app.resolve().parent.parent  # .../dashboard/app.py: its checkout
    process, url = start(app, env, checkout if (checkout / "dashboard").is_dir() else ROOT)
    try:
        one_run(browser, url, empty)  # warm-up: the server loads and caches the data
        results = [one_run(browser, url, empty) for _ in range(runs)]
    finally:
        process.terminate()
        process.wait(timeout=30)
    loads, presses, modes, reruns = zip(*results, strict=True)
    return (
        statistics.median(loads),
        statistics.median(presses),
        sorted(set(modes)),
        statistics.median(reruns),
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="also measure the page of another checkout of this project (e.g. an export of "
        "the previous commit: `git archive HEAD~1 | tar -x -C /tmp/before`), same data",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        empty_app = Path(tmp) / "empty_app.py"
        empty_app.write_text(EMPTY_APP, encoding="utf-8")
        pages = [("", APP, {})]
        if args.compare:
            other = args.compare.resolve()
            pages.append(
                (" [compared]", other / "dashboard" / "app.py", {"PYTHONPATH": str(other)})
            )
        datasets = [("bundled data", {})]
        if args.synthetic:
            folder = Path(tmp) / "synthetic"
            folder.mkdir()
            synthetic_geodata(args.synthetic, folder)
            datasets.append(
                (f"{args.synthetic:,} synthetic incidents", {"TAPALPA_GEODATA": str(folder)})
            )
        cases = [("empty Streamlit page", empty_app, {}, True)]
        for data_label, data_env in datasets:
            for page_label, app, page_env in pages:
                cases.append((data_label + page_label, app, {**data_env, **page_env}, False))
        for label, app, env, empty in cases:
            load, press, modes, rerun = measure(browser, app, env, args.runs, empty)
            print(
                f"{label:<42} page load → map visible (empty page: its slider) {load:>6.0f} ms | "
                f"slider key press → new window on the map {press:>6.0f} ms "
                f"(detected by: {', '.join(modes)})"
                + ("" if empty else f" | → the rerun's view reaches the map {rerun:>6.0f} ms"),
                flush=True,
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
