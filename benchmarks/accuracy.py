"""Accuracy harness: run verify's shipped matching on labelled claim/evidence rows.

    .venv/bin/python benchmarks/accuracy.py FILE.jsonl [FILE.jsonl ...] [--cv 5]

Per file it prints: rows, balanced accuracy of the shipped verdict (`supported` vs the rest),
AUROC of the score, the 3-way confusion table, evidence recall@1 where the rows name their
supporting sentences (WiCE), and claims per second; with --cv K also the same figures for
scores from combiners fitted on the other folds only (what unseen articles should expect);
and, when grounded-check is importable or GROUNDED_PYTHON names a Python that has it, the
peer's figures on the same rows. The last lines are one JSON object per file.

Rows: WiCE schema (`claim`, `evidence` list or string, `label` supported /
partially_supported / not_supported, optional `supporting_sentences`) or AttributionBench
(`claim`, `references`, `attribution_label` attributable / not attributable).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verify.matching.match import (  # noqa: E402
    DEFAULT_THRESHOLDS,
    assess_claim,
    is_checkable,
    pair_language,
    verdict_for,
)
from verify.models import Thresholds, Verdict  # noqa: E402

LABELS3 = ("supported", "partially_supported", "not_supported")
DEFAULT_GC_PYTHON = "/tmp/gcvenv/bin/python"


@dataclass
class Row:
    claim: str
    evidence: list[str] | str
    label: str  # one of LABELS3
    supporting: list[int] | None = None  # evidence item indexes that support it
    kind: str | None = None  # contrastive rows: the kind of edit that makes a claim wrong

    @property
    def positive(self) -> bool:
        return self.label == "supported"


@dataclass
class Scored:
    score: float
    features: tuple[float, ...]
    language: str
    segments: tuple[int, ...] = ()  # evidence items of the best window
    best_clause: float = 0.0  # see verify.matching.features.Scored.best_clause
    conflict: str | None = None  # the kind of contradiction verify found, if any


@dataclass
class FileResult:
    path: str
    rows: list[Row]
    scored: list[Scored]
    seconds: float
    extra: dict[str, object] = field(default_factory=dict)


def load_rows(path: str | Path) -> list[Row]:
    rows: list[Row] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            if "attribution_label" in r:
                label = "supported" if r["attribution_label"] == "attributable" else "not_supported"
                rows.append(Row(r["claim"], list(r.get("references") or []), label))
                continue
            label = r["label"]
            if label not in LABELS3:
                raise SystemExit(f"{path}: unknown label {label!r}")
            sup = r.get("supporting_sentences")
            flat = sorted({i for group in sup for i in group}) if sup else None
            kind = r.get("kind")
            if kind and r.get("lang"):
                kind = f"{r['lang']} {kind}"  # contrastive fixtures: per language and kind
            rows.append(Row(r["claim"], r["evidence"], label, flat, kind))
    return rows


def time_rows(rows: Sequence[Row], repeats: int) -> float:
    """Best time over `repeats` cold passes (memos cleared before each), in seconds.

    The machine is shared, so the best of a few passes is the figure least disturbed by other
    work; grounded-check is timed the same way."""
    from verify.matching.docindex import clear_memos

    best = float("inf")
    for _ in range(repeats):
        clear_memos()
        best = min(best, score_rows(rows)[1])
    return best


def score_rows(
    rows: Sequence[Row], weights: Mapping[str, Sequence[float]] | None = None
) -> tuple[list[Scored], float]:
    """Score every row through the shipped library function; returns scores and seconds.

    `weights` replaces the shipped combiner (the fitting script passes neutral ones).
    """
    out: list[Scored] = []
    started = time.perf_counter()
    for row in rows:
        if not is_checkable(row.claim):
            # verify reports such a claim unverifiable (not checkable), never supported
            out.append(Scored(0.0, (), "en"))
            continue
        a = assess_claim(row.claim, row.evidence, weights=weights)
        if a is None:
            out.append(Scored(0.0, (), "en"))
            continue
        first, last = a.scored.window
        segs = tuple(sorted({a.doc.segment[i] for i in range(first, last)}))
        language = pair_language(a.units, a.doc)
        kind = a.conflict.kind if a.conflict is not None else None
        # a contradicted claim is unsupported outright (no partial for a clause found whole)
        clause = 0.0 if kind else a.scored.best_clause
        out.append(Scored(a.score, a.scored.features, language, segs, clause, kind))
    return out, time.perf_counter() - started


def _load_chinese_if_needed(rows: Sequence[Row]) -> float | None:
    """Load jieba and CC-CEDICT before timing a file with Chinese claims (they load once per
    process, on first use); returns the seconds it took, or None when there was nothing to do.
    """
    from verify.matching.words import is_cjk

    if "verify.matching.crosslang" in sys.modules or not any(is_cjk(r.claim) for r in rows):
        return None
    started = time.perf_counter()
    from verify.matching import cedict

    cedict.shared_resources()
    return time.perf_counter() - started


# --------------------------------------------------------------------------- metrics


def auroc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """Probability a random positive outscores a random negative (ties count half)."""
    pairs = sorted(zip(scores, positive, strict=True))
    n_pos = sum(positive)
    n_neg = len(pairs) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + j + 1) / 2.0  # 1-based average rank of the tie group
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def balanced_accuracy(predicted: Sequence[bool], positive: Sequence[bool]) -> float:
    tp = sum(1 for p, y in zip(predicted, positive, strict=True) if p and y)
    tn = sum(1 for p, y in zip(predicted, positive, strict=True) if not p and not y)
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    parts = [tp / n_pos if n_pos else None, tn / n_neg if n_neg else None]
    vals = [p for p in parts if p is not None]
    return sum(vals) / len(vals) if vals else float("nan")


def confusion(rows: Sequence[Row], verdicts: Sequence[Verdict]) -> dict[str, dict[str, int]]:
    table = {
        g: {v.value: 0 for v in (Verdict.SUPPORTED, Verdict.PARTIAL, Verdict.UNSUPPORTED)}
        for g in LABELS3
    }
    for row, v in zip(rows, verdicts, strict=True):
        if v.value in table[row.label]:
            table[row.label][v.value] += 1
    return table


def recall_at_1(rows: Sequence[Row], scored: Sequence[Scored]) -> float | None:
    hits = total = 0
    for row, s in zip(rows, scored, strict=True):
        if row.supporting is None or row.label == "not_supported":
            continue
        total += 1
        hits += bool(set(s.segments) & set(row.supporting))
    return hits / total if total else None


def figures(
    rows: Sequence[Row],
    scores: Sequence[float],
    thresholds: Thresholds | None = None,
    clauses: Sequence[float] | None = None,
) -> dict[str, object]:
    positive = [r.positive for r in rows]
    clauses = clauses if clauses is not None else [0.0] * len(scores)
    verdicts = [
        verdict_for(s, thresholds, best_clause=c) for s, c in zip(scores, clauses, strict=True)
    ]
    return {
        "balanced_accuracy": round(
            balanced_accuracy([v is Verdict.SUPPORTED for v in verdicts], positive), 4
        ),
        "auroc": round(auroc(scores, positive), 4),
        "confusion": confusion(rows, verdicts),
        "verdicts": verdicts,
    }


# --------------------------------------------------------------------------- the peer

_GC_SCRIPT = r"""
import json, sys, time
from pathlib import Path
from grounded import Kind, extract, verify
from grounded.sources import Source
rows = [json.loads(line) for line in sys.stdin]
kinds = {Kind.QUOTE, Kind.NUMBER, Kind.CITATION, Kind.ENTITY, Kind.SENTENCE}

