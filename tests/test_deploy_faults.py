"""deploy/serve under faults: embeds from another site right after start, a replica
killed under load, a reader whose replica died, HTTPS with Caddy's own CA.

Each test here runs its own deploy/serve (marked `slow`): the embed test needs replicas
that no session has warmed, the others kill processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.server
import os
import signal
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import (
    COUNT_LAYERS,
    LOCAL,
    free_port,
    map_frame,
    offline,
    poll_until,
    wait_for_app_run,
)
from tests.test_deploy import alive, descendants, get, start_serve, stop_serve

SECRET = "faults-test-secret"
LB_SECRET = {"TAPALPA_LB_SECRET": SECRET}  # so replica_of can name the cookie's replica


@contextlib.contextmanager
def article_site(html: str):
    """A news site of its own: `html` at http://localhost:PORT/article.html, another site
    than the map's http://127.0.0.1:PORT (a real server: Chromium refuses a loopback
    iframe in a page it takes for public, as a routed one would be)."""

    class Article(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Article)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{site.server_address[1]}/article.html"
    finally:
        site.shutdown()


def replica_pids(process: subprocess.Popen) -> dict[int, int]:
    """{port: pid} of the Streamlit replicas under deploy/serve."""
    found = {}
    for pid in descendants(process.pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if "streamlit" in argv and "--server.port" in argv:
            found[int(argv[argv.index("--server.port") + 1])] = pid
    return found


def replica_of(cookie: str, ports) -> int:
    """The replica Caddy's cookie policy names: the HMAC-SHA256 of its address."""
    for port in ports:
        name = f"127.0.0.1:{port}".encode()
        if hmac.new(SECRET.encode(), name, hashlib.sha256).hexdigest() == cookie:
            return port
    raise AssertionError(f"no replica for cookie {cookie}")


@pytest.mark.slow
@pytest.mark.browser
def test_an_article_on_another_site_embeds_the_map_right_after_start(browser):
    """Issue 23's first 'done when': through deploy/serve (two replicas, as the README's
    spike command), a 390 px iframe on another origin draws the map in 4 fresh contexts
    right after start, posts its height and shows the legend without a tap."""
    url, process = start_serve("--port", str(free_port()), env=LB_SECRET)
    try:
        status, headers, _ = get(f"{url}/?embed=true")
        assert status == 200
        assert "frame-ancestors 'self' *" in headers["Content-Security-Policy"]
        article = (
            "<!doctype html><title>Article</title><p>Story text.</p>"
            f'<iframe src="{url}/?embed=true" width="390" height="700"></iframe>'
            # the heights the embed posts (embed-resize.js), as the snippet's script reads them
            "<script>window.__heights = []; addEventListener('message', e => {"
            " const h = e.data && e.data['tapalpa-map-height']; if (h) __heights.push(h); });"
            "</script>"
        )
        blocked: list[str] = []
        with article_site(article) as address:
            for attempt in range(4):  # fresh contexts: no cookie, either replica each time
                embed_once(browser, address, blocked, attempt)
    finally:
        stop_serve(process)


def embed_once(browser, address: str, blocked: list[str], attempt: int) -> None:
    context = browser.new_context(viewport={"width": 420, "height": 800})
    page = context.new_page()
    offline(page, (*LOCAL, "http://localhost"))
    page.on("console", lambda m: "frame-ancestors" in m.text and blocked.append(m.text))
    page.goto(address)
    embed = page.frame_locator("iframe").first
    embed.locator("iframe[src*='streamlit_folium']").wait_for(timeout=60_000)
    frame = next(f for f in page.frames if "streamlit_folium" in (f.url or ""))
    frame.wait_for_function(f"() => window.map && ({COUNT_LAYERS})().polygons > 0", timeout=60_000)
    assert frame.evaluate(COUNT_LAYERS)["polygons"] > 0, attempt
    assert blocked == [], attempt
    # it posts its height to the article, and its legend is open at 390 px without a tap
    page.wait_for_function("() => window.__heights.length > 0", timeout=60_000)
    assert all(h > 300 for h in page.evaluate("() => window.__heights")), attempt
    assert frame.evaluate(
        """() => { const b = document.querySelector('.tim-legend-body');
          if (!b || b.hidden) return false;
          const r = b.getBoundingClientRect(); return r.width > 0 && r.height > 0; }"""
    ), attempt
    context.close()


@pytest.fixture(scope="module")
def served():
    url, process = start_serve("--port", str(free_port()), env=LB_SECRET)
    yield url, process
    stop_serve(process)


@pytest.mark.slow
def test_a_killed_replica_is_restarted_and_readers_see_no_error(served):
    url, process = served
    ports = replica_pids(process)
    assert len(ports) == 2
    errors: list[tuple[float, str]] = []
    done = threading.Event()
    start = time.monotonic()

    def reader() -> None:
        while not done.is_set():
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as r:  # noqa: S310
                    r.read()
            except OSError as error:
                errors.append((time.monotonic() - start, str(error)))

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for thread in readers:
        thread.start()
    port, pid = next(iter(ports.items()))
    time.sleep(1)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()

    def back() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:  # noqa: S310
                return r.read() == b"ok"
        except OSError:
            return False

    # Target 5 s (issue 25): 1.2 s on a quiet machine, 5.1 s at load average 13 (README);
    # the bound here leaves room for a busy test machine.
    assert poll_until(back, 10), "the replica was not back within 10 s"
    took = time.monotonic() - killed
    time.sleep(1)
    done.set()
    for thread in readers:
        thread.join()
    assert errors == []
    assert process.poll() is None  # deploy/serve itself kept running
    assert replica_pids(process)[port] != pid
    assert other_alive(ports, port)
    assert took < 10
    assert any("exited (-9)" in line for line in process.log)


