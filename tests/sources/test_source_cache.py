"""The cache of resolved sources, on its own: kept, read back, and when it is not read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from verify.http.cache import Cache
from verify.models import Document, Options, Reference, RefStatus, Source
from verify.sources.cache import SourceCache

URL = "http://127.0.0.1:9/tides"


def _source(status: RefStatus = RefStatus.OK) -> Source:
    document = Document(url=URL, text="The harbour floods twice a month.")
    return Source(
        reference=Reference(id="1", url=URL, line=3),
        status=status,
        document=document if status.readable else None,
    )


def test_a_readable_source_is_read_back_by_a_later_run(tmp_path: Path) -> None:
    options = Options(cache_dir=str(tmp_path))
    cache = Cache(str(tmp_path), max_age=options.max_age)
    try:
        SourceCache(cache, options).keep(URL, _source())
        found = SourceCache(cache, options).fresh([URL, "http://127.0.0.1:9/other"])
    finally:
        cache.close()
    assert list(found) == [URL]
    assert found[URL].document is not None
    assert found[URL].document.text == "The harbour floods twice a month."


def test_failures_are_not_kept_and_other_options_do_not_share_entries(tmp_path: Path) -> None:
    options = Options(cache_dir=str(tmp_path))
    cache = Cache(str(tmp_path), max_age=options.max_age)
    try:
        SourceCache(cache, options).keep(URL, _source(RefStatus.NOT_FOUND))
        assert SourceCache(cache, options).fresh([URL]) == {}
        SourceCache(cache, options).keep(URL, _source())
        assert SourceCache(cache, replace(options, links_only=True)).fresh([URL]) == {}
        assert SourceCache(cache, replace(options, archive=False)).fresh([URL]) == {}
        # a recording must hold every exchange: it reads nothing from the cache
        recording = replace(options, record=str(tmp_path / "run.warc.gz"))
        assert SourceCache(cache, recording).fresh([URL]) == {}
        assert list(SourceCache(cache, options).fresh([URL])) == [URL]
    finally:
        cache.close()


def test_without_a_cache_nothing_is_read_or_kept() -> None:
    store = SourceCache(None, Options(cache=False))
    store.keep(URL, _source())
    assert store.fresh([URL]) == {}
