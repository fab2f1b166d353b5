"""Template tags of static site generators, which are markup and never prose.

Hugo shortcodes (`{{< figure … >}}`, `{{% notice %}}`), Jekyll and Liquid tags
(`{% include … %}`) and output (`{{ page.title }}`) sit in a post's markdown, and read as
text they become claims. `blank_template_tags` blanks them out of the text that is parsed
(the article as read is kept as it is), character for character, so every line keeps its
number. Tags inside code (fenced, indented or inline) are left alone: a post about templates
shows them on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

__all__ = ["blank_template_tags", "has_template_tags"]

# Bodies hold no brace and are bounded: the search from a `{{` stops at the next brace, so
# an article of stray `{{ {{ {{` is still read in one pass.
_TAG = re.compile(
    r"\{\{<[^{}]{0,2000}?>\}\}|\{\{%[^{}]{0,2000}?%\}\}|\{%[^{}]{0,2000}?%\}"
    r"|\{\{[^{}]{0,2000}?\}\}"
)


def has_template_tags(source: str) -> bool:
    return ("{{" in source or "{%" in source) and _TAG.search(source) is not None


def blank_template_tags(source: str, tokens: Sequence[Token]) -> str:
    """`source` with each template tag outside code replaced by spaces (its line breaks
    kept); `tokens`, the source parsed, say by their line maps where code is."""
    code: set[int] = set()
    for tok in tokens:
        if tok.type in ("fence", "code_block") and tok.map:
            code.update(range(tok.map[0], tok.map[1]))
    starts = [0]
    for m in re.finditer("\n", source):
        starts.append(m.end())
    out: list[str] = []
    last = 0
    line = 0
    for m in _TAG.finditer(source):
        while line + 1 < len(starts) and starts[line + 1] <= m.start():
            line += 1
        if line in code or source.count("`", starts[line], m.start()) % 2:
            continue  # in a code block, or in an inline code span on its line
        out.append(source[last : m.start()])
        out.append(re.sub(r"[^\n]", " ", m.group()))
        last = m.end()
    out.append(source[last:])
    return "".join(out)
