"""Claim units, document indexes and the support features computed between them.

A claim becomes a list of *units*: the parts a source must contain for the claim to stand
(content words, numbers, names, quoted text). Each unit carries the normalised keys that count
as finding it: one stem for an English word, the stems of its dictionary glosses for a Chinese
word (see verify.matching.crosslang). A document becomes its sentences and a lower-cased text
in which each key is looked up once, on demand. The sentences holding a claim's units make a small
sentence x unit matrix; windows of one to three sentences and the features are numpy over it,
so a claim costs in proportion to what it mentions, not to the length of the page (about a
millisecond against an 80-sentence page).

Pure functions, no I/O; English text never imports the Chinese machinery.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from verify.matching.docindex import DocIndex
from verify.matching.units import ClaimUnits
from verify.matching.words import STOPWORDS, TOKEN_KEYS, TOKEN_RE, normalise, sound, word_key

FEATURES = (
    "recall1",  # weighted recall of the claim's units in the best single sentence
    "recall2",  # ... best window of two sentences
    "recall3",  # ... best window of three sentences
    "recall_doc",  # ... anywhere in the document
    "min_clause",  # recall of the least-covered clause in the best window
    "names",  # share of names found in the best window
    "numbers",  # share of numbers found in the best window
    "numbers_doc",  # share of numbers found anywhere
    "number_missing",  # 1 when some number is found nowhere in the document
    "negation_mismatch",  # the claim negates and the window does not, or the reverse
    "quote",  # share of quoted text found verbatim in the document
    "fuzzy",  # rapidfuzz token_set_ratio of the claim against the best window, in [0, 1]
    "length",  # log of the number of units (long claims carry more that can be missing)
    "rarity_recall",  # recall weighted by how rare each unit is in the document (IDF)
    "bigram",  # share of the claim's adjacent unit pairs found near each other in the window
    "missing_weight",  # total weight of the units the window lacks (not a ratio)
    "recall_pair",  # recall of the best two sentences anywhere in the document (greedy)
    "names_doc",  # share of names found anywhere in the document
    "missing_doc_weight",  # total weight of the units found nowhere in the document
    "doc_size",  # log of the number of sentences: recall means more on a long page
)


@dataclass(frozen=True)
class Scored:
    """Features of one claim against one document, and where its best evidence is."""

    features: tuple[float, ...]
    window: tuple[int, int]  # sentence range [first, last) of the best window
    found: tuple[int, ...]  # unit indexes found in the best window
    credit: tuple[float, ...]  # per unit, the credit it earned in the best window
    # recall of the best-covered of two or more clauses (0 for a one-clause claim)
    best_clause: float = 0.0
    # single sentences nearly as full as the best, those inside a window of several too:
    # (sentence, per-unit credit), best first; where a contradiction is looked for when the
    # best window has none (a date the window has in one sentence may be wrong in the one
    # that says the rest)
    near: tuple[tuple[int, tuple[float, ...]], ...] = ()


# A longer word sharing the key's whole stem (Japan / Japanese) is probably the same idea.
PREFIX_CREDIT = 0.75


@dataclass
class _Hits:
    """Where a claim's units occur: (sentence, unit, credit) triples and per-unit counts."""

    rows: list[int]
    cols: list[int]
    vals: list[float]
    df: list[int]


def _credit(doc: DocIndex, key_units: dict[str, list[tuple[int, float]]], hits: _Hits) -> None:
    """Credit every unit whose key a sentence holds, in that sentence; count sentences (df)."""
    for key, targets in key_units.items():
        exact, longer = doc.occurrences(key)
        for sents, scale in ((exact, 1.0), (longer, PREFIX_CREDIT)):
            if not sents:
                continue
            for j, credit in targets:
                hits.rows.extend(sents)
                hits.cols.extend([j] * len(sents))
                hits.vals.extend([credit * scale] * len(sents))
                hits.df[j] = max(hits.df[j], len(sents))


