"""Servers that misbehave, by accident or on purpose. Each ends in a defined status."""

from __future__ import annotations

import asyncio
import gzip
import importlib
import socket
import struct
import tracemalloc
import zlib

import pytest
from aiohttp import web
from servers import (
    Handler,
    RawHandler,
    RawServer,
    SleepRecorder,
    raw_server,
    read_request,
    serve_routes,
)
from servers import (
    local_options as local,
)

from verify.http.client import HttpFetcher
from verify.http.decoding import decode_body
from verify.models import FetchResult, RefStatus


async def fetch_raw(server: RawServer, **overrides: object) -> tuple[FetchResult, SleepRecorder]:
    sleep = SleepRecorder()
    async with HttpFetcher(local(**overrides), sleep=sleep, backoff=0) as f:
        result = await f.fetch(f"{server.url}/")
    return result, sleep


# -- broken connections ---------------------------------------------------------------------


async def test_connection_reset_mid_body() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n"
            b"<html><body><p>The first part of a story"
        )
        await writer.drain()
        # linger 0: close() sends a RST instead of a FIN
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async with raw_server(handler) as server:
        result, sleep = await fetch_raw(server, retries=2)
    assert result.status is RefStatus.UNREACHABLE
    assert result.error and "connection" in result.error
    assert server.connections == 3  # retried
    assert len(sleep.delays) == 2


async def test_server_closes_without_answering() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    async with raw_server(handler) as server:
        result, sleep = await fetch_raw(server, retries=1)
    assert result.status is RefStatus.UNREACHABLE
    assert result.error and "closed" in result.error
    # retried once by us (aiohttp itself may also reconnect once per attempt)
    assert len(sleep.delays) == 1
    assert server.connections >= 2


async def test_trickling_server_hits_the_total_timeout() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        )
        for _ in range(100000):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(0.05)

    async with raw_server(handler) as server:
        result, _ = await fetch_raw(server, timeout=0.4, retries=2)
    assert result.status is RefStatus.UNREACHABLE
    assert result.error and "timed out" in result.error
    # a slow server is not asked again: that would multiply the wait
    assert server.connections == 1


async def test_endless_body_stops_at_the_cap() -> None:
    finished = asyncio.Event()

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        try:
            while True:
                await response.write(b"<p>more and more</p>" * 1000)
        finally:
            finished.set()

    async with serve_routes({"/": endless}) as (base, _):
        async with HttpFetcher(local(max_bytes=300_000)) as f:
            result = await f.fetch(f"{base}/")
        # the fetcher hung up, so the server's endless loop ended
        await asyncio.wait_for(finished.wait(), 10)
    assert result.status is RefStatus.TOO_LARGE
    assert len(result.body) == 300_000
    assert result.error and "300000" in result.error


# -- compression bombs ----------------------------------------------------------------------

BOMB_SIZE = 64 * 1024 * 1024


