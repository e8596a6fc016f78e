"""Load: many concurrent reader sessions speaking Streamlit's own WebSocket protocol.

    .venv/bin/python benchmarks/load.py --target direct --sessions 10,50,100
    .venv/bin/python benchmarks/load.py --target caddy --replicas 2 --sessions 10,50,100

Real browsers on the same two cores would measure the browsers, not the server, so each
session is a lightweight client built on streamlit's own protobufs
(`streamlit.proto.BackMsg_pb2`, `ForwardMsg_pb2`): it loads the page (GET /, which also
gives the proxy's sticky cookie), opens /_stcore/stream, asks for the first run, then
moves the time slider by a few hours every `--interval` seconds (jittered) until
`--duration` ends, and closes. Per rerun it records the time from the BackMsg to the
script_finished ForwardMsg and the bytes received for it, on the wire (after
permessage-deflate) and decoded.

For every session count the servers are started fresh (`direct`: one Streamlit process
with deploy/serve's flags; `caddy`: deploy/serve itself; `plain`: one `streamlit run`
with Streamlit's defaults, i.e. no WebSocket compression), warmed with one session, and
sampled for RSS every second; after the sessions close it waits until RSS is back within
10 % of the start or `--settle` seconds pass. Disconnected sessions are dropped after
STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL seconds (lowered to 10 here from the default 120
so the "after" figure fits in the run).

Bounded: at most 200 sessions, 300 s per run, loopback addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_script, pct  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
MAX_SESSIONS = 200
MAX_DURATION = 300
RERUN_TIMEOUT = 60
SESSION_TTL = 10
WINDOW_HOURS = 48  # the page's default window

serve = load_script("deploy_serve", ROOT / "deploy" / "serve.py")


class CountingConnection(ClientConnection):
    """Counts the bytes that arrive on the socket: what the network carries."""

    wire_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        super().data_received(data)


@dataclass
class Stats:
    first_runs: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    rerun_spans: list[tuple[float, float]] = field(default_factory=list)  # monotonic start, end
    wire_bytes: list[int] = field(default_factory=list)
    payload_bytes: list[int] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    error_times: list[float] = field(default_factory=list)  # monotonic
    reconnect_times: list[float] = field(default_factory=list)  # monotonic

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.error_times.append(time.monotonic())


def rerun_message(
    base: str, slider: tuple[str, list[float], list[str]] | None, cached: set[str]
) -> bytes:
    """BackMsg.rerun_script as the browser sends it (widget state: the slider only).

    `slider` is (widget id, values, options): a plain slider's values are sent as numbers;
    a select slider's (options given) are positions, sent as the options' labels."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = ""
    state.page_script_hash = ""
    state.context_info.timezone = "America/Mexico_City"
    state.context_info.locale = "es-MX"
    state.context_info.url = base + "/"
    state.context_info.is_embedded = False
    state.cached_message_hashes.extend(sorted(cached))
    if slider is not None:
        widget = state.widget_states.widgets.add()
        widget.id = slider[0]
        if slider[2]:  # a select slider: the browser sends the options' labels
            widget.string_array_value.data.extend(slider[2][int(v)] for v in slider[1])
        else:
            widget.double_array_value.data.extend(slider[1])
    return msg.SerializeToString()


async def run_until_finished(ws, stats: Stats, found: dict, cached: set[str]) -> tuple[int, int]:
    """Read ForwardMsgs up to script_finished; returns (wire bytes, decoded bytes)."""
    start_wire = ws.wire_bytes
    decoded = 0
    while True:
        data = await asyncio.wait_for(ws.recv(), RERUN_TIMEOUT)
        decoded += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.metadata.cacheable and msg.hash:
            cached.add(msg.hash)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            # The page's time window: its widget key is "window" (the label is in the
            # page's language).
            if which == "slider" and element.slider.id.endswith("-window"):
                found["slider"] = element.slider
            elif which == "exception":  # named, so a run says what failed
                problem = element.exception
                stats.error(f"script exception: {problem.type}: {problem.message[:120]}")
        elif kind == "script_finished":
            if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                stats.error(f"script finished with status {msg.script_finished}")
            return ws.wire_bytes - start_wire, decoded


