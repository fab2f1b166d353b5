"""Entries of a reference section: one line's id, URL and title, and the label that opens it.

A reference section is a heading such as "References" or "参考资料", or a paragraph that
starts with such a label; each of its lines or list items is an entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from verify.article.document import Unit
from verify.article.inline import ANY_URL, LINK_MARKER, is_image, normalize, plain, trim_url, url_in

__all__ = ["Entry", "item_entries", "label_entries", "label_rest", "parse_entry"]

_LABELS = frozenset(
    {
        "参考链接",
        "参考资料",
        "参考文献",
        "参考来源",
        "参考",
        "引用",
        "引用来源",
        "引用链接",
        "来源",
        "资料来源",
        "信息来源",
        "相关链接",
        "references",
        "reference",
        "sources",
        "source",
        "notes",
        "endnotes",
        "footnotes",
        "bibliography",
        "citations",
        "links",
        # lists of further links: they name pages to read, they state nothing
        "further reading",
        "read more",
        "see also",
        "related",
        "related posts",
        "related articles",
        "related reading",
        "related links",
        "more reading",
        "延伸阅读",
        "扩展阅读",
        "相关阅读",
        "推荐阅读",
        "相关文章",
    }
)
_LABEL_LINE = re.compile(
    r"^\s*([^:：]{1,24}?)\s*[:：]?\s*$|^\s*([^:：]{1,24}?)\s*[:：]\s*(.+)$", re.S
)
_ENTRY_ID = re.compile(
    r"^\s*(?:\[(\d{1,6})\]|［(\d{1,6})］|(\d{1,6})[.)、．:：](?!\d)|[-*+•·])?\s*"
)


@dataclass
class Entry:
    id: str | None
    url: str | None
    title: str | None


def parse_entry(children: Sequence[Token], item: str | None) -> Entry:
    """One line of a reference section: its id, URL and title (any may be missing)."""
    marker: str | None = None
    link: tuple[str, str] | None = None
    parts: list[str] = []
    i = 0
    while i < len(children):
        tok = children[i]
        if tok.type == "link_open":
            j = i + 1
            while j < len(children) and children[j].type != "link_close":
                j += 1
            label = plain(children[i + 1 : j])
            href = (tok.attrGet("href") or "").strip()
            number = LINK_MARKER.match(label)
            if number and marker is None and not parts:
                marker = number.group(1)
            elif link is None and href and not is_image(href) and not href.startswith("#"):
                link = (href, label)
            else:
                parts.append(label)
            i = j + 1
            continue
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        i += 1
    text = "".join(parts)
    m = _ENTRY_ID.match(text)
    explicit = next((g for g in m.groups() if g), None) if m else None
    ref_id = marker or explicit or item or None
    rest = text[m.end() :] if m else text
    if link:
        href, label = link
        title = label.strip() if label.strip() and label.strip() != href else None
        if title is None:
            title = rest.strip(" -–—:：,，|") or None
        return Entry(ref_id, href, title)
    url, title = url_in(rest)
    if url is None and (explicit or marker or item is not None):
        token = rest.strip()
        # A lone word that is trying to be a URL is kept as written; the fetcher reports it.
        if token and " " not in token and re.search(r"[/.:]", token):
            url, title = token, None
    if url and is_image(url):
        url = None
    return Entry(ref_id, url, title)


def item_entries(unit: Unit, lines: list[list[Token]]) -> list[tuple[Entry, int]]:
    """The entries of a block in a reference section, with the line each is on.

    A list item is one entry even when it wraps (a title on one line, the URL on the
    next): it takes the item's number and the other lines as its title.
    """
    item = unit.item if len(lines) == 1 else None
    entries = [(parse_entry(line, item), n) for n, line in enumerate(lines)]
    if unit.item is None:
        return entries
    with_url = [k for k, (found, _) in enumerate(entries) if found.url]
    if len(with_url) != 1:
        return entries
    k = with_url[0]
    found, n = entries[k]
    others = " ".join(plain(line) for j, line in enumerate(lines) if j != k)
    title = found.title or normalize(_ENTRY_ID.sub("", others, count=1)) or None
    return [(Entry(found.id or unit.item or None, found.url, title), n)]


def label_rest(line: str) -> str | None:
    """For a reference-section label line: what follows the label ("" if nothing), else None."""
    line = line.strip()
    if len(line) > 2000 or not line:
        return None  # a label line is short; this also bounds the regex's backtracking
    m = _LABEL_LINE.match(line)
    if not m:
        return None
    if m.group(1) is not None:
        return "" if m.group(1).strip().lower() in _LABELS else None
    if m.group(2).strip().lower() in _LABELS and ANY_URL.search(m.group(3)):
        return m.group(3)
    return None


def label_entries(rest: str) -> list[Entry]:
    """Entries written on the label's own line: `Sources: https://a, https://b`."""
    urls = [url for url in (trim_url(m.group()) for m in ANY_URL.finditer(rest)) if url]
    if len(urls) == 1:
        return [Entry(None, *url_in(rest))]
    return [Entry(None, url, None) for url in urls]
