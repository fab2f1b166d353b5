"""The SQLite response cache: freshness, corruption recovery, sharing, atomic writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from verify.errors import ConfigError
from verify.http.cache import FILENAME, Cache
from verify.models import FetchResult, RefStatus


def ok(url: str, body: bytes = b"<p>hello</p>") -> FetchResult:
    return FetchResult(
        url=url,
        status=RefStatus.OK,
        final_url=url + "?final",
        http_status=200,
        content_type="text/html",
        charset="utf-8",
        headers=(("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "a=1")),
        body=body,
        elapsed=0.25,
        redirects=(url + "?final",),
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    with Cache(tmp_path) as cache:
        original = ok("https://example.org/a")
        cache.put(original)
        got = cache.get("https://example.org/a")
    assert got is not None
    assert got.from_cache is True
    assert got.status is RefStatus.OK
    for name in ("url", "final_url", "http_status", "content_type", "charset", "headers"):
        assert getattr(got, name) == getattr(original, name), name
    assert got.body == original.body
    assert got.redirects == original.redirects


def test_lookup_uses_the_normalised_url(tmp_path: Path) -> None:
    with Cache(tmp_path) as cache:
        cache.put(ok("HTTPS://Example.org:443/a#top"))
        got = cache.get("https://example.org/a#bottom")
    assert got is not None
    assert got.url == "https://example.org/a#bottom"  # as the caller asked


def test_entries_survive_reopening(tmp_path: Path) -> None:
    with Cache(tmp_path) as cache:
        cache.put(ok("https://example.org/a", b"kept"))
    with Cache(tmp_path) as cache:
        got = cache.get("https://example.org/a")
    assert got is not None and got.body == b"kept"


def test_stale_entries_are_not_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Cache(tmp_path, max_age=60) as cache:
        cache.put(ok("https://example.org/a"))
        assert cache.get("https://example.org/a") is not None
        later = time.time() + 61
        monkeypatch.setattr("verify.http.cache.time.time", lambda: later)
        assert cache.get("https://example.org/a") is None


@pytest.mark.parametrize(
    "status", [RefStatus.NOT_FOUND, RefStatus.ERROR, RefStatus.TOO_LARGE, RefStatus.BLOCKED]
)
def test_failures_are_never_cached(tmp_path: Path, status: RefStatus) -> None:
    with Cache(tmp_path) as cache:
        cache.put(FetchResult(url="https://example.org/x", status=status, body=b"nope"))
        assert cache.get("https://example.org/x") is None


def test_json_values(tmp_path: Path) -> None:
    with Cache(tmp_path) as cache:
        cache.put_json("extract", "k1", {"text": "市场 résumé", "pages": [1, 2]})
        cache.put_json("other", "k1", [1])
        assert cache.get_json("extract", "k1") == {"text": "市场 résumé", "pages": [1, 2]}
        assert cache.get_json("other", "k1") == [1]
        assert cache.get_json("extract", "missing") is None
        cache.put_json("extract", "k1", "replaced")
        assert cache.get_json("extract", "k1") == "replaced"
        with pytest.raises(TypeError):
            cache.put_json("extract", "bad", object())


def test_json_max_age(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Cache(tmp_path) as cache:
        cache.put_json("ns", "k", 1)
        later = time.time() + 100
        monkeypatch.setattr("verify.http.cache.time.time", lambda: later)
        assert cache.get_json("ns", "k") == 1
        assert cache.get_json("ns", "k", max_age=50) is None


def test_default_directory_is_the_user_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda name: str(tmp_path / name))
    with Cache(None) as cache:
        assert cache.path == tmp_path / "verify" / FILENAME
    assert (tmp_path / "verify" / FILENAME).exists()


def test_unusable_directory_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError):
        Cache(blocker / "cache")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_file_is_set_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    path = tmp_path / FILENAME
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all\n" * 100)
    else:
        with Cache(tmp_path) as cache:
            for i in range(200):
                cache.put(ok(f"https://example.org/{i}", os.urandom(3000)))
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    with Cache(tmp_path) as cache:
        assert len(cache.warnings) == 1
        warning = cache.warnings[0]
        assert "corrupt" in warning and "set aside" in warning
        cache.put(ok("https://example.org/new"))
        assert cache.get("https://example.org/new") is not None
        assert cache.get("https://example.org/1") is None
    aside = list(tmp_path.glob(f"{FILENAME}.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].name in warning
    with Cache(tmp_path) as cache:
        assert cache.warnings == []  # the rebuilt file is sound


WRITER = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path
    from verify.http.cache import Cache
    from verify.models import FetchResult, RefStatus

    directory, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    cache = Cache(directory)
    # both processes start writing together, so their writes really interleave
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    for i in range(300):
        url = f"https://example.org/{tag}/{i}"
        cache.put(FetchResult(url=url, status=RefStatus.OK, body=(tag * 500).encode()))
        assert cache.get(url) is not None
        cache.put_json("ns", f"{tag}-{i}", {"i": i})
    assert not cache.warnings, cache.warnings
    cache.close()
    """
)


def test_two_processes_share_a_directory(tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), tag, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for tag in ("a", "b")
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    with Cache(tmp_path) as cache:
        for tag in ("a", "b"):
            for i in range(300):
                got = cache.get(f"https://example.org/{tag}/{i}")
                assert got is not None and got.body == (tag * 500).encode()
                assert cache.get_json("ns", f"{tag}-{i}") == {"i": i}


INTERRUPTED = textwrap.dedent(
    """
    import sys, time
    from verify.http.cache import Cache
    from verify.models import FetchResult, RefStatus

    cache = Cache(sys.argv[1])
    cache.put(FetchResult(url="https://example.org/done", status=RefStatus.OK, body=b"done"))
    conn = cache._conn
    # hold a write half-done, the way a run killed mid-write would leave it
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT OR REPLACE INTO responses (url, headers, body, redirects, fetched_at)"
        " VALUES ('https://example.org/half', '[]', x'00', '[]', 0)"
    )
    print("ready", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_interrupted_write_leaves_no_entry(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(tmp_path)], stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
    finally:
        proc.kill()
        proc.wait(timeout=30)
    with Cache(tmp_path) as cache:
        assert cache.warnings == []
        assert cache.get("https://example.org/half") is None
        done = cache.get("https://example.org/done")
        assert done is not None and done.body == b"done"
