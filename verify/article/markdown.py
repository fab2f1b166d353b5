"""The markdown-it parser articles are read with, set up to keep every source line countable."""

from __future__ import annotations

import functools
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

__all__ = ["MAX_NESTING", "NEWLINES", "SOURCE", "markdown"]

# How deep blocks may nest (a list item counts two levels: the list and the item), so about
# a hundred lists or quotes inside each other. markdown-it's CommonMark preset stops at 20
# and silently drops the rest of the document, which ten nested list markers reach; a
# deeper limit costs nothing until it is used, and stays far below Python's recursion
# limit. A document that reaches it is refused (parse.parse_markdown), never cut short.
MAX_NESTING = 200

# Keys of `Token.meta` that `_counting_newlines` fills in.
NEWLINES = "source_newlines"
SOURCE = "source_text"


@functools.cache
def markdown() -> MarkdownIt:
    """The parser (built once: enabling the rules costs more than parsing a short article)."""
    md = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )
    # markdown-it drops file:, data:, javascript: and vbscript: links so that rendered
    # HTML cannot run them; nothing here is rendered, and such a citation must show up
    # as a reference that is never fetched rather than vanish.
    md.validateLink = lambda url: True
    md.options["maxNesting"] = MAX_NESTING
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    for name in ("backticks", "link", "image", "footnote_inline"):
        if name in rules:
            md.inline.ruler.at(name, _counting_newlines(rules[name]))
    return md


def _counting_newlines(rule: Callable[[StateInline, bool], bool]) -> Callable[..., bool]:
    """Wrap an inline rule so its last token records how many line breaks it swallowed.

    Code spans, link destinations and image alt text can span lines without leaving a
    softbreak token behind; without this count, sentences after them would be placed on
    too early a line.
    """

    def rule_counting_newlines(state: StateInline, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent and len(state.tokens) > before:
            newlines = state.src.count("\n", start, state.pos)
            if newlines:
                last = state.tokens[-1]
                last.meta = {**(last.meta or {}), NEWLINES: newlines}
                if last.type == "code_inline":
                    last.meta[SOURCE] = state.src[start : state.pos]
        return matched

    return rule_counting_newlines
