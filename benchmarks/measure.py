"""Wall time and peak memory of a command and its worker processes, and the processes a
process started: what the benchmarks print and the load test's memory bound is judged by.

Linux reads /proc; elsewhere the figures fall back to what the standard library can tell.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Measured:
    returncode: int
    wall_s: float
    peak_mb: float  # the process and its worker processes together
    stdout: bytes
    stderr: bytes
    started_at: float = 0.0  # time.perf_counter() just before the command was started
    # user + system CPU seconds of the command and the processes it waited for (its workers);
    # None where the memory sampler ran (it waits without collecting the usage)
    cpu_s: float | None = None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            kids = [int(p) for p in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def child_pids(pid: int | None = None) -> set[int] | None:
    """The processes `pid` (this one by default) started from its main thread, and theirs,
    that have not been waited for, ended ones included; None where /proc cannot tell."""

    pid = os.getpid() if pid is None else pid
    if not os.path.exists(f"/proc/{pid}/task/{pid}/children"):
        return None
    return set(_children(pid))


def _high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_measured(
    cmd: list[str], *, poll: float = 0.02, memory: bool = True, **popen: object
) -> Measured:
    """Run a command; its wall time and the peak memory of it and its worker processes
    (with memory=False, the wall time only: peak_mb is 0).

    The peak is the sum of each process's high-water resident set (VmHWM), read from /proc
    while it runs: an upper bound, since pages a forked worker shares with its parent count
    twice. `ru_maxrss` would be wrong here: after fork and exec a child inherits its parent's
    high-water mark, so a command started from a big test runner looks as big as the runner.
    Where /proc is missing, falls back to ru_maxrss of the command alone.
    """

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, **popen)  # type: ignore[call-overload]
        peaks: dict[int, int] = {}
        use_proc = memory and os.path.isdir(f"/proc/{proc.pid}")
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                for pid in (proc.pid, *_children(proc.pid)):
                    peaks[pid] = max(peaks.get(pid, 0), _high_water_kb(pid))
                done.wait(poll)

        # memory is sampled in a thread; the wall time ends when the command does, not at
        # the next sample (which would add up to `poll` seconds to every figure)
        sampler = threading.Thread(target=sample, daemon=True) if use_proc else None
        cpu: float | None = None
        if sampler is not None:
            sampler.start()
            proc.wait()
            wall = time.perf_counter() - start
            done.set()
            sampler.join()
            peak_kb = sum(peaks.values())
        else:
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak_kb = usage.ru_maxrss if memory else 0
            cpu = usage.ru_utime + usage.ru_stime
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, wall, peak_kb / 1024, out.read(), err.read(), start, cpu)
