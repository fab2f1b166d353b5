"""The live client against local servers: statuses, retries, redirects, limits, sharing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from servers import (
    FakeResolver,
    SleepRecorder,
    closed_port,
    serve,
    serve_routes,
)
from servers import (
    local_options as local,
)

from verify import __version__
from verify.http.cache import Cache
from verify.http.client import DEFAULT_USER_AGENT, HttpFetcher
from verify.models import RefStatus


async def page(request: web.Request) -> web.Response:
    return web.Response(
        text="<html><body><p>A page about lighthouses.</p></body></html>",
        content_type="text/html",
        charset="utf-8",
    )


# -- the basics -----------------------------------------------------------------------------


async def test_ok_response_is_described_in_full() -> None:
    async with serve_routes({"/page": page}) as (base, log), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/page")
    assert result.status is RefStatus.OK
    assert result.http_status == 200
    assert result.url == f"{base}/page"
    assert result.final_url == f"{base}/page"
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert b"lighthouses" in result.body
    assert result.error is None
    assert result.redirects == ()
    assert result.from_cache is False
    assert result.header("content-type") == "text/html; charset=utf-8"
    # the body is decoded, so wire-encoding headers are not passed on
    assert result.header("content-length") is None
    assert log.count("/page") == 1
    assert f.requests_sent == 1


async def test_user_agent_names_the_tool_and_version_and_accept_is_sent() -> None:
    async with serve_routes({"/page": page}) as (base, log), HttpFetcher(local()) as f:
        await f.fetch(f"{base}/page")
        await f.fetch(f"{base}/page?pdf", accept="application/pdf")
    ua = log.requests[0].headers["User-Agent"]
    assert ua == DEFAULT_USER_AGENT
    assert "verify" in ua and __version__ in ua
    assert "text/html" in log.requests[0].headers["Accept"]
    assert log.requests[1].headers["Accept"] == "application/pdf"


async def test_user_agent_option_overrides_the_default() -> None:
    opts = local(user_agent="my-bot/2.0")
    async with serve_routes({"/page": page}) as (base, log), HttpFetcher(opts) as f:
        await f.fetch(f"{base}/page")
    assert log.requests[0].headers["User-Agent"] == "my-bot/2.0"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (404, RefStatus.NOT_FOUND),
        (410, RefStatus.NOT_FOUND),
        (401, RefStatus.BLOCKED),
        (403, RefStatus.BLOCKED),
        (429, RefStatus.BLOCKED),
        (418, RefStatus.ERROR),
        (451, RefStatus.ERROR),
        (500, RefStatus.ERROR),
        (503, RefStatus.ERROR),
        (204, RefStatus.OK),
    ],
)
async def test_status_mapping(code: int, status: RefStatus) -> None:
    async def handler(request: web.Request) -> web.Response:
        body = None if code == 204 else f"wall page for {code}"
        return web.Response(status=code, text=body)

    async with serve_routes({"/x": handler}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/x")
    assert result.status is status
    assert result.http_status == code
    if status is not RefStatus.OK:
        assert result.error is not None and str(code) in result.error
        # non-2xx bodies are kept: resolvers look for bot walls in them
        assert result.body == f"wall page for {code}".encode()


async def test_server_errors_are_retried_then_reported() -> None:
    sleep = SleepRecorder()

    async def failing(request: web.Request) -> web.Response:
        return web.Response(status=502, text="bad gateway")

    opts = local(retries=3)
    async with (
        serve_routes({"/x": failing}) as (base, log),
        HttpFetcher(opts, sleep=sleep, backoff=0.01) as f,
    ):
        result = await f.fetch(f"{base}/x")
    assert result.status is RefStatus.ERROR
    assert result.http_status == 502
    assert log.count("/x") == 4
    assert len(sleep.delays) == 3
    # exponential: each wait is at least as long as the one before
    assert sleep.delays == sorted(sleep.delays)
    assert 0.005 <= sleep.delays[0] <= 0.01
    assert 0.02 <= sleep.delays[2] <= 0.04


async def test_persistent_429_ends_blocked() -> None:
    sleep = SleepRecorder()

    async def limited(request: web.Request) -> web.Response:
        return web.Response(status=429, text="slow down")

    async with (
        serve_routes({"/x": limited}) as (base, log),
        HttpFetcher(local(retries=2), sleep=sleep, backoff=0) as f,
    ):
        result = await f.fetch(f"{base}/x")
    assert result.status is RefStatus.BLOCKED
    assert log.count("/x") == 3


async def test_client_errors_are_not_retried() -> None:
    sleep = SleepRecorder()

    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=404)

    async with (
        serve_routes({"/x": missing}) as (base, log),
        HttpFetcher(local(retries=3), sleep=sleep) as f,
    ):
        result = await f.fetch(f"{base}/x")
    assert result.status is RefStatus.NOT_FOUND
    assert log.count("/x") == 1
    assert sleep.delays == []


async def test_connection_refused_is_unreachable_after_retries() -> None:
    sleep = SleepRecorder()
    async with HttpFetcher(local(retries=2), sleep=sleep, backoff=0) as f:
        result = await f.fetch(f"http://127.0.0.1:{closed_port()}/gone")
    assert result.status is RefStatus.UNREACHABLE
    assert result.error and "connect" in result.error
    assert len(sleep.delays) == 2
    assert f.requests_sent == 0


async def test_dns_failure_is_unreachable() -> None:
    resolver = FakeResolver({})
    async with HttpFetcher(local(retries=2), resolver=resolver, backoff=0) as f:
        result = await f.fetch("http://no-such-name.test/")
    assert result.status is RefStatus.UNREACHABLE
    assert result.error and "DNS" in result.error
    # a name that does not exist is not worth asking about again
    assert resolver.calls == ["no-such-name.test"]


async def test_retry_after_http_date_is_honoured_and_capped() -> None:
    sleep = SleepRecorder()
    calls = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            later = datetime.now(UTC) + timedelta(hours=2)
            return web.Response(status=503, headers={"Retry-After": format_datetime(later)})
        return web.Response(text="back")

    opts = local(retries=1, max_retry_after=5.0)
    async with serve_routes({"/x": handler}) as (base, _), HttpFetcher(opts, sleep=sleep) as f:
        result = await f.fetch(f"{base}/x")
    assert result.status is RefStatus.OK
    assert sleep.delays == [5.0]


# -- redirects ------------------------------------------------------------------------------


async def hop(request: web.Request) -> web.Response:
    n = int(request.match_info["n"])
    if n == 0:
        return web.Response(text="arrived")
    # relative Location, alternating codes
    code = (301, 302, 303, 307, 308)[n % 5]
    return web.Response(status=code, headers={"Location": f"/r/{n - 1}#frag"})


async def test_redirect_chain_is_followed_and_listed() -> None:
    async with serve_routes({"/r/{n}": hop}) as (base, log), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/r/3")
    assert result.status is RefStatus.OK
    assert result.body == b"arrived"
    assert result.final_url == f"{base}/r/0"
    assert result.redirects == (f"{base}/r/2", f"{base}/r/1", f"{base}/r/0")
    assert log.count() == 4


async def test_too_many_redirects() -> None:
    async with (
        serve_routes({"/r/{n}": hop}) as (base, log),
        HttpFetcher(local(max_redirects=3)) as f,
    ):
        result = await f.fetch(f"{base}/r/10")
    assert result.status is RefStatus.ERROR
    assert result.error and "too many redirects" in result.error
    assert log.count() == 4
    assert len(result.redirects) == 3


async def test_redirect_without_location_is_an_error() -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=302)

    async with serve_routes({"/x": broken}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/x")
    assert result.status is RefStatus.ERROR
    assert result.error and "Location" in result.error


# -- size cap -------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "status"), [(1000, RefStatus.OK), (1001, RefStatus.TOO_LARGE)])
async def test_size_cap(size: int, status: RefStatus) -> None:
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"a" * size)

    async with serve_routes({"/x": big}) as (base, _), HttpFetcher(local(max_bytes=1000)) as f:
        result = await f.fetch(f"{base}/x")
    assert result.status is status
    assert result.body == b"a" * min(size, 1000)


# -- sharing and concurrency ----------------------------------------------------------------


async def test_each_url_is_fetched_once_even_when_asked_concurrently() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.05)
        return web.Response(text="shared")

    async with serve_routes({"/x": slow}) as (base, log), HttpFetcher(local()) as f:
        urls = [f"{base}/x", f"{base}/x", f"{base}/x#part", f"{base}/x"]
        results = await asyncio.gather(*(f.fetch(u) for u in urls))
        again = await f.fetch(f"{base}/x")
    assert log.count("/x") == 1
    assert f.requests_sent == 1
    assert [r.url for r in results] == urls
    assert all(r.body == b"shared" for r in [*results, again])


async def test_per_host_limit_holds() -> None:
    active = peak = 0

    async def counted(request: web.Request) -> web.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.03)
        active -= 1
        return web.Response(text="ok")

    async with (
        serve_routes({"/p/{n}": counted}) as (base, log),
        HttpFetcher(local(per_host=2, concurrency=16)) as f,
    ):
        results = await asyncio.gather(*(f.fetch(f"{base}/p/{i}") for i in range(8)))
    assert all(r.status is RefStatus.OK for r in results)
    assert log.count() == 8
    assert peak == 2


async def test_global_limit_holds_across_hosts() -> None:
    active = peak = 0

    async def counted(request: web.Request) -> web.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.03)
        active -= 1
        return web.Response(text="ok")

    names = [f"h{i}.test" for i in range(6)]
    resolver = FakeResolver({name: ["127.0.0.1"] for name in names})
    async with serve_routes({"/": counted}) as (base, log):
        port = base.rsplit(":", 1)[1]
        opts = local(per_host=4, concurrency=3)
        async with HttpFetcher(opts, resolver=resolver) as f:
            results = await asyncio.gather(*(f.fetch(f"http://{n}:{port}/") for n in names))
    assert all(r.status is RefStatus.OK for r in results)
    assert log.count() == 6
    assert peak == 3


async def test_a_host_waiting_to_retry_gets_no_other_requests() -> None:
    # per_host=1: while /a waits out its Retry-After, /b for the same host must not be sent
    waiting = asyncio.Event()
    release = asyncio.Event()
    seen_during_wait: list[str] = []

    async def gate(delay: float) -> None:
        waiting.set()
        await release.wait()

    calls = 0

    async def a(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return web.Response(status=503, headers={"Retry-After": "3"})
        return web.Response(text="a")

    async def b(request: web.Request) -> web.Response:
        return web.Response(text="b")

    async with (
        serve_routes({"/a": a, "/b": b}) as (base, log),
        HttpFetcher(local(per_host=1, retries=1), sleep=gate) as f,
    ):
        first = asyncio.create_task(f.fetch(f"{base}/a"))
        await waiting.wait()
        second = asyncio.create_task(f.fetch(f"{base}/b"))
        await asyncio.sleep(0.1)
        seen_during_wait = [r.path for r in log.requests]
        release.set()
        results = await asyncio.gather(first, second)
    assert seen_during_wait == ["/a"]
    assert [r.status for r in results] == [RefStatus.OK, RefStatus.OK]
    assert [r.path for r in log.requests] == ["/a", "/a", "/b"]


# -- cache ----------------------------------------------------------------------------------


async def test_second_run_is_served_from_the_cache(tmp_path: Path) -> None:
    async with serve_routes({"/page": page}) as (base, log):
        with Cache(tmp_path) as cache:
            async with HttpFetcher(local(), cache=cache) as f1:
                first = await f1.fetch(f"{base}/page")
            async with HttpFetcher(local(), cache=cache) as f2:
                second = await f2.fetch(f"{base}/page")
    assert log.count("/page") == 1
    assert f2.requests_sent == 0
    assert second.from_cache is True
    assert second.body == first.body
    assert second.final_url == first.final_url


async def test_failures_are_not_cached(tmp_path: Path) -> None:
    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=404)

    async with serve_routes({"/x": missing}) as (base, log):
        with Cache(tmp_path) as cache:
            for _ in range(2):
                async with HttpFetcher(local(), cache=cache) as f:
                    assert (await f.fetch(f"{base}/x")).status is RefStatus.NOT_FOUND
    assert log.count("/x") == 2


# -- proxies from the environment -----------------------------------------------------------


@asynccontextmanager
async def proxy_server(
    monkeypatch: pytest.MonkeyPatch, handler: Any, *, credentials: str = "", no_proxy: str = ""
) -> AsyncIterator[str]:
    """A server answering every path with `handler`, named as HTTP_PROXY (`proxy.test`, with
    `credentials` "user:password@" if given); yields its port."""
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    async with serve(app) as base:
        port = base.rsplit(":", 1)[1]
        monkeypatch.setenv("HTTP_PROXY", f"http://{credentials}proxy.test:{port}")
        monkeypatch.delenv("no_proxy", raising=False)
        if no_proxy:
            monkeypatch.setenv("NO_PROXY", no_proxy)
        else:
            monkeypatch.delenv("NO_PROXY", raising=False)
        yield port


async def test_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    async def proxy(request: web.Request) -> web.Response:
        return web.Response(text=f"proxied {request.url}")

    async with proxy_server(monkeypatch, proxy):
        # a named proxy on a private address is contacted on purpose, so it is not refused
        resolver = FakeResolver({"proxy.test": ["127.0.0.1"]})
        async with HttpFetcher(local(allow_private=False), resolver=resolver) as f:
            result = await f.fetch("http://far-away.example/story")
    assert result.status is RefStatus.OK
    assert result.body == b"proxied http://far-away.example/story"
    # the cited name is resolved here first (it does not resolve: the proxy is asked anyway)
    assert resolver.calls == ["far-away.example", "proxy.test"]


async def test_proxy_credentials_no_proxy_and_no_netrc(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[tuple[str, str | None, str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(
            (
                str(request.url),
                request.headers.get("Proxy-Authorization"),
                request.headers.get("Authorization"),
            )
        )
        return web.Response(text="hello")

    server = proxy_server(monkeypatch, handler, credentials="agent:secret@", no_proxy="direct.test")
    async with server as port:
        # credentials for the cited host in ~/.netrc must never be sent to it
        netrc = tmp_path / ".netrc"
        netrc.write_text("machine far-away.example login me password hunter2\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        monkeypatch.setenv("HOME", str(tmp_path))
        resolver = FakeResolver({"proxy.test": ["127.0.0.1"], "direct.test": ["127.0.0.1"]})
        async with HttpFetcher(local(allow_private=True), resolver=resolver) as f:
            via_proxy = await f.fetch("http://far-away.example/story")
            direct = await f.fetch(f"http://direct.test:{port}/page")
    assert via_proxy.status is RefStatus.OK and direct.status is RefStatus.OK
    assert seen[0] == ("http://far-away.example/story", "Basic YWdlbnQ6c2VjcmV0", None)
    # NO_PROXY: straight to the host, without the proxy's credentials
    assert seen[1][1:] == (None, None)
    assert seen[1][0].endswith("/page")


async def test_a_recording_keeps_no_proxy_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gzip

    from verify.http.warc import WarcRecorder

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=f"auth {request.headers.get('Proxy-Authorization')}")

    async with proxy_server(monkeypatch, handler, credentials="agent:secret@"):
        resolver = FakeResolver({"proxy.test": ["127.0.0.1"]})
        recorder = WarcRecorder(tmp_path / "run.warc.gz")
        async with HttpFetcher(local(), resolver=resolver, recorder=recorder) as f:
            result = await f.fetch("http://far-away.example/story")
        recorder.close()
    assert result.body == b"auth Basic YWdlbnQ6c2VjcmV0"  # the proxy did get them
    recorded = gzip.decompress((tmp_path / "run.warc.gz").read_bytes())
    assert b"far-away.example/story" in recorded
    assert b"Proxy-Authorization" not in recorded


# -- misuse and odd input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"), [("http://", RefStatus.ERROR), ("not a url", RefStatus.UNSUPPORTED)]
)
async def test_bad_urls_become_statuses(url: str, status: RefStatus) -> None:
    async with HttpFetcher(local()) as f:
        result = await f.fetch(url)
    assert result.status is status
    assert result.error


async def test_fetch_outside_the_context_manager_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        await HttpFetcher(local()).fetch("http://example.org/")


async def test_only_the_latest_answers_are_kept_for_later_callers() -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=request.path)

    async with serve_routes({"/{name}": page}) as (base, log), HttpFetcher(local()) as f:
        f.MEMO = 2  # type: ignore[misc]
        for name in ("a", "b", "c", "c", "a"):
            await f.fetch(f"{base}/{name}")
    # "c" was among the last two answers when asked again; "a" was not
    assert log.count("/c") == 1
    assert log.count("/a") == 2
