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
from verify.sources.extract import usable_cpus
from verify.testing import child_pids

needs_two_cpus = pytest.mark.skipif(
    usable_cpus() < 2, reason="workers start early only with two CPUs or more"
)

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
    # the harbour page is cited twice (inline link and footnote) but fetched once
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
    assert result.summary.references == 3 and result.summary.references_ok == 3


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


async def test_a_claim_is_judged_once_its_own_sources_are_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The harbour claims are judged while the lighthouse page is still out: that server
    holds its answer until they are (giving up after 5 s), and the verdicts are the same
    as judging everything at the end."""
    import threading

    from verify.matching.match import ClaimMatcher

    harbour_judged = threading.Event()
    real_match = ClaimMatcher.match

    def match(self: ClaimMatcher, claim: Any, *args: Any) -> Any:
        result = real_match(self, claim, *args)
        if "Westmere" in claim.text:
            harbour_judged.set()
        return result

    monkeypatch.setattr(ClaimMatcher, "match", match)
    late: list[str] = []

    async def held_lighthouse(request: web.Request) -> web.Response:
        if not await asyncio.to_thread(harbour_judged.wait, 5.0):
            late.append(request.path)
        return web.Response(text=LIGHTHOUSE, content_type="text/html")

    routes = {"/harbour": page(HARBOUR), "/lighthouse": held_lighthouse}
    async with serve_routes(routes) as (base, _):
        parsed = parse_markdown(article(base), "coast.md")
        report = await verify_articles_async([parsed], Options(allow_private=True, cache=False))
    assert late == [], "the harbour claim waited for the lighthouse page"
    monkeypatch.undo()
    async with serve_routes({"/harbour": page(HARBOUR), "/lighthouse": page(LIGHTHOUSE)}) as (
        base2,
        _,
    ):
        again = await verify_articles_async(
            [parse_markdown(article(base2), "coast.md")], Options(allow_private=True, cache=False)
        )
    early = [(c.claim.index, c.verdict, c.score) for c in report.articles[0].claims]
    assert early == [(c.claim.index, c.verdict, c.score) for c in again.articles[0].claims]


def test_the_http_client_is_preloaded_only_when_the_run_will_probably_fetch(
    tmp_path: Path,
) -> None:
    from verify.http.cache import FILENAME
    from verify.preload import preload_http_client

    def preload(**values: Any) -> bool:
        thread = preload_http_client(Options(**values))
        if thread is not None:
            thread.join()
        return thread is not None

    assert preload(cache=False)
    assert preload(cache=True, cache_dir=str(tmp_path))  # no cache file yet
    (tmp_path / FILENAME).write_bytes(b"")
    assert not preload(cache=True, cache_dir=str(tmp_path))  # a re-run, likely answered
    assert preload(cache=True, cache_dir=str(tmp_path), record=str(tmp_path / "r.warc.gz"))
    assert not preload(cache=False, replay=str(tmp_path / "r.warc.gz"))


def test_start_up_is_frozen_for_the_run_and_the_paused_collector_resumed() -> None:
    import gc

    from verify.pipeline import _start_up_frozen
    from verify.preload import pause_collection, resume_collection

    assert gc.isenabled() and gc.get_freeze_count() == 0
    pause_collection()
    assert not gc.isenabled()
    try:
        with _start_up_frozen():
            assert gc.get_freeze_count() > 0  # what start-up loaded is out of the way
            assert gc.isenabled()  # and the run collects its own garbage
        assert gc.get_freeze_count() == 0  # a host application gets its objects back
    finally:
        resume_collection()
        gc.enable()


def test_a_host_that_froze_or_disabled_the_collector_is_left_as_it_was() -> None:
    import gc

    from verify.pipeline import _start_up_frozen
    from verify.preload import pause_collection, resume_collection

    gc.freeze()
    gc.disable()
    try:
        frozen = gc.get_freeze_count()
        pause_collection()  # the host disabled it: nothing to pause, nothing to resume
        with _start_up_frozen():
            assert gc.get_freeze_count() == frozen
        resume_collection()
        assert not gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.enable()
        gc.unfreeze()


@needs_two_cpus
def test_workers_started_early_are_handed_to_the_run_once(tmp_path: Path) -> None:
    from verify.pipeline import _extractor
    from verify.preload import start_workers, stop_workers, take_workers

    start_workers(Options(replay=str(tmp_path / "r.warc.gz")))
    assert take_workers() is None  # a replay fetches nothing: no workers
    start_workers(Options(cache=False, links_only=True))
    assert take_workers() is None  # nothing to extract

    start_workers(Options(cache=False))
    try:
        extractor = _extractor(3, Options(cache=False))  # warm already: used for 3 pages
        assert extractor._workers is not None and extractor._workers.alive == usable_cpus()
        assert take_workers() is None  # handed over once
        extractor.close()
    finally:
        stop_workers()
    before = child_pids() or set()
    start_workers(Options(cache=False))
    started = (child_pids() or set()) - before
    stop_workers()  # a run that ended early stops them
    assert take_workers() is None
    if child_pids() is not None:
        assert started  # the first worker (it forks the others once warmed up)
        assert not (child_pids() or set()) & started  # ended and waited for


@needs_two_cpus
@pytest.mark.parametrize("links_only", [False, True], ids=["first worker", "parsing process"])
def test_another_process_parses_the_articles_for_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links_only: bool
) -> None:
    import os
    from dataclasses import replace

    from verify import preload
    from verify.article import parse
    from verify.errors import InputError
    from verify.preload import start_workers, stop_workers, take_parsed, take_workers

    good = tmp_path / "tides.md"
    good.write_text(
        "# Tides\n\nThe harbour floods twice a month [1].\n\n## References\n\n"
        "1. https://example.org/tides\n",
        encoding="utf-8",
    )
    binary = tmp_path / "image.md"
    binary.write_bytes(bytes(range(256)) * 8)
    real = parse.parse_article

    def where(path: str | Path) -> Any:  # marks which process parsed it
        return replace(real(path), author=str(os.getpid()))

    monkeypatch.setattr(parse, "parse_article", where)

    def parsed_early(paths: list[Path], asked: list[Path] | None = None) -> Any:
        start_workers(Options(cache=False, links_only=links_only), paths)
        workers = take_workers()
        assert (workers is None) == links_only  # no extraction workers to check links
        try:
            return take_parsed(paths if asked is None else asked)
        finally:
            stop_workers()
            if workers is not None:
                workers.close()

    articles = parsed_early([good])
    assert articles is not None and int(articles[0].author) != os.getpid()
    assert replace(articles[0], author=None) == real(good)
    # the reason a file cannot be read comes back as the same error
    with pytest.raises(InputError) as early:
        parsed_early([good, binary])
    with pytest.raises(InputError) as here:
        real(binary)
    assert str(early.value) == str(here.value)
    # other paths, or a worker gone before it answered: the caller parses them itself
    assert parsed_early([good], asked=[binary]) is None
    monkeypatch.setattr(preload, "PARSE_AHEAD_MAX_BYTES", good.stat().st_size - 1)
    assert parsed_early([good]) is None  # large articles are parsed by the run itself
    monkeypatch.undo()
    monkeypatch.setattr(parse, "parse_article", lambda path: os._exit(1))
    assert parsed_early([good]) is None
    assert take_parsed([good]) is None  # nothing started


@needs_two_cpus
@pytest.mark.parametrize("links_only", [False, True], ids=["workers", "parsing process"])
def test_a_run_does_without_early_processes_when_none_can_be_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links_only: bool
) -> None:
    import os

    from verify.preload import start_workers, stop_workers, take_parsed, take_workers
    from verify.sources import extract

    article = tmp_path / "tides.md"
    article.write_text("The harbour floods twice a month.\n", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> Any:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr(extract.Extractor, "warm", refuse)
    open_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    start_workers(Options(cache=False, links_only=links_only), [article])
    assert take_workers() is None
    assert take_parsed([article]) is None  # the run parses it itself
    stop_workers()
    if open_before is not None:
        assert len(os.listdir("/proc/self/fd")) == open_before  # the pipe closed again
    from verify.pipeline import _extractor

    # nor later, for the run's own extraction: a thread does it
    extractor = _extractor(500, Options(cache=False, links_only=links_only))
    assert extractor._processes is None


def test_the_command_line_puts_aiohttps_certificates_off_and_loads_them_into_its_contexts() -> None:
    import subprocess
    import sys

    # a fresh interpreter: here aiohttp is imported already
    code = (
        "import ssl, sys, threading\n"
        "from verify.models import Options\n"
        "from verify import preload\n"
        "put_off = []\n"
        "start = threading.Thread.start\n"
        "def noting(thread):\n"
        "    args = thread._args\n"
        "    if args and isinstance(args[0], ssl.SSLContext):\n"
        "        put_off.append(args[0])\n"
        "    start(thread)\n"
        "threading.Thread.start = noting\n"
        "preload.import_http_client(Options(cache=False), put_off_certificates=True)\n"
        "shadowed = 'set_default_verify_paths' in vars(ssl.SSLContext)\n"
        "assert preload._certificates_loaded.wait(30)\n"
        "import aiohttp.connector as c\n"
        "fresh = ssl.create_default_context().cert_store_stats()\n"
        "print('verify.http.client' in sys.modules, shadowed,\n"
        "      [id(x) for x in put_off]\n"
        "      == [id(c._SSL_CONTEXT_VERIFIED), id(c._SSL_CONTEXT_UNVERIFIED)],\n"
        "      c._SSL_CONTEXT_VERIFIED.cert_store_stats() == fresh,\n"
        "      c._SSL_CONTEXT_UNVERIFIED.cert_store_stats() == fresh,\n"
        "      preload.certificates_pending())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # imported; ssl left as it was; both of aiohttp's contexts were handed to threads to
    # load, and then had what a default context has; nothing left pending
    assert out.stdout.split() == ["True", "False", "True", "True", "True", "None"]


def test_an_ssl_module_that_defines_the_method_itself_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ssl

    from verify.preload import _certificates_put_off, certificates_pending

    def own(self: ssl.SSLContext) -> None: ...

    monkeypatch.setattr(ssl.SSLContext, "set_default_verify_paths", own, raising=False)
    with _certificates_put_off():
        assert vars(ssl.SSLContext)["set_default_verify_paths"] is own  # not shadowed
    assert vars(ssl.SSLContext)["set_default_verify_paths"] is own  # nor deleted after
    assert certificates_pending() is None  # nothing for a connection to wait for
