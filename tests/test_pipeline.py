"""The library, stage to stage: verify_article(s) against local servers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from servers import serve_routes

from verify import verify_article
from verify.article.parse import parse_markdown
from verify.models import Options, RefStatus, Verdict
from verify.pipeline import RunStats, verify_articles_async

ROOT = Path(__file__).resolve().parent.parent

HARBOUR = """<html><head><title>Harbour authority annual review</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav>
<article><h1>Harbour authority annual review</h1>
<p>The Westmere harbour authority handled 4.2 million tonnes of cargo in 2023, a record for
the port. Most of the growth came from timber and grain shipments bound for northern ports.</p>
<p>The authority's chair, Ingrid Valdane, said a new container crane would open in March 2025.
She added that dredging of the outer channel had finished two months ahead of schedule.</p>
<p>Passenger ferries carried 310,000 travellers over the year, slightly fewer than in 2022.</p>
</article><footer>Copyright Westmere Harbour Authority. All rights reserved.</footer>
</body></html>"""

LIGHTHOUSE = """<html><head><title>Restoring the Kessock light</title></head><body>
<article><h1>Restoring the Kessock light</h1>
<p>Volunteers spent three summers restoring the Kessock lighthouse, which first shone in 1884.
The lamp room was rebuilt with oak salvaged from a demolished mill near the estuary.</p>
<p>The lighthouse will open to visitors every weekend from May to September, the trust said.</p>
</article></body></html>"""


def page(html: str) -> web.RequestHandler:  # type: ignore[type-arg]
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    return handler


def article(base: str) -> str:
    return f"""# Notes from the coast

The Westmere harbour authority handled 4.2 million tonnes of cargo in 2023, a record
([review]({base}/harbour)). Ingrid Valdane said a new container crane would open in March 2025.
The harbour also opened a submarine museum with 40 vintage vessels last winter [^1].

Volunteers restored the Kessock lighthouse, first lit in 1884 [1].

[^1]: See {base}/harbour for the review.

## Sources

