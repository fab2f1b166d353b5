"""Load: an article citing 2,000 URLs over 50 loopback hosts, with latency and a failure mix.

Every reference must come back with the status its server behaviour means, the per-host limit
must hold as counted by the server itself, and the real CLI must stay under 300 MB. The server
is benchmarks/loadserver.py; its own behaviour (the failure kinds and the concurrency counter
the limit is judged by) is tested first, since the load assertions are only as good as it is.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from benchtools import benchmark_module

from verify.models import Options, RefStatus, Verdict
from verify.pipeline import RunStats, verify_paths_async

ROOT = Path(__file__).resolve().parent.parent
VERIFY = str(Path(sys.executable).parent / "verify")

URLS = 2_000
HOSTS = 50
FAILURE_RATE = 0.05
MEMORY_LIMIT_MB = 300
TIMEOUT = 3.0  # the client's total timeout; "slow" URLs answer long after it


loadserver = benchmark_module("loadserver")
run_measured = benchmark_module("measure").run_measured

# What each kind of server misbehaviour must become in the report.
EXPECTED: dict[str, tuple[RefStatus, int | None, str | None]] = {
    "ok": (RefStatus.OK, 200, None),
    "429": (RefStatus.OK, 200, None),  # retried after Retry-After: 0
    "404": (RefStatus.NOT_FOUND, 404, "404"),
    "500": (RefStatus.ERROR, 500, "500"),
    "reset": (RefStatus.UNREACHABLE, None, None),
    "slow": (RefStatus.UNREACHABLE, None, "timed out"),
    "loop": (RefStatus.ERROR, 302, "redirect loop"),
}


def _kind(url: str) -> str:
    m = re.search(r"/(?:ok|fail/([a-z0-9]+))/p\d+$", url)
    assert m, url
    return m.group(1) or "ok"


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# -- the server the load test relies on ----------------------------------------------------


@pytest.fixture
def small_server() -> Iterator[Any]:
    with loadserver.LoadServer(2, latency_ms=(150, 150), slow_seconds=20) as server:
        yield server


async def _get(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url, allow_redirects=False) as resp:
        await resp.read()
        return resp.status


async def test_server_counts_concurrent_requests_per_host(small_server: Any) -> None:
    one, other = small_server.bases
    async with aiohttp.ClientSession() as session:
        statuses = await asyncio.gather(*(_get(session, f"{one}/ok/p{i}") for i in range(5)))
        for i in range(3):
            await _get(session, f"{other}/ok/p{i}")
    stats = small_server.stats()
    assert statuses == [200] * 5
    assert stats["peaks"] == {one: 5, other: 1}
    assert stats["requests_per_host"] == {one: 5, other: 3}
    assert stats["requests"] == 8


async def test_server_stops_counting_a_request_whose_client_hung_up(small_server: Any) -> None:
    base = small_server.bases[0]
    async with aiohttp.ClientSession() as session:
        with pytest.raises(TimeoutError):
            await session.get(f"{base}/fail/slow/p1", timeout=aiohttp.ClientTimeout(total=0.5))
        # the slow handler is still sleeping, but its client gave up: this one is alone
        await asyncio.sleep(0.2)
        assert await _get(session, f"{base}/ok/p2") == 200
    assert small_server.stats()["peaks"][base] == 1


async def test_server_failure_kinds_behave_as_documented(small_server: Any) -> None:
    base = small_server.bases[0]
    async with aiohttp.ClientSession() as session:
        assert await _get(session, f"{base}/fail/404/p1") == 404
        assert await _get(session, f"{base}/fail/500/p1") == 500
        assert await _get(session, f"{base}/fail/500/p1") == 500
        async with session.get(f"{base}/fail/429/p1") as first:
            assert (first.status, first.headers.get("Retry-After")) == (429, "0")
        assert await _get(session, f"{base}/fail/429/p1") == 200
        async with session.get(f"{base}/fail/loop/p1", allow_redirects=False) as hop:
            assert hop.status == 302
            assert hop.headers["Location"] == "/fail/loop/p1/b"
        async with session.get(f"{base}/fail/loop/p1/b", allow_redirects=False) as back:
            assert back.headers["Location"] == "/fail/loop/p1"
        for page in ("p1", "p2"):  # before the headers, and in the middle of the body
            with pytest.raises(aiohttp.ClientError):
                await _get(session, f"{base}/fail/reset/{page}")


def test_generated_pages_are_seeded_and_cite_their_own_sentences() -> None:
    page = loadserver.make_page("p7", seed=3)
    assert page == loadserver.make_page("p7", seed=3)
    assert page != loadserver.make_page("p8", seed=3)
    assert 3 <= len(page.paragraphs) <= 5
    assert loadserver.claim_for("p7", seed=3) in page.sentences
    cited = loadserver.plan_urls(["http://a", "http://b"], 200, failure_rate=0.05, seed=1)
    kinds = Counter(c.kind for c in cited)
    assert kinds["ok"] == 190
    assert set(kinds) == {"ok", *loadserver.FAILURE_KINDS}
    article = loadserver.make_article(cited, seed=1)
    assert all(c.url in article for c in cited)


# -- the load itself -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def load_server() -> Iterator[Any]:
    with loadserver.LoadServer(HOSTS, latency_ms=(50, 200), seed=6, slow_seconds=60) as server:
        yield server


def _run_cli(args: list[str]) -> tuple[int, float, str]:
    """Exit code, the peak resident memory in MB of the command and its worker processes
    together, and its stderr. The figures are printed for `pytest -s` (never asserted on
    time)."""
    m = run_measured(args)
    print(f"\nload run: {m.wall_s:.2f} s, peak {m.peak_mb:.0f} MB (command and workers)")
    return m.returncode, m.peak_mb, m.stderr.decode("utf-8", "replace")


@pytest.mark.slow
def test_two_thousand_references_are_all_accounted_for(load_server: Any, tmp_path: Path) -> None:
    load_server.reset()
    cited = load_server.urls(URLS, failure_rate=FAILURE_RATE)
    article = tmp_path / "load.md"
    article.write_text(loadserver.make_article(cited, seed=load_server.seed), "utf-8")
    report_path = tmp_path / "report.json"
    args = [VERIFY, str(article), "--no-config", "--allow-private", "--no-cache", "--quiet"]
    args += ["--format", "json", "--output", str(report_path), "--timeout", str(TIMEOUT)]
    # a global limit above hosts x per-host, so the per-host limit is the one that binds
    args += ["--concurrency", str(HOSTS * Options().per_host + 56)]
    for name, url in load_server.endpoints().items():
        args += ["--endpoint", f"{name}={url}"]

    code, peak_mb, stderr = _run_cli(args)

    assert code in (0, 1), stderr[-2000:]
    assert "Traceback" not in stderr
    assert peak_mb < MEMORY_LIMIT_MB

    report = json.loads(report_path.read_text("utf-8"))
    (art,) = report["articles"]
    refs = art["references"]
    assert len(refs) == URLS
    assert sorted(r["url"] for r in refs) == sorted(c.url for c in cited)
    assert art["summary"]["references"] == URLS

    by_kind: dict[str, list[dict[str, Any]]] = {}
    for ref in refs:
        by_kind.setdefault(_kind(ref["url"]), []).append(ref)
    assert set(by_kind) == set(EXPECTED)
    assert len(by_kind["ok"]) == URLS - round(URLS * FAILURE_RATE)
    for kind, group in by_kind.items():
        status, http_status, error = EXPECTED[kind]
        for ref in group:
            assert ref["status"] == status, (kind, ref)
            assert ref["http_status"] == http_status, (kind, ref)
            if error is not None:
                assert error in (ref["error"] or ""), (kind, ref)

    # the server saw what the report says: each page fetched once, each 429 retried once
    hits = load_server.hits
    for c in cited:
        if c.kind == "ok":
            assert hits[_path(c.url)] == 1, c.url
        elif c.kind == "429":
            assert hits[_path(c.url)] == 2, c.url
        else:
            assert hits[_path(c.url)] >= 1, c.url

    stats = load_server.stats()
    per_host = Options().per_host
    assert max(stats["peaks"].values()) == per_host  # reached, and never exceeded
    assert all(peak <= per_host for peak in stats["peaks"].values())

    # every claim was judged, and none citing a readable page was left unverifiable
    claims = art["claims"]
    assert len(claims) == URLS
    readable = {r["id"] for r in refs if RefStatus(r["status"]).readable}
    for claim in claims:
        assert claim["verdict"] in {v.value for v in Verdict}
        if set(claim["references"]) & readable:
            assert claim["verdict"] != Verdict.UNVERIFIABLE, claim
        else:
            assert claim["verdict"] == Verdict.UNVERIFIABLE, claim


@pytest.mark.slow
async def test_library_run_holds_a_lower_per_host_limit(load_server: Any, tmp_path: Path) -> None:
    load_server.reset()
    bases = load_server.bases[:5]
    cited = loadserver.plan_urls(bases, 150, failure_rate=0.1, seed=2)
    article = tmp_path / "small.md"
    article.write_text(loadserver.make_article(cited, seed=load_server.seed), "utf-8")
    options = Options(
        allow_private=True,
        cache=False,
        per_host=2,
        concurrency=64,
        timeout=TIMEOUT,
        endpoints=load_server.endpoints(),
    )
    stats = RunStats()

    report = await verify_paths_async([article], options, stats=stats)

    sources = report.articles[0].sources
    assert sorted(s.reference.url for s in sources) == sorted(c.url for c in cited)
    for source in sources:
        expected, _, _ = EXPECTED[_kind(source.reference.url)]
        assert source.status is expected, source
    server = load_server.stats()
    assert {server["peaks"][b] for b in bases} == {2}
    # the fetcher's count of requests sent matches what the server and the archive received
    assert stats.requests == server["requests"] + server["archive_lookups"]
