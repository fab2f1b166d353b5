"""Fit the support combiner on the shared dev data and write verify/matching/weights.py.

    .venv/bin/python benchmarks/fit_combiner.py [--write] [FILE.jsonl ...]

A logistic regression per claim language (English claims: WiCE + AttributionBench; Chinese
claims: X-PARADE), fitted with numpy (Newton's method, L2), every file weighing the same and
both classes within a file weighing the same, so one cut-off serves all three. The supported
cut-off maximises the mean balanced accuracy over the files; the partial cut-off maximises
WiCE's balanced accuracy for telling not_supported from the rest. With --write the weights,
cut-offs and the figures that chose them go to verify/matching/weights.py as plain constants.
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import Row, Scored, auroc, balanced_accuracy, load_rows, score_rows  # noqa: E402
from verify.matching.features import FEATURES  # noqa: E402
from verify.matching.match import CONFLICT_VETO, NAME_VETO, NUMBER_VETO, combine  # noqa: E402
from verify.models import Thresholds  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEFAULT_FILES = (
    DATA / "wice" / "dev.jsonl",
    DATA / "attributionbench" / "dev.jsonl",
    DATA / "x-parade" / "en-zh-dev.jsonl",
    DATA / "ocnli" / "train-3k.jsonl",
)
L2 = {"en": 1.0, "zh": 0.3, "zh-zh": 1.0}
# Features only: the shipped weights may be for another feature set while refitting.
NEUTRAL = {"en": (0.0,) * (len(FEATURES) + 1)}

Data = Mapping[str, tuple[Sequence[Row], Sequence[Scored]]]


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method; returns (bias, coefficients...)."""
    xb = np.hstack([np.ones((x.shape[0], 1)), x])
    beta = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ beta, -30, 30)))
        grad = xb.T @ (w * (p - y)) + reg * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta


def _sample_weights(files: Sequence[str], y: np.ndarray) -> np.ndarray:
    w = np.zeros(len(y))
    names = np.array(files)
    for f in set(files):
        for cls in (0, 1):
            sel = (names == f) & (y == cls)
            if sel.any():
                w[sel] = 1.0 / sel.sum()
    return w * len(y) / w.sum()


def fit_weights(
    data: Data, keep: Mapping[str, Sequence[int]] | None = None
) -> dict[str, tuple[float, ...]]:
    """One weight vector per language, from the rows `keep` selects (all when None)."""
    by_lang: dict[str, tuple[list[tuple[float, ...]], list[int], list[str]]] = {}
    for path, (rows, scored) in data.items():
        idx = keep[path] if keep is not None else range(len(rows))
        for i in idx:
            s = scored[i]
            if not s.features or s.conflict:
                continue  # not checkable, or contradicted: the verdict is not the combiner's
            xs, ys, fs = by_lang.setdefault(s.language, ([], [], []))
            xs.append(s.features)
            ys.append(int(rows[i].positive))
            fs.append(path)
    out: dict[str, tuple[float, ...]] = {}
    for lang, (xs, ys, fs) in by_lang.items():
        y = np.array(ys, dtype=float)
        x = np.array(xs)
        beta = fit_logistic(x, y, _sample_weights(fs, y), L2.get(lang, 1.0))
        beta = _calibrate(beta, x, y, fs)
        out[lang] = tuple(round(float(b), 4) for b in beta)
    if "en" not in out:
        out["en"] = next(iter(out.values()))
    return out


def _calibrate(beta: np.ndarray, x: np.ndarray, y: np.ndarray, files: Sequence[str]) -> np.ndarray:
    """Shift the bias and the page-size slope so 0.5 is the best cut-off on every file.

    Log-loss puts each file's best balanced-accuracy cut-off somewhere else (on long pages,
    lower); one shared cut-off has to serve them all, so two parameters are chosen to
    maximise the mean balanced accuracy over the files at 0.5, with the veto applied.
    """
    size = x[:, FEATURES.index("doc_size")]
    veto = np.where(x[:, FEATURES.index("number_missing")] > 0, NUMBER_VETO, 1.0)
    veto = veto * np.where(x[:, FEATURES.index("names_doc")] < 1.0, NAME_VETO, 1.0)
    z = beta[0] + x @ beta[1:]
    names = np.array(files)
    groups = [(names == f) for f in sorted(set(files))]
    pos = y > 0.5
    best = (-1.0, 0.0, 0.0)
    for c in np.arange(-0.6, 0.61, 0.05):
        for b in np.arange(-1.5, 1.51, 0.05):
            pred = veto / (1.0 + np.exp(-(z + b + c * size))) >= 0.5
            bas = []
            for g in groups:
                tp = (pred & pos & g).sum() / max(1, (pos & g).sum())
                tn = (~pred & ~pos & g).sum() / max(1, (~pos & g).sum())
                bas.append((tp + tn) / 2)
            score = float(np.mean(bas)) - 0.01 * (abs(b) + abs(c))  # prefer small shifts
            if score > best[0]:
                best = (score, float(b), float(c))
    _, b, c = best
    out = beta.copy()
    out[0] += b
    out[1 + FEATURES.index("doc_size")] += c
    return out