def other_alive(ports: dict[int, int], killed: int) -> bool:
    return all(alive(pid) for port, pid in ports.items() if port != killed)


@pytest.mark.slow
@pytest.mark.browser
def test_a_reader_whose_replica_dies_keeps_the_view_and_the_next_move_applies(served, browser):
    from playwright.sync_api import expect

    url, process = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    map_frame(page)
    wait_for_app_run(page)
    incidents = page.locator("[data-testid='stMetricValue']").first
    thumb = page.get_by_role("slider").first
    first = incidents.inner_text()
    thumb.focus()
    for _ in range(12):
        thumb.press("ArrowRight")
    expect(incidents).not_to_have_text(first, timeout=30_000)
    wait_for_app_run(page)
    view, count = thumb.get_attribute("aria-valuetext"), incidents.inner_text()
    cookie = next(c["value"] for c in context.cookies() if c["name"] == "tapalpa_lb")
    ports = replica_pids(process)
    port = replica_of(cookie, ports)
    os.kill(ports[port], signal.SIGKILL)
    state = "() => document.querySelector(\"[data-testid='stApp']\").dataset.testConnectionState"
    page.wait_for_function(f"() => ({state})() !== 'CONNECTED'", timeout=20_000)
    page.wait_for_function(f"() => ({state})() === 'CONNECTED'", timeout=30_000)
    # On another replica (or the restarted one): the view is the reader's, not the default.
    expect(thumb).to_have_attribute("aria-valuetext", view)
    expect(incidents).to_have_text(count)
    thumb.focus()
    for _ in range(12):
        thumb.press("ArrowLeft")
    expect(incidents).to_have_text(first, timeout=30_000)  # the move applied
    context.close()


@pytest.mark.slow
def test_https_with_caddys_own_ca_for_a_local_name():
    port = free_port()
    url, process = start_serve(
        "--port",
        str(free_port()),
        "--address",
        f"https://localhost:{port}",
        "--tls-internal",
        "--http-port",
        str(free_port()),
    )
    try:
        assert url == f"https://localhost:{port}"
        context = ssl._create_unverified_context()  # noqa: S323
        # The page document comes from Caddy itself (deploy/serve inlines the page CSS);
        # the first request that reaches a replica sets the sticky cookie.
        with urllib.request.urlopen(f"{url}/_stcore/health", context=context, timeout=10) as r:  # noqa: S310
            assert r.read() == b"ok"
            cookies = [c for c in r.headers.get_all("Set-Cookie") or [] if "tapalpa_lb=" in c]
            hsts = r.headers.get("Strict-Transport-Security")
        # Over HTTPS the sticky cookie reaches cross-site iframes too.
        assert cookies and "SameSite=None" in cookies[0] and "Secure" in cookies[0], cookies
        # Browsers keep to HTTPS for this name (issue 25's re-probe, 4); also on the page
        # document, which Caddy serves itself.
        assert hsts == "max-age=31536000"
        with urllib.request.urlopen(f"{url}/", context=context, timeout=10) as r:  # noqa: S310
            assert r.headers.get("Strict-Transport-Security") == "max-age=31536000"
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=10)  # noqa: S310
    finally:
        stop_serve(process)


def held_upload_bytes(process: subprocess.Popen) -> int:
    """Bytes of uploaded files all replicas hold (each replica's /_stcore/metrics on its
    loopback port: the UploadedFileManager's cache_memory_bytes)."""
    total = 0
    for port in replica_pids(process):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10) as r:  # noqa: S310
            for line in r.read().decode().splitlines():
                if line.startswith("cache_memory_bytes") and "UploadedFileManager" in line:
                    total += int(float(line.rsplit(" ", 1)[1]))
    return total


@pytest.mark.slow
@pytest.mark.browser
def test_one_upload_per_session_is_kept_and_freed_when_the_reader_leaves(served, browser, tmp_path):
    from playwright.sync_api import expect

    from tests.conftest import incident_row, to_csv

    url, process = served
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(to_csv([incident_row(notes="x" * 200)] * 300))
    second.write_bytes(to_csv([incident_row()]))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_for_app_run(page)
    uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploader.set_input_files(str(first))
    expect(page.get_by_text("Your file first.csv")).to_be_visible(timeout=60_000)
    assert held_upload_bytes(process) >= first.stat().st_size
    uploader.set_input_files(str(second))
    expect(page.get_by_text("Your file second.csv")).to_be_visible(timeout=60_000)
    wait_for_app_run(page)
    # The first one was dropped (by Streamlit's client, or by the page for a file it
    # never saw): the second is all the replicas hold.
    assert poll_until(lambda: held_upload_bytes(process) == second.stat().st_size, 10), (
        held_upload_bytes(process),
        first.stat().st_size,
        second.stat().st_size,
    )
    context.close()  # the reader leaves: the connection closes
    assert poll_until(lambda: held_upload_bytes(process) == 0, 60), held_upload_bytes(process)
