"""Other readers' reruns while one reader uploads a 50 MB file and the page checks it.

    .venv/bin/python benchmarks/load_upload.py --target direct --sessions 10

Starts the servers as benchmarks/load.py does (fresh, every replica warmed by one
session), then runs `--sessions` slider sessions (load.py's readers, a move every
`--interval` s) for `--duration` seconds. At `--upload-at` seconds one more session, a
lightweight client speaking Streamlit's protocol like the others, uploads a generated CSV
of `--upload-mb` MB (the bundled incidents repeated with new ids, every row valid:
a large real file, not a hostile one) through Streamlit's own upload endpoint — BackMsg
`file_urls_request`, then a multipart PUT to `/_stcore/upload_file/SESSION/FILE` with
the XSRF token, then a rerun carrying the file uploader's widget state — and waits for
the page's check of it (the rerun's script_finished). The file is at most the page's
limit (dashboard/ingest/read.py MAX_FILE_BYTES).

Reported: the page's verdict on the file (the report's title and any alert), the other
sessions' rerun p50/p95 while idle (reruns that finished before the
upload began) and during the upload and check (reruns that overlap it), their ratio
(target ≤ 2), the upload's PUT and check seconds, and RSS. Bounded: at most 100 slider
sessions, 300 s, one upload, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_script, pct  # noqa: E402

load = load_script("bench_load", ROOT / "benchmarks" / "load.py")

MAX_SESSIONS = 100
CHECK_TIMEOUT = 300
DEBUG = bool(os.environ.get("TAPALPA_UPLOAD_DEBUG"))  # message kinds of the check's rerun
XSRF_COOKIE = "_streamlit_xsrf"


def big_csv(target_bytes: int) -> bytes:
    """The bundled incidents (geodata/incidents.csv) repeated, each copy's incident_id
    suffixed with its copy number, up to at most target_bytes. Every row stays valid."""
    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    size = len(out.getvalue().encode())
    copy = 0
    while True:
        copy += 1
        chunk = io.StringIO()
        part = csv.DictWriter(chunk, fieldnames=list(rows[0]), lineterminator="\n")
        for row in rows:
            part.writerow(
                {**row, "incident_id": f"{row['incident_id']}-{copy}", "distinct_from": ""}
            )
        text = chunk.getvalue()
        encoded = len(text.encode())
        if size + encoded > target_bytes:
            # Fill up with single rows until the next would not fit.
            for line in text.splitlines(keepends=True):
                if size + len(line.encode()) > target_bytes:
                    return out.getvalue().encode()
                out.write(line)
                size += len(line.encode())
        out.write(text)
        size += encoded


def wide_csv(columns: int = 100_000, rows: int = 6) -> bytes:
    """A header of `columns` names and `rows` rows of ones (2.5 MB at the default)."""
    lines = [",".join(f"column_{i}" for i in range(columns))]
    lines += [",".join("1" for _ in range(columns))] * rows
    return ("\n".join(lines) + "\n").encode()


def polygon_geojson(vertices: int = 1_700_000) -> bytes:
    """One feature whose geometry is a polygon of `vertices` positions (44 MB)."""
    ring = ",".join(f"[{-103 + i * 1e-7:.7f},{20 + i * 1e-7:.7f}]" for i in range(vertices))
    return (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"Polygon","coordinates":[[' + ring + "]]}}]}"
    ).encode()


def error_lines(lines: int | None = None) -> bytes:
    """The shape issue 25's re-probe (3d) found getting past the first 10,000 lines'
    error count: the bundled file's full header and its first row (valid), then `lines`
    rows with exactly one error each (event_type "nope", each its own incident_id; long
    optional text left out, as the probe did). None:
    as many rows as fit in the page's limits (MAX_FILE_BYTES, MAX_ROWS; about 48 MB).
    (The earlier 3-column file was refused for its missing columns, never row by row.)"""
    from dashboard.ingest.limits import MAX_ROWS
    from dashboard.ingest.read import MAX_FILE_BYTES

    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(first), lineterminator="\n")
    writer.writeheader()
    writer.writerow(first)
    head = out.getvalue().encode()
    short = dict.fromkeys(  # optional long text left out: more rows per MB
        ("summary_es", "notes", "more_source_urls", "distinct_from", "distinct_reason"), ""
    )
    bad = {**first, **short, "summary": "x", "source_url": "https://a.mx/1"}
    bad.update(event_type="nope", incident_id="{id}")
    row = io.StringIO()
    csv.DictWriter(row, fieldnames=list(first), lineterminator="\n").writerow(bad)
    before, after = row.getvalue().split("{id}", 1)  # the one-error row around its id
    if lines is None:
        per_line = len(f"{before}e{10**7}{after}".encode())
        lines = min((MAX_FILE_BYTES - len(head)) // per_line, MAX_ROWS - 3)
    return head + "".join(f"{before}e{10**7 + i}{after}" for i in range(lines)).encode()


HOSTILE = {"columns": wide_csv, "polygon": polygon_geojson, "lines": error_lines}


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = f"----tapalpa{uuid.uuid4().hex}"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


async def read_until(ws, predicate, timeout: float) -> ForwardMsg:
    deadline = time.monotonic() + timeout
    while True:
        data = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if predicate(msg):
            return msg


async def session_cookies(base: str, paths: tuple[str, ...] = ("/", "/_stcore/health")) -> dict:
    """The cookies a browser holds after loading `paths` in order: the proxy's sticky cookie
    from the page, Streamlit's XSRF cookie from /_stcore/health (its value goes in
    X-Xsrftoken on an upload, as the browser does). Raises OSError on a failed request."""
    cookies: dict[str, str] = {}
    for path in paths:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
        response = await asyncio.to_thread(urllib.request.urlopen, request, timeout=30)  # noqa: S310
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";")[0].split("=", 1)
            cookies[name] = value
        response.read()
    return cookies


async def put_file(ws, base: str, session_id: str, name: str, content: bytes, cookies: dict):
    """Upload `content` as `name` the way the browser's file picker does: BackMsg
    `file_urls_request` on the socket, then a multipart PUT to the URL it answers with.
    Returns the FileURLs; raises OSError when the server refuses the PUT."""
    ask = BackMsg()
    ask.file_urls_request.request_id = f"upload-{uuid.uuid4().hex[:8]}"
    ask.file_urls_request.file_names.append(name)
    ask.file_urls_request.session_id = session_id
    await ws.send(ask.SerializeToString())
    answer = await read_until(
        ws, lambda m: m.WhichOneof("type") == "file_urls_response", load.RERUN_TIMEOUT
    )
    urls = answer.file_urls_response.file_urls[0]
    body, boundary = multipart(name, content)
    put = urllib.request.Request(  # noqa: S310
        urls.upload_url if "://" in urls.upload_url else base + urls.upload_url,
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-Xsrftoken": cookies[XSRF_COOKIE],
            "Origin": base,
        },
    )
    reply = await asyncio.to_thread(urllib.request.urlopen, put, timeout=120)  # noqa: S310
    reply.read()
    return urls


async def uploader(base: str, content: bytes, start_at: float, result: dict) -> None:
    """One reader who uploads `content` as big.csv at `start_at` (monotonic) and waits for
    the page's check. Fills result with the times (monotonic) and any error."""
    cookies = await session_cookies(base)
    if XSRF_COOKIE not in cookies:
        result["error"] = f"no {XSRF_COOKIE} cookie from /_stcore/health"
        return
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    found: dict = {}

    def first_run(msg: ForwardMsg) -> bool:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            found["session_id"] = msg.new_session.initialize.session_id
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "file_uploader":
                found["uploader"] = element.file_uploader.id
        return kind == "script_finished"

    async with connect(
        ws_url,
        origin=base,
        subprotocols=["streamlit"],
        additional_headers={"Cookie": cookie_header},
        max_size=64 * 2**20,
        open_timeout=30,
    ) as ws:
        await ws.send(load.rerun_message(base, None, set()))
        await read_until(ws, first_run, load.RERUN_TIMEOUT)
        if "uploader" not in found or "session_id" not in found:
            result["error"] = f"no file uploader or session id on the page: {sorted(found)}"
            return
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        result["began"] = time.monotonic()
        try:
            urls = await put_file(ws, base, found["session_id"], "big.csv", content, cookies)
        except OSError as exc:
            result["error"] = f"upload refused: {exc}"
            return
        result["uploaded"] = time.monotonic()
        rerun = BackMsg.FromString(load.rerun_message(base, None, set()))
        widget = rerun.rerun_script.widget_states.widgets.add()
        widget.id = found["uploader"]
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.name = "big.csv"
        info.size = len(content)
        info.file_id = urls.file_id
        info.file_urls.CopyFrom(urls)
        await ws.send(rerun.SerializeToString())
        statuses = []

        def finished(msg: ForwardMsg) -> bool:
            kind = msg.WhichOneof("type")
            if DEBUG:
                result.setdefault("kinds", []).append(
                    kind if kind != "delta" else msg.delta.WhichOneof("type")
                )
            if kind == "script_finished":
                statuses.append(msg.script_finished)
                return True
            if kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
                block = msg.delta.add_block
                label = block.expandable.label
                if block.WhichOneof("type") == "expandable" and "big" in label:  # big.csv
                    result["report_title"] = label  # the page's verdict on the file
            delta = msg.delta.WhichOneof("type") if kind == "delta" else None
            element = msg.delta.new_element if delta == "new_element" else None
            which = element.WhichOneof("type") if element is not None else None
            if which == "exception":
                found.setdefault("seen", []).append("exception")
            elif which is not None and DEBUG:
                result.setdefault("elements", []).append(which)
            if which == "alert":  # st.error/warning/info/success: what the reader is told
                result.setdefault("alerts", []).append(element.alert.body[:160])
            return False

        try:
            await read_until(ws, finished, CHECK_TIMEOUT)
        except TimeoutError:
            result["error"] = f"check did not finish within {CHECK_TIMEOUT} s"
            return
        result["checked"] = time.monotonic()
        if statuses[0] != ForwardMsg.FINISHED_SUCCESSFULLY or "exception" in found.get("seen", []):
            result["error"] = f"check ended with status {statuses[0]}, elements {found.get('seen')}"


