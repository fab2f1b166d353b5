"""Stage 1: an article file becomes an `Article` (references, claims with line numbers)."""