def _presence(cu: ClaimUnits, doc: DocIndex) -> tuple[np.ndarray, list[int], np.ndarray]:
    """The sentence x unit credit matrix (1: a key matched exactly, less: fuzzily), compressed
    to the sentences that hold something, with the original sentence of each row, and per
    unit the number of sentences holding it.

    Between two rows that are not neighbours on the page, one or two empty rows stand for the
    gap (at most two: windows are at most three sentences), so windows over the compressed
    matrix are windows over the page.
    """
    n_u = len(cu.units)
    hits = _Hits([], [], [], [0] * n_u)
    key_units: dict[str, list[tuple[int, float]]] = {}
    for j, u in enumerate(cu.units):
        for k in u.keys:
            key_units.setdefault(k, []).append((j, 1.0))
    _credit(doc, key_units, hits)
    # A word the document never spells the same way may still be there misspelt or inflected
    # beyond the stemmer's reach; a name a dictionary only transliterates may be there under
    # its English spelling. Both are looked up among the document's words all at once.
    found = set(hits.cols)
    extra: dict[str, list[tuple[int, float]]] = {}
    missing = [
        (j, u.text.lower(), u.kind)
        for j, u in enumerate(cu.units)
        if j not in found
        and u.kind in ("word", "name")
        and len(u.keys) == 1
        and len(u.text) >= 5
        and u.text.isascii()
    ]
    if missing:
        # a name's candidates share three letters, not four: a doubled consonant comes
        # early (Paterson / Patterson)
        choices = sorted(
            {w for _, q, kind in missing for w in doc.words_like(q, 3 if kind == "name" else 4)}
        )
        _fuzzy([(j, q) for j, q, _ in missing], choices, 84, 0.8, extra)
    aliased = [(j, a) for j, u in enumerate(cu.units) if j not in found for a in u.alias]
    if aliased and doc.names:
        # Spelled alike, or sounding alike once reduced to consonant classes (jialibodi and
        # Garibaldi both become klpt...).
        _fuzzy(aliased, doc.names, 70, 0.8, extra)
        sounds = [(j, sound(a)) for j, a in aliased]
        _fuzzy(
            [(j, a) for j, a in sounds if len(a) >= 2],
            doc.name_sounds,
            80,
            0.8,
            extra,
            labels=doc.names,
        )
    if extra:
        _credit(doc, extra, hits)
    origin: list[int] = []
    position: dict[int, int] = {}
    prev = -10
    for r in sorted(set(hits.rows)):
        gap = r - prev - 1
        if prev >= 0 and gap >= 1:
            origin.append(prev + 1)
            if gap >= 2:
                origin.append(r - 1)
        position[r] = len(origin)
        origin.append(r)
        prev = r
    mat = np.zeros((len(origin), n_u), dtype=np.float32)
    if hits.rows:
        rows = np.fromiter((position[r] for r in hits.rows), dtype=np.int64, count=len(hits.rows))
        np.maximum.at(mat, (rows, np.array(hits.cols)), np.array(hits.vals, dtype=np.float32))
    return mat, origin, np.array(hits.df, dtype=np.float32)


def _fuzzy(
    queries: list[tuple[int, str]],
    choices: list[str],
    cutoff: int,
    scale: float,
    into: dict[str, list[tuple[int, float]]],
    labels: list[str] | None = None,
) -> None:
    """Credit each query's unit with the keys of its best fuzzy matches among `choices`
    (or of the `labels` aligned with them), all pairs scored in one cdist call."""
    if not choices or not queries:
        return
    labels = labels or choices
    # Threads only pay off on big matrices; small ones finish before a pool would start.
    workers = -1 if len(queries) * len(choices) > 200_000 else 1
    scores = process.cdist(
        [q for _, q in queries],
        choices,
        scorer=fuzz.ratio,
        score_cutoff=cutoff,
        dtype=np.uint8,
        workers=workers,
    )
    for row, (j, _) in enumerate(queries):
        cols = np.nonzero(scores[row])[0]
        for col in cols[np.argsort(-scores[row, cols])][:3]:
            credit = scale * float(scores[row, col]) / 100.0
            into.setdefault(word_key(labels[col]), []).append((j, credit))


