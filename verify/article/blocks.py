"""Pass 1 of parsing: the block structure of the markdown tokens.

`collect` flattens the block tokens into units (paragraphs, headings, table rows, breaks),
footnote bodies and verify-ignore line ranges, and reads the front matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from verify.article.document import Doc, Unit
from verify.article.frontmatter import front_matter
from verify.article.html import html_units, inline_links
from verify.article.inline import plain

__all__ = ["collect"]


_IGNORE = re.compile(r"<!--\s*verify-ignore(-start|-end)?\s*-->", re.IGNORECASE)
# Blocks a pending `<!-- verify-ignore -->` applies to: the next paragraph or list item (or
# the next table or quotation, taken whole).
_IGNORABLE = frozenset({"paragraph_open", "list_item_open", "table_open", "blockquote_open"})
_ENDLESS = 1 << 60


def collect(tokens: Sequence[Token], lines: Sequence[str]) -> Doc:
    doc = Doc()
    footnote: str | None = None
    lists: list[list[int]] = []  # per open list: [ordered (0/1), next number]
    item: str | None = None
    row: list[Token] = []
    row_map: list[int] | None = None
    in_head = False
    pending = False
    open_start: int | None = None
    last_line = 0

    def comments(text: str, line: int, end: int) -> None:
        nonlocal pending, open_start
        for m in _IGNORE.finditer(text):
            kind = m.group(1)
            if kind is None:
                pending = True
            elif kind.lower() == "-start":
                if open_start is None:
                    open_start = line
            elif open_start is not None:
                doc.ignores.add(open_start, end)
                open_start = None

    for i, tok in enumerate(tokens):
        if tok.map:
            last_line = max(last_line, tok.map[1])
        t = tok.type
        if pending and t in _IGNORABLE and tok.map:
            doc.ignores.add(tok.map[0], tok.map[1])
            pending = False
        if t == "front_matter":
            doc.front_matter = front_matter(tok.content)
        elif t in ("bullet_list_open", "ordered_list_open"):
            start = tok.attrGet("start")
            lists.append([t == "ordered_list_open", _int(start, 1)])
        elif t in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif t == "list_item_open":
            if lists and lists[-1][0]:
                item = str(lists[-1][1])
                lists[-1][1] += 1
            else:
                item = ""
        elif t == "list_item_close":
            item = None
        elif t in ("paragraph_open", "heading_open") and i + 1 < len(tokens):
            inline = tokens[i + 1]
            if inline.type != "inline" or not tok.map:
                continue
            unit = Unit(
                kind="heading" if t == "heading_open" else "paragraph",
                inlines=[inline],
                line=_first_content_line(lines, tok.map, inline.content),
                end=tok.map[1],
                level=_int(tok.tag[1:], 0) if t == "heading_open" else 0,
            )
            if t == "paragraph_open":
                unit.item, item = item, None
            if any(c.type == "html_inline" for c in inline.children or ()):
                inline.children = inline_links(inline.children or [])
            for child in inline.children or ():
                if child.type == "html_inline" and "verify-ignore" in child.content.lower():
                    comments(child.content, unit.line, unit.end)
                    if pending:  # an inline comment marks the paragraph it sits in
                        doc.ignores.add(unit.line, unit.end)
                        pending = False
            if footnote is not None:
                doc.footnotes.setdefault(footnote, []).append(unit)
            else:
                doc.units.append(unit)
                if unit.kind == "heading" and unit.level == 1 and doc.first_title is None:
                    doc.first_title = plain(inline.children or []).strip() or None
        elif t == "tr_open":
            row, row_map = [], tok.map
        elif t in ("th_open", "td_open") and i + 1 < len(tokens):
            if tokens[i + 1].type == "inline":
                row.append(tokens[i + 1])
        elif t == "tr_close" and row_map:
            doc.units.append(
                Unit(kind="row", inlines=row, line=row_map[0], end=row_map[1], header=in_head)
            )
            row, row_map = [], None
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t in ("hr", "fence", "code_block") and tok.map:
            doc.units.append(Unit(kind="break", inlines=[], line=tok.map[0], end=tok.map[1]))
        elif t == "html_block" and tok.map:
            comments(tok.content, tok.map[0], tok.map[1])
            # the prose and links of a <p>, <div>, <details> or MDX component
            for unit in html_units(tok.content, tok.map[0]):
                if footnote is not None:
                    doc.footnotes.setdefault(footnote, []).append(unit)
                else:
                    doc.units.append(unit)
        elif t == "footnote_open":
            footnote = str(tok.meta.get("label", tok.meta.get("id", "")))
        elif t == "footnote_close":
            footnote = None
    if open_start is not None:
        doc.ignores.add(open_start, _ENDLESS)
    doc.ignores.freeze()
    for unit in doc.units:
        unit.ignored = unit.line in doc.ignores
    for units in doc.footnotes.values():
        for unit in units:
            unit.ignored = unit.line in doc.ignores
    return doc


def _first_content_line(lines: Sequence[str], line_map: list[int], content: str) -> int:
    """The line a block's text starts on.

    markdown-it strips a paragraph with Python's str.strip, so lines holding only Unicode
    spaces (U+2028, U+3000...) at its start vanish from the text but not from the map. Its
    text has U+FFFD where the file has NUL, so the lines are compared that way.
    """
    start, end = line_map
    head = content.lstrip().split("\n", 1)[0][:40]
    for line in range(start, min(end, len(lines))):
        if head in lines[line].replace("\x00", "\ufffd"):
            return line
    return start


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default
