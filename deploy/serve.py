"""Caddy in front of N Streamlit replicas, in the foreground; Ctrl-C stops them all.

Run it as `deploy/serve --port 8080 --replicas 2` (the wrapper picks the project's
virtualenv). Each replica is `streamlit run dashboard/app.py` on a free loopback port;
Caddy (Debian's `caddy` package, /usr/bin/caddy) runs `deploy/Caddyfile` with the
TAPALPA_* variables set here; deploy/precompress.py fills the folder of precompressed
Streamlit assets Caddy serves, in the background (once per Streamlit version). Replicas
run with REPLICA_ENVIRONMENT (two malloc arenas). The command prints the URL once every
replica answers `/_stcore/health` through the proxy, and exits when any of its processes
exits (a supervisor such as systemd restarts it; see deploy/README.md for the long-running
form).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
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
) -> dict[str, str]:
    """The TAPALPA_* variables deploy/Caddyfile reads."""
    for origin in [*frame_ancestors, *ws_origins]:
        if not origin.startswith(("https://", "http://")) or any(c in origin for c in " ;'\"`"):
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    env = {
        "TAPALPA_ADDRESS": f"http://:{port}",
        "TAPALPA_BIND": bind,
        "TAPALPA_UPSTREAMS": " ".join(f"127.0.0.1:{p}" for p in upstreams),
        "TAPALPA_LB_SECRET": lb_secret,
        "TAPALPA_FRAME_ANCESTORS": " ".join(frame_ancestors),
        "TAPALPA_WS_ORIGINS": ", ".join(f'"{o}"' for o in ws_origins),
        "TAPALPA_UPLOAD_MAX_BYTES": str(upload_max_bytes),
    }
    if published is not None:
        env["TAPALPA_PUBLISHED_DIR"] = str(published.resolve())
    if static_dir is not None:
        env["TAPALPA_STATIC_DIR"] = str(static_dir.resolve())
    return env


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
            return response.read() == b"ok"
    except OSError:
        return False


def wait_healthy(url: str, processes: list[subprocess.Popen], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        if healthy(url):
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
            lb_secret=secrets.token_hex(16),
            static_dir=None if args.no_precompressed else args.static_dir,
        )
    except ValueError as exc:
        print(f"deploy/serve: {exc}", file=sys.stderr)
        return 2
    if args.print_env:
        for key, value in env.items():
            print(f"{key}={value}")
        return 0

    processes: list[subprocess.Popen] = []
    builder: subprocess.Popen | None = None
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        replica_env = replica_environment()
        if args.published is not None:  # the share panel offers the static copy
            replica_env["TAPALPA_PUBLISHED_URL"] = "/published/"
        for port in ports:
            processes.append(
                subprocess.Popen(  # noqa: S603
                    replica_command(port, app=args.app), cwd=ROOT, env=replica_env
                )
            )
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
            if not wait_healthy(f"http://127.0.0.1:{port}", processes, STARTUP_SECONDS):
                if not stopping:
                    print(f"replica on port {port} did not become healthy", file=sys.stderr)
                return 0 if stopping else 1
        processes.append(
            subprocess.Popen(  # noqa: S603
                [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                cwd=ROOT,
                env={**os.environ, **env},
            )
        )
        host = "127.0.0.1" if args.bind in ("0.0.0.0", "127.0.0.1") else args.bind  # noqa: S104
        url = f"http://{host}:{args.port}"
        if not wait_healthy(url, processes, 30):
            if not stopping:
                print(f"caddy did not answer on {url}", file=sys.stderr)
            return 0 if stopping else 1
        print(
            f"serving {url} ({args.replicas} replica(s) on ports "
            f"{', '.join(map(str, ports))}); Ctrl-C stops all",
            flush=True,
        )
        while not stopping:
            if builder is not None and builder.poll() is not None:
                if builder.returncode != 0:
                    print(
                        "precompress failed: Caddy compresses Streamlit's assets on the fly",
                        file=sys.stderr,
                    )
                builder = None
            exited = [p for p in processes if p.poll() is not None]
            if exited:
                print(f"{exited[0].args[0]} exited ({exited[0].returncode})", file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        stop(processes if builder is None else [builder, *processes])


if __name__ == "__main__":
    sys.exit(main())