1. [Kessock trust]({base}/lighthouse)
"""


async def test_claims_get_the_verdicts_their_sources_imply() -> None:
    routes = {"/harbour": page(HARBOUR), "/lighthouse": page(LIGHTHOUSE)}
    async with serve_routes(routes) as (base, log):
        parsed = parse_markdown(article(base), "coast.md")
        stats = RunStats()
        report = await verify_articles_async(
            [parsed], Options(allow_private=True, cache=False), stats=stats
        )
    [result] = report.articles
    assert {s.status for s in result.sources} == {RefStatus.OK}
    # the harbour page is cited twice (inline link and footnote), fetched once
    assert log.count("/harbour") == 1 and log.count("/lighthouse") == 1
    verdicts = {c.claim.text[:30]: c.verdict for c in result.claims}
    by_start = {c.claim.text.split()[1]: c for c in result.claims}
    assert by_start["Westmere"].verdict is Verdict.SUPPORTED
    assert "4.2 million tonnes" in by_start["Westmere"].evidence[0].text
    assert by_start["harbour"].verdict is not Verdict.SUPPORTED, verdicts  # the museum claim
    # a sentence citing nothing itself is checked against its paragraph's sources
    crane = next(c for c in result.claims if "crane" in c.claim.text)
    assert crane.claim.references == () and crane.claim.context
    assert crane.verdict is Verdict.SUPPORTED
    lighthouse = next(c for c in result.claims if "Kessock" in c.claim.text)
    assert lighthouse.verdict is Verdict.SUPPORTED
    assert lighthouse.evidence[0].reference == "1"
    # the inline link and the footnote name one page: one reference, cited from both
    harbour = next(c for c in result.claims if "Westmere" in c.claim.text)
    museum = next(c for c in result.claims if "museum" in c.claim.text)
    assert harbour.claim.references == museum.claim.references == ("^1",)
    assert result.summary.references == 2 and result.summary.references_ok == 2


async def test_articles_share_fetches_and_exclusions_are_listed() -> None:
    routes = {"/harbour": page(HARBOUR), "/lighthouse": page(LIGHTHOUSE)}
    async with serve_routes(routes) as (base, log):
        a = parse_markdown(article(base), "a.md")
        b = parse_markdown(article(base), "b.md")
        options = Options(allow_private=True, cache=False, exclude=(r"/lighthouse$",))
        report = await verify_articles_async([a, b], options)
    assert log.count("/harbour") == 1, "a URL cited by two articles is fetched once"
    assert log.count("/lighthouse") == 0, "an excluded URL is never fetched"
    for art in report.articles:
        ignored = [s for s in art.sources if s.status is RefStatus.IGNORED]
        assert [s.reference.url for s in ignored] == [f"{base}/lighthouse"]
        assert "excluded by pattern" in (ignored[0].error or "")
        # each article keeps its own references (lines, ids) on the shared sources
        assert all(s.reference in art.article.references for s in art.sources)


async def test_local_copy_replaces_the_fetch(tmp_path: Path) -> None:
    saved = tmp_path / "saved.html"
    saved.write_text(LIGHTHOUSE, encoding="utf-8")
    routes = {"/harbour": page(HARBOUR)}
    async with serve_routes(routes) as (base, log):
        parsed = parse_markdown(article(base), "coast.md")
        options = Options(allow_private=True, cache=False, local_sources={"1": str(saved)})
        report = await verify_articles_async([parsed], options)
    source = next(s for s in report.articles[0].sources if s.reference.id == "1")
    assert source.via == "local" and source.status is RefStatus.OK
    assert log.count("/lighthouse") == 0


async def test_links_only_checks_status_without_matching() -> None:
    async with serve_routes({"/harbour": page(HARBOUR)}) as (base, _):
        parsed = parse_markdown(article(base), "coast.md")
        report = await verify_articles_async(
            [parsed], Options(allow_private=True, cache=False, links_only=True)
        )
    statuses = {s.reference.url.rsplit("/", 1)[1]: s.status for s in report.articles[0].sources}
    assert statuses == {"harbour": RefStatus.OK, "lighthouse": RefStatus.NOT_FOUND}
    assert report.articles[0].claims == ()


def test_library_call_without_the_cli() -> None:
    demo = ROOT / "fixtures" / "demo"
    report = verify_article(
        demo / "article.md", Options(replay=str(demo / "sources.warc.gz"), cache=False)
    )
    [result] = report.articles
    assert len(result.sources) == 5
    assert result.article.language == "zh"
    assert any(c.verdict is Verdict.SUPPORTED for c in result.claims)


async def test_second_run_comes_from_the_cache_without_fetching_or_extracting(
    tmp_path: Path,
) -> None:
    routes = {"/harbour": page(HARBOUR), "/lighthouse": page(LIGHTHOUSE)}
    async with serve_routes(routes) as (base, log):
        parsed = parse_markdown(article(base), "coast.md")
        options = Options(allow_private=True, cache_dir=str(tmp_path))
        first_stats, second_stats = RunStats(), RunStats()
        first = await verify_articles_async([parsed], options, stats=first_stats)
        sent = len(log.requests)
        second = await verify_articles_async([parsed], options, stats=second_stats)
    assert first_stats.requests == sent == 2
    assert len(log.requests) == sent, "the cached run sent requests"
    assert second_stats.requests == 0 and second_stats.sources_from_cache == 2
    assert all(s.from_cache for s in second.articles[0].sources)
    assert [c.verdict for c in first.articles[0].claims] == [
        c.verdict for c in second.articles[0].claims
    ]


def test_a_cached_run_never_loads_the_http_client(tmp_path: Path) -> None:
    """Served wholly from the cache, a run does not even import aiohttp."""
    import subprocess
    import sys

    from verify.testing import WarcServer

    demo = ROOT / "fixtures" / "demo"
    with WarcServer(demo / "sources.warc.gz") as server:
        art = tmp_path / "a.md"
        hosts = ("www.bloomberg.com", "www.cnbc.com", "www.nytimes.com")
        art.write_text(server.rewrite((demo / "article.md").read_text("utf-8"), hosts), "utf-8")
        args = [str(art), "--allow-private", "--quiet", "--cache-dir", str(tmp_path / "c")]
        args += ["--format", "json", "--output", str(tmp_path / "r.json")]
        # walled pages need an archived copy, never asked for a local address: left out
        args += ["--exclude", r"/www\.(bloomberg|nytimes)\.com/"]
        for name, value in server.endpoints().items():
            args += ["--endpoint", f"{name}={value}"]
        script = (
            "import sys; from verify.cli.main import main; code = main(sys.argv[1:]); "
            "print('aiohttp' in sys.modules, code)"
        )
        runs = [
            subprocess.run(
                [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
            ).stdout.split()
            for _ in range(2)
        ]
    assert runs[0][0] == "True"  # the cold run fetched
    assert runs[1][0] == "False"  # the cached run did not load the client at all
    assert runs[0][1] == runs[1][1]


async def test_cached_sources_older_than_max_age_are_fetched_again(tmp_path: Path) -> None:
    routes = {"/harbour": page(HARBOUR), "/lighthouse": page(LIGHTHOUSE)}
    async with serve_routes(routes) as (base, log):
        parsed = parse_markdown(article(base), "coast.md")
        await verify_articles_async([parsed], Options(allow_private=True, cache_dir=str(tmp_path)))
        sent = len(log.requests)
        stats = RunStats()
        stale = Options(allow_private=True, cache_dir=str(tmp_path), max_age=0.0)
        await verify_articles_async([parsed], stale, stats=stats)
    assert stats.sources_from_cache == 0
    assert len(log.requests) == 2 * sent


async def test_the_claims_are_prepared_while_the_sources_are_still_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The claim side of matching needs no source, so it runs while the run waits on the
    network: here the server holds every answer until the preparation has happened, and
    gives up (answering anyway) after 5 s if it never does."""
    import threading

    from verify import pipeline

    prepared = threading.Event()
    real_prepare = pipeline._prepare

    def prepare(*args: Any) -> Any:
        result = real_prepare(*args)
        prepared.set()
        return result

    monkeypatch.setattr(pipeline, "_prepare", prepare)
    answered_before_preparation: list[str] = []

    def held(html: str) -> Any:
        async def handler(request: web.Request) -> web.Response:
            if not await asyncio.to_thread(prepared.wait, 5.0):
                answered_before_preparation.append(request.path)
            return web.Response(text=html, content_type="text/html")

        return handler

    routes = {"/harbour": held(HARBOUR), "/lighthouse": held(LIGHTHOUSE)}
    async with serve_routes(routes) as (base, _):
        parsed = parse_markdown(article(base), "coast.md")
        report = await verify_articles_async([parsed], Options(allow_private=True, cache=False))
    assert answered_before_preparation == []
    crane = next(c for c in report.articles[0].claims if "crane" in c.claim.text)
    assert crane.verdict is Verdict.SUPPORTED


