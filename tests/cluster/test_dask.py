"""verify on a Dask cluster: a LocalCluster of two worker processes on this machine, against
the loopback load server. The same reports as one machine, the per-host limit held across
the cluster, and a worker killed mid-run losing no reference."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from archive import comparable, load_server_module, options_for

from verify.cluster.dask import ClusterSpec, connect, partition_hosts, run_on_cluster
from verify.errors import ConfigError
from verify.models import Reference
from verify.pipeline import verify_paths_async

distributed = pytest.importorskip("distributed")
loadserver = load_server_module()


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with loadserver.LoadServer(6, latency_ms=(20, 40), slow_seconds=10) as s:
        yield s


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with connect(ClusterSpec(workers=2), dashboard=False) as c:
        yield c


def _archive(server: Any, tmp_path: Path, articles: int, refs: int, **kw: Any) -> list[Path]:
    loadserver.make_archive(tmp_path / "posts", server.bases, articles, refs, seed=5, **kw)
    return sorted((tmp_path / "posts").glob("*.md"))


async def test_the_cluster_gives_the_single_machine_report(
    server: Any, client: Any, tmp_path: Path
) -> None:
    files = _archive(server, tmp_path, 10, 6, shared=2, popular=3, failure_rate=0.15)
    options = options_for(server, per_host=2)
    server.reset()
    whole = await verify_paths_async(files, options)
    server.reset()

    reports = list(run_on_cluster(client, files, options))

    assert len(reports) == len(files)
    assert comparable(reports) == comparable(list(whole.articles))
    stats = server.stats()
    # run-wide deduplication: every page was asked for once, though several posts cite
    # some of them (failing URLs are retried, so only the pages are counted)
    pages = {"/" + s.reference.url.split("/", 3)[3] for a in reports for s in a.sources}
    pages = {p for p in pages if p.startswith("/ok/")}
    assert {p: server.hits[p] for p in pages} == dict.fromkeys(pages, 1)
    # the per-host limit holds for the cluster as a whole
    assert 0 < stats["peak_per_host"] <= 2


def test_a_worker_killed_mid_run_loses_no_reference(
    server: Any, client: Any, tmp_path: Path
) -> None:
    files = _archive(server, tmp_path, 12, 5, shared=1, popular=4)
    options = options_for(server, per_host=1)
    server.reset()
    undisturbed = list(run_on_cluster(client, files, options, partitions=6))
    server.reset()

    pids = client.run(os.getpid)  # worker address -> its process id
    victim = sorted(pids.values())[0]
    first_request = threading.Event()

    def kill_once_requests_flow() -> None:
        # as soon as the load server has seen fetching start, one worker dies
        while not server.stats()["requests"]:
            if first_request.wait(0.01):
                return
        os.kill(victim, signal.SIGKILL)

    killer = threading.Thread(target=kill_once_requests_flow)
    killer.start()
    try:
        disturbed = list(run_on_cluster(client, files, options, partitions=6))
    finally:
        first_request.set()
        killer.join()

    assert victim not in client.run(os.getpid).values()
    assert comparable(disturbed) == comparable(undisturbed)
    assert all(s.status.readable for a in disturbed for s in a.sources)


def test_closing_the_stream_cancels_the_cluster_work(
    server: Any, client: Any, tmp_path: Path
) -> None:
    files = _archive(server, tmp_path, 8, 3, shared=1, popular=2)
    options = options_for(server)
    stream = run_on_cluster(client, files, options)
    next(stream)
    stream.close()  # as ^C does, through the generator's finally

    def left() -> list[str]:
        return [str(k) for k in client.who_has() if str(k).startswith("verify-")]

    # nothing of the run is left on the cluster, once the scheduler has heard of it
    deadline = time.monotonic() + 10
    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() == []


def test_every_host_is_in_exactly_one_partition() -> None:
    urls = {
        f"h{i}.test": [Reference(id=str(n), url=f"http://h{i}.test/{n}", line=1) for n in range(i)]
        for i in range(1, 30)
    }
    groups = partition_hosts(urls, 4)
    hosts = [h for g in groups for h in g]
    assert sorted(hosts) == sorted(urls) and len(groups) == 4
    loads = [sum(len(urls[h]) for h in g) for g in groups]
    assert max(loads) - min(loads) <= max(len(v) for v in urls.values())


@pytest.mark.parametrize("value", ["", "local:0", "local:x", "scheduler:8786", "tcp://"])
def test_a_bad_cluster_spec_is_a_usage_error(value: str) -> None:
    with pytest.raises(ConfigError):
        ClusterSpec.parse(value)


def test_cluster_specs() -> None:
    assert ClusterSpec.parse("local") == ClusterSpec()
    assert ClusterSpec.parse("local:3") == ClusterSpec(workers=3)
    assert ClusterSpec.parse("tcp://10.0.0.5:8786") == ClusterSpec(address="tcp://10.0.0.5:8786")


def test_without_dask_installed_the_option_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"verify-sources\[dask\]"), connect(ClusterSpec()):
        pass


def test_a_local_cluster_names_a_dashboard_only_where_one_can_be_drawn() -> None:
    """Dask draws its dashboard with bokeh; without it the address would lead to a page
    asking for bokeh, so none is started or printed."""
    import importlib.util

    from verify.cluster.dask import dashboard_link

    with connect(ClusterSpec(workers=1)) as c:
        link = dashboard_link(c)
    if importlib.util.find_spec("bokeh") is None:
        assert link is None
    else:
        assert link is not None and link.startswith("http")
