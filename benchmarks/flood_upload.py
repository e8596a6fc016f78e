"""One session sends file after file to the upload endpoint without letting the page run
(issue 25: 12 uploads of 50 MB held 286 -> 860 MB for minutes). Reports, after each PUT,
the bytes the replica's uploaded-file manager holds (its /_stcore/metrics) and its RSS,
then the same a few seconds after the socket closes.

    .venv/bin/python benchmarks/flood_upload.py [--files 12] [--mb 50]

Starts one Streamlit process with deploy/serve's flags (benchmarks/load.py `direct`);
localhost only, bounded by --files (<= 20) and --mb (<= 50).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.request
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_script  # noqa: E402

load_upload = load_script("bench_load_upload", ROOT / "benchmarks" / "load_upload.py")
load = load_upload.load


def held_bytes(base: str) -> int:
    with urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=30) as response:  # noqa: S310
        lines = response.read().decode().splitlines()
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in lines
        if line.startswith("cache_memory_bytes") and "UploadedFileManager" in line
    )


async def flood(base: str, pids: list[int], files: int, content: bytes) -> dict:
    cookies = await load_upload.session_cookies(base, ("/_stcore/health",))
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    found: dict = {}

    def first_run(msg) -> bool:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            found["session_id"] = msg.new_session.initialize.session_id
        return kind == "script_finished"

    steps = []
    start_rss = load.rss_kib(pids) / 1024
    async with connect(
        base.replace("http://", "ws://") + "/_stcore/stream",
        origin=base,
        subprotocols=["streamlit"],
        additional_headers={"Cookie": cookie_header},
        max_size=64 * 2**20,
        open_timeout=30,
    ) as ws:
        await ws.send(load.rerun_message(base, None, set()))
        await load_upload.read_until(ws, first_run, load.RERUN_TIMEOUT)
        for number in range(files):
            await load_upload.put_file(
                ws, base, found["session_id"], f"f{number}.csv", content, cookies
            )
            await asyncio.sleep(1.5)  # the sweeper runs every second
            steps.append(
                {
                    "file": number + 1,
                    "held_mb": round(held_bytes(base) / 1e6, 1),
                    "rss_mb": round(load.rss_kib(pids) / 1024),
                }
            )
    closed = time.monotonic()
    await asyncio.sleep(5)
    return {
        "files": files,
        "file_mb": round(len(content) / 1e6, 1),
        "rss_start_mb": round(start_rss),
        "after_each_put": steps,
        "peak_rss_mb": max(s["rss_mb"] for s in steps),
        "held_mb_5s_after_close": round(held_bytes(base) / 1e6, 1),
        "rss_5s_after_close_mb": round(load.rss_kib(pids) / 1024),
        "waited_after_close_s": round(time.monotonic() - closed, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not 1 <= args.files <= 20 or not 0 < args.mb <= 50:
        parser.error("--files 1..20, --mb up to 50")
    content = load_upload.big_csv(int(args.mb * 1e6))
    print(load.machine(), flush=True)
    servers = load.Servers("direct", 1, load.APP)
    try:
        result = asyncio.run(flood(servers.base, servers.pids, args.files, content))
    finally:
        servers.stop()
    result = {"machine": load.machine(), **result}
    print(json.dumps(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