SLOW_MATCHING_IMPORT = """
import asyncio, sys, threading, time
from importlib.abc import MetaPathFinder
from importlib.machinery import PathFinder
sys.path.insert(0, sys.argv[1])
from threadserver import Page, serve_pages
from verify.article.parse import parse_markdown
from verify.models import Options
from verify.pipeline import verify_articles_async

imported = []

class Slow(MetaPathFinder):
    # the matcher's module takes 1.5 s to import (a slow disk, a cold cache)
    def find_spec(self, name, path, target=None):
        if name != "verify.matching.match":
            return None
        spec = PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            time.sleep(1.5)
            run(module)
            imported.append((time.monotonic(), threading.current_thread().name))
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Slow())
arrived = []
page = Page(b"<html><body><p>The harbour moved 4.2 million tonnes in 2023.</p></body></html>")
with serve_pages({"/a": page, "/b": page}) as served:
    class Log(list):
        def append(self, item):
            arrived.append(time.monotonic())
            super().append(item)
    served.requests = Log()
    base = served.base
    text = f"The harbour moved 4.2 million tonnes in 2023 [1].\\n\\n1. {base}/a\\n2. {base}/b\\n"
    article = parse_markdown(text, "a.md")
    report = asyncio.run(verify_articles_async([article], Options(allow_private=True, cache=False)))
(done, thread), = imported
print(len(arrived), min(arrived) < done, thread, report.articles[0].claims[0].verdict.value)
"""


