"""Text from outside (the article, fetched pages, file names, cache entries): cleaned once.

`clean` runs where such text enters a run: the article reader, the sources a resolver hands
on, the cache's entries. It replaces what no prose needs and a terminal or a parser would act
on (C0 and C1 control characters but tab and line breaks, DEL, bidirectional overrides and
isolates) with a space, and a lone surrogate (which no encoder accepts) with U+FFFD. One
character for one, so every offset computed before (page spans, sentence spans, highlights)
still points at the same text.

`one_line` is for a line the program itself writes (an error on stderr): no line break, no
control character, and nothing a CI runner would take for a workflow command.
"""

from __future__ import annotations

import re

__all__ = ["clean", "one_line"]

# C0 controls but \t \n \r, DEL and the C1 controls (ESC starts terminal sequences; C1 CSI
# and OSC are sequences on their own in some terminals), the bidirectional embeddings,
# overrides and isolates that reorder what a reader sees, and lone UTF-16 surrogates.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE_LOW, _SURROGATE_HIGH = "\ud800", "\udfff"


def _replace(match: re.Match[str]) -> str:
    return "\ufffd" if _SURROGATE_LOW <= match.group() <= _SURROGATE_HIGH else " "


def clean(text: str) -> str:
    """`text` with control characters and bidi overrides as spaces, lone surrogates as U+FFFD;
    the same length as `text`."""
    if _UNWANTED.search(text) is None:
        return text
    return _UNWANTED.sub(_replace, text)


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean(text)


_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")


def one_line(text: str) -> str:
    """`text` as one safe line: breaks shown as \\n, controls as spaces, and no "::" or "##["
    for a CI runner to read as a workflow command."""
    text = clean(_BREAKS.sub(r"\\n", text))
    return text.replace("::", ":\u200b:").replace("##[", "#\u200b#[")
