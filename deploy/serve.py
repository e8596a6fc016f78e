"""Caddy in front of N Streamlit replicas, in the foreground; Ctrl-C stops them all.

Run it as `deploy/serve --port 8080 --replicas 2` (the wrapper picks the project's
virtualenv). Each replica is `streamlit run dashboard/app.py` on a free loopback port;
Caddy (Debian's `caddy` package, /usr/bin/caddy) runs `deploy/Caddyfile` with the
TAPALPA_* variables set here; deploy/precompress.py fills the folder of precompressed
Streamlit assets Caddy serves, in the background (once per Streamlit version). Replicas
run with REPLICA_ENVIRONMENT (two malloc arenas). The command prints the URL once every
replica answers `/_stcore/health` and has run the page once (warm), and Caddy answers.

Supervision: a replica (or Caddy) that exits is started again after a back-off (0.5 s,
doubling to 30 s while it keeps failing); the other replicas and Caddy keep serving, and
Caddy's health checks and retries send no reader to the dead one meanwhile. See
deploy/README.md for the long-running (systemd) form.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "deploy" / "Caddyfile"
PRECOMPRESS = ROOT / "deploy" / "precompress.py"
APP = ROOT / "dashboard" / "app.py"
MAX_REPLICAS = 16
# Room for the multipart envelope around a file of exactly server.maxUploadSize.
UPLOAD_ENVELOPE_BYTES = 64 * 1024
STARTUP_SECONDS = 90
STOP_SECONDS = 15
# Supervision: a process that exits is started again after RESTART_FIRST_SECONDS, doubling
# up to RESTART_MAX_SECONDS while it keeps exiting within RESTART_RESET_SECONDS of a start.
RESTART_FIRST_SECONDS = 0.5
RESTART_MAX_SECONDS = 30.0
RESTART_RESET_SECONDS = 60.0
SUPERVISE_SECONDS = 0.2
# The first run of the page in a fresh replica (imports, bundled data): well under this.
WARM_SECONDS = 60
# The precompression build runs beside the replicas at this lower CPU priority.
BUILD_NICENESS = 10


def default_static_dir() -> Path:
    """Where deploy/precompress.py keeps Streamlit's compressed assets between runs:
    $XDG_CACHE_HOME/tapalpa/static (default ~/.cache/tapalpa/static)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "tapalpa" / "static"


