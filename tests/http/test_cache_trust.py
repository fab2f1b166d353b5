"""The cache directory's contents are untrusted: entries are bound to the settings that made
them, an entry dated in the future is not served, and a cache tracked by git (one that came
with the checkout) is neither read nor written."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from threadserver import Page, serve_pages

from verify.cli.main import main
from verify.http.cache import FILENAME, Cache, cache_scope
from verify.models import FetchResult, Options, RefStatus

PAGE = "<html><body><article><p>The harbour opened in 1901 after ten years of work.</p>"
PAGE += "<p>Ships from three countries used it in its first year.</p></article></body></html>"


def ok(url: str, body: bytes = b"<p>forged</p>") -> FetchResult:
    return FetchResult(url=url, status=RefStatus.OK, http_status=200, body=body)


def test_an_entry_dated_in_the_future_is_not_served(tmp_path: Path) -> None:
    with Cache(tmp_path, max_age=3600) as cache:
        cache.put(ok("http://example.test/a"))
        cache.put_json("source", "k", {"v": 1})
        assert cache.get("http://example.test/a") is not None
        assert cache.get_json("source", "k") == {"v": 1}
    conn = sqlite3.connect(tmp_path / FILENAME)
    later = time.time() + 10 * 365 * 86400
    conn.execute("UPDATE responses SET fetched_at = ?", (later,))
    conn.execute("UPDATE derived SET stored_at = ?", (later,))
    conn.commit()
    conn.close()
    with Cache(tmp_path, max_age=3600) as cache:
        assert cache.get("http://example.test/a") is None
        assert cache.get_json("source", "k") is None
        assert cache.get_json("source", "k", max_age=3600) is None


def test_entries_are_bound_to_the_scope_that_made_them(tmp_path: Path) -> None:
    private = cache_scope(Options(allow_private=True))
    other = cache_scope(Options(endpoints={"x_syndication": "http://127.0.0.1:9/syn"}))
    assert len({private, other, cache_scope(Options())}) == 3
    with Cache(tmp_path, scope=private) as cache:
        cache.put(ok("http://127.0.0.1:8/"))
        cache.put_json("source", "https://x.com/a/status/1", {"v": 1})
    for scope in ("", other):
        with Cache(tmp_path, scope=scope) as cache:
            assert cache.get("http://127.0.0.1:8/") is None
            assert cache.get_json("source", "https://x.com/a/status/1") is None
    with Cache(tmp_path, scope=private) as cache:
        assert cache.get("http://127.0.0.1:8/") is not None


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_cache_tracked_by_git_is_neither_read_nor_written(tmp_path: Path) -> None:
    folder = tmp_path / "repo" / ".verify-cache"
    folder.mkdir(parents=True)
    with Cache(folder) as cache:
        cache.put(ok("http://example.test/a"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test"]
    subprocess.run([*git, "init", "-q"], cwd=folder.parent, check=True)
    subprocess.run([*git, "add", "."], cwd=folder.parent, check=True)
    before = (folder / FILENAME).read_bytes()
    with Cache(folder) as cache:
        assert cache.get("http://example.test/a") is None
        cache.put(ok("http://example.test/b"))
        assert any("tracked by git" in w for w in cache.warnings)
    assert (folder / FILENAME).read_bytes() == before


def test_a_page_read_with_allow_private_is_not_served_to_a_run_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_pages({"/p": Page(PAGE.encode())}) as served:
        article = tmp_path / "a.md"
        article.write_text(
            f"# H\n\nThe harbour opened in 1901 [1].\n\n## Sources\n\n1. {served.base}/p\n"
        )
        args = [str(article), "--no-config", "--format", "json", "--no-archive"]
        args += ["--cache-dir", str(tmp_path / "cache")]
        main([*args, "--allow-private"])
        first = json.loads(capsys.readouterr().out)["articles"][0]["references"][0]
        assert first["status"] == "ok"
        main(args)
        second = json.loads(capsys.readouterr().out)["articles"][0]["references"][0]
        assert second["status"] == "blocked" and not second["from_cache"]
        assert len(served.requests) == 1  # the second run refused before any request


def test_a_linked_cache_file_is_not_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", "utf-8")
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / FILENAME).symlink_to(elsewhere)
    with Cache(folder) as cache:
        cache.put(ok("http://example.test/a"))
        assert cache.get("http://example.test/a") is None
        assert any("symbolic link" in w for w in cache.warnings)
    assert elsewhere.read_text("utf-8") == "keep me"
