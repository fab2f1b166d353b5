"""Regression floor: the shipped matcher on a labelled sample written for this project.

tests/data/accuracy_sample.jsonl holds our own sentences (English, and Chinese claims against
English passages) in the WiCE schema. The floors sit a little under what the shipped weights
reach today, so a change that makes the judgement worse fails here. The harness's metric
functions are checked on cases worked out by hand.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import (  # noqa: E402
    auroc,
    balanced_accuracy,
    evaluate,
    load_rows,
    recall_at_1,
    score_rows,
)

SAMPLE = ROOT / "tests" / "data" / "accuracy_sample.jsonl"
SHARED = ROOT.parent / "shared" / "data"

# Pinned floors (today: balanced accuracy 0.78, AUROC 0.95, evidence recall@1 1.0).
FLOOR_BALANCED_ACCURACY = 0.72
FLOOR_AUROC = 0.88
FLOOR_RECALL_AT_1 = 0.9


def test_sample_is_ours_and_well_formed() -> None:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 50
    labels = {r["label"] for r in rows}
    assert labels == {"supported", "partially_supported", "not_supported"}
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in r["claim"]) for r in rows)


def test_accuracy_floor_on_committed_sample(capsys: pytest.CaptureFixture[str]) -> None:
    [summary] = evaluate([str(SAMPLE)], peer=False)
    out = capsys.readouterr().out
    assert summary["n"] == len(load_rows(SAMPLE))
    assert summary["balanced_accuracy"] >= FLOOR_BALANCED_ACCURACY
    assert summary["auroc"] >= FLOOR_AUROC
    assert summary["recall_at_1"] >= FLOOR_RECALL_AT_1
    # the last line is the machine-readable summary
    last = json.loads(out.strip().splitlines()[-1])
    assert set(last) >= {"file", "n", "balanced_accuracy", "auroc", "claims_per_s"}


def test_harness_runs_as_a_script() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "accuracy.py"), str(SAMPLE), "--no-peer"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "balanced accuracy" in proc.stdout
    missing = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "accuracy.py"), "no-such-file.jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr


def test_attributionbench_schema_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ab.jsonl"
    rows = [
        {
            "claim": "The Tarn bridge opened in 1990.",
            "attribution_label": "attributable",
            "references": ["The Tarn bridge was opened to traffic in 1990."],
        },
        {
            "claim": "The Tarn bridge is made of wood.",
            "attribution_label": "not attributable",
            "references": ["The Tarn bridge was opened to traffic in 1990."],
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    loaded = load_rows(path)
    assert [r.label for r in loaded] == ["supported", "not_supported"]
    scored, _ = score_rows(loaded)
    assert scored[0].score > scored[1].score


def test_metrics_on_hand_worked_cases() -> None:
    assert auroc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert auroc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert math.isnan(auroc([0.5, 0.6], [True, True]))
    # recall on positives 1/2, on negatives 2/2
    assert balanced_accuracy([True, False, False, False], [True, True, False, False]) == 0.75


def test_recall_at_1_counts_supporting_sentences() -> None:
    rows = load_rows(SAMPLE)
    scored, _ = score_rows(rows)
    value = recall_at_1(rows, scored)
    assert value is not None and value >= FLOOR_RECALL_AT_1


@pytest.mark.skipif(not (SHARED / "wice" / "dev.jsonl").exists(), reason="../shared absent")
def test_shared_dev_files_load() -> None:
    rows = load_rows(SHARED / "wice" / "dev.jsonl")
    assert len(rows) == 349
    assert sum(r.positive for r in rows) == 115
