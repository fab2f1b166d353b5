"""Combiner weights and verdict cut-offs, written by benchmarks/fit_combiner.py.

Fitted on the shared dev data (WiCE + AttributionBench for English claims, X-PARADE
en-zh for Chinese claims). The figures that chose the cut-offs:

    mean_balanced_accuracy: 0.7875
    not_supported_balanced_accuracy: 0.7136
    wice/dev.jsonl: balanced accuracy 0.766, AUROC 0.826 (in-sample)
    attributionbench/dev.jsonl: balanced accuracy 0.665, AUROC 0.749 (in-sample)
    x-parade/en-zh-dev.jsonl: balanced accuracy 0.932, AUROC 0.960 (in-sample)
    wice/dev.jsonl held-out: balanced accuracy 0.724, AUROC 0.797 (5-fold CV)
    attributionbench/dev.jsonl held-out: balanced accuracy 0.662, AUROC 0.739 (5-fold CV)
    x-parade/en-zh-dev.jsonl held-out: balanced accuracy 0.889, AUROC 0.918 (5-fold CV)
    supported: 0.49
    partial: 0.33
    vetoes: x0.6 when a number is nowhere on the page, x0.7 when a name is nowhere on the
        page (chosen by repeated 5-fold CV)
"""

# Feature order: verify.features.FEATURES; the first number is the bias.
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
        3.3899, -0.596, 0.4614, 1.0148, -1.2188, 0.3568, 0.4347, -0.2271, -2.3093, -3.3641,
        -0.1416, -0.6792, 0.1496, 0.2434, -0.2966, 1.4347, 0.0326, 0.1777, -0.1459, -0.236,
        -0.0319,
    ),
    "zh": (
        -11.1932, 2.767, 1.421, 0.8203, 0.2403, 3.5333, 1.4298, 0.7635, 0.7575, -1.8405, 1.1132,
        -0.0, -0.2305, 1.2725, 0.8241, 0.5937, 0.3708, 0.474, 0.2825, -0.6017, 0.3196,
    ),
}
SUPPORTED = 0.49
PARTIAL = 0.33
