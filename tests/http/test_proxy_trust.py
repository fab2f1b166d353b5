"""With a proxy named in the environment, the proxy resolves the cited names, on the far side
of every guard: names are resolved and checked here first, and a name that resolves to a
refused address (or that only ever names the local network) never reaches the proxy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from servers import FakeResolver, serve

from verify.http.client import HttpFetcher
from verify.models import Options, RefStatus


@asynccontextmanager
async def proxy(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[str]]:
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.Response(text="through the proxy")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    async with serve(app) as base:
        monkeypatch.setenv("HTTP_PROXY", f"http://proxy.test:{base.rsplit(':', 1)[1]}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        yield seen


ANSWERS = {
    "proxy.test": ["127.0.0.1"],
    "public.example": ["192.0.2.10"],  # a documentation address: stands in for a public one
    "meta.example": ["169.254.169.254"],
    "mapped.example": ["::ffff:169.254.169.254"],
    "mixed.example": ["192.0.2.11", "10.1.2.3"],
    "inside.example": ["fd00::5"],
}


@pytest.mark.parametrize(
    "url",
    [
        "http://meta.example/latest/meta-data/",
        "http://mapped.example/",
        "http://mixed.example/",
        "http://inside.example/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata.google.internal./computeMetadata/v1/",
        "http://metadata/computeMetadata/v1/",
        "http://printer.local/",
        "http://169.254.169.254/",
        "http://0xa9fea9fe/",
    ],
)
async def test_a_refused_name_never_reaches_the_proxy(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    async with proxy(monkeypatch) as seen:
        resolver = FakeResolver(ANSWERS)
        options = Options(retries=0, cache=False, timeout=5.0)
        async with HttpFetcher(options, resolver=resolver) as fetcher:
            result = await fetcher.fetch(url)
    assert result.status is RefStatus.BLOCKED, result
    assert seen == []


async def test_a_public_name_goes_through_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    async with proxy(monkeypatch) as seen:
        resolver = FakeResolver(ANSWERS)
        options = Options(retries=0, cache=False, timeout=5.0)
        async with HttpFetcher(options, resolver=resolver) as fetcher:
            first = await fetcher.fetch("http://public.example/a")
            second = await fetcher.fetch("http://public.example/b")
    assert first.status is RefStatus.OK and second.status is RefStatus.OK
    assert seen == ["http://public.example/a", "http://public.example/b"]
    assert resolver.calls.count("public.example") == 1  # checked once per host
