"""open_fetcher: the live client with its cache and recorder, or a replay."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aiohttp import web
from servers import local_options as local
from servers import serve_routes

from verify.http.fetch import LiveFetcher, open_fetcher
from verify.http.warc import ReplayFetcher
from verify.models import RefStatus


async def page(request: web.Request) -> web.Response:
    return web.Response(
        text="<html><body><p>A page about lighthouses.</p></body></html>",
        content_type="text/html",
        charset="utf-8",
    )


async def test_open_fetcher_live_uses_cache_dir_and_records(tmp_path: Path) -> None:
    warc = tmp_path / "run.warc.gz"
    opts = local(cache=True, cache_dir=str(tmp_path / "cache"), record=str(warc))
    async with serve_routes({"/page": page}) as (base, _), open_fetcher(opts) as fetcher:
        assert isinstance(fetcher, LiveFetcher)
        result = await fetcher.fetch(f"{base}/page")
    assert result.status is RefStatus.OK
    assert any((tmp_path / "cache").iterdir())
    assert warc.stat().st_size > 0


async def test_open_fetcher_without_cache_writes_nothing(tmp_path: Path) -> None:
    opts = local(cache=False, cache_dir=str(tmp_path / "cache"))
    async with serve_routes({"/page": page}) as (base, _), open_fetcher(opts) as fetcher:
        await fetcher.fetch(f"{base}/page")
    assert not (tmp_path / "cache").exists()


async def test_open_fetcher_replay_uses_no_network(tmp_path: Path, attempts: list[str]) -> None:
    warc = tmp_path / "run.warc.gz"
    async with (
        serve_routes({"/page": page}) as (base, _),
        open_fetcher(local(record=str(warc))) as fetcher,
    ):
        live = await fetcher.fetch(f"{base}/page")
    before = len(attempts)
    async with open_fetcher(local(replay=str(warc))) as fetcher:
        assert isinstance(fetcher, ReplayFetcher)
        replayed = await fetcher.fetch(f"{base}/page")
    assert len(attempts) == before
    assert replayed.body == live.body
    assert replayed.status is RefStatus.OK


def test_a_replay_loads_no_http_client() -> None:
    """The replay reads the archive through the pure HTTP semantics; aiohttp stays unloaded."""
    warc = Path(__file__).parents[2] / "fixtures" / "demo" / "sources.warc.gz"
    code = (
        "import asyncio, json, sys\n"
        "from verify.http.fetch import open_fetcher\n"
        "from verify.models import Options\n"
        "async def main():\n"
        f"    async with open_fetcher(Options(replay={str(warc)!r})) as fetcher:\n"
        "        found = [await fetcher.fetch(u) for u in list(fetcher._records)[:3]]\n"
        "        missing = await fetcher.fetch('https://example.invalid/none')\n"
        "    return [r.status.value for r in found], missing.status.value\n"
        "found, missing = asyncio.run(main())\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'aiohttp')\n"
        "print(json.dumps([found, missing, loaded]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found, missing, loaded = json.loads(out.stdout)
    assert "ok" in found
    assert missing == "unreachable"
    assert loaded == []
