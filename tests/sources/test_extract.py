"""Main-text extraction: metadata kept, clutter dropped, work kept off the event loop."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from pages import JS_SHELL, LEAVES, REASSIGNED

from verify.cli.executor import IsolatingProcessPool
from verify.errors import SourceError
from verify.models import Document, RefStatus
from verify.sources import extract
from verify.sources.extract import Extractor, extract_html_sync

URL = "https://news.example.com/story"


def test_extract_keeps_text_and_metadata() -> None:
    doc = extract_html_sync(LEAVES, URL)
    assert doc is not None
    assert doc.url == URL
    assert "He helped start the lab in 2015" in doc.text
    assert "Privacy" not in doc.text and "Most read" not in doc.text
    assert doc.title == "Research lead leaves the lab for a rival"
    assert doc.author == "Dana Example"
    assert doc.published == "2024-08-06"
    assert doc.site_name == "Example News"
    assert doc.via == "direct"


def test_nothing_to_extract_is_none() -> None:
    assert extract_html_sync("", URL) is None
    assert extract_html_sync("   ", URL) is None
    assert extract_html_sync(JS_SHELL, URL) is None
    assert extract_html_sync("<html><body><p></p></body></html>", URL) is None


def test_hostile_markup_does_not_raise() -> None:
    for html in ("<" * 5000, "<html>" + "<div>" * 3000 + "text", "\x00\x01\x02 <p>", "<?xml ?><a"):
        extract_html_sync(html, URL)  # returns a Document or None; never raises


async def test_thread_pool_runs_off_the_event_loop() -> None:
    seen: list[str] = []
    loop_thread = threading.current_thread().name

    import verify.sources.extract as module

    original = module.extract_html_sync

    def spy(html: str, url: str):
        seen.append(threading.current_thread().name)
        return original(html, url)

    extractor = Extractor()
    module.extract_html_sync = spy  # type: ignore[assignment]
    try:
        docs = await asyncio.gather(
            extractor.extract_html(LEAVES, URL), extractor.extract_html(REASSIGNED, URL)
        )
    finally:
        module.extract_html_sync = original  # type: ignore[assignment]
        extractor.close()
    assert all(d is not None for d in docs)
    assert seen and all(name != loop_thread for name in seen)


async def test_process_pool() -> None:
    pool = IsolatingProcessPool(2)
    try:
        doc = await Extractor(pool).extract_html(REASSIGNED, URL)
    finally:
        pool.shutdown()
    assert doc is not None and "preparedness" in doc.text


def test_close_is_idempotent_and_leaves_the_callers_executor_running() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        extractor = Extractor(pool)
        extractor.close()
        extractor.close()
        assert extractor._executor is None
        assert pool.submit(int, "7").result() == 7  # the caller's to shut down


def test_trafilatura_is_imported_only_when_a_page_is_extracted() -> None:
    code = (
        "import sys, verify.sources.extract, verify.sources.resolvers, verify.sources.web;"
        "from verify.sources.extract import Extractor; from verify.models import Options;"
        "verify.sources.resolvers.default_resolvers(Options(), Extractor());"
        "print('trafilatura' in sys.modules, 'numpy' in sys.modules, 'aiohttp' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # the resolvers are cheap to build: extraction's and the client's imports wait for need
    assert out.stdout.strip() == "False False False"


def test_extraction_splits_the_text_as_the_matcher_would() -> None:
    from verify.article.sentences import sentence_spans
    from verify.matching.docindex import index_document

    doc = extract_html_sync(LEAVES, URL)
    assert doc is not None and doc.sentences is not None
    assert doc.sentences == sentence_spans(doc.text)
    given = index_document(doc.text, spans=doc.sentences)
    split_here = index_document(doc.text)
    assert given.spans == split_here.spans and given.segment == split_here.segment


def test_spans_that_do_not_fit_the_text_are_not_trusted() -> None:
    from verify.matching.docindex import index_document

    text = "The pier was rebuilt. The town grew."
    expected = index_document(text).spans
    assert len(expected) == 2
    for bad in ([(0, 400)], [(10, 5)], [(5, 20), (0, 4)], [(-1, 3)]):
        assert index_document(text, spans=bad).spans == expected


def test_the_cache_keeps_the_sentence_spans() -> None:
    from verify.http.serialize import source_from_dict, source_to_dict
    from verify.models import Reference, RefStatus, Source

    doc = extract_html_sync(LEAVES, URL)
    assert doc is not None
    source = Source(reference=Reference(id="1", url=URL, line=3), status=RefStatus.OK, document=doc)
    again = source_from_dict(json.loads(json.dumps(source_to_dict(source))))
    assert again is not None and again.document is not None
    assert again.document.sentences == doc.sentences
    assert isinstance(again.document.sentences, tuple)
    assert all(isinstance(span, tuple) for span in again.document.sentences)


def test_the_warm_up_page_is_read_by_the_main_extractor() -> None:
    from verify.sources import extract

    doc = extract_html_sync(extract._WARM_UP_PAGE, extract._WARM_UP_URL)
    # a page the extractor rejected or barely read would not warm the common path
    assert doc is not None
    assert all(p in doc.text for p in extract._WARM_UP_PARAGRAPHS)
    assert "Footer" not in doc.text and "Home" not in doc.text


_BARRIER: Any = None  # set before the workers are forked, so they share it


def which_process(html: str, url: str) -> Document:
    # each page waits here for a page in every other worker: no worker can take them all
    _BARRIER.wait(timeout=60)
    return Document(url=url, text=str(os.getpid()))


def fragile(html: str, url: str) -> Document | None:
    if "crash" in url:
        os._exit(70)  # as a segfault in a C parser would end it
    return extract_html_sync(html, url)


@pytest.mark.parametrize("processes", [1, 2])
async def test_worker_processes_extract_outside_this_process(
    processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    # the workers are forked after this, and find the replacement by its name
    monkeypatch.setattr(extract, "extract_html_sync", which_process)
    monkeypatch.setattr(sys.modules[__name__], "_BARRIER", multiprocessing.Barrier(processes))
    pool = IsolatingProcessPool(processes, method="fork")
    try:
        extractor = Extractor(pool)
        docs = await asyncio.gather(*(extractor.extract_html("<p>x</p>", URL) for _ in range(8)))
    finally:
        pool.shutdown()
    pids = {d.text for d in docs if d is not None}
    assert len(docs) == 8 and str(os.getpid()) not in pids
    assert len(pids) == processes  # every worker took pages


async def test_a_page_that_kills_its_worker_is_an_error_for_that_page_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract, "extract_html_sync", fragile)
    pool = IsolatingProcessPool(2, method="fork")
    try:
        extractor = Extractor(pool)
        urls = [f"{URL}/{i}" for i in range(6)] + [f"{URL}/crash"]
        results = await asyncio.gather(
            *(extractor.extract_html(REASSIGNED, u) for u in urls), return_exceptions=True
        )
        after = await extractor.extract_html(REASSIGNED, URL)
    finally:
        pool.shutdown()
    crashed = results.pop()
    assert isinstance(crashed, SourceError) and crashed.status is RefStatus.ERROR
    assert "crashed its worker" in str(crashed)
    assert all(isinstance(r, Document) and "preparedness" in r.text for r in results)
    assert after is not None and "preparedness" in after.text


def test_usable_cpus_counts_this_process_share() -> None:
    import os

    from verify.cli.executor import usable_cpus

    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        assert usable_cpus() == len(os.sched_getaffinity(0))
