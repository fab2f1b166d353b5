"""Local test servers and network fakes. Tests never touch real sites.

* `serve(app)`: run an aiohttp.web.Application on 127.0.0.1:0; yields its base URL.
* `RequestLog`: middleware that remembers every request an app received.
* `raw_server(handler)`: a bare TCP server for responses no HTTP library would send.
* `FakeResolver`: a DNS resolver answering from a table (names -> addresses), counting lookups.
* `guard_connections(monkeypatch)`: make any connection to a non-loopback address fail at once,
  and list every address a connection was attempted to.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohappyeyeballs
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from verify.models import Options

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Run `app` on 127.0.0.1 on a free port; yields "http://127.0.0.1:<port>"."""
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    path_qs: str
    headers: Mapping[str, str]
    host: str


@dataclass
class RequestLog:
    """Every request an app saw, in arrival order. Add `log.middleware` to the app."""

    requests: list[Seen] = field(default_factory=list)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests.append(
            Seen(
                request.method,
                request.path,
                request.path_qs,
                dict(request.headers),
                request.headers.get("Host", ""),
            )
        )
        return await handler(request)

    def count(self, path: str | None = None) -> int:
        return sum(1 for r in self.requests if path is None or r.path == path)


def make_app(routes: Mapping[str, Handler], log: RequestLog | None = None) -> web.Application:
    """An app answering GET on each path of `routes` (aiohttp route syntax, e.g. "/r/{n}")."""
    app = web.Application(middlewares=[log.middleware] if log else [])
    for path, handler in routes.items():
        app.router.add_get(path, handler, allow_head=False)
    return app


@asynccontextmanager
async def serve_routes(
    routes: Mapping[str, Handler],
) -> AsyncIterator[tuple[str, RequestLog]]:
    """`serve(make_app(routes, log))`; yields (base URL, log)."""
    log = RequestLog()
    async with serve(make_app(routes, log)) as base:
        yield base, log


@dataclass
class RawServer:
    url: str
    connections: int = 0


@asynccontextmanager
async def raw_server(handler: RawHandler) -> AsyncIterator[RawServer]:
    """A TCP server on 127.0.0.1 that runs `handler(reader, writer)` for each connection."""
    tasks: set[asyncio.Task[None]] = set()
    info = RawServer(url="")

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        info.connections += 1
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)  # type: ignore[arg-type]
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client hung up, which is often the point of the test
        finally:
            writer.transport.abort()
            tasks.discard(task)  # type: ignore[arg-type]

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    info.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield info
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The request head (through the blank line) from a raw connection."""
    return await reader.readuntil(b"\r\n\r\n")


Answer = Sequence[str] | Callable[[int], Sequence[str]]


class FakeResolver(AbstractResolver):
    """Answers from a table; a callable answer gets the number of earlier lookups of that name.

    Unknown names fail like NXDOMAIN.
    """

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = dict(answers)
        self.calls: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        previous = self.calls.count(host)
        self.calls.append(host)
        answer = self.answers.get(host)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answer(previous) if callable(answer) else answer
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


def local_options(**overrides: object) -> Options:
    """Options for talking to local test servers: loopback allowed, no retries, no cache."""
    values: dict[str, object] = {
        "allow_private": True,
        "retries": 0,
        "timeout": 5.0,
        "connect_timeout": 2.0,
        "cache": False,
    }
    values.update(overrides)
    return Options(**values)  # type: ignore[arg-type]


def guard_connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse, instantly, every aiohttp connection to a non-loopback address.

    Returns the list of addresses connections were attempted to (loopback or not), so a test
    can show which address a fetch tried. No packet ever leaves the machine.
    """
    attempts: list[str] = []
    real = aiohappyeyeballs.start_connection

    async def start_connection(*args: Any, addr_infos: Sequence[Any], **kwargs: Any) -> Any:
        addresses = [info[4][0] for info in addr_infos]
        attempts.extend(addresses)
        loopback = [i for i in addr_infos if ipaddress.ip_address(i[4][0]).is_loopback]
        if not loopback:
            raise OSError(errno.ENETUNREACH, "test guard: non-loopback connection refused")
        return await real(*args, addr_infos=loopback, **kwargs)

    monkeypatch.setattr(aiohappyeyeballs, "start_connection", start_connection)
    return attempts


class SleepRecorder:
    """An injectable sleep that records the delays asked for and does not wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
