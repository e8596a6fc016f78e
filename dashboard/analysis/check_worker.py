"""A reader's file checked in a worker process, so its parse never holds the replica's
GIL (other readers' runs keep their pace) and a file that needs too much memory or time
costs the worker, never the replica.

One worker per replica (`python -m dashboard.analysis.check_worker GEODATA MEMORY`): it
loads the bundle once; before each check it caps its own address space (RLIMIT_AS) at
what it maps then plus `memory` bytes. It answers requests on stdin with `check_file`'s
result on stdout, one pickled frame at a time (8-byte length, then the pickle):
("ready",), ("progress", fraction, step), ("done", Incidents) or ("failed", traceback
text). The page holds one check at a time
(web/upload_bounds.check_slot), so one worker is enough; a worker that exceeds its time
is killed, one that dies (out of memory) is replaced at the next check, and the reader
gets a refusal naming the file and the reason in the file's report, not a traceback.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard.analysis.check_file import check_file
from dashboard.ingest.incident_table import empty_incidents
from dashboard.ingest.validate import Incidents
from dashboard.model.schema import Report
from dashboard.text.message import msg

# Address space one check may add to the worker's (RLIMIT_AS, bytes): a valid 50 MB CSV
# (55,000 rows) adds about 240 MB of it and 600 MB of resident memory at most (the worker
# with its bundle maps 1.7 GB, mostly libraries' reserved address space, 180 MB
# resident); TAPALPA_CHECK_MEMORY_MB changes it.
CHECK_MEMORY_BYTES = int(os.environ.get("TAPALPA_CHECK_MEMORY_MB", "1024")) * 2**20
# Seconds one check may take before its worker is killed (a 50 MB valid file takes a
# few seconds on a quiet machine); TAPALPA_CHECK_SECONDS changes it.
CHECK_SECONDS = float(os.environ.get("TAPALPA_CHECK_SECONDS", "90"))
WORKER_NICENESS = 10  # added to the worker's scheduling niceness (os.nice)
START_SECONDS = 180.0  # a worker's start: imports and the bundle, not counted in a check
_HEADER = struct.Struct("!Q")
_log = logging.getLogger(__name__)


def _send(stream, item) -> None:
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 (our own worker and its parent)


def refused(name: str, reason) -> Incidents:
    """An empty result whose report has one file-level error: `name` was not checked,
    for `reason` (a Message)."""
    report = Report()
    report.add(name, None, None, None, reason)
    return Incidents(empty_incidents(), report)


class Worker:
    """One worker process for files of `geodata` (a bundle folder), started on first
    use and replaced after it dies or is killed."""

    def __init__(self, geodata: str, memory: int = CHECK_MEMORY_BYTES):
        self.geodata, self.memory = geodata, memory
        self.version = ""
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> None:
        command = [sys.executable, "-m", __name__, self.geodata, str(self.memory)]
        # The same code as this process's, wherever it was started from.
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(  # noqa: S603 (our own module, our arguments)
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,
            env={**os.environ, "PYTHONPATH": path},
        )
        if self._next(START_SECONDS) != ("ready",):
            raise RuntimeError("the file-check worker did not start")

    def _running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _started(self) -> bool:
        """Start the worker unless it runs (call with the lock held); False, logged and
        stopped, when it did not start."""
        try:
            if not self._running():
                self._start()
        except (RuntimeError, TimeoutError, EOFError, OSError):
            _log.exception("the file-check worker did not start")
            self.stop()
            return False
        return True

    def warm(self) -> None:
        """Start the worker in the background if it is not running (a page view calls
        this, so a reader's first file does not wait for the worker's imports)."""
        if not self._running() and not self.lock.locked():
            threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        with self.lock:
            self._started()

    def _next(self, seconds: float):
        """The worker's next message, waiting up to `seconds`; TimeoutError after."""
        stream = self.process.stdout
        ready, _, _ = select.select([stream], [], [], max(seconds, 0.0))
        if not ready:
            raise TimeoutError
        return _receive(stream)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def check(self, data: bytes, name: str, progress=None, seconds: float = CHECK_SECONDS):
        """check_file's result for `data` (a file called `name`) from the worker, or
        `refused` when the worker ran out of its time or memory; `progress(fraction,
        step)` is called as in check_file."""
        with self.lock:
            if not self._started():
                return refused(name, msg("the file could not be checked (an internal error)"))
            try:
                _send(self.process.stdin, (data, name))
                deadline = time.monotonic() + seconds
                while True:
                    message = self._next(deadline - time.monotonic())
                    if message[0] == "progress":
                        if progress is not None:
                            progress(*message[1:])
                        continue
                    break
            except TimeoutError:
                self.stop()
                return refused(
                    name,
                    msg("the file took more than {seconds} s to check", seconds=int(seconds)),
                )
            except (EOFError, BrokenPipeError, OSError):
                self.stop()
                return refused(
                    name,
                    msg(
                        "checking the file needed more than the {mb} MB a check may use",
                        mb=self.memory // 2**20,
                    ),
                )
            except BaseException:  # e.g. Streamlit stopping the run from `progress`
                self.stop()  # its answer must never be read as the next file's
                raise
            if message[0] == "failed":
                _log.error("file check failed for %r:\n%s", name, message[1])
                return refused(name, msg("the file could not be checked (an internal error)"))
            return message[1]


_WORKER: list[Worker] = []  # this process's one worker, if started
_WORKERS_LOCK = threading.Lock()


def worker_for(geodata: str, version: str = "") -> Worker:
    """The process's worker for `geodata` (a bundle folder) at data `version` (the
    page's cache key). One per process: another folder or version replaces it (the new
    one reads that bundle), after the old one's running check."""
    with _WORKERS_LOCK:
        if _WORKER and (_WORKER[0].geodata, _WORKER[0].version) == (geodata, version):
            return _WORKER[0]
        if _WORKER:
            old = _WORKER.pop()
            with old.lock:
                old.stop()
        worker = Worker(geodata)
        worker.version = version
        _WORKER.append(worker)
        return worker


def _mapped_bytes() -> int:
    """This process's address space (VmSize in /proc/self/status), bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _serve(geodata: str, memory: int) -> None:
    import resource
    import traceback

    from dashboard.ingest.bundle import load_bundle

    os.nice(WORKER_NICENESS)  # the replica's readers first when the cores are busy
    bundle = load_bundle(Path(geodata))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    _send(answers, ("ready",))
    while True:
        try:
            data, name = _receive(requests)
        except EOFError:
            return
        mapped = _mapped_bytes()
        soft = mapped + memory if hard == resource.RLIM_INFINITY else min(mapped + memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        try:
            result = check_file(
                data,
                name,
                bundle.locations,
                bundle.states,
                progress=lambda fraction, step: _send(answers, ("progress", fraction, step)),
            )
            del data
            _send(answers, ("done", result))
        except MemoryError:
            os._exit(3)  # the parent reports the memory limit
        except Exception:
            _send(answers, ("failed", traceback.format_exc()))


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
