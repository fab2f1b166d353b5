"""Main-text extraction: metadata kept, clutter dropped, work kept off the event loop."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

from pages import JS_SHELL, LEAVES, REASSIGNED

from verify.extract import Extractor, extract_html_sync

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

    import verify.extract as module

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
    extractor = Extractor(processes=2)
    try:
        doc = await extractor.extract_html(REASSIGNED, URL)
    finally:
        extractor.close()
    assert doc is not None and "preparedness" in doc.text


def test_close_is_idempotent_and_pool_is_lazy() -> None:
    extractor = Extractor()
    extractor.close()
    extractor.close()
    assert extractor._executor is None


def test_trafilatura_is_imported_only_when_a_page_is_extracted() -> None:
    code = (
        "import sys, verify.extract, verify.resolvers, verify.resolvers.web;"
        "from verify.extract import Extractor; from verify.models import Options;"
        "verify.resolvers.default_resolvers(Options(), Extractor());"
        "print('trafilatura' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
