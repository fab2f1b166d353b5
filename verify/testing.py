"""Serve a WARC's responses over plain HTTP on 127.0.0.1, as the live sites would.

Real hosts cannot be reached here, so a URL https://HOST/PATH is served at
http://127.0.0.1:PORT/HOST/PATH. `rewrite()` turns an article's URLs into local ones, and
`endpoints()` points verify's site resolvers (X, DocumentCloud, Wayback) at the server.
Requests are counted, so a benchmark or test can tell a cached run from a cold one.

Used by benchmarks/run_article.py and the end-to-end tests; useful to anyone who wants to
run verify against recorded sources over real HTTP (`--record` makes such a WARC).
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from aiohttp import web
from warcio.archiveiterator import ArchiveIterator

# verify's endpoint names and the real base URLs they stand for
ENDPOINT_BASES = {
    "x_syndication": "https://cdn.syndication.twimg.com",
    "x_oembed": "https://publish.twitter.com",
    "documentcloud_api": "https://api.www.documentcloud.org",
    "wayback": "https://web.archive.org",
    "wayback_api": "https://archive.org",
}

_HOP_HEADERS = {"transfer-encoding", "content-length", "content-encoding", "connection"}


@dataclass
class Recorded:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def _key(url: str) -> str:
    # the same normalisation ReplayFetcher uses, so percent-encoding differences never matter
    from verify.http.netguard import normalize_url

    return normalize_url(url)


def load_warc(path: str | Path) -> dict[str, Recorded]:
    responses: dict[str, Recorded] = {}
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            status_line = record.http_headers.get_statuscode()
            reason = record.http_headers.protocol and record.http_headers.statusline
            responses[_key(url)] = Recorded(
                status=int(status_line),
                reason=str(reason).partition(" ")[2] or "OK",
                headers=[
                    (k, v) for k, v in record.http_headers.headers if k.lower() not in _HOP_HEADERS
                ],
                body=record.content_stream().read(),
            )
    return responses


@dataclass
class WarcServer:
    """A threaded aiohttp server; use as a context manager."""

    warc: str | Path
    latency: float = 0.0  # seconds each answer waits, as a distant site would
    responses: dict[str, Recorded] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def local(self, url: str) -> str:
        return re.sub(r"^https?://", self.base + "/", url)

    def original(self, local_url: str) -> str:
        """Undo `local` everywhere in a URL, percent-encoded copies included."""
        prefix = self.base + "/"
        text = re.sub(re.escape(prefix) + r"([^/?#]+)", r"https://\1", local_url)
        enc = quote(prefix, safe="")
        return re.sub(
            re.escape(enc) + r"([^%&]+)", lambda m: quote("https://", safe="") + m.group(1), text
        )

    def rewrite(self, markdown: str, hosts: tuple[str, ...]) -> str:
        """Point the article's links on `hosts` at the server."""
        for host in hosts:
            markdown = markdown.replace(f"https://{host}/", f"{self.base}/{host}/")
        return markdown

    def endpoints(self) -> dict[str, str]:
        return {name: self.local(base) for name, base in ENDPOINT_BASES.items()}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self.latency:
            await asyncio.sleep(self.latency)
        original = self.original(self.base + request.rel_url.raw_path_qs)
        rec = self.responses.get(_key(original)) or self.responses.get(_key(unquote(original)))
        self.hits[original] += 1
        if rec is None:
            return web.Response(status=404, text=f"not in the archive: {original}")
        body = rec.body
        ctype = next((v for k, v in rec.headers if k.lower() == "content-type"), "")
        if "json" in ctype:
            # links inside API answers (DocumentCloud's asset_url) must lead back here too
            body = re.sub(
                rb"https://([a-z0-9.-]+)/",
                lambda m: (self.base + "/").encode() + m.group(1) + b"/",
                body,
            )
        headers = [(k, self.local(v) if k.lower() == "location" else v) for k, v in rec.headers]
        resp = web.Response(status=rec.status, reason=rec.reason, body=body)
        for k, v in headers:
            resp.headers.add(k, v)
        return resp

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def __enter__(self) -> WarcServer:
        self.responses = load_warc(self.warc)
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@dataclass
class Measured:
    returncode: int
    wall_s: float
    peak_mb: float  # the process and its worker processes together
    stdout: bytes
    stderr: bytes
    started_at: float = 0.0  # time.perf_counter() just before the command was started


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
    import os

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


def run_measured(cmd: list[str], *, poll: float = 0.02, **popen: object) -> Measured:
    """Run a command; its wall time and the peak memory of it and its worker processes.

    The peak is the sum of each process's high-water resident set (VmHWM), read from /proc
    while it runs: an upper bound, since pages a forked worker shares with its parent count
    twice. `ru_maxrss` would be wrong here: after fork and exec a child inherits its parent's
    high-water mark, so a command started from a big test runner looks as big as the runner.
    Where /proc is missing, falls back to ru_maxrss of the command alone.
    """
    import os
    import subprocess
    import tempfile
    import threading
    import time

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, **popen)  # type: ignore[call-overload]
        peaks: dict[int, int] = {}
        use_proc = os.path.isdir(f"/proc/{proc.pid}")
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                for pid in (proc.pid, *_children(proc.pid)):
                    peaks[pid] = max(peaks.get(pid, 0), _high_water_kb(pid))
                done.wait(poll)

        # memory is sampled in a thread; the wall time ends when the command does, not at
        # the next sample (which would add up to `poll` seconds to every figure)
        sampler = threading.Thread(target=sample, daemon=True) if use_proc else None
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
            peak_kb = usage.ru_maxrss
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, wall, peak_kb / 1024, out.read(), err.read(), start)
