"""WARC recording and replay: what is written, what is read back, and that they agree."""

from __future__ import annotations

import gzip
import io
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web
from servers import local_options, serve_routes
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from verify.errors import ConfigError
from verify.http.cache import Cache
from verify.http.client import HttpFetcher
from verify.http.warc import ReplayFetcher, WarcRecorder, normalize_url
from verify.models import FetchResult, Options, RefStatus


def local(**overrides: object) -> Options:
    return local_options(**{"max_bytes": 50_000, **overrides})


# -- a small site to record -----------------------------------------------------------------


async def article(request: web.Request) -> web.Response:
    return web.Response(
        text="<html><body><p>The harbour was dredged in spring.</p></body></html>",
        content_type="text/html",
        charset="utf-8",
        headers={"X-Served-By": "test"},
    )


async def compressed(request: web.Request) -> web.Response:
    return web.Response(
        body=gzip.compress(b"<p>Compressed page about kelp forests.</p>"),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
    )


async def hop(request: web.Request) -> web.Response:
    n = int(request.match_info["n"])
    if n == 0:
        raise web.HTTPFound("/article")
    raise web.HTTPMovedPermanently(f"/r/{n - 1}")


async def missing(request: web.Request) -> web.Response:
    return web.Response(status=404, text="no such page")


async def walled(request: web.Request) -> web.Response:
    return web.Response(
        status=403, text="<p>Please prove you are human</p>", content_type="text/html"
    )


async def big(request: web.Request) -> web.Response:
    return web.Response(body=b"z" * 80_000, content_type="text/plain")


async def loop(request: web.Request) -> web.Response:
    raise web.HTTPFound("/loop")


ROUTES = {
    "/article": article,
    "/gz": compressed,
    "/r/{n}": hop,
    "/missing": missing,
    "/walled": walled,
    "/big": big,
    "/loop": loop,
}
PATHS = ["/article", "/gz", "/r/2", "/missing", "/walled", "/big", "/loop", "/article#frag"]


def comparable(result: FetchResult) -> FetchResult:
    return replace(result, elapsed=0.0)


async def test_record_then_replay_gives_identical_results(
    tmp_path: Path, attempts: list[str]
) -> None:
    warc = tmp_path / "run.warc.gz"
    async with serve_routes(ROUTES) as (base, _):
        with WarcRecorder(warc) as recorder:
            async with HttpFetcher(local(), recorder=recorder) as fetcher:
                live = [await fetcher.fetch(base + p) for p in PATHS]
    assert {r.status for r in live} == {
        RefStatus.OK,
        RefStatus.NOT_FOUND,
        RefStatus.BLOCKED,
        RefStatus.TOO_LARGE,
        RefStatus.ERROR,
    }
    connections = len(attempts)
    replay = ReplayFetcher(warc, max_bytes=50_000)
    replayed = [await replay.fetch(base + p) for p in PATHS]
    assert [comparable(r) for r in replayed] == [comparable(r) for r in live]
    assert len(attempts) == connections  # the replay opened no connection


async def test_recorded_file_is_a_standard_warc(tmp_path: Path) -> None:
    warc = tmp_path / "run.warc.gz"
    async with serve_routes(ROUTES) as (base, _):
        with WarcRecorder(warc) as recorder:
            async with HttpFetcher(local(), recorder=recorder) as fetcher:
                await fetcher.fetch(f"{base}/r/1")
                await fetcher.fetch(f"{base}/gz")
    with open(warc, "rb") as fh:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Record-ID"),
                r.rec_headers.get_header("WARC-Concurrent-To"),
                r.http_headers,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(fh)
        ]
    assert records[0][0] == "warcinfo"
    pairs = records[1:]
    uris = [f"{base}/r/1", f"{base}/r/0", f"{base}/article", f"{base}/gz"]
    # every hop: a response record and its request (warcio's order), both naming the URL
    assert [(kind, uri) for kind, uri, *_ in pairs] == [
        (kind, uri) for uri in uris for kind in ("response", "request")
    ]
    for response, request in zip(pairs[::2], pairs[1::2], strict=True):
        assert request[3] == response[2]  # WARC-Concurrent-To links the pair
        assert request[4].get_header("User-Agent", "").startswith("verify/")
    statuses = [response[4].get_statuscode() for response in pairs[::2]]
    assert statuses == ["301", "302", "200", "200"]
    gz_http, gz_body = pairs[-2][4], pairs[-2][5]
    # the recorded body is the decoded one, and the headers say so
    assert gz_body == b"<p>Compressed page about kelp forests.</p>"
    assert gz_http.get_header("Content-Encoding") is None
    assert gz_http.get_header("Content-Length") == str(len(gz_body))


async def test_recording_bypasses_the_cache(tmp_path: Path) -> None:
    warc = tmp_path / "run.warc.gz"
    async with serve_routes(ROUTES) as (base, log):
        with Cache(tmp_path / "cache") as cache:
            async with HttpFetcher(local(), cache=cache) as fetcher:
                await fetcher.fetch(f"{base}/article")
            with WarcRecorder(warc) as recorder:
                async with HttpFetcher(local(), cache=cache, recorder=recorder) as fetcher:
                    result = await fetcher.fetch(f"{base}/article")
    assert result.from_cache is False
    assert log.count("/article") == 2
    replayed = await ReplayFetcher(warc).fetch(f"{base}/article")
    assert replayed.status is RefStatus.OK


# -- replaying archives written by other tools ----------------------------------------------


def chunked(data: bytes, size: int = 7) -> bytes:
    out = b"".join(
        b"%x\r\n" % len(data[i : i + size]) + data[i : i + size] + b"\r\n"
        for i in range(0, len(data), size)
    )
    return out + b"0\r\n\r\n"


