"""Wall time and peak memory of a cold and a cached run of the demo article.

The demo's sources are served over HTTP on 127.0.0.1 from fixtures/demo/sources.warc.gz
(verify.testing.WarcServer), so a cold run does real fetching, extraction and matching, and a
cached run shows what the cache saves. Each figure is the median of --repeat runs of the real
`verify` command in a subprocess; peak memory is that of
the command and any worker processes it starts (benchmarks/measure.py).

    .venv/bin/python benchmarks/run_article.py [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from measure import run_measured

from verify.testing import WarcServer

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = ROOT / "fixtures" / "demo" / "article.md"
WARC = ROOT / "fixtures" / "demo" / "sources.warc.gz"
NEWS_HOSTS = ("www.bloomberg.com", "www.cnbc.com", "www.nytimes.com")


def run(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB, exit code of one command."""
    m = run_measured(cmd)
    if m.returncode not in (0, 1):
        raise SystemExit(f"verify failed ({m.returncode}): {m.stderr.decode().strip()}")
    return m.wall_s, m.peak_mb, m.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="each source answers after this delay"
    )
    args = parser.parse_args()
    verify = str(Path(sys.executable).parent / "verify")

    figures: dict[str, dict[str, float]] = {}
    with (
        WarcServer(WARC, latency=args.latency_ms / 1000) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        article = Path(tmp) / "article.md"
        article.write_text(server.rewrite(ARTICLE.read_text("utf-8"), NEWS_HOSTS), "utf-8")
        base = [verify, str(article), "--allow-private", "--quiet", "--format", "json"]
        for name, value in server.endpoints().items():
            base += ["--endpoint", f"{name}={value}"]
        cold, cached, cold_mem, cached_mem, cold_req, cached_req = [], [], [], [], [], []
        for i in range(args.repeat):
            cache = str(Path(tmp) / f"cache{i}")
            before = sum(server.hits.values())
            wall, mem, _ = run([*base, "--cache-dir", cache])
            cold.append(wall)
            cold_mem.append(mem)
            cold_req.append(sum(server.hits.values()) - before)
            before = sum(server.hits.values())
            wall, mem, _ = run([*base, "--cache-dir", cache])
            cached.append(wall)
            cached_mem.append(mem)
            cached_req.append(sum(server.hits.values()) - before)
    figures["cold"] = {
        "wall_s": statistics.median(cold),
        "peak_mb": statistics.median(cold_mem),
        "requests": statistics.median(cold_req),
    }
    figures["cached"] = {
        "wall_s": statistics.median(cached),
        "peak_mb": statistics.median(cached_mem),
        "requests": statistics.median(cached_req),
    }
    ratio = figures["cached"]["wall_s"] / figures["cold"]["wall_s"]
    print(
        f"demo article, {args.repeat} runs each, sources answering after {args.latency_ms:.0f} ms,"
        f" medians (verify {sys.executable})"
    )
    for name, f in figures.items():
        print(
            f"  {name:6}  wall {f['wall_s']:.2f} s   peak RSS {f['peak_mb']:.0f} MB   "
            f"HTTP requests {f['requests']:.0f}"
        )
    print(f"  cached/cold wall-time ratio: {ratio:.2f}")
    result = {"benchmark": "run_article", "repeat": args.repeat, **figures, "ratio": ratio}
    print(json.dumps(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
