"""Combiner weights and verdict cut-offs, written by benchmarks/fit_combiner.py.

Fitted on the shared dev data (WiCE + AttributionBench for English claims, X-PARADE
en-zh for Chinese claims). The figures that chose the cut-offs:

    mean_balanced_accuracy: 0.7944
    not_supported_balanced_accuracy: 0.7129
    wice/dev.jsonl: balanced accuracy 0.768, AUROC 0.824 (in-sample)
    attributionbench/dev.jsonl: balanced accuracy 0.671, AUROC 0.749 (in-sample)
    x-parade/en-zh-dev.jsonl: balanced accuracy 0.944, AUROC 0.965 (in-sample)
    wice/dev.jsonl held-out: balanced accuracy 0.735, AUROC 0.797 (5-fold CV)
    attributionbench/dev.jsonl held-out: balanced accuracy 0.662, AUROC 0.740 (5-fold CV)
    x-parade/en-zh-dev.jsonl held-out: balanced accuracy 0.860, AUROC 0.926 (5-fold CV)
    supported: 0.5
    partial: 0.45
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
        3.3912,
        -0.585,
        0.3752,
        1.1415,
        -1.1919,
        0.3155,
        0.4849,
        -0.2017,
        -2.3444,
        -3.3859,
        -0.1026,
        -0.6987,
        0.222,
        0.1631,
        -0.2667,
        1.3915,
        0.0406,
        0.2518,
        -0.1571,
        -0.2329,
        -0.0346,
    ),
    "zh": (
        -11.2913,
        2.8659,
        1.4957,
        0.9348,
        0.3747,
        3.0851,
        1.6212,
        0.7692,
        0.7584,
        -1.8256,
        1.1962,
        -0.0,
        -0.1945,
        1.3452,
        0.8653,
        1.1075,
        0.4087,
        0.686,
        0.4774,
        -0.6981,
        -0.0515,
    ),
}
SUPPORTED = 0.5
PARTIAL = 0.45