def _rescore(
    data: Data,
    weights: Mapping[str, Sequence[float]],
    keep: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = {}
    for path, (rows, scored) in data.items():
        idx = keep[path] if keep is not None else range(len(rows))
        out[path] = [
            (
                i,
                combine(scored[i].features, scored[i].language, weights)
                * (CONFLICT_VETO if scored[i].conflict else 1.0)
                if scored[i].features
                else 0.0,
            )
            for i in idx
        ]
    return out


def choose_thresholds(
    data: Data, scores: Mapping[str, Sequence[tuple[int, float]]]
) -> tuple[Thresholds, dict[str, float]]:
    """The supported cut-off maximising mean balanced accuracy over files, then partial."""
    grid = [round(0.2 + 0.01 * k, 2) for k in range(61)]

    def mean_ba(t: float) -> float:
        vals = []
        for path, pairs in scores.items():
            rows = data[path][0]
            pos = [rows[i].positive for i, _ in pairs]
            if any(pos) and not all(pos):
                vals.append(balanced_accuracy([s >= t for _, s in pairs], pos))
        return sum(vals) / len(vals) if vals else 0.0

    supported = max(grid, key=lambda t: (round(mean_ba(t), 4), -abs(t - 0.5)))
    # partial: separate not_supported from the rest where the file has three labels.
    three = {
        p: pairs
        for p, pairs in scores.items()
        if any(data[p][0][i].label == "partially_supported" for i, _ in pairs)
    }

    def ns_ba(t: float) -> float:
        vals = []
        for path, pairs in three.items():
            rows = data[path][0]
            neg = [rows[i].label == "not_supported" for i, _ in pairs]
            if any(neg) and not all(neg):
                vals.append(balanced_accuracy([s < t for _, s in pairs], neg))
        return sum(vals) / len(vals) if vals else 0.0

    lower = [t for t in grid if t < supported] or [supported / 2]
    partial = max(lower, key=lambda t: (round(ns_ba(t), 4), t)) if three else supported / 2
    return Thresholds(supported, partial), {
        "mean_balanced_accuracy": round(mean_ba(supported), 4),
        "not_supported_balanced_accuracy": round(ns_ba(partial), 4),
    }


def cross_validate(
    data: Data, *, folds: int = 5, seed: int = 13, target: Thresholds | None = None
) -> tuple[dict[str, list[float]], list[Thresholds]]:
    """Held-out scores: each row scored by a combiner fitted on the other folds.

    Scores are shifted so that each fold's own cut-offs land on `target` (default: the
    shipped ones) by a monotone map per fold, so verdicts at `target` are the held-out ones.
    """
    from verify.matching.match import DEFAULT_THRESHOLDS

    target = target or DEFAULT_THRESHOLDS
    rng = random.Random(seed)
    assign: dict[str, list[int]] = {}
    for path, (rows, _) in data.items():
        fold_of = [0] * len(rows)
        for label in sorted({r.label for r in rows}):
            idx = [i for i, r in enumerate(rows) if r.label == label]
            rng.shuffle(idx)
            for k, i in enumerate(idx):
                fold_of[i] = k % folds
        assign[path] = fold_of
    held: dict[str, list[float]] = {p: [0.0] * len(rows) for p, (rows, _) in data.items()}
    chosen: list[Thresholds] = []
    for k in range(folds):
        train = {p: [i for i, f in enumerate(fo) if f != k] for p, fo in assign.items()}
        test = {p: [i for i, f in enumerate(fo) if f == k] for p, fo in assign.items()}
        weights = fit_weights(data, train)
        thresholds, _ = choose_thresholds(data, _rescore(data, weights, train))
        chosen.append(thresholds)
        for path, pairs in _rescore(data, weights, test).items():
            for i, s in pairs:
                held[path][i] = _map_to_shipped(s, thresholds, target)
    return held, chosen


def _map_to_shipped(s: float, fold: Thresholds, shipped: Thresholds) -> float:
    """Piecewise-linear monotone map sending the fold's cut-offs onto the shipped ones."""
    xs = [0.0, fold.partial, fold.supported, 1.0]
    ys = [0.0, shipped.partial, shipped.supported, 1.0]
    return float(np.interp(s, xs, ys))


def render(
    weights: Mapping[str, Sequence[float]], thresholds: Thresholds, report: Mapping[str, object]
) -> str:
    lines = [
        '"""Combiner weights and verdict cut-offs, written by benchmarks/fit_combiner.py.',
        "",
        "Fitted on the shared dev data (WiCE + AttributionBench for English claims, X-PARADE",
        "en-zh for Chinese claims). The figures that chose the cut-offs:",
        "",
    ]
    for k, v in report.items():
        lines += textwrap.wrap(f"{k}: {v}", 92, initial_indent="    ", subsequent_indent="        ")
    lines += [
        '"""',
        "",
        "# Feature order: verify.matching.features.FEATURES; the first number is the bias.",
        *("#   " + name for name in FEATURES),
        "WEIGHTS: dict[str, tuple[float, ...]] = {",
    ]
    for lang, w in sorted(weights.items()):
        lines.append(f'    "{lang}": (')
        nums = [f"{x}," for x in w]
        chunk: list[str] = []
        for n in nums:
            if len("        " + " ".join([*chunk, n])) > 96:
                lines.append("        " + " ".join(chunk))
                chunk = []
            chunk.append(n)
        if chunk:
            lines.append("        " + " ".join(chunk))
        lines.append("    ),")
    lines += ["}", f"SUPPORTED = {thresholds.supported}", f"PARTIAL = {thresholds.partial}", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", default=[str(p) for p in DEFAULT_FILES])
    ap.add_argument("--write", action="store_true", help="write verify/matching/weights.py")
    args = ap.parse_args(argv)
    data: dict[str, tuple[list[Row], list[Scored]]] = {}
    for f in args.files:
        if not Path(f).exists():
            print(f"error: no such file: {f}", file=sys.stderr)
            return 2
        rows = load_rows(f)
        data[f] = (rows, score_rows(rows, NEUTRAL)[0])
    weights = fit_weights(data)
    scores = _rescore(data, weights)
    thresholds, report = choose_thresholds(data, scores)
    per_file: dict[str, object] = {}
    for path, pairs in scores.items():
        rows = data[path][0]
        pos = [rows[i].positive for i, _ in pairs]
        s = [x for _, x in pairs]
        name = Path(path).parent.name + "/" + Path(path).name
        ba = balanced_accuracy([x >= thresholds.supported for x in s], pos)
        per_file[name] = f"balanced accuracy {ba:.3f}, AUROC {auroc(s, pos):.3f} (in-sample)"
    held, _ = cross_validate(data, folds=5, seed=13, target=thresholds)
    for path, scores_cv in held.items():
        rows = data[path][0]
        pos = [r.positive for r in rows]
        name = Path(path).parent.name + "/" + Path(path).name
        ba = balanced_accuracy([x >= thresholds.supported for x in scores_cv], pos)
        per_file[name + " held-out"] = (
            f"balanced accuracy {ba:.3f}, AUROC {auroc(scores_cv, pos):.3f} (5-fold CV)"
        )
    report = {
        **report,
        **per_file,
        "supported": thresholds.supported,
        "partial": thresholds.partial,
        "vetoes": f"x{NUMBER_VETO} when a number is nowhere on the page, x{NAME_VETO} "
        "when a name is nowhere on the page (chosen by repeated 5-fold CV)",
    }
    for k, v in report.items():
        print(f"{k}: {v}")
    for lang, w in weights.items():
        print(lang, dict(zip(("bias", *FEATURES), w, strict=True)))
    if args.write:
        target = ROOT / "verify" / "matching" / "weights.py"
        target.write_text(render(weights, thresholds, report))
        print("wrote verify/matching/weights.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
