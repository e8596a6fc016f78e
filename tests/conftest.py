from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.ingest.bundle import load_bundle

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
APP = ROOT / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def bundle():
    return load_bundle()


def open_sections(at):
    """Open the page's closed sections (dashboard.web.state.LAZY_SECTIONS: share, downloads,
    hour by hour, state-level reports, corrections log) for `at`'s next run, so a test
    sees everything the page can show. Returns `at`."""
    from dashboard.web.state import LAZY_SECTIONS, OPENED_SECTIONS

    at.session_state[OPENED_SECTIONS] = set(LAZY_SECTIONS)  # as the reader's clicks leave it
    return at


@pytest.fixture
def app():
    """The page through Streamlit's AppTest after its first run, every section open."""
    from streamlit.testing.v1 import AppTest

    at = open_sections(AppTest.from_file(str(APP), default_timeout=60))
    at.run()
    assert not at.exception, at.exception
    return at


def to_csv(rows: list[dict], delimiter: str = ",", columns: list[str] | None = None) -> bytes:
    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def incident_row(**changes) -> dict:
    """A valid incident placed by its own coordinates (central Guadalajara, Jalisco)."""
    row = {
        "incident_id": "test-1",
        "start": "2026-02-22T10:30-06:00",
        "end": "",
        "time_precision": "hour",
        "part_of_day": "",
        "event_type": "blockade",
        "blockades": "1",
        "fatalities": "",
        "injured": "",
        "arrested": "",
        "summary": "A test blockade.",
        "source_url": "https://example.org/report",
        "source_outlet": "Example",
        "source_date": "2026-02-22",
        "more_source_urls": "",
        "confidence": "medium",  # one outlet: the data dictionary's medium (check `confidence`)
        "disputed": "false",
        "notes": "",
        "latitude": "20.6767",
        "longitude": "-103.3475",
        "cve_ent": "14",
    }
    row.update(changes)
    return row