def _windows(mat: np.ndarray, size: int) -> np.ndarray:
    if size == 1 or mat.shape[0] < size:
        return mat if size == 1 or mat.shape[0] == 0 else mat.max(axis=0, keepdims=True)
    out = mat[: mat.shape[0] - size + 1].copy()
    for k in range(1, size):
        np.maximum(out, mat[k : mat.shape[0] - size + 1 + k], out=out)
    return out


def _bigram_share(cu: ClaimUnits, window: str, credit: np.ndarray) -> float:
    """Share of the claim's neighbouring unit pairs that stand within three content words of
    each other in the window: phrases kept together, not just words scattered about."""
    units = cu.units
    if len(units) < 2:
        return 1.0
    keys = [TOKEN_KEYS[t] for t in TOKEN_RE.findall(window) if t not in STOPWORDS]
    wanted = {k for u in units for k in u.keys}
    positions: dict[str, list[int]] = {}
    for n, k in enumerate(keys):
        if k in wanted:
            positions.setdefault(k, []).append(n)
    hits = 0
    for a, b in itertools.pairwise(units):
        pa = [p for k in a.keys for p in positions.get(k, ())]
        pb = [p for k in b.keys for p in positions.get(k, ())]
        if pa and pb and any(0 < abs(q - p) <= 3 for p in pa for q in pb):
            hits += 1
    return hits / (len(units) - 1)