def test_the_event_loop_does_not_wait_for_the_matching_threads_imports() -> None:
    """The matching thread imports the matcher while the requests go out; an import of the
    same module on the event loop would wait on Python's import lock, holding every request
    until it is done. Here that import takes 1.5 s: the requests arrive before it ends.
    Run in a fresh interpreter, where verify.matching is not yet imported."""
    import subprocess
    import sys

    tests = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", SLOW_MATCHING_IMPORT, tests],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["2", "True", "verify-match_0", "supported"]


def test_prepared_claims_give_the_same_verdicts_as_unprepared() -> None:
    from verify.matching.match import match_claims, prepare_claims
    from verify.models import Document

    parsed = parse_markdown(article("http://127.0.0.1:9"), "coast.md")
    ids = [r.id for r in parsed.references]
    documents = {
        ids[0]: Document(url="u", text=HARBOUR),
        ids[-1]: Document(url="v", text=LIGHTHOUSE),
    }
    candidates = {c.index: parsed.candidates(c) for c in parsed.claims}
    prepared = prepare_claims(parsed.claims)
    assert prepared and all(text in {c.text for c in parsed.claims} for text in prepared)
    plain = match_claims(parsed.claims, documents, candidates)
    again = match_claims(parsed.claims, documents, candidates, prepared=prepared)
    assert [(r.verdict, r.score, r.evidence) for r in plain] == [
        (r.verdict, r.score, r.evidence) for r in again
    ]


async def test_pages_are_extracted_in_the_executor_the_caller_passes_and_it_stays_open() -> None:
    from concurrent.futures import ThreadPoolExecutor

    class Counting(ThreadPoolExecutor):
        calls = 0

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            type(self).calls += 1
            return super().submit(fn, *args, **kwargs)

    routes = {"/harbour": page(HARBOUR), "/lighthouse": page(LIGHTHOUSE)}
    with Counting(2) as executor:
        async with serve_routes(routes) as (base, _):
            parsed = parse_markdown(article(base), "coast.md")
            report = await verify_articles_async(
                [parsed], Options(allow_private=True, cache=False), executor=executor
            )
        assert Counting.calls == 2  # one page each, both in the caller's executor
        assert executor.submit(int, "3").result() == 3  # the caller's to shut down
    assert {s.status for s in report.articles[0].sources} == {RefStatus.OK}


async def test_a_claim_is_judged_while_other_sources_are_still_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lighthouse claim cites only the lighthouse page: it is judged while the harbour
    page is still held back by the server (which gives up and answers after 5 s if that
    never happens), and the report is the same as when every source is in first."""
    import threading

    from verify.matching.match import ClaimMatcher

    judged: list[str] = []
    lighthouse_judged = threading.Event()
    real_match = ClaimMatcher.match

    def match(self: ClaimMatcher, claim: Any, *args: Any) -> Any:
        judged.append(claim.text)
        if "Kessock" in claim.text:
            lighthouse_judged.set()
        return real_match(self, claim, *args)

    monkeypatch.setattr(ClaimMatcher, "match", match)
    held_until_judged: list[bool] = []

    async def harbour(request: web.Request) -> web.Response:
        held_until_judged.append(await asyncio.to_thread(lighthouse_judged.wait, 5.0))
        return web.Response(text=HARBOUR, content_type="text/html")

    routes = {"/harbour": harbour, "/lighthouse": page(LIGHTHOUSE)}
    async with serve_routes(routes) as (base, _):
        parsed = parse_markdown(article(base), "coast.md")
        options = Options(allow_private=True, cache=False)
        report = await verify_articles_async([parsed], options)
        lighthouse_judged.set()  # the second run does not wait on it
        again = await verify_articles_async([parsed], options)
    assert held_until_judged == [True, True]
    assert "Kessock" in judged[0]  # judged first although it comes last in the article
    assert report.articles[0].claims == again.articles[0].claims
    assert [c.claim.index for c in report.articles[0].claims] == [c.index for c in parsed.claims]
