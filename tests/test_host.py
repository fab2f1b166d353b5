"""verify inside someone else's process: a daemonic pool worker, the spawn start method, a
host that makes SSL contexts or manages its collector. verify must work there and leave the
process as it found it. Every server is on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pages import HARBOURS, harbour_page, harbours_article
from servers import serve_routes

from verify.cli.executor import usable_cpus
from verify.cli.main import main

PAGES = HARBOURS


def _handler(i: int) -> Any:
    async def handle(request: web.Request) -> web.Response:
        return web.Response(text=harbour_page(i), content_type="text/html")

    return handle


@asynccontextmanager
async def forty_pages(tmp_path: Path) -> AsyncIterator[tuple[Path, list[str]]]:
    """An article citing 40 pages served on 127.0.0.1, and the arguments to check it."""
    routes = {f"/harbour/{i}": _handler(i) for i in range(PAGES)}
    async with serve_routes(routes) as (base, _):
        article = tmp_path / "harbours.md"
        article.write_text(harbours_article(base), encoding="utf-8")
        args = [str(article), "--no-config", "--allow-private", "--no-cache", "--no-archive"]
        args += ["--quiet", "--format", "json", "--output", str(tmp_path / "report.json")]
        yield tmp_path / "report.json", args


def _all_read(report: Path) -> None:
    data = json.loads(report.read_text("utf-8"))
    [article] = data["articles"]
    assert len(article["references"]) == PAGES
    assert {r["status"] for r in article["references"]} == {"ok"}
    verdicts = [c["verdict"] for c in article["claims"]]
    assert verdicts.count("supported") >= PAGES - 2, verdicts


async def test_a_run_inside_a_daemonic_pool_worker_completes(tmp_path: Path) -> None:
    import multiprocessing

    async with forty_pages(tmp_path) as (report, args):
        # spawn: the worker starts clean, whatever threads this test process has
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            code = await asyncio.to_thread(pool.apply, main, (args,))
    assert code == 0
    _all_read(report)


async def _run_script(script: str, args: list[str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        *args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.mark.skipif(usable_cpus() < 2, reason="worker processes are used with two CPUs or more")
async def test_a_run_with_the_spawn_start_method_completes(tmp_path: Path) -> None:
    script = (
        "import multiprocessing, sys\n"
        "from verify.cli import executor\n"
        "from verify.cli.main import main\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    chosen = []\n"
        "    choose = executor.choose_executor\n"
        "    def noting(*args):\n"
        "        pool = choose(*args)\n"
        "        chosen.append(getattr(pool, '_method', 'threads'))\n"
        "        return pool\n"
        "    executor.choose_executor = noting\n"
        "    code = main(sys.argv[1:])\n"
        "    print(chosen, code)\n"
    )
    async with forty_pages(tmp_path) as (report, args):
        code, out, err = await _run_script(script, args)
    assert code == 0, err
    assert out.split() == ["['spawn']", "0"]  # worker processes, started by spawn
    _all_read(report)


async def test_ssl_contexts_the_host_makes_during_a_run_have_their_certificates(
    tmp_path: Path,
) -> None:
    import ssl

    if ssl.create_default_context().cert_store_stats()["x509_ca"] == 0:
        pytest.skip("no CA certificates on this system to compare with")
    # the host's thread makes contexts throughout the command's run (as sys.argv, as a
    # console script does), and counts each one's CA certificates
    script = (
        "import ssl, sys, threading\n"
        "from verify.cli.main import main\n"
        "expected = ssl.create_default_context().cert_store_stats()['x509_ca']\n"
        "seen, stop = [], threading.Event()\n"
        "def host():\n"
        "    while not stop.is_set():\n"
        "        seen.append(ssl.create_default_context().cert_store_stats()['x509_ca'])\n"
        "thread = threading.Thread(target=host, daemon=True)\n"
        "thread.start()\n"
        "sys.argv = ['verify', *sys.argv[1:]]\n"
        "try:\n"
        "    code = main()\n"
        "finally:\n"
        "    stop.set()\n"
        "    thread.join()\n"
        "    print(expected, min(seen), len(seen), flush=True)\n"
        "sys.exit(code)\n"
    )
    async with forty_pages(tmp_path) as (report, args):
        code, out, err = await _run_script(script, args)
    assert code == 0, err
    expected, fewest, made = (int(x) for x in out.split())
    assert made > 0 and fewest == expected
    _all_read(report)


async def test_the_collector_is_as_the_host_left_it_during_and_after_a_library_call(
    tmp_path: Path,
) -> None:
    from verify.article.parse import parse_article
    from verify.models import Options
    from verify.pipeline import verify_articles_async

    states: list[tuple[bool, int, tuple[int, ...]]] = []

    class Watching:
        def start(self, total: int) -> None:
            states.append((gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()))

        def advance(self, source: Any) -> None:
            states.append((gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()))

    def same(
        state: tuple[bool, int, tuple[int, ...]], host: tuple[bool, int, tuple[int, ...]]
    ) -> bool:
        # frozen objects that the host's own references let go of leave the permanent
        # generation, so the frozen count may only fall a little: never rise, never reach 0
        enabled, frozen, threshold = state
        return (enabled, threshold) == (host[0], host[2]) and (
            frozen == host[1] or 0.9 * host[1] <= frozen <= host[1]
        )

    async with forty_pages(tmp_path) as (_, args):
        article = parse_article(args[0])
        options = Options(allow_private=True, cache=False, archive=False)
        for host_freezes, host_enabled in [(False, True), (True, False)]:
            states.clear()
            if host_freezes:
                gc.freeze()
            if not host_enabled:
                gc.disable()
            try:
                before = (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold())
                report = await verify_articles_async([article], options, progress=Watching())
                after = (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold())
            finally:
                gc.enable()
                gc.unfreeze()
            assert len(report.articles[0].sources) == PAGES
            assert before[1] > 0 if host_freezes else before[1] == 0
            assert same(after, before), (after, before)
            assert states and all(same(state, before) for state in states)  # nor meanwhile
