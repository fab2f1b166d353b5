"""Stage 3: claims against documents. Words and units, English and Chinese, the document index,
the features, and the combiner that gives each claim its verdict and evidence."""
