"""A multi-host loopback web server for load tests and link-checker benchmarks.

H hosts listen on 127.0.0.2 .. 127.0.0.(H+1) (Linux routes all of 127/8 to the loopback
device), each on its own port, so a client sees H distinct hosts with their own connection
pools and per-host limits. Every request waits a seeded random latency before it is answered,
and the server counts, per host, the requests in flight at once and the peak: the figure that
proves (or disproves) a client's per-host limit, measured where it matters.

What a URL answers is written in its path, so a generated article decides the failure mix:

    /ok/<id>            a small generated HTML article (title + 3-5 paragraphs)
    /fail/404/<id>      404 Not Found
    /fail/500/<id>      500 on every attempt
    /fail/429/<id>      429 with Retry-After: 0 the first time, then the page
    /fail/reset/<id>    the connection is dropped (odd ids: before any byte; even: mid-body)
    /fail/slow/<id>     answers only after `slow_seconds` (meant to exceed the client timeout)
    /fail/loop/<id>     redirects to /fail/loop/<id>/b, which redirects back

A service host on 127.0.0.1 answers the Wayback Machine availability API with "no snapshot",
so a client's archive lookups for dead links stay on the machine (pass `endpoints()`).

The server runs on its own event loop in a daemon thread, so the client under test can be a
subprocess (the real CLI) or a coroutine in the caller's loop.

    with LoadServer(hosts=10, latency_ms=(100, 100)) as server:
        urls = server.urls(200)
        ...
        server.stats()  # {"requests": ..., "peak_per_host": ..., ...}

Run it on its own to point any tool at it:

    .venv/bin/python benchmarks/loadserver.py --hosts 10 --pages 200 --article /tmp/a.md
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import html
import json
import random
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

FAILURE_KINDS = ("404", "500", "429", "reset", "slow", "loop")

# Plain words, enough for pages whose sentences differ, so matching a claim to its page is
# real work rather than a lookup of one repeated sentence.
_ADJECTIVES = [
    "quiet",
    "bright",
    "narrow",
    "ancient",
    "crowded",
    "distant",
    "frozen",
    "golden",
    "hollow",
    "humble",
    "idle",
    "jagged",
    "lively",
    "modest",
    "northern",
    "open",
    "patient",
    "rapid",
    "rusty",
    "scarlet",
    "shallow",
    "silent",
    "steady",
    "tall",
    "tender",
    "velvet",
    "weathered",
    "western",
    "wide",
    "young",
    "amber",
    "brisk",
    "coastal",
    "dusty",
    "eager",
    "faint",
    "gentle",
    "hidden",
    "lonely",
    "muddy",
    "pale",
    "proud",
    "restless",
    "sandy",
    "sleepy",
    "stormy",
    "sturdy",
    "sunny",
]
_NOUNS = [
    "river",
    "valley",
    "harbor",
    "orchard",
    "mill",
    "lantern",
    "bridge",
    "market",
    "ferry",
    "meadow",
    "tower",
    "garden",
    "village",
    "engine",
    "library",
    "canal",
    "quarry",
    "cottage",
    "workshop",
    "bakery",
    "chapel",
    "forest",
    "island",
    "station",
    "vineyard",
    "granary",
    "lighthouse",
    "pasture",
    "foundry",
    "observatory",
    "tavern",
    "shipyard",
    "courtyard",
    "aqueduct",
    "monastery",
    "schoolhouse",
    "warehouse",
    "greenhouse",
    "boathouse",
    "windmill",
    "reservoir",
    "orchestra",
    "council",
    "committee",
    "caravan",
    "festival",
]
_VERBS = [
    "crossed",
    "repaired",
    "opened",
    "guarded",
    "painted",
    "measured",
    "visited",
    "replaced",
    "cleaned",
    "rebuilt",
    "supplied",
    "closed",
    "watched",
    "described",
    "mapped",
    "counted",
    "lit",
    "carried",
    "welcomed",
    "surveyed",
    "restored",
    "inspected",
    "widened",
    "moved",
    "sheltered",
    "photographed",
    "recorded",
    "celebrated",
]
_PERSONS = (
    "the mayor",
    "the engineers",
    "a fisherman",
    "the council",
    "two students",
    "the baker",
    "a surveyor",
    "the volunteers",
    "an old sailor",
    "the schoolteacher",
    "the tenants",
    "a young architect",
)
_TIMES = [
    "before noon",
    "at dusk",
    "in early spring",
    "after the flood",
    "every winter",
    "during the festival",
    "in 1874",
    "last autumn",
    "twice a year",
    "on the first morning",
    "after the storm",
    "by the summer",
]


def _rng(*parts: object) -> random.Random:
    # str hashing is salted per process; a digest keeps pages identical across runs
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sentence(rng: random.Random) -> str:
    """One plain English sentence of seeded words."""
    who = rng.choice(_PERSONS)
    return (
        f"{who[0].upper()}{who[1:]} {rng.choice(_VERBS)} the {rng.choice(_ADJECTIVES)} "
        f"{rng.choice(_NOUNS)} near the {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} "
        f"{rng.choice(_TIMES)}."
    )


@dataclass(frozen=True)
class Page:
    title: str
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]

    def html(self) -> str:
        body = "\n".join(f"<p>{html.escape(' '.join(p))}</p>" for p in self.paragraphs)
        title = html.escape(self.title)
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{title}</title></head>\n<body><nav><a href="/">Home</a> | '
            '<a href="/about">About</a></nav>\n<article><h1>'
            f"{title}</h1>\n{body}\n</article>\n<footer>Local load-test site</footer>"
            "</body></html>\n"
        )


def make_page(page_id: str, seed: int = 0) -> Page:
    """The page served for `page_id`: a title and 3-5 paragraphs of 4-6 sentences."""
    rng = _rng(seed, "page", page_id)
    title = f"The {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} of {rng.choice(_NOUNS)}s"
    paragraphs = tuple(
        tuple(sentence(rng) for _ in range(rng.randint(4, 6))) for _ in range(rng.randint(3, 5))
    )
    return Page(title.capitalize(), paragraphs)


def claim_for(page_id: str, seed: int = 0) -> str:
    """A sentence of the page, as an article citing it would state it."""
    page = make_page(page_id, seed)
    return _rng(seed, "claim", page_id).choice(page.sentences)


@dataclass(frozen=True)
class Cited:
    """One URL an article cites, and what the server will do with it."""

    url: str
    kind: str  # "ok" or one of FAILURE_KINDS
    page_id: str


def plan_urls(
    bases: Sequence[str],
    count: int,
    *,
    failure_rate: float = 0.0,
    kinds: Sequence[str] = FAILURE_KINDS,
    seed: int = 0,
) -> list[Cited]:
    """`count` URLs spread round-robin over `bases`; a seeded `failure_rate` share of them fail,
    the failing ones cycling through `kinds` so every kind is present."""
    rng = _rng(seed, "plan")
    failing = set(rng.sample(range(count), round(count * failure_rate))) if kinds else set()
    cited, k = [], 0
    for i in range(count):
        base = bases[i % len(bases)]
        page_id = f"p{i}"
        if i in failing:
            kind = kinds[k % len(kinds)]
            k += 1
            cited.append(Cited(f"{base}/fail/{kind}/{page_id}", kind, page_id))
        else:
            cited.append(Cited(f"{base}/ok/{page_id}", "ok", page_id))
    return cited


def make_article(cited: Sequence[Cited], *, seed: int = 0, title: str = "A load test") -> str:
    """Markdown citing every URL once: even ones by `[n]` markers with a `[n]: url` list at the
    end, odd ones by inline links. Each citing sentence is taken from the cited page."""
    lines = [f"# {title}", ""]
    definitions = []
    n = 0
    for i, c in enumerate(cited):
        claim = claim_for(c.page_id, seed).rstrip(".")
        if i % 2 == 0:
            n += 1
            lines.append(f"{claim} [{n}].")
            definitions.append(f"[{n}]: {c.url}")
        else:
            words = claim.split(" ")
            # link the sentence's last three words, as a writer links a phrase
            lines.append(f"{' '.join(words[:-3])} [{' '.join(words[-3:])}]({c.url}).")
        lines.append("")
    return "\n".join([*lines, "## References", "", *definitions, ""])


def make_archive(
    directory: Path,
    bases: Sequence[str],
    articles: int,
    refs: int,
    *,
    shared: int = 1,
    popular: int = 50,
    failure_rate: float = 0.0,
    seed: int = 0,
) -> list[Cited]:
    """An archive: `articles` markdown files in `directory` (post-00000.md, ...), each citing
    `refs` URLs: `shared` of them from a pool of `popular` pages that many posts cite (as an
    archive's posts cite the same few sources), the rest its own. URLs are spread
    round-robin over `bases`. Returns every distinct URL cited."""
    shared = min(shared, refs)
    own = refs - shared
    popular = min(popular, articles * shared) if shared else 0
    pool = plan_urls(bases, popular + articles * own, failure_rate=failure_rate, seed=seed)
    common, rest = pool[:popular], pool[popular:]
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(articles):
        cited = [common[(i * shared + k) % popular] for k in range(shared)] if popular else []
        cited += rest[i * own : (i + 1) * own]
        text = make_article(cited, seed=seed, title=f"Post {i}")
        (directory / f"post-{i:05d}.md").write_text(text, "utf-8")
    return pool


# -- the server ----------------------------------------------------------------------------


@dataclass
class HostCounter:
    # by id(): aiohttp requests are not hashable
    in_flight: dict[int, web.BaseRequest] = field(default_factory=dict)
    peak: int = 0
    requests: int = 0


def _alive(request: web.BaseRequest) -> bool:
    transport = request.transport
    return transport is not None and not transport.is_closing()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def loopback_addresses(hosts: int, first_address: int = 2) -> list[str]:
    """The addresses a LoadServer of `hosts` hosts listens on: 127.0.0.2, 127.0.0.3, ..."""
    return [f"127.0.0.{first_address + i}" for i in range(hosts)]


def self_signed(directory: Path, addresses: Sequence[str]) -> tuple[ssl.SSLContext, Path]:
    """A throwaway certificate for `addresses` (made with the openssl command): the servers'
    TLS context, and the certificate for clients to trust. RuntimeError without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the openssl command is needed to make a certificate")
    key, cert = directory / "key.pem", directory / "cert.pem"
    names = ",".join(f"IP:{a}" for a in addresses)
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=verify-loadserver"]
        + ["-addext", f"subjectAltName={names}"],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert


def trust_bundle(cert: Path, directory: Path) -> Path:
    """The system's CA certificates plus `cert`, as one file for SSL_CERT_FILE: a client
    trusts the throwaway certificate and still loads a real bundle's worth of them."""
    paths = ssl.get_default_verify_paths()
    system = next(
        (Path(p) for p in (paths.cafile, paths.openssl_cafile) if p and Path(p).is_file()), None
    )
    bundle = directory / "bundle.pem"
    bundle.write_bytes((system.read_bytes() if system else b"") + cert.read_bytes())
    return bundle


class LoadServer:
    """H loopback hosts with latency, a failure mix and per-host concurrency counters."""

    def __init__(
        self,
        hosts: int = 10,
        *,
        latency_ms: tuple[float, float] = (50.0, 200.0),
        seed: int = 0,
        slow_seconds: float = 30.0,
        first_address: int = 2,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        if not 1 <= hosts <= 254 - first_address:
            raise ValueError(f"hosts must be between 1 and {254 - first_address}")
        self.hosts = hosts
        self.latency = (latency_ms[0] / 1000, latency_ms[1] / 1000)
        self.seed = seed
        self.slow_seconds = slow_seconds
        self.addresses = loopback_addresses(hosts, first_address)
        # the cited hosts speak https with this context (the archive stub stays plain http)
        self.tls = tls
        self.scheme = "https" if tls is not None else "http"
        self.bases: list[str] = []
        self.service_base = ""
        self.counters: dict[str, HostCounter] = {}
        self.hits: Counter[str] = Counter()  # path -> requests (the 429 state depends on it)
        self.kinds: Counter[str] = Counter()  # "ok", "404", ... -> requests
        self.archive_lookups = 0
        # time.perf_counter() of the first request since the last reset (the clock is the
        # system's monotonic one, so a client's start time in this process compares with it)
        self.first_request_at: float | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runners: list[web.AppRunner] = []

    # -- what callers use

    def urls(self, count: int, *, failure_rate: float = 0.0, **kw: Any) -> list[Cited]:
        return plan_urls(self.bases, count, failure_rate=failure_rate, seed=self.seed, **kw)

    def endpoints(self) -> dict[str, str]:
        """verify's --endpoint values that keep archive lookups on this server."""
        return {"wayback_api": self.service_base, "wayback": self.service_base}

    def stats(self) -> dict[str, Any]:
        per_host = {base: self.counters[base] for base in self.bases if base in self.counters}
        return {
            "requests": sum(c.requests for c in per_host.values()),
            "peak_per_host": max((c.peak for c in per_host.values()), default=0),
            "peaks": {b: c.peak for b, c in per_host.items()},
            "requests_per_host": {b: c.requests for b, c in per_host.items()},
            "kinds": dict(self.kinds),
            "archive_lookups": self.archive_lookups,
            "first_request_at": self.first_request_at,
        }

    def reset(self) -> None:
        """Zero the counters and the 429 state between runs (call while no client is active)."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self._reset(), self._loop).result(10)

    async def _reset(self) -> None:
        self.counters = {b: HostCounter() for b in self.bases}
        self.hits.clear()
        self.kinds.clear()
        self.first_request_at = None
        self.archive_lookups = 0

    # -- lifecycle

    def __enter__(self) -> LoadServer:
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        failed: list[BaseException] = []

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            try:
                self._loop.run_until_complete(self._start())
            except BaseException as exc:
                failed.append(exc)
                started.set()
                return
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="loadserver", daemon=True)
        self._thread.start()
        started.wait(30)
        if failed:
            raise RuntimeError(f"load server did not start: {failed[0]}") from failed[0]
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()

    async def _start(self) -> None:
        for address in self.addresses:
            base = await self._site(self._app(), address, self.tls)
            self.bases.append(base)
            self.counters[base] = HostCounter()
        service = web.Application()
        service.router.add_get("/wayback/available", self._availability)
        service.router.add_get("/{tail:.*}", self._not_archived)
        self.service_base = await self._site(service, "127.0.0.1")

    async def _site(
        self, app: web.Application, address: str, tls: ssl.SSLContext | None = None
    ) -> str:
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        # a deep backlog: a benchmark may open hundreds of connections at once
        site = web.TCPSite(runner, address, 0, backlog=1024, ssl_context=tls)
        await site.start()
        self._runners.append(runner)
        scheme = "https" if tls is not None else "http"
        return f"{scheme}://{address}:{runner.addresses[0][1]}"

    async def _stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()

    # -- handlers

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._count])
        app.router.add_get("/ok/{id}", self._ok)
        app.router.add_get("/fail/loop/{id}/b", self._loop_back)
        app.router.add_get("/fail/{kind}/{id}", self._fail)
        return app

    @web.middleware
    async def _count(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.first_request_at is None:
            self.first_request_at = time.perf_counter()
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        base = f"{self.scheme}://{sockname[0]}:{sockname[1]}" if sockname else ""
        counter = self.counters.setdefault(base, HostCounter())
        # A request whose client already hung up (a timed-out slow one) no longer holds a
        # client slot, so it must not count against the next one.
        counter.in_flight = {k: r for k, r in counter.in_flight.items() if _alive(r)}
        counter.in_flight[id(request)] = request
        counter.requests += 1
        self.hits[request.path] += 1
        counter.peak = max(counter.peak, len(counter.in_flight))
        try:
            await asyncio.sleep(self._latency(request.path, self.hits[request.path]))
            return await handler(request)
        finally:
            counter.in_flight.pop(id(request), None)

    def _latency(self, path: str, attempt: int) -> float:
        lo, hi = self.latency
        return _rng(self.seed, "latency", path, attempt).uniform(lo, hi)

    async def _ok(self, request: web.Request) -> web.StreamResponse:
        self.kinds["ok"] += 1
        return self._page(request.match_info["id"])

    def _page(self, page_id: str) -> web.Response:
        return web.Response(
            text=make_page(page_id, self.seed).html(), content_type="text/html", charset="utf-8"
        )

    async def _fail(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["kind"]
        page_id = request.match_info["id"]
        self.kinds[kind] += 1
        if kind == "404":
            return web.Response(status=404, text="no such page")
        if kind == "500":
            return web.Response(status=500, text="the server is broken")
        if kind == "429":
            if self.hits[request.path] == 1:
                return web.Response(status=429, headers={"Retry-After": "0"}, text="slow down")
            return self._page(page_id)
        if kind == "reset":
            return await self._reset_connection(request, mid_body=page_id[-1] in "02468")
        if kind == "slow":
            await self._wait_or_hangup(request, self.slow_seconds)
            return self._page(page_id)
        if kind == "loop":
            raise web.HTTPFound(f"/fail/loop/{page_id}/b")
        raise web.HTTPNotFound(text=f"unknown failure kind {kind}")

    async def _loop_back(self, request: web.Request) -> web.StreamResponse:
        self.kinds["loop"] += 1
        raise web.HTTPFound(f"/fail/loop/{request.match_info['id']}")

    async def _reset_connection(
        self, request: web.Request, *, mid_body: bool
    ) -> web.StreamResponse:
        transport = request.transport
        response = web.StreamResponse()
        if mid_body:
            response.content_length = 100_000
            response.content_type = "text/html"
            await response.prepare(request)
            await response.write(b"<html><body><p>" + b"cut " * 500)
        if transport is not None:
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    # linger 0: close() sends a TCP RST, as a crashing server's kernel would
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        return response

    async def _wait_or_hangup(self, request: web.Request, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline and _alive(request):
            await asyncio.sleep(0.05)

    async def _availability(self, request: web.Request) -> web.StreamResponse:
        self.archive_lookups += 1
        return web.json_response({"url": request.query.get("url", ""), "archived_snapshots": {}})

    async def _not_archived(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=404, text="not archived")


def _main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve N generated pages over H loopback hosts.")
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, nargs=2, default=(100.0, 100.0))
    parser.add_argument("--failure-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--article", help="write a markdown article citing every page here")
    args = parser.parse_args(None if argv is None else list(argv))
    with LoadServer(args.hosts, latency_ms=tuple(args.latency_ms), seed=args.seed) as server:
        cited = server.urls(args.pages, failure_rate=args.failure_rate)
        if args.article:
            with open(args.article, "w", encoding="utf-8") as fh:
                fh.write(make_article(cited, seed=args.seed))
        print(json.dumps({"hosts": server.bases, "endpoints": server.endpoints()}))
        print("serving; Ctrl-C (or SIGTERM) prints the counters and stops", flush=True)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        stop.wait()
        print(json.dumps(server.stats()), flush=True)


if __name__ == "__main__":
    _main()
