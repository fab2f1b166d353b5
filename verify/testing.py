"""Serve a WARC's responses over plain HTTP on 127.0.0.1, as the live sites would.

Real hosts cannot be reached here, so a URL https://HOST/PATH is served at
http://127.0.0.1:PORT/HOST/PATH. `rewrite()` turns an article's URLs into local ones, and
`endpoints()` points verify's site resolvers (X, DocumentCloud, Wayback) at the server.
Requests are counted, so a benchmark or test can tell a cached run from a cold one.

Used by benchmarks/run_article.py and the end-to-end tests; useful to anyone who wants to
run verify against recorded sources over real HTTP (`--record` makes such a WARC). The archive
is read by verify's own WARC reader (verify.http.warc), the one `--replay` uses.
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

from verify.http.semantics import Exchange
from verify.http.urls import normalize_url
from verify.http.warc import load_archive

# verify's endpoint names and the real base URLs they stand for
ENDPOINT_BASES = {
    "x_syndication": "https://cdn.syndication.twimg.com",
    "x_oembed": "https://publish.twitter.com",
    "documentcloud_api": "https://api.www.documentcloud.org",
    "wayback": "https://web.archive.org",
    "wayback_api": "https://archive.org",
}

# the archive's headers are already without the wire encoding's (verify.http.semantics);
# this one describes the recorded connection, not ours
_HOP_HEADERS = {"connection"}


def load_warc(path: str | Path) -> dict[str, Exchange]:
    """The archive's responses by normalised URL, read as `--replay` reads them (the last
    record of a URL wins)."""
    records, _ = load_archive(path)
    return {url: found[-1] for url, found in records.items()}


@dataclass
class WarcServer:
    """A threaded aiohttp server; use as a context manager."""

    warc: str | Path
    latency: float = 0.0  # seconds each answer waits, as a distant site would
    responses: dict[str, Exchange] = field(default_factory=dict)
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
        rec = self.responses.get(normalize_url(original)) or self.responses.get(
            normalize_url(unquote(original))
        )
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
        headers = [
            (k, self.local(v) if k.lower() == "location" else v)
            for k, v in rec.headers
            if k.lower() not in _HOP_HEADERS
        ]
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