def write_warc(path: Path, responses: list[tuple[str, bytes]]) -> None:
    """Response records whose payload is a whole HTTP response, as warcio users write them."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, http in responses:
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(http), length=len(http)
            )
            writer.write_record(record)


def http(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode() + b"\r\n" + body


@pytest.fixture
def demo_warc(tmp_path: Path) -> Path:
    path = tmp_path / "demo.warc.gz"
    story = "<html><body><p>一座新的图书馆将于秋季开放。</p></body></html>".encode()
    write_warc(
        path,
        [
            (
                "http://News.Example:80/story",
                http("200 OK", [("Content-Type", "text/html")], b"old"),
            ),
            (
                "http://news.example/story",
                http(
                    "200 OK",
                    [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Encoding", "gzip"),
                        ("Transfer-Encoding", "chunked"),
                    ],
                    chunked(gzip.compress(story)),
                ),
            ),
            ("http://news.example/old-link", http("301 Moved", [("Location", "/story")], b"")),
            ("http://news.example/to-nowhere", http("302 Found", [("Location", "/gone")], b"")),
            ("<https://docs.example/report>", http("404 Not Found", [], b"nothing here")),
        ],
    )
    with open(path, "ab") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(
            writer.create_warc_record(
                "https://files.example/data.txt",
                "resource",
                payload=io.BytesIO(b"plain resource"),
                length=14,
                warc_content_type="text/plain",
            )
        )
    return path


async def test_replay_reads_a_warcio_archive(demo_warc: Path) -> None:
    replay = ReplayFetcher(demo_warc)
    result = await replay.fetch("http://news.example/story#comments")
    assert result.status is RefStatus.OK
    assert result.body.decode() == "<html><body><p>一座新的图书馆将于秋季开放。</p></body></html>"
    assert result.charset == "utf-8"
    assert result.header("content-encoding") is None
    assert result.from_cache is False


async def test_replay_follows_recorded_redirects(demo_warc: Path) -> None:
    result = await ReplayFetcher(demo_warc).fetch("http://news.example/old-link")
    assert result.status is RefStatus.OK
    assert result.final_url == "http://news.example/story"
    assert result.redirects == ("http://news.example/story",)


async def test_replay_redirect_out_of_the_archive(demo_warc: Path) -> None:
    result = await ReplayFetcher(demo_warc).fetch("http://news.example/to-nowhere")
    assert result.status is RefStatus.UNREACHABLE
    assert result.final_url == "http://news.example/gone"
    assert result.error == f"not in the archive {demo_warc}"


async def test_replay_missing_url(demo_warc: Path) -> None:
    result = await ReplayFetcher(demo_warc).fetch("https://elsewhere.example/")
    assert result.status is RefStatus.UNREACHABLE
    assert result.error == f"not in the archive {demo_warc}"


async def test_replay_status_mapping_and_bracketed_uri(demo_warc: Path) -> None:
    result = await ReplayFetcher(demo_warc).fetch("https://docs.example/report")
    assert result.status is RefStatus.NOT_FOUND
    assert result.body == b"nothing here"


async def test_replay_resource_record(demo_warc: Path) -> None:
    result = await ReplayFetcher(demo_warc).fetch("https://files.example/data.txt")
    assert result.status is RefStatus.OK
    assert result.content_type == "text/plain"
    assert result.body == b"plain resource"


async def test_replay_applies_the_size_cap(demo_warc: Path) -> None:
    result = await ReplayFetcher(demo_warc, max_bytes=10).fetch("https://files.example/data.txt")
    assert result.status is RefStatus.TOO_LARGE
    assert result.body == b"plain reso"


async def test_replay_never_opens_a_socket(
    demo_warc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replay = ReplayFetcher(demo_warc)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("replay tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for url in ("http://news.example/story", "https://elsewhere.example/", "http://x.test/"):
        await replay.fetch(url)


async def test_replay_refuses_what_the_recorded_run_would(demo_warc: Path) -> None:
    replay = ReplayFetcher(demo_warc, allow_private=False)
    assert (await replay.fetch("http://127.0.0.1/")).status is RefStatus.BLOCKED
    assert (await replay.fetch("file:///etc/passwd")).status is RefStatus.UNSUPPORTED


def test_missing_archive_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        ReplayFetcher(tmp_path / "nope.warc.gz")
    assert "nope.warc.gz" in str(info.value)


def test_corrupt_archive_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(b"WARC/1.0\r\nthis is not a real record\r\n\r\n" * 3)
    with pytest.raises(ConfigError) as info:
        ReplayFetcher(path)
    assert "\n" not in str(info.value)


def test_unwritable_record_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        WarcRecorder(tmp_path / "no-such-dir" / "run.warc.gz")


def test_recorder_writes_truncation_marker(tmp_path: Path) -> None:
    path = tmp_path / "t.warc.gz"
    with WarcRecorder(path) as recorder:
        recorder.record(
            "http://a.example/x", [("Accept", "*/*")], 200, "OK", [], b"abc", truncated=True
        )
    with open(path, "rb") as fh:
        responses = [r for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert responses[0].rec_headers.get_header("WARC-Truncated") == "length"


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Example.COM:80/a#frag", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x?b=2&a=1", "https://example.com:8443/x?b=2&a=1"),
        ("http://example.com/%7Euser/a b", "http://example.com/~user/a%20b"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ],
)
def test_normalize_url(url: str, normal: str) -> None:
    assert normalize_url(url) == normal
    assert normalize_url(normal) == normal