async def session(
    base: str, until: float, interval: float, stats: Stats, seed: int, reconnect: bool = False
) -> None:
    """One reader: load the page, then move the slider every few seconds until `until`.

    `reconnect`: when the connection drops after the first run (a replica killed), do what
    Streamlit's client does: load the page again, open a new socket, and send the widget
    state it had (the last slider position); a failed reconnect is an error."""
    rng = random.Random(seed)
    moved = None
    first = True
    attempt = 0
    while True:
        try:
            await one_connection(base, until, interval, stats, rng, moved, first)
            return
        except Reconnect as dropped:
            moved = dropped.moved
            if not reconnect or time.monotonic() + interval >= until or attempt >= 20:
                stats.error(dropped.kind)
                return
            attempt += 1
            first = False
            stats.reconnect_times.append(time.monotonic())
            await asyncio.sleep(min(0.1 * attempt, 1.0))


class Reconnect(Exception):  # noqa: N818
    """The connection dropped; `moved` is the slider state to send again."""

    def __init__(self, kind: str, moved):
        super().__init__(kind)
        self.kind, self.moved = kind, moved


async def one_connection(base, until, interval, stats, rng, moved, first) -> None:
    try:
        request = urllib.request.Request(base + "/", headers={"Accept-Encoding": "gzip"})  # noqa: S310
        response = await asyncio.to_thread(urllib.request.urlopen, request, timeout=30)  # noqa: S310
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
        response.read()
        response.close()
    except OSError as exc:
        if first:
            stats.error("page load failed")
            return
        raise Reconnect("page load failed", moved) from exc
    headers = {"Cookie": "; ".join(cookies)} if cookies else {}
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    cached: set[str] = set()
    found: dict = {}
    started = False
    try:
        async with connect(
            ws_url,
            origin=base,
            subprotocols=["streamlit"],
            additional_headers=headers,
            create_connection=CountingConnection,
            max_size=64 * 2**20,
            open_timeout=30,
        ) as ws:
            began = time.monotonic()
            await ws.send(rerun_message(base, moved, cached))
            await run_until_finished(ws, stats, found, cached)
            started = True
            if first:
                stats.first_runs.append(time.monotonic() - began)
            else:  # the reader's view, restored on another replica: a rerun they waited for
                stats.reruns.append(time.monotonic() - began)
            slider = found.get("slider")
            if slider is None:
                stats.error("no time slider on the page")
                return
            steps = int((slider.max - slider.min) // slider.step)
            span = min(WINDOW_HOURS, steps)
            while time.monotonic() + interval < until:
                await asyncio.sleep(interval * rng.uniform(0.67, 1.33))
                # A reader drags the window: a new start hour, the page's default length.
                low = slider.min + rng.randrange(0, steps - span + 1) * slider.step
                high = low + span * slider.step
                began = time.monotonic()
                moved = (slider.id, [low, high], list(slider.options))
                await ws.send(rerun_message(base, moved, cached))
                wire, decoded = await run_until_finished(ws, stats, found, cached)
                stats.reruns.append(time.monotonic() - began)
                stats.rerun_spans.append((began, time.monotonic()))
                stats.wire_bytes.append(wire)
                stats.payload_bytes.append(decoded)
    except TimeoutError:
        stats.error(f"no script_finished within {RERUN_TIMEOUT} s")
    except OSError as exc:
        if not started and first:
            stats.error(f"connection: {type(exc).__name__}")
            return
        raise Reconnect(f"connection: {type(exc).__name__}", moved) from exc
    except Exception as exc:  # a closed or refused WebSocket, a protocol error
        if not started and first:
            stats.error(f"websocket: {type(exc).__name__}")
            return
        raise Reconnect(f"websocket: {type(exc).__name__}", moved) from exc


async def drive(
    base: str,
    sessions: int,
    duration: float,
    interval: float,
    ramp: float,
    reconnect: bool = False,
) -> Stats:
    stats = Stats()
    until = time.monotonic() + duration
    tasks = []
    for number in range(sessions):
        tasks.append(asyncio.create_task(session(base, until, interval, stats, number, reconnect)))
        await asyncio.sleep(ramp / sessions)
    await asyncio.gather(*tasks)
    return stats


# ------------------------------------------------------------------ servers


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def children(pid: int) -> list[int]:
    found, frontier = set(), {pid}
    while frontier:
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return sorted(found)


def is_streamlit(pid: int) -> bool:
    try:
        return b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def replica_port(pid: int) -> int:
    args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return int(args[args.index("--server.port") + 1])


class Servers:
    """The configuration under test, started fresh; `pids` are its Streamlit processes."""

    def __init__(self, target: str, replicas: int, app: Path, serve_args: tuple[str, ...] = ()):
        self.port = serve.free_port()
        env = {**os.environ, "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL)}
        if target == "direct":  # deploy/serve's replica environment (malloc arenas)
            env = serve.replica_environment(env)
        if target == "caddy":
            command = [
                str(ROOT / "deploy" / "serve"),
                "--port",
                str(self.port),
                "--replicas",
                str(replicas),
                *serve_args,
            ]
        else:
            command = serve.replica_command(self.port)
            command[command.index(str(APP))] = str(app)
            if target == "plain":  # Streamlit's defaults: no WebSocket compression
                at = command.index("--server.enableWebsocketCompression")
                del command[at : at + 2]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{self.port}"
        if not serve.wait_healthy(self.base, [self.process], 120):
            self.stop()
            raise RuntimeError(f"{target} did not become healthy")
        time.sleep(2)  # let deploy/serve's Caddy pass its first health checks
        if target == "caddy":
            self.pids = [p for p in children(self.process.pid) if is_streamlit(p)]
        else:
            self.pids = [self.process.pid]
        # Each replica's own address, to warm every one of them before measuring.
        self.replicas = [f"http://127.0.0.1:{replica_port(pid)}" for pid in self.pids]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the server processes have used (/proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


async def sample_rss(pids: list[int], peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_kib(pids))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1)


async def measure(servers: Servers, sessions: int, args) -> dict:
    for replica in servers.replicas:  # data loaded and caches filled in every process
        warm = await drive(replica, 1, min(10, args.duration), args.interval, 0)
        if warm.errors:
            raise RuntimeError(f"warm-up of {replica} failed: {warm.errors}")
    await asyncio.sleep(SESSION_TTL + 6)  # the warm-up sessions are dropped, too
    start_rss = rss_kib(servers.pids)
    peak = [start_rss]
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(servers.pids, peak, stop))
    ramp = min(10.0, args.duration / 4)
    cpu_before = cpu_seconds(servers.pids)
    killed: dict = {}
    killer = None
    if args.kill_at:
        killer = asyncio.create_task(kill_a_replica(servers, args.kill_at, killed))
    stats = await drive(
        servers.base, sessions, args.duration, args.interval, ramp, reconnect=bool(args.kill_at)
    )
    if killer is not None:
        await killer
    cpu_used = cpu_seconds(servers.pids) - cpu_before
    stop.set()
    await sampler
    deadline = time.monotonic() + args.settle
    after = rss_kib(servers.pids)
    while after > start_rss * 1.10 and time.monotonic() < deadline:
        await asyncio.sleep(2)
        after = rss_kib(servers.pids)
    waited = args.settle - max(0.0, deadline - time.monotonic())

    return {
        "sessions": sessions,
        "reruns": len(stats.reruns),
        "rerun_p50_s": pct(stats.reruns, 50),
        "rerun_p95_s": pct(stats.reruns, 95),
        "first_run_p50_s": pct(stats.first_runs, 50),
        "first_run_p95_s": pct(stats.first_runs, 95),
        # Server CPU per script run (page loads and slider reruns): what one run costs,
        # whatever queueing the machine's other work adds to the latencies.
        "server_cpu_ms_per_run": round(
            1000 * cpu_used / max(1, len(stats.reruns) + len(stats.first_runs)), 1
        ),
        "errors": sum(stats.errors.values()),
        "error_kinds": stats.errors,
        "wire_kb_per_step_median": (
            statistics.median(stats.wire_bytes) / 1000 if stats.wire_bytes else None
        ),
        "decoded_kb_per_step_median": (
            statistics.median(stats.payload_bytes) / 1000 if stats.payload_bytes else None
        ),
        "rss_start_mb": start_rss / 1024,
        "rss_peak_mb": peak[0] / 1024,
        "rss_after_mb": after / 1024,
        "rss_after_within_10pct": after <= start_rss * 1.10,
        "settle_waited_s": round(waited, 1),
        **(fault_figures(stats, killed) if killed else {}),
    }


async def kill_a_replica(servers: Servers, at: float, killed: dict) -> None:
    """`kill -9` of the first replica `at` seconds into the run; records when, and when
    its port answered /_stcore/health again (deploy/serve restarts it)."""
    await asyncio.sleep(at)
    pid = servers.pids[0]
    url = servers.replicas[0]
    os.kill(pid, signal.SIGKILL)
    killed["at"] = time.monotonic()
    deadline = killed["at"] + 60
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        if await asyncio.to_thread(serve.healthy, url):
            killed["back"] = time.monotonic()
            break
    servers.pids = [p for p in children(servers.process.pid) if is_streamlit(p)]


def fault_figures(stats: Stats, killed: dict) -> dict:
    """What readers saw around the kill: errors after its first second, reconnects, and
    how long the replica took to answer again."""
    at = killed["at"]
    return {
        "errors_after_first_second": sum(t > at + 1 for t in stats.error_times),
        "reconnects": len(stats.reconnect_times),
        "replica_back_after_s": round(killed["back"] - at, 2) if "back" in killed else None,
    }


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} cores ({model}), {memory} GiB RAM, load avg {os.getloadavg()[0]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=("direct", "caddy", "plain"), default="direct")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--sessions", default="10,50,100", help="comma-separated counts")
    parser.add_argument("--duration", type=float, default=60, help="seconds per run")
    parser.add_argument("--interval", type=float, default=4, help="seconds between moves")
    parser.add_argument("--settle", type=float, default=60, help="max wait for RSS after")
    parser.add_argument("--app", type=Path, default=APP, help="the page (direct/plain only)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--bursts",
        type=int,
        default=1,
        help="runs per session count on the same servers (1..3): memory a burst leaves "
        "behind that the next one reuses is not a leak",
    )
    parser.add_argument(
        "--kill-at",
        type=float,
        default=0,
        metavar="SECONDS",
        help="(caddy) kill -9 one replica this many seconds into each run; sessions "
        "reconnect as Streamlit's client does, and the run reports errors after the kill's "
        "first second and when the replica answered again",
    )
    args = parser.parse_args()
    counts = [int(c) for c in args.sessions.split(",")]
    if not all(1 <= c <= MAX_SESSIONS for c in counts) or not 5 <= args.duration <= MAX_DURATION:
        parser.error(f"sessions 1..{MAX_SESSIONS}, duration 5..{MAX_DURATION} s")
    if not 1 <= args.bursts <= 3:
        parser.error("--bursts 1..3")
    if args.target == "caddy" and args.app != APP:
        parser.error("--app works with --target direct or plain")
    socket.setdefaulttimeout(60)
    results = {"machine": machine(), "target": args.target, "runs": []}
    if args.target == "caddy":
        results["replicas"] = args.replicas
    print(results["machine"], flush=True)
    for count in counts:
        servers = Servers(args.target, args.replicas, args.app)
        try:
            for burst in range(1, args.bursts + 1):
                result = asyncio.run(measure(servers, count, args))
                if args.bursts > 1:
                    result["burst"] = burst
                results["runs"].append(result)
                print(json.dumps(result), flush=True)
        finally:
            servers.stop()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
