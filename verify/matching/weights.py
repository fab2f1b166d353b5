"""Combiner weights and verdict cut-offs, written by benchmarks/fit_combiner.py.

Fitted on the shared dev data (WiCE + AttributionBench for English claims, X-PARADE
en-zh for Chinese claims). The figures that chose the cut-offs:

    mean_balanced_accuracy: 0.7507
    not_supported_balanced_accuracy: 0.7487
    wice/dev.jsonl: balanced accuracy 0.757, AUROC 0.826 (in-sample)
    attributionbench/dev.jsonl: balanced accuracy 0.691, AUROC 0.762 (in-sample)
    x-parade/en-zh-dev.jsonl: balanced accuracy 0.910, AUROC 0.930 (in-sample)
    ocnli/train-3k.jsonl: balanced accuracy 0.644, AUROC 0.677 (in-sample)
    wice/dev.jsonl held-out: balanced accuracy 0.726, AUROC 0.805 (5-fold CV)
    attributionbench/dev.jsonl held-out: balanced accuracy 0.679, AUROC 0.756 (5-fold CV)
    x-parade/en-zh-dev.jsonl held-out: balanced accuracy 0.839, AUROC 0.909 (5-fold CV)
    ocnli/train-3k.jsonl held-out: balanced accuracy 0.642, AUROC 0.672 (5-fold CV)
    supported: 0.5
    partial: 0.29
    vetoes: x0.6 when a number is nowhere on the page, x0.7 when a name is nowhere on the
        page (chosen by repeated 5-fold CV)
"""

# Feature order: verify.matching.features.FEATURES; the first number is the bias.
#   recall1
#   recall2
#   recall3
#   recall_doc
#   min_clause
#   names
#   numbers
#   numbers_doc
#   number_missing
#   negation_mismatch
#   quote
#   fuzzy
#   length
#   rarity_recall
#   bigram
#   missing_weight
#   recall_pair
#   names_doc
#   missing_doc_weight
#   doc_size
WEIGHTS: dict[str, tuple[float, ...]] = {
    "en": (
        -5.6933,
        0.0923,
        0.4205,
        0.6455,
        -0.1397,
        0.462,
        0.9214,
        0.165,
        0.5716,
        -1.0205,
        -0.0516,
        0.3917,
        0.8632,
        1.1491,
        -0.2651,
        0.4352,
        -0.0407,
        0.8368,
        -0.0112,
        -0.0919,
        0.0617,
    ),
    "zh": (
        -10.3942,
        2.6696,
        1.3215,
        0.9019,
        0.367,
        3.2674,
        1.5524,
        0.5382,
        0.5195,
        -1.7305,
        0.715,
        -0.0,
        -0.4176,
        1.6092,
        0.7586,
        0.9708,
        0.3465,
        0.5994,
        0.3865,
        -0.6524,
        -0.0796,
    ),
    "zh-zh": (
        0.4945,
        -0.469,
        -0.469,
        -0.469,
        -0.469,
        0.4877,
        0.6187,
        -0.1655,
        -0.1655,
        -1.1861,
        -0.6498,
        -1.0852,
        0.545,
        -0.1829,
        3.3856,
        -0.2229,
        -0.0239,
        -0.469,
        0.6187,
        -0.0239,
        -0.9022,
    ),
}
SUPPORTED = 0.5
PARTIAL = 0.29