def gzip_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(BOMB_SIZE // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


async def fetch_bomb(payload: bytes, encoding: str) -> tuple[FetchResult, int]:
    async def bomb(request: web.Request) -> web.Response:
        return web.Response(
            body=payload, headers={"Content-Type": "text/html", "Content-Encoding": encoding}
        )

    async with serve_routes({"/": bomb}) as (base, _):
        tracemalloc.start()
        try:
            async with HttpFetcher(local(max_bytes=1_000_000)) as f:
                result = await f.fetch(f"{base}/")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return result, peak


async def test_gzip_bomb_is_cut_at_the_cap() -> None:
    payload = gzip_bomb()
    assert len(payload) < 200_000  # it really is a bomb: 64 MiB inside
    result, peak = await fetch_bomb(payload, "gzip")
    assert result.status is RefStatus.TOO_LARGE
    assert result.body == bytes(1_000_000)
    # the decoded size is counted as it streams; memory stays far below the bomb's size
    assert peak < 24 * 1024 * 1024


async def test_brotli_bomb_is_cut_at_the_cap() -> None:
    brotli = None
    for name in ("brotli", "brotlicffi"):
        try:
            brotli = importlib.import_module(name)
            break
        except ImportError:
            continue
    if brotli is None:
        pytest.skip("no brotli module installed; aiohttp cannot decode br")
    payload = brotli.compress(bytes(BOMB_SIZE), quality=5)
    result, peak = await fetch_bomb(payload, "br")
    assert result.status is RefStatus.TOO_LARGE
    assert result.body == bytes(1_000_000)
    assert peak < 24 * 1024 * 1024


async def test_body_that_is_not_the_gzip_it_claims() -> None:
    async def liar(request: web.Request) -> web.Response:
        return web.Response(body=b"plain text, not gzip", headers={"Content-Encoding": "gzip"})

    async with serve_routes({"/": liar}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.ERROR
    assert result.error and "decode" in result.error


async def test_gzip_body_is_decoded() -> None:
    text = b"<p>An ordinary compressed page about tide pools.</p>"

    async def gz(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(text),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        )

    async with serve_routes({"/": gz}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert result.body == text
    assert result.header("content-encoding") is None


# -- redirects ------------------------------------------------------------------------------


async def test_redirect_loop() -> None:
    async def ping(request: web.Request) -> web.Response:
        raise web.HTTPFound("/pong")

    async def pong(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/ping")

    async with (
        serve_routes({"/ping": ping, "/pong": pong}) as (base, log),
        HttpFetcher(local()) as f,
    ):
        result = await f.fetch(f"{base}/ping")
    assert result.status is RefStatus.ERROR
    assert result.error and "redirect loop" in result.error
    assert log.count() == 2


async def test_redirect_to_itself() -> None:
    async def same(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect("/same")

    async with serve_routes({"/same": same}) as (base, log), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/same")
    assert result.status is RefStatus.ERROR
    assert result.error and "redirect loop" in result.error
    assert log.count() == 1


# -- malformed HTTP -------------------------------------------------------------------------


def canned(response: bytes) -> RawHandler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response)
        await writer.drain()
        writer.close()

    return handler


async def test_ten_thousand_headers() -> None:
    headers = b"".join(b"X-Filler-%d: value\r\n" % i for i in range(10_000))
    response = b"HTTP/1.1 200 OK\r\n" + headers + b"Content-Length: 2\r\n\r\nok"
    async with raw_server(canned(response)) as server:
        result, _ = await fetch_raw(server, retries=2)
    assert result.status is RefStatus.ERROR
    assert result.error and "malformed response" in result.error
    assert "header" in result.error.lower()
    assert server.connections == 1


async def test_header_line_too_long() -> None:
    response = b"HTTP/1.1 200 OK\r\nX-Huge: " + b"z" * 100_000 + b"\r\nContent-Length: 0\r\n\r\n"
    async with raw_server(canned(response)) as server:
        result, _ = await fetch_raw(server)
    assert result.status is RefStatus.ERROR
    assert result.error and "malformed response" in result.error
    assert len(result.error) <= 200


async def test_not_http_at_all() -> None:
    async with raw_server(canned(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")) as server:
        result, _ = await fetch_raw(server)
    assert result.status is RefStatus.ERROR
    assert result.error and "malformed response" in result.error
    assert "\n" not in result.error


async def test_304_without_a_cached_copy() -> None:
    async with raw_server(canned(b"HTTP/1.1 304 Not Modified\r\n\r\n")) as server:
        result, _ = await fetch_raw(server)
    assert result.status is RefStatus.ERROR
    assert result.http_status == 304
    assert result.error and "no cached copy" in result.error


# -- bodies ---------------------------------------------------------------------------------


async def test_invalid_utf8_body() -> None:
    good = "Une brève histoire du café; a short and naïve résumé. " * 4
    body = good.encode() + b"\xc3\x28 and \xff\xfe then more text"

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    async with serve_routes({"/": handler}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert result.body == body
    text = decode_body(result)
    assert text.startswith(good)
    assert "\ufffd" in text
    assert text.endswith("then more text")


async def test_gbk_page_declared_utf8() -> None:
    chinese = "本市今年新建了三座公园，居民步行十分钟即可到达最近的绿地。"
    html = f"<html><head><title>公园</title></head><body><p>{chinese}</p></body></html>"

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=html.encode("gbk"), content_type="text/html", charset="utf-8")

    async with serve_routes({"/": handler}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert result.charset == "utf-8"
    assert chinese in decode_body(result)


async def test_empty_200() -> None:
    async def empty(request: web.Request) -> web.Response:
        return web.Response(body=b"", content_type="text/html")

    async with serve_routes({"/": empty}) as (base, _), HttpFetcher(local()) as f:
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert result.body == b""
    assert decode_body(result) == ""


# -- retries --------------------------------------------------------------------------------


def flaky(first: web.Response) -> Handler:
    calls = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return first
        return web.Response(text="fine now", content_type="text/html")

    return handler


async def test_500_then_200() -> None:
    sleep = SleepRecorder()
    handler = flaky(web.Response(status=500, text="oops"))
    async with (
        serve_routes({"/": handler}) as (base, log),
        HttpFetcher(local(retries=3), sleep=sleep, backoff=0.01) as f,
    ):
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert result.body == b"fine now"
    assert log.count("/") == 2
    assert len(sleep.delays) == 1


async def test_429_with_retry_after_is_honoured() -> None:
    sleep = SleepRecorder()
    handler = flaky(web.Response(status=429, headers={"Retry-After": "1"}))
    async with (
        serve_routes({"/": handler}) as (base, log),
        HttpFetcher(local(retries=3), sleep=sleep, backoff=0.01) as f,
    ):
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert log.count("/") == 2
    assert sleep.delays == [1.0]


async def test_retry_after_is_capped() -> None:
    sleep = SleepRecorder()
    handler = flaky(web.Response(status=503, headers={"Retry-After": "86400"}))
    async with (
        serve_routes({"/": handler}) as (base, _),
        HttpFetcher(local(retries=1, max_retry_after=2.5), sleep=sleep) as f,
    ):
        result = await f.fetch(f"{base}/")
    assert result.status is RefStatus.OK
    assert sleep.delays == [2.5]
