"""A page without sentence breaks cited by many claims (issue 16's evidence amplification):
wall time, peak memory and JSON report size of `verify` on it, read as a local copy (no
network). Before the windowing, 5 MB and 20 claims gave a 105 MB report (27 s, 306 MB).

    .venv/bin/python benchmarks/hostile_page.py [--mb 5] [--claims 20 80]

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from measure import run_measured

VERIFY = str(Path(sys.executable).parent / "verify")
WORDS = ("harbour", "ships", "cargo", "grain", "timber", "river", "bridge", "council", "budget")


def page(chars: int) -> str:
    rng = random.Random(16)
    out, size = [], 0
    while size < chars:
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def article(claims: int) -> str:
    lines = ["# Harbour notes", ""]
    for i in range(claims):
        a, b, c = WORDS[i % 9], WORDS[(i * 4 + 1) % 9], WORDS[(i * 7 + 2) % 9]
        lines += [f"The {a} and the {b} paid for {i + 2} new {c} sheds [1].", ""]
    lines += ["## Sources", "", "1. https://example.com/notes", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--claims", type=int, nargs="+", default=[20, 80])
    args = parser.parse_args()
    figures: dict[str, object] = {"page_mb": args.mb}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "page.txt").write_text(page(int(args.mb * 1024 * 1024)), "utf-8")
        for n in args.claims:
            (folder / "a.md").write_text(article(n), "utf-8")
            report = folder / "r.json"
            cmd = [VERIFY, "a.md", "--no-config", "--no-cache", "--source", "1=page.txt"]
            cmd += ["--format", "json", "--output", str(report), "--quiet"]
            m = run_measured(cmd, cwd=folder)
            size = report.stat().st_size if report.exists() else 0
            print(
                f"{n} claims: exit {m.returncode}, {m.wall_s:.1f} s, peak {m.peak_mb:.0f} MB, "
                f"report {size / 1024:.0f} KB"
            )
            figures[f"claims_{n}"] = {
                "exit": m.returncode,
                "wall_s": round(m.wall_s, 2),
                "peak_mb": round(m.peak_mb),
                "report_kb": round(size / 1024),
            }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