def _seconds(times: dict, start: str, end: str) -> float | None:
    return round(times[end] - times[start], 2) if end in times and start in times else None


async def measure(servers, args, content: bytes) -> dict:
    for replica in servers.replicas:
        warm = await load.drive(replica, 1, 8, args.interval, 0)
        if warm.errors:
            raise RuntimeError(f"warm-up of {replica} failed: {warm.errors}")
    start_rss = load.rss_kib(servers.pids)
    peak = [start_rss]
    stop = asyncio.Event()
    sampler = asyncio.create_task(load.sample_rss(servers.pids, peak, stop))
    begin = time.monotonic()
    upload: dict = {}
    ramp = min(10, args.upload_at / 2)
    readers = asyncio.create_task(
        load.drive(servers.base, args.sessions, args.duration, args.interval, ramp)
    )
    await uploader(servers.base, content, begin + args.upload_at, upload)
    stats = await readers
    stop.set()
    await sampler
    began = upload.get("began", float("inf"))
    ended = upload.get("checked", upload.get("uploaded", began))
    ramp_end = begin + ramp + args.interval
    idle = [e - s for s, e in stats.rerun_spans if ramp_end <= s and e < began]
    during = [e - s for s, e in stats.rerun_spans if s < ended and e > began]
    idle_p95, during_p95 = pct(idle, 95), pct(during, 95)
    return {
        "sessions": args.sessions,
        "file_mb": round(len(content) / 1e6, 2),
        "upload_error": upload.get("error"),
        "report_title": upload.get("report_title"),
        "alerts": upload.get("alerts", []),
        **({"debug": upload.get("kinds"), "elements": upload.get("elements")} if DEBUG else {}),
        "put_s": round(upload["uploaded"] - upload["began"], 2) if "uploaded" in upload else None,
        "check_s": round(upload["checked"] - upload["uploaded"], 2)
        if "checked" in upload
        else None,
        "idle_reruns": len(idle),
        "idle_p50_s": pct(idle, 50),
        "idle_p95_s": idle_p95,
        "during_reruns": len(during),
        "during_p50_s": pct(during, 50),
        "during_p95_s": during_p95,
        "during_max_s": max(during) if during else None,
        "p95_ratio": round(during_p95 / idle_p95, 2) if idle_p95 and during_p95 else None,
        "reader_errors": stats.errors,
        "rss_start_mb": start_rss / 1024,
        "rss_peak_mb": peak[0] / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=("direct", "caddy"), default="direct")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=10, help="slider sessions")
    parser.add_argument("--duration", type=float, default=90, help="seconds of slider moves")
    parser.add_argument("--upload-at", type=float, default=30, help="seconds before the upload")
    parser.add_argument("--upload-mb", type=float, default=50, help="file size in MB (10^6)")
    parser.add_argument("--interval", type=float, default=4, help="seconds between moves")
    parser.add_argument(
        "--hostile",
        choices=sorted(HOSTILE),
        help="upload a hostile shape instead of a valid file (issue 25): 100,000 columns, "
        "one polygon of 1.7 million vertices (44 MB), or the full header, one valid row "
        "and rows of one error each (as many as the page takes: about 48 MB)",
    )
    parser.add_argument(
        "--save",
        type=Path,
        help="write the --hostile file here and exit (for the command line: "
        "--hostile lines --lines 2000000 --save err2m.csv, then `validate` it)",
    )
    parser.add_argument("--lines", type=int, help="rows of errors for --hostile lines")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS or not 10 <= args.duration <= load.MAX_DURATION:
        parser.error(f"sessions 1..{MAX_SESSIONS}, duration 10..{load.MAX_DURATION} s")
    if not 5 <= args.upload_at < args.duration:
        parser.error("--upload-at: 5 s .. --duration")
    from dashboard.ingest.read import MAX_FILE_BYTES

    if args.hostile:
        lines = {"lines": args.lines} if args.hostile == "lines" and args.lines else {}
        content = HOSTILE[args.hostile](**lines)
        if args.save:
            args.save.write_bytes(content)
            return 0
    else:
        content = big_csv(min(int(args.upload_mb * 1e6), MAX_FILE_BYTES))
    socket.setdefaulttimeout(120)
    print(load.machine(), flush=True)
    servers = load.Servers(args.target, args.replicas, load.APP)
    try:
        result = asyncio.run(measure(servers, args, content))
    finally:
        servers.stop()
    result = {"machine": load.machine(), "target": args.target, **result}
    print(json.dumps(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