def check_all():
    out = []
    for row in rows:
        ev = row["evidence"]
        text = "\n".join(ev) if isinstance(ev, list) else ev
        src = Source(path=Path("evidence.txt"), raw=text or " ")
        res = verify(extract(row["claim"], kinds=kinds, min_sentence_words=1), [src])
        heur = [f.score for f in res.heuristic if f.score is not None]
        sent = min(heur) if heur else 1.0
        passed = res.passed and sent >= 0.60
        out.append({"passed": passed, "score": 0.5 * sent + 0.5 * res.rate})
    return out

best = float("inf")
for _ in range(int(sys.argv[1])):
    started = time.perf_counter()
    out = check_all()
    best = min(best, time.perf_counter() - started)
print(json.dumps(out))
print(best, file=sys.stderr)
"""


def grounded_python() -> str | None:
    """A Python that can import grounded-check: this one, $GROUNDED_PYTHON, or /tmp/gcvenv."""
    try:
        import grounded  # noqa: F401

        return sys.executable
    except ImportError:
        pass
    for candidate in (os.environ.get("GROUNDED_PYTHON"), DEFAULT_GC_PYTHON):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def run_grounded(
    python: str, rows: Sequence[Row], repeats: int = 3
) -> tuple[list[dict[str, float]], float]:
    """grounded-check's pass/fail and score per row (passes: quotes, numbers and names found,
    content-token recall >= 0.60), and its best time over `repeats` passes, timed inside its
    own process with the rows already parsed, as verify's are."""
    payload = "\n".join(json.dumps({"claim": r.claim, "evidence": r.evidence}) for r in rows)
    proc = subprocess.run(
        [python, "-c", _GC_SCRIPT, str(max(1, repeats))],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed")
    seconds = float(proc.stderr.strip().splitlines()[-1])
    return json.loads(proc.stdout), seconds


# --------------------------------------------------------------------------- report


def _print_table(title: str, fig: dict[str, object]) -> None:
    conf = fig["confusion"]
    assert isinstance(conf, dict)
    print(f"  {title}: balanced accuracy {fig['balanced_accuracy']:.3f}, AUROC {fig['auroc']:.3f}")
    print(f"    {'gold / verdict':<22}{'supported':>11}{'partial':>9}{'unsupported':>13}")
    for gold, row in conf.items():
        if sum(row.values()):
            print(
                f"    {gold:<22}{row['supported']:>11}{row['partial']:>9}{row['unsupported']:>13}"
            )


def _print_conflicts(
    rows: Sequence[Row], scored: Sequence[Scored], fig: dict[str, object]
) -> dict[str, dict[str, int]]:
    """Per conflict kind: how often verify named it and how often rightly (the claim was not
    supported); and where the rows are labelled with the kind of edit (contrastive fixtures),
    the share of each kind's edited claims not supported and of its originals supported."""
    verdicts = fig["verdicts"]
    assert isinstance(verdicts, list)
    found: dict[str, list[bool]] = {}
    for row, s in zip(rows, scored, strict=True):
        if s.conflict:
            found.setdefault(s.conflict, []).append(not row.positive)
    if found:
        parts = [f"{k} {sum(v)}/{len(v)}" for k, v in sorted(found.items())]
        print("  contradictions found (rightly / named): " + ", ".join(parts))
    kinds = sorted({r.kind for r in rows if r.kind})
    per_kind: dict[str, dict[str, int]] = {}
    for kind in kinds:
        idx = [i for i, r in enumerate(rows) if r.kind == kind]
        neg = [i for i in idx if not rows[i].positive]
        pos = [i for i in idx if rows[i].positive]
        rejected = sum(verdicts[i] is not Verdict.SUPPORTED for i in neg)
        kept = sum(verdicts[i] is Verdict.SUPPORTED for i in pos)
        print(
            f"  kind {kind:<15} edited claim not supported {rejected}/{len(neg)}, "
            f"original supported {kept}/{len(pos)}"
        )
        per_kind[kind] = {
            "edited": len(neg),
            "rejected": rejected,
            "originals": len(pos),
            "kept": kept,
        }
    return per_kind


def _sd(values: Sequence[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


def evaluate(
    paths: Sequence[str],
    *,
    cv: int = 0,
    repeats: int = 5,
    peer: bool = True,
    seed: int = 13,
    timing: int = 3,
) -> list[dict[str, object]]:
    results: list[FileResult] = []
    for path in paths:
        rows = load_rows(path)
        load_seconds = _load_chinese_if_needed(rows)
        scored, seconds = score_rows(rows)
        if timing > 1:
            seconds = min(seconds, time_rows(rows, timing - 1))
        result = FileResult(path, rows, scored, seconds)
        if load_seconds is not None:
            result.extra["dictionary_load_s"] = round(load_seconds, 2)
        results.append(result)

    # One held-out score list per file per repeat (fold assignments differ between repeats).
    held_out: list[dict[str, list[float]]] = []
    if cv:
        from benchmarks.fit_combiner import cross_validate

        data = {r.path: (r.rows, r.scored) for r in results}
        for k in range(max(1, repeats)):
            held_out.append(cross_validate(data, folds=cv, seed=seed + k)[0])

    gc_python = grounded_python() if peer else None
    summaries: list[dict[str, object]] = []
    for r in results:
        n = len(r.rows)
        clauses = [s.best_clause for s in r.scored]
        fig = figures(r.rows, [s.score for s in r.scored], clauses=clauses)
        rate = n / r.seconds if r.seconds else float("inf")
        print(
            f"\n{r.path}: {n} rows "
            f"({sum(x.positive for x in r.rows)} supported), {rate:.0f} claims/s"
        )
        load = r.extra.get("dictionary_load_s")
        if isinstance(load, float):
            print(
                f"  (jieba + CC-CEDICT loaded once beforehand in {load} s, not counted; "
                f"with it: {n / (r.seconds + load):.0f} claims/s)"
            )
        _print_table("shipped weights and cut-offs (fitted on all the shared dev data)", fig)
        per_kind = _print_conflicts(r.rows, r.scored, fig)
        rec = recall_at_1(r.rows, r.scored)
        if rec is not None:
            print(f"  evidence recall@1 (best window holds a supporting sentence): {rec:.3f}")
        summary: dict[str, object] = {
            "file": r.path,
            "n": n,
            "balanced_accuracy": fig["balanced_accuracy"],
            "auroc": fig["auroc"],
            "claims_per_s": round(rate, 1),
        }
        if rec is not None:
            summary["recall_at_1"] = round(rec, 4)
        if per_kind:
            summary["kinds"] = per_kind
        if "dictionary_load_s" in r.extra:
            summary["dictionary_load_s"] = r.extra["dictionary_load_s"]
        if cv:
            # Each row's score comes from a combiner fitted on the folds that did not hold
            # it, mapped so that its fold's own cut-offs coincide with the shipped ones.
            figs = [figures(r.rows, h[r.path], clauses=clauses) for h in held_out]
            _print_table(f"held-out ({cv}-fold cross-validation, seed {seed})", figs[0])
            bas = [float(f["balanced_accuracy"]) for f in figs]  # type: ignore[arg-type]
            aus = [float(f["auroc"]) for f in figs]  # type: ignore[arg-type]
            print(
                f"  held-out over {len(figs)} repeats of {cv}-fold CV: balanced accuracy "
                f"{statistics.mean(bas):.3f} (sd {_sd(bas):.3f}), AUROC "
                f"{statistics.mean(aus):.3f} (sd {_sd(aus):.3f})"
            )
            summary["cv_balanced_accuracy"] = round(statistics.mean(bas), 4)
            summary["cv_auroc"] = round(statistics.mean(aus), 4)
        if gc_python:
            try:
                gc, gc_seconds = run_grounded(gc_python, r.rows, timing)
            except (RuntimeError, OSError, ValueError) as err:
                print(f"  grounded-check failed: {err}")
            else:
                positive = [x.positive for x in r.rows]
                gba = balanced_accuracy([bool(g["passed"]) for g in gc], positive)
                gau = auroc([float(g["score"]) for g in gc], positive)
                grate = n / gc_seconds if gc_seconds else float("inf")
                print(
                    f"  grounded-check (same rows): balanced accuracy {gba:.3f}, "
                    f"AUROC {gau:.3f}, {grate:.0f} claims/s "
                    f"(verify is {rate / grate:.2f}x)"
                )
                summary["grounded_check"] = {
                    "balanced_accuracy": round(gba, 4),
                    "auroc": round(gau, 4),
                    "claims_per_s": round(grate, 1),
                }
        summaries.append(summary)
    print(
        f"\nthresholds: supported >= {DEFAULT_THRESHOLDS.supported}, "
        f"partial >= {DEFAULT_THRESHOLDS.partial}"
    )
    for s in summaries:
        print(json.dumps(s, ensure_ascii=False))
    return summaries


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="also report K-fold cross-validated (held-out) figures",
    )
    ap.add_argument(
        "--repeats",
        type=int,
        default=5,
        metavar="R",
        help="repeat the cross-validation R times with other fold draws (mean)",
    )
    ap.add_argument(
        "--timing",
        type=int,
        default=3,
        metavar="N",
        help="claims/s from the best of N cold passes, for both tools (default 3)",
    )
    ap.add_argument("--no-peer", action="store_true", help="do not run grounded-check")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"error: no such file: {missing[0]}", file=sys.stderr)
        return 2
    evaluate(
        args.files,
        cv=args.cv,
        repeats=args.repeats,
        peer=not args.no_peer,
        seed=args.seed,
        timing=max(1, args.timing),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
