"""Cold start: wall time of `verify --version` and `verify --help`, and what --version imports.

Each figure is the median of --repeat runs of the .venv entry point in a subprocess. The heavy
modules (trafilatura, aiohttp, rapidfuzz, rich, numpy, jieba) must not be imported to print a
version; the script runs the entry point's own code path with `python -X importtime` and
lists every heavy module it loaded, with the chain of imports that pulled it in.

    .venv/bin/python benchmarks/startup.py [--repeat 10] [--json out.json]

The last line printed is one JSON object with every figure (also written to --json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

VERIFY = str(Path(sys.executable).parent / "verify")
HEAVY = ("trafilatura", "aiohttp", "rapidfuzz", "rich", "numpy", "jieba", "lxml", "pypdf")
TARGET_VERSION_S = 0.25


def wall(cmd: Sequence[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def import_tree(argv: Sequence[str]) -> list[tuple[int, int, str]]:
    """(depth, cumulative microseconds, module) of each import `verify ARGV` performs, in the
    order -X importtime reports them (children before their parent)."""
    code = (
        "import sys; from verify.cli.main import main; sys.argv = ['verify', *sys.argv[1:]]; "
        "raise SystemExit(main())"
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if not cumulative.strip().isdigit():
            continue  # the header line
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((depth, int(cumulative), name.strip()))
    return rows


def heavy_chains(rows: Sequence[tuple[int, int, str]]) -> dict[str, list[str]]:
    """For each heavy top-level package imported, the chain of modules that imported it.

    -X importtime prints a module after everything it imported, one indent level deeper than
    its importer, so a module's importer is the next row below it with a smaller depth.
    """
    chains: dict[str, list[str]] = {}
    for i, (depth, _, name) in enumerate(rows):
        top = name.split(".")[0]
        if top not in HEAVY or top in chains:
            continue
        chain, want = [name], depth
        for d, _, parent in rows[i + 1 :]:
            if d < want:
                chain.append(parent)
                want = d
        chain.reverse()
        # end at the first module of the heavy package: what follows is its own business
        first = next(i for i, m in enumerate(chain) if m.split(".")[0] == top)
        chains[top] = chain[: first + 1]
    return chains


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    env_note = "PYTHONDONTWRITEBYTECODE" in os.environ

    wall([VERIFY, "--version"], 2)  # warm the page cache and the bytecode cache
    version = wall([VERIFY, "--version"], args.repeat)
    help_ = wall([VERIFY, "--help"], args.repeat)
    python = wall([sys.executable, "-c", "pass"], args.repeat)
    figures: dict[str, Any] = {"repeat": args.repeat}
    for name, times in (("version", version), ("help", help_), ("bare_python", python)):
        figures[f"{name}_s"] = round(statistics.median(times), 4)
        figures[f"{name}_min_s"] = round(min(times), 4)

    for flag in ("--version", "--help"):
        rows = import_tree([flag])
        chains = heavy_chains(rows)
        key = flag.strip("-")
        figures[f"{key}_modules"] = len(rows)
        figures[f"{key}_import_s"] = round(sum(c for d, c, _ in rows if d == 0) / 1e6, 4)
        figures[f"{key}_heavy"] = chains
    figures["version_target_s"] = TARGET_VERSION_S
    figures["version_meets_target"] = figures["version_s"] < TARGET_VERSION_S
    if env_note:
        figures["note"] = "PYTHONDONTWRITEBYTECODE is set: modules without a .pyc compile each run"

    print(f"verify --version: {figures['version_s']:.3f} s median of {args.repeat}")
    print(f"verify --help:    {figures['help_s']:.3f} s median of {args.repeat}")
    print(f"python -c pass:   {figures['bare_python_s']:.3f} s (the interpreter alone)")
    verdict = "meets" if figures["version_meets_target"] else "misses"
    print(f"--version {verdict} the target of {TARGET_VERSION_S} s")
    for key in ("version", "help"):
        heavy = figures[f"{key}_heavy"]
        print(
            f"--{key}: {figures[f'{key}_modules']} modules imported "
            f"({figures[f'{key}_import_s']:.3f} s of imports); heavy: "
            + (", ".join(heavy) if heavy else "none")
        )
        for top, chain in heavy.items():
            print(f"    {top}: {' -> '.join(chain)}")
    line = json.dumps(figures, sort_keys=True)
    if args.json:
        Path(args.json).write_text(line + "\n", "utf-8")
    print(line)
    return figures


if __name__ == "__main__":
    main()