def precompress_command(static_dir: Path, python: str = sys.executable) -> list[str]:
    """The build of the precompressed assets (done once per Streamlit version)."""
    return [python, str(PRECOMPRESS), str(static_dir)]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether TCP `port` on `host` (an interface address, 0.0.0.0 for all) is taken:
    something listens there (it accepts a connection), or the port cannot be bound (a
    listener on all interfaces, or on another address family's wildcard)."""
    probe = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
    try:
        with socket.create_connection((probe, port), timeout=0.5):
            return True
    except OSError:
        pass
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def upload_limit_bytes() -> int:
    """Streamlit's own upload limit (`server.maxUploadSize`, in MB, read from the project's
    .streamlit/config.toml when there is one) plus the multipart envelope: the proxy's
    body limit, so the server states one number."""
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        from streamlit import config

        config.get_config_options(force_reparse=True)
        megabytes = int(config.get_option("server.maxUploadSize"))
    finally:
        os.chdir(cwd)
    return megabytes * 1024 * 1024 + UPLOAD_ENVELOPE_BYTES


def replica_command(port: int, python: str = sys.executable, app: Path = APP) -> list[str]:
    """One Streamlit process on a loopback port serving `app` (the map page unless a
    benchmark asks for another), with WebSocket compression on."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        # permessage-deflate: the map's HTML travels compressed on every slider step.
        "--server.enableWebsocketCompression",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        # /_stcore/script-health-check runs the page once: deploy/serve warms each replica
        # with it (caches, the map component's registration) before readers reach it.
        "--server.scriptHealthCheckEnabled",
        "true",
    ]


# glibc gives each thread that allocates its own malloc arena, up to 8 per core; Streamlit
# runs every session's script in a thread of its own, so a burst of readers spreads the
# heap over many arenas whose freed space stays mapped. Two arenas: measured in the main
# README ("Under load", memory). Set MALLOC_ARENA_MAX in the environment to override.
REPLICA_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}


def replica_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a replica: `base` (default: this process's) with
    REPLICA_ENVIRONMENT's settings where `base` has none."""
    env = dict(os.environ if base is None else base)
    for key, value in REPLICA_ENVIRONMENT.items():
        env.setdefault(key, value)
    return env


ROOT_DIV = '<div id="root"></div>'  # Streamlit's index.html: where React draws the app
PAGE_CSS = (ROOT / "dashboard" / "static" / "page.css", ROOT / "dashboard" / "static" / "embed.css")


# Streamlit's entry script in its index.html (its modules are preloaded beside it).
ENTRY_SCRIPT = re.compile(
    r'<script type="module" crossorigin src="(\./static/js/index\.[\w-]+\.js)"></script>'
)
# Starts it once the first screen is on screen (dashboard/static/start-app.js).
START_APP_JS = ROOT / "dashboard" / "static" / "start-app.js"


def start_after_first_paint(html: str) -> str:
    """`html` (Streamlit's index.html) with its entry script started by start-app.js once
    the browser has shown the first screen (its first contentful paint; at once in an
    embed; after 2 s at most), not when the document is parsed; unchanged when the entry
    script is not found. Its modules still load from the start (the document preloads
    them). Without this, on a busy machine the browser sometimes ran the app before
    showing its first frame, React emptied the root, and the first screen never showed
    (Lighthouse: first paint at 7.5-8.4 s instead of 2.4 s, in 3 runs of 5)."""
    found = ENTRY_SCRIPT.search(html)
    if found is None:
        return html
    code = START_APP_JS.read_text(encoding="utf-8")
    starter = f'<script data-src="{found.group(1)}">{code}</script>'
    return html[: found.start()] + starter + html[found.end() :]


def page_document(app: Path, folder: Path) -> Path | None:
    """Streamlit's index.html with the map page's CSS (dashboard/static/page.css, and
    embed.css, whose rules apply only to ?embed=true) inlined
    in its head, written to folder/index.html for Caddy to serve as the page's document;
    None for another --app (the benchmarks' empty page is served as Streamlit ships it).

    The page also sends that CSS with st.html (so `streamlit run` has it), but Streamlit
    applies it only once it has fetched the element's code, half a second to a second
    after the title is drawn: on a phone the title, the language switch and the map then
    moved (the top padding, the title's size, 44 px touch targets), a layout shift of
    0.38. In the document, it applies from the first paint. Right after the root
    element, the first screen (render/firstscreen.py: the title, deck and lead paragraph,
    painted before any script runs, an overlay kept until Streamlit draws its title;
    not inside the root, which React empties when it draws its shell). The document's
    `<html lang>` and `<title>` are Spanish until first-screen.js sets the reader's.
    Streamlit serves its index.html unchanged, so the copy differs only by the <style>
    element, that screen, the lang and the title."""
    if app.resolve() != APP.resolve():
        return None
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    html = index.read_text(encoding="utf-8")
    if "</head>" not in html:  # pragma: no cover - every Streamlit release has one
        return None
    css = "\n".join(path.read_text(encoding="utf-8") for path in PAGE_CSS)
    html = html.replace("</head>", f'<style id="tapalpa-page-css">{css}</style></head>', 1)
    # The first screen (title, deck, lead paragraph) beside the root React empties when it
    # draws the app: painted from the document, seconds before Streamlit draws anything.
    if ROOT_DIV in html:
        if str(ROOT) not in sys.path:  # this checkout's dashboard, not an installed one
            sys.path.insert(0, str(ROOT))
        from dashboard.render.firstscreen import NOSCRIPT_LANGUAGE, first_screen_html, page_title
        from dashboard.text.escape import escape_text

        html = html.replace(ROOT_DIV, ROOT_DIV + first_screen_html(), 1)
        html = start_after_first_paint(html)
        # Spanish until first-screen.js (or Streamlit) says otherwise: not "Streamlit"/"en".
        html = html.replace('<html lang="en">', f'<html lang="{NOSCRIPT_LANGUAGE}">', 1)
        title = escape_text(page_title(NOSCRIPT_LANGUAGE))
        html = html.replace("<title>Streamlit</title>", f"<title>{title}</title>", 1)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "index.html"
    target.write_text(html, encoding="utf-8")
    return target


def caddy_environment(
    *,
    port: int,
    bind: str,
    upstreams: list[int],
    frame_ancestors: list[str],
    ws_origins: list[str],
    upload_max_bytes: int,
    published: Path | None,
    lb_secret: str,
    static_dir: Path | None = None,
    page_dir: Path | None = None,
    address: str | None = None,
    tls_internal: bool = False,
    http_port: int = 80,
) -> dict[str, str]:
    """The TAPALPA_* variables deploy/Caddyfile reads.

    `frame_ancestors` empty: any site may embed the map (`frame-ancestors *`: the page is
    public and read-only); else only this site and those origins. `address` (default
    `http://:PORT`, plain HTTP) may be a public `https://` name, for which Caddy obtains
    and renews a certificate, or a local one with `tls_internal` (Caddy's own CA).
    Raises ValueError for an origin or address that is not `scheme://host[:port]`."""
    for origin in [*frame_ancestors, *ws_origins]:
        if not origin.startswith(("https://", "http://")) or any(c in origin for c in " ;'\"`"):
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    if address is not None and (
        not address.startswith(("https://", "http://")) or any(c in address for c in " ;'\"`{}")
    ):
        raise ValueError(f"not an address (scheme://host[:port]): {address!r}")
    env = {
        "TAPALPA_ADDRESS": address or f"http://:{port}",
        "TAPALPA_BIND": bind,
        "TAPALPA_UPSTREAMS": " ".join(f"127.0.0.1:{p}" for p in upstreams),
        "TAPALPA_LB_SECRET": lb_secret,
        "TAPALPA_FRAME_ANCESTORS": " ".join(frame_ancestors) or "*",
        "TAPALPA_COMPONENT_DIR": str(map_component_dir()),
        "TAPALPA_WS_ORIGINS": ", ".join(f'"{o}"' for o in ws_origins),
        "TAPALPA_UPLOAD_MAX_BYTES": str(upload_max_bytes),
    }
    if published is not None:
        env["TAPALPA_PUBLISHED_DIR"] = str(published.resolve())
    if static_dir is not None:
        env["TAPALPA_STATIC_DIR"] = str(static_dir.resolve())
    if page_dir is not None:
        env["TAPALPA_PAGE_DIR"] = str(page_dir.resolve())
    if tls_internal:
        env["TAPALPA_TLS"] = "tls internal"
    if http_port != 80:
        env["TAPALPA_HTTP_PORT"] = str(http_port)
    return env


def map_component_dir() -> Path:
    """The folder of streamlit-folium's built component (index.html and its scripts):
    Caddy serves it itself, so a replica that has not yet run the page (and so not yet
    registered the component) never answers 404 for the map."""
    import importlib.util

    spec = importlib.util.find_spec("streamlit_folium")
    if spec is None or spec.origin is None:
        return Path("/nonexistent")
    return Path(spec.origin).parent / "frontend" / "build"


def public_url(args: argparse.Namespace) -> str:
    """The address readers use: `--address` when given, else loopback (or the bound
    interface) on `--port`."""
    if args.address:
        return args.address.rstrip("/")
    host = "127.0.0.1" if args.bind in ("0.0.0.0", "127.0.0.1") else args.bind  # noqa: S104
    return f"http://{host}:{args.port}"


def healthy(url: str, unverified: bool = False) -> bool:
    """`/_stcore/health` answers ok at `url` (`unverified`: a certificate from Caddy's own
    local CA, `tls internal`, is accepted)."""
    context = ssl._create_unverified_context() if unverified else None  # noqa: S323
    try:
        with urllib.request.urlopen(  # noqa: S310
            f"{url}/_stcore/health", timeout=2, context=context
        ) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def wait_healthy(
    url: str, processes: list[subprocess.Popen], seconds: float, unverified: bool = False
) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        if healthy(url, unverified=unverified):
            return True
        time.sleep(0.2)
    return False


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to all, then SIGKILL to what is still running after STOP_SECONDS."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="deploy/serve",
        description="Caddy in front of N Streamlit replicas, in the foreground (Ctrl-C stops all).",
    )
    parser.add_argument("--port", type=int, default=8080, help="Caddy's port (default 8080)")
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument(
        "--bind", default="127.0.0.1", help="interface Caddy listens on (0.0.0.0: all)"
    )
    parser.add_argument(
        "--frame-ancestor",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin allowed to embed the map (https://www.example-newsroom.mx); repeat",
    )
    parser.add_argument(
        "--ws-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a public origin of the site when it differs from what Caddy sees (TLS "
        "terminated in front of it); repeat",
    )
    parser.add_argument(
        "--address",
        metavar="URL",
        help="the site's address: a public https:// name gets a certificate from Let's "
        "Encrypt or ZeroSSL (ports 80 and 443 must reach this machine); default "
        "http://:PORT, plain HTTP",
    )
    parser.add_argument(
        "--http-port",
        type=int,
        default=80,
        help="with an https:// --address: the port of Caddy's HTTP-to-HTTPS redirect (default 80)",
    )
    parser.add_argument(
        "--tls-internal",
        action="store_true",
        help="with an https:// --address: a certificate from Caddy's own local CA (tests, "
        "staging), not a public one",
    )
    parser.add_argument(
        "--published",
        type=Path,
        help="a folder written by `python -m dashboard publish`, served at /published/",
    )
    parser.add_argument(
        "--static-dir",
        type=Path,
        default=default_static_dir(),
        help="where Streamlit's assets are precompressed (built in the background at start "
        "when missing; default %(default)s)",
    )
    parser.add_argument(
        "--no-precompressed",
        action="store_true",
        help="leave Streamlit's assets to the replicas (compressed on the fly by Caddy)",
    )
    parser.add_argument(
        "--app",
        type=Path,
        default=APP,
        help="the Streamlit page the replicas serve (default: the map); benchmarks serve an "
        "empty page this way to measure Streamlit's own floor",
    )
    parser.add_argument(
        "--print-env",
        action="store_true",
        help="print the Caddy environment (for a systemd EnvironmentFile) and exit",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas must be 1..{MAX_REPLICAS}")
    if not 1 <= args.port <= 65535:
        parser.error("--port must be 1..65535")
    if not args.app.is_file():
        parser.error(f"--app {args.app}: no such file")
    if args.published is not None and not (args.published / "index.html").is_file():
        parser.error(f"--published {args.published}: no index.html there (run publish first)")
    return args


class Replica:
    """One Streamlit process on a loopback port, restarted with back-off when it exits.

    `start()` launches it; `poll(now)` returns a line to log when it has exited and
    schedules the restart (RESTART_FIRST_SECONDS, doubling to RESTART_MAX_SECONDS while it
    keeps exiting within RESTART_RESET_SECONDS of a start, back to the first delay after a
    longer run), and starts it again once the delay has passed.
    """

    def __init__(self, name: str, command: list[str], env: dict[str, str] | None = None):
        self.name = name
        self.command = command
        self.env = env
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.delay = RESTART_FIRST_SECONDS
        self.restart_at: float | None = None
        self.restarts = 0

    def start(self) -> subprocess.Popen:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)  # noqa: S603
        self.started = time.monotonic()
        self.restart_at = None
        return self.process

    def poll(self, now: float) -> str | None:
        """Restart when due; a line for the log when the process has just exited."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                self.start()
            return None
        if self.process is None or self.process.poll() is None:
            return None
        ran = now - self.started
        if ran >= RESTART_RESET_SECONDS:
            self.delay = RESTART_FIRST_SECONDS
        self.restart_at = now + self.delay
        line = (
            f"{self.name} exited ({self.process.returncode}) after {ran:.1f} s; "
            f"restarting in {self.delay:g} s"
        )
        self.delay = min(self.delay * 2, RESTART_MAX_SECONDS)
        return line


def warm(url: str) -> bool:
    """Run the page once in a replica (`/_stcore/script-health-check`, a session of its own
    that is closed after the run), so its caches are filled and its components, the map's
    included, are registered before readers reach it. True when the run succeeded."""
    try:
        with urllib.request.urlopen(  # noqa: S310
            f"{url}/_stcore/script-health-check", timeout=WARM_SECONDS
        ) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    caddy = shutil.which("caddy")
    if caddy is None:
        print("caddy not found: install it with `apt-get install caddy`", file=sys.stderr)
        return 2
    ports = [free_port() for _ in range(args.replicas)]
    try:
        env = caddy_environment(
            port=args.port,
            bind=args.bind,
            upstreams=ports,
            frame_ancestors=args.frame_ancestor,
            ws_origins=args.ws_origin,
            upload_max_bytes=upload_limit_bytes(),
            published=args.published,
            # The same secret on every proxy keeps a reader's cookie valid across them.
            lb_secret=os.environ.get("TAPALPA_LB_SECRET") or secrets.token_hex(16),
            static_dir=None if args.no_precompressed else args.static_dir,
            address=args.address,
            tls_internal=args.tls_internal,
            http_port=args.http_port,
        )
    except ValueError as exc:
        print(f"deploy/serve: {exc}", file=sys.stderr)
        return 2
    if args.print_env:
        for key, value in env.items():
            print(f"{key}={value}")
        return 0
    # A port another program holds: stop now, before "serving" (Caddy would fail to bind
    # in a restart loop while that program answered at the printed address).
    if args.address is None and port_in_use(args.port, args.bind):
        print(f"deploy/serve: port {args.port} is in use; choose another --port", file=sys.stderr)
        return 2
    # The replicas' ports were free a moment ago (free_port): taken since, run it again.
    for port in ports:
        if port_in_use(port):
            print(f"deploy/serve: replica port {port} is in use; run again", file=sys.stderr)
            return 2
    # The page's document with its CSS inlined (page_document), for this run only.
    page_dir: Path | None = Path(tempfile.mkdtemp(prefix="tapalpa-page-"))
    if page_document(args.app, page_dir) is None:
        shutil.rmtree(page_dir, ignore_errors=True)
        page_dir = None
    else:
        env["TAPALPA_PAGE_DIR"] = str(page_dir)

    replicas: list[Replica] = []
    builder: subprocess.Popen | None = None
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    def running() -> list[subprocess.Popen]:
        return [r.process for r in replicas if r.process is not None]

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        replica_env = replica_environment()
        if args.published is not None:  # the share panel offers the static copy
            replica_env["TAPALPA_PUBLISHED_URL"] = "/published/"
        for port in ports:
            replica = Replica(
                f"replica on port {port}", replica_command(port, app=args.app), replica_env
            )
            replica.start()
            replicas.append(replica)
        if not args.no_precompressed:
            # Caddy serves each file from the folder as soon as it is there and proxies the
            # rest, so the build (minutes the first time, nothing afterwards) runs beside.
            args.static_dir.mkdir(parents=True, exist_ok=True)
            builder = subprocess.Popen(  # noqa: S603
                precompress_command(args.static_dir),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                preexec_fn=lambda: os.nice(BUILD_NICENESS),  # noqa: PLW1509
            )
        for port in ports:
            replica_url = f"http://127.0.0.1:{port}"
            if not wait_healthy(replica_url, running(), STARTUP_SECONDS):
                if not stopping:
                    print(f"replica on port {port} did not become healthy", file=sys.stderr)
                return 0 if stopping else 1
            warm(replica_url)
        proxy = Replica(
            "caddy",
            [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            {**os.environ, **env},
        )
        proxy.start()
        replicas.append(proxy)
        url = public_url(args)
        if not wait_healthy(url, running(), 30, unverified=args.tls_internal):
            if not stopping:
                print(f"caddy did not answer on {url}", file=sys.stderr)
            return 0 if stopping else 1
        print(
            f"serving {url} ({args.replicas} replica(s) on ports "
            f"{', '.join(map(str, ports))}); Ctrl-C stops all",
            flush=True,
        )
        # Supervision: a process that exits is started again after a back-off; the others
        # keep serving (Caddy's health checks and retries keep readers off a dead replica).
        warming: dict[int, Replica] = {}
        while not stopping:
            if builder is not None and builder.poll() is not None:
                if builder.returncode != 0:
                    print(
                        "precompress failed: Caddy compresses Streamlit's assets on the fly",
                        file=sys.stderr,
                    )
                builder = None
            now = time.monotonic()
            for replica in replicas:
                before = replica.restarts
                line = replica.poll(now)
                if line:
                    print(f"deploy/serve: {line}", file=sys.stderr, flush=True)
                if replica.restarts != before and replica is not proxy:
                    warming[id(replica)] = replica
            for key, replica in list(warming.items()):
                port = int(replica.command[replica.command.index("--server.port") + 1])
                if healthy(f"http://127.0.0.1:{port}"):
                    threading.Thread(
                        target=warm, args=(f"http://127.0.0.1:{port}",), daemon=True
                    ).start()
                    del warming[key]
            time.sleep(SUPERVISE_SECONDS)
        return 0
    finally:
        stop(running() if builder is None else [builder, *running()])
        if page_dir is not None:
            shutil.rmtree(page_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