def run_cli(
    *args: str, environ: dict[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess:
    """`python -m dashboard ARGS` from the repository root, text output captured;
    `environ` is laid over this process's environment. End to end: the entry point, a
    fresh interpreter with its own locale, the exit status the shell sees. Tests that use
    it are marked `slow`; the others use `run_cli_in_process`."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(environ or {})},
    )


def run_cli_in_process(
    *args: str, environ: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`run_cli`'s twin without a new interpreter: `dashboard.__main__.main(ARGS)` from the
    repository root, stdout and stderr captured, `environ` laid over os.environ for this
    call only (the CLI reads LC_ALL, LC_MESSAGES and LANG from it). Same result shape: an
    argparse error's SystemExit gives the exit code. An uncaught exception is raised here
    (a subprocess would print a traceback and exit 1): the test fails either way."""
    from dashboard.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.chdir(ROOT),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        for key, value in (environ or {}).items():
            patch.setenv(key, value)
        try:
            code = main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (done.code is not None)
    return subprocess.CompletedProcess(
        ["python", "-m", "dashboard", *args], int(code), out.getvalue(), err.getvalue()
    )


# ---------------------------------------------------------------- browser tests
#
# Debian's Chromium through Playwright, and one Streamlit server for every browser test
# module that serves the page as it is (tests that need their own process, such as a
# server restart or deploy/serve behind Caddy, start it with the same helpers).

CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = "streamlit_folium"  # in the component iframe's src (its title is the page's)
IFRAME = f"iframe[src*='{MAP_FRAME}']"
# What a page may load: the local server and inline data. Anything else (a CDN) is refused.
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def require_chromium() -> None:
    if Path(CHROMIUM).exists() and shutil.which("chromium"):
        return
    message = "Chromium not found: install it with `apt-get install chromium` to run browser tests"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Wait for a process or a file outside the browser (a server's health, files a
    background job writes, processes exiting): `condition()` every 0.2 s until it is true
    (True) or `timeout` seconds have passed (False). Browser conditions are awaited
    through Playwright instead (map_frame, wait_for_app_run)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run` the page on 127.0.0.1:port; returns once /_stcore/health says ok."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def healthy() -> bool:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(  # noqa: S310
                f"http://127.0.0.1:{port}/_stcore/health", timeout=2
            ) as response:
                return response.read() == b"ok"
        except OSError:
            return False

    if not poll_until(healthy, 60):
        process.kill()
        pytest.fail("streamlit did not become healthy within 60 s")
    return process


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server():
    """One Streamlit server for every browser test of the page as it is; each test gets
    a new browser context, so a new Streamlit session."""
    require_chromium()
    port = free_port()
    process = start_server(port)
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


@pytest.fixture(scope="module")
def browser():
    # Per module, not per session: between its calls Playwright's sync API leaves its
    # event loop marked as running, which would break asyncio in the modules between.
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def offline(page, local: tuple[str, ...] = LOCAL) -> list[str]:
    """Refuse every request `page` makes outside `local`; returns the refused URLs."""
    blocked: list[str] = []

    def route(route):
        if route.request.url.startswith(local):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return blocked


@pytest.fixture
def page(browser, server):
    """A desktop-sized page, offline but for the local server; `page.blocked` lists what
    it was refused."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.blocked = offline(page)
    yield page
    context.close()


def map_frame(page):
    """The map's iframe once Leaflet's map exists in it and ours is built on it (the states
    geometry fetched and drawn: map._tim.built), so map._tim.stateLayers can be used."""
    page.wait_for_selector(IFRAME, timeout=60_000)
    page.wait_for_function(
        """(src) => { const f = document.querySelector(`iframe[src*='${src}']`);
          try { const w = f && f.contentWindow;
                return Boolean(w && w.L && w.map && w.map._tim && w.map._tim.built); }
          catch (e) { return false; } }""",
        arg=MAP_FRAME,
        timeout=60_000,
    )
    return next(f for f in page.frames if MAP_FRAME in (f.url or ""))


# The first view is fitted again 0.1, 0.4 and 1.2 s after the map is built (stylesheets
# load asynchronously and change the controls' sizes; dashboard/static/tapalpa-map.js,
# start()), unless the reader moved the map. Settled: built, points drawn, every
# stylesheet loaded, and more than 1.2 s on the frame's clock since the map was first seen
# built (the last refit is then behind it).
SETTLED = """() => {
  const tim = window.map && window.map._tim;
  if (!tim || !tim.built || !tim.markers.length) return false;
  if (![...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)) return false;
  window.__builtSeenAt = window.__builtSeenAt || performance.now();
  return performance.now() - window.__builtSeenAt > 1300;
}"""


def settled_map(page):
    """map_frame, once the map's first view has settled (SETTLED)."""
    frame = map_frame(page)
    frame.wait_for_function(SETTLED, timeout=30_000)
    return frame


# Streamlit marks its app root with the script's state and each element container that
# awaits redrawing as stale (what Streamlit's own e2e tests wait on). The run's end is not
# the page's: an element whose code Streamlit has not loaded yet (a metric, a table) is a
# skeleton placeholder until its code arrives, for up to a second or so after the run.
APP_IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return Boolean(app) && app.dataset.testConnectionState === 'CONNECTED'
    && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector("[data-testid='stElementContainer'][data-stale='true']")
    && !document.querySelector("[data-testid='stSkeleton']")
    && document.fonts.status === 'loaded';
}"""


def open_section(page, key: str) -> None:
    """Open the page's closed section (state.lazy_section) keyed `key` (a LAZY_SECTIONS
    name, any language) and wait until it is open: its contents are made only then, so
    wait for them too."""
    section = page.locator(f".st-key-{key}")
    section.locator("summary").first.click()
    section.locator("details[open]").wait_for(timeout=30_000)


def wait_for_app_run(page, timeout: float = 30_000) -> None:
    """Until the page's script run has finished and every element it sent is drawn (and
    the page's fonts have loaded, for tests that measure boxes). Call it after something
    shows that the run awaited has begun (a new URL, new text): before that it may see the
    last one."""
    page.wait_for_function(APP_IDLE, timeout=timeout)


# Leaflet pans with an animation (a drag's inertia, a popup's autopan); CSS transitions
# move the controls. At rest: no pan or zoom under way and no running animation.
MAP_AT_REST = """() => !(window.map && ((map._panAnim && map._panAnim._inProgress)
    || map._animatingZoom))
  && document.getAnimations().every(a => a.playState !== 'running')"""


# An element's box is still once it is the same on three animation frames in a row (as
# Playwright's own "stable" check before a click), and its animations have finished.
STILL = """async (element) => {
  await Promise.all(element.getAnimations({subtree: true}).map(a => a.finished));
  let last = '', same = 0;
  while (same < 2) {
    await new Promise(requestAnimationFrame);
    const r = element.getBoundingClientRect();
    const box = [r.x, r.y, r.width, r.height].join();
    same = box === last ? same + 1 : 0;
    last = box;
  }
}"""


def never(target, expression: str, ms: int, arg=None) -> None:
    """Wait that nothing happens: `expression` (a JS function) must stay falsy for `ms`
    milliseconds in `target` (a page or frame). There is no event for "it did not
    happen", so this is a bounded poll; it fails as soon as the expression is true."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        target.wait_for_function(expression, arg=arg, timeout=ms)
    except PlaywrightTimeout:
        return
    raise AssertionError(f"within {ms} ms: {expression}")


VIEW_STATE = "() => ({zoom: map.getZoom(), lat: map.getCenter().lat, lng: map.getCenter().lng})"

# Incident symbols the map holds (drawn alone or inside a Leaflet.markercluster group,
# which draws nearby ones as one symbol) and state polygons drawn.
COUNT_LAYERS = """() => {
  let markers = 0, polygons = 0;
  window.map.eachLayer(l => { if (l instanceof L.Polygon) polygons += 1; });
  const group = window.map._tim && window.map._tim.incidents;
  if (group && window.map.hasLayer(group)) {
    group.eachLayer(l => { if (l instanceof L.CircleMarker) markers += 1; });
  }
  return {markers, polygons};
}"""


@pytest.fixture
def open_page(browser):
    """open_page(path, **context options) -> a page, offline but for the local server."""
    contexts = []

    def opener(url: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        offline(page)
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()