def compute_features(cu: ClaimUnits, doc: DocIndex) -> Scored:
    """The feature vector of a claim against one indexed document."""
    n_u = len(cu.units)
    n_s = len(doc.spans)
    if n_u == 0 or n_s == 0:
        zero = [0.0] * len(FEATURES)
        zero[FEATURES.index("length")] = math.log1p(n_u)
        return Scored(tuple(zero), (0, min(1, n_s)), (), (0.0,) * n_u)
    weights = np.array([u.weight for u in cu.units], dtype=np.float32)
    total = float(weights.sum())
    # IDF over the document's sentences: a unit present in every sentence of the page (its
    # subject, its site name) is weak evidence that this sentence is the one that backs it.
    mat, origin, df = _presence(cu, doc)
    idf = np.log((n_s + 1.0) / (df + 1.0)) + 1.0
    rare_w = weights * idf
    if not origin:  # nothing of the claim anywhere on the page
        zero = [0.0] * len(FEATURES)
        zero[FEATURES.index("length")] = math.log1p(n_u)
        zero[FEATURES.index("doc_size")] = math.log1p(n_s)
        has_numbers = any(u.kind == "number" for u in cu.units)
        has_names = any(u.kind == "name" for u in cu.units)
        for name, present in (
            ("numbers", has_numbers),
            ("numbers_doc", has_numbers),
            ("names", has_names),
            ("names_doc", has_names),
            ("quote", bool(cu.quotes)),
        ):
            zero[FEATURES.index(name)] = 0.0 if present else 1.0
        zero[FEATURES.index("number_missing")] = float(has_numbers)
        zero[FEATURES.index("missing_weight")] = total
        zero[FEATURES.index("missing_doc_weight")] = total
        return Scored(tuple(zero), (0, 1), (), (0.0,) * n_u)

    best: list[tuple[float, int]] = []
    for size in (1, 2, 3):
        win = _windows(mat, size)
        rec = win @ weights / total
        # Among equally full windows, the one holding the rarer words is the better evidence.
        i = int((rec + 1e-3 * (win @ rare_w)).argmax())
        best.append((float(rec[i]), i))
    recall1, recall2, recall3 = (b[0] for b in best)
    # The evidence window: the smallest window within a whisker of the best recall.
    size, (score, start) = 1, best[0]
    for k in (2, 3):
        if best[k - 1][0] > score + 0.08:
            size, (score, start) = k, best[k - 1]
    credit = mat[start : start + size].max(axis=0)
    # The evidence shown is the window trimmed of edge sentences that add nothing to it.
    rows = [i for i in range(start, min(start + size, len(origin))) if mat[i].any()]
    while len(rows) > 1 and not (mat[rows[0]] > mat[rows[1:]].max(axis=0)).any():
        rows.pop(0)
    while len(rows) > 1 and not (mat[rows[-1]] > mat[rows[:-1]].max(axis=0)).any():
        rows.pop()
    real = [origin[i] for i in rows] or [origin[start]]
    start, end = min(real), max(real) + 1
    doc_credit = mat.max(axis=0)
    recall_doc = float(doc_credit @ weights / total)
    # (the best window for each unit on its own is simply the page: IDF-weighted page recall)
    rarity = float(doc_credit @ rare_w / float(rare_w.sum()))

    # Small per-unit vectors: plain Python beats numpy's per-call cost here.
    cred = credit.tolist()
    dcred = doc_credit.tolist()
    w = weights.tolist()
    clause_w: dict[int, list[float]] = {}
    for u, c, wt in zip(cu.units, cred, w, strict=True):
        acc = clause_w.setdefault(u.clause, [0.0, 0.0, 0.0])
        acc[0] += c * wt
        acc[1] += wt
        acc[2] += 1
    # Least-covered clause in the best window.
    min_clause = min((a / b for a, b, n in clause_w.values() if n >= 2), default=1.0)
    sizable = [a / b for a, b, n in clause_w.values() if n >= 3]
    best_clause = max(sizable) if len(clause_w) >= 2 and sizable else 0.0
    names = [j for j, u in enumerate(cu.units) if u.kind == "name"]
    nums = [j for j, u in enumerate(cu.units) if u.kind == "number"]
    names_f = sum(cred[j] > 0.5 for j in names) / len(names) if names else 1.0
    numbers_f = sum(cred[j] > 0.5 for j in nums) / len(nums) if nums else 1.0
    numbers_doc = sum(dcred[j] > 0.5 for j in nums) / len(nums) if nums else 1.0
    number_missing = 1.0 if nums and numbers_doc < 1.0 else 0.0
    window_neg = doc.negated_between(doc.spans[start][0], doc.spans[end - 1][1])
    neg_mismatch = 1.0 if cu.negated != window_neg else 0.0
    if cu.quotes:
        quote = sum(normalise(q).lower() in doc.lower for q in cu.quotes) / len(cu.quotes)
    else:
        quote = 1.0
    s0, e0 = doc.spans[start][0], doc.spans[end - 1][1]
    fuzzy = fuzz.token_set_ratio(cu.text, doc.text[s0:e0], processor=str.lower) / 100.0
    found = tuple(j for j, c in enumerate(cred) if c > 0.5)
    bigram = _bigram_share(cu, doc.lower[s0:e0], credit)
    missing_weight = sum((1.0 - c) * wt for c, wt in zip(cred, w, strict=True))
    # Supporting sentences need not be neighbours: the best one, plus the one that adds most.
    row_recall = mat @ weights
    first = int(row_recall.argmax())
    top = float(row_recall[first])
    near = tuple(
        (origin[i], tuple(mat[i].tolist()))
        for i in np.argsort(-row_recall)[:4].tolist()
        if row_recall[i] >= 0.8 * top
        and row_recall[i] > 0
        and not (end - start == 1 and origin[i] == start)
    )
    recall_pair = float((np.maximum(mat, mat[first]) @ weights).max() / total)
    names_doc = sum(dcred[j] > 0.5 for j in names) / len(names) if names else 1.0
    missing_doc_weight = sum((1.0 - c) * wt for c, wt in zip(dcred, w, strict=True))
    feats = (
        recall1,
        recall2,
        recall3,
        recall_doc,
        min_clause,
        names_f,
        numbers_f,
        numbers_doc,
        number_missing,
        neg_mismatch,
        quote,
        fuzzy,
        math.log1p(n_u),
        rarity,
        bigram,
        missing_weight,
        recall_pair,
        names_doc,
        missing_doc_weight,
        math.log1p(n_s),
    )
    return Scored(feats, (start, end), found, tuple(cred), best_clause, near)
