"""Pass 3 of parsing: the claims, the sentences of the prose with the references they cite.

Each prose unit is rendered to plain text (markers dropped, the offsets of source line
breaks and of citations kept), split into sentences, and each sentence gets the references
cited inside it; a link in prose becomes an inline reference of its own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from markdown_it.token import Token

from verify.article.document import Doc, Unit
from verify.article.inline import (
    CONTENT,
    LINK_MARKER,
    bold_heading,
    checkable,
    normalize,
    plain,
    trim_url,
    web_url,
)
from verify.article.markdown import NEWLINES, SOURCE
from verify.article.references import References
from verify.article.sentences import split_sentences
from verify.models import Claim, Reference

__all__ = ["Rendered", "find_claims"]

# Sentences inside prose that only credit a picture.
_CREDIT = re.compile(
    r"^(?:图片来源|图源|(?:image|photo|picture)(?:\s+credits?)?\s*[:：]|credits?\s*[:：])",
    re.IGNORECASE,
)
# A citation marker written as text: [1], [1,2], [1-3], ［1］.
_TEXT_MARKER = re.compile(r"\[(\d{1,5}(?:\s*[,，、–-]\s*\d{1,5}){0,20})\]|［(\d{1,5})］")
_PUNCT_AFTER_MARKER = frozenset(".,;:!?。，；：！？、)）")


class Rendered:
    """Plain text being built from inline tokens, with where lines start and what is cited."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.breaks: list[int] = []  # offsets where a new source line starts
        self.events: list[tuple[int, str]] = []  # (offset, cited reference id)
        self.after_marker = False

    def emit(self, text: str) -> None:
        if not text:
            return
        if self.after_marker and text[:1] in _PUNCT_AFTER_MARKER and self.parts:
            # "a rebuild [1]." reads "a rebuild." once the marker is gone
            kept = self.parts[-1].rstrip(" \t")
            self.pos -= len(self.parts[-1]) - len(kept)
            self.parts[-1] = kept
            while self.breaks and self.breaks[-1] > self.pos:
                self.breaks[-1] = self.pos
        self.after_marker = False
        self.parts.append(text)
        self.pos += len(text)

    def cite(self, ref_id: str, marker: bool = False) -> None:
        """Record a citation at the current offset; `marker` when its text was dropped."""
        self.events.append((self.pos, ref_id))
        self.after_marker = self.after_marker or marker

    def line_break(self, separator: str) -> None:
        self.emit(separator)
        self.breaks.append(self.pos)

    def code(self, tok: Token) -> None:
        """Emit a code span, with a line break where each of its source newlines was."""
        content, source = tok.content, (tok.meta or {}).get(SOURCE)
        if not source:
            self.emit(content)
            return
        fence = len(tok.markup)
        inner = source[fence : len(source) - fence]
        # markdown-it turned each newline into a space and may have trimmed one space at
        # both ends; offsets in `inner` map onto `content` up to that trim.
        shift = max(0, (len(inner) - len(content)) // 2)
        done = 0
        for k, ch in enumerate(inner):
            if ch == "\n":
                cut = min(max(k - shift, done), len(content))
                self.emit(content[done:cut])
                self.line_break("")
                done = cut
        self.emit(content[done:])

    def source_breaks(self, tok: Token, seen: int) -> None:
        """Account for line breaks the token spanned in the source beyond the `seen` ones."""
        for _ in range((tok.meta or {}).get(NEWLINES, 0) - seen):
            self.line_break("")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def find_claims(doc: Doc, refs: References) -> list[Claim]:
    """The sentences of the prose units, with the references each cites."""
    claims: list[Claim] = []
    for index, unit in enumerate(doc.units):
        if index in refs.skip or unit.kind == "break":
            continue
        rendered = _render(unit, refs)
        if unit.kind == "heading" or unit.header:
            continue
        if unit.kind == "paragraph" and bold_heading(unit.inlines[0].children or []):
            continue
        claims.extend(_sentences(unit, rendered, len(claims)))
    return claims


def _sentences(unit: Unit, rendered: Rendered, first: int) -> Iterator[Claim]:
    text = rendered.text
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    cited: list[list[str]] = [[] for _ in spans]
    for offset, ref_id in rendered.events:
        if spans:
            slot = cited[max(0, bisect.bisect_right(starts, offset) - 1)]
            if ref_id not in slot:
                slot.append(ref_id)
    in_unit = list(dict.fromkeys(r for refs in cited for r in refs))
    index = first
    for (start, end), refs in zip(spans, cited, strict=True):
        sentence = normalize(text[start:end])
        if not CONTENT.search(_BARE_URL.sub("", sentence)) or _CREDIT.match(sentence):
            continue  # (a line that is only a link, "1. https://…", says nothing to check)
        line = unit.line + bisect.bisect_right(rendered.breaks, start)
        yield Claim(
            index=index,
            text=sentence,
            line=min(line, unit.end - 1) + 1,
            references=tuple(refs),
            checkable=checkable(sentence),
            ignored=unit.ignored,
            context=tuple(r for r in in_unit if r not in refs),
        )
        index += 1


def _render(unit: Unit, refs: References) -> Rendered:
    out = Rendered()
    for cell, inline in enumerate(unit.inlines):
        if cell and out.pos and inline.content.strip():
            out.emit(" | ")  # between cells that have text; a short row has empty ones
        children = inline.children or []
        i = link_breaks = 0
        in_link = False
        while i < len(children):
            tok = children[i]
            t = tok.type
            if t == "text":
                # a URL written in a link's text is not a link: its destination is
                _text(tok.content, unit, out, refs, urls=not in_link)
            elif t == "code_inline":
                out.code(tok)
            elif t in ("softbreak", "hardbreak"):
                # A soft break is a space in the rendered paragraph; a hard break is a
                # visible line break, which may end a sentence written without a stop.
                out.line_break("\n" if t == "hardbreak" else " ")
            elif t == "image":
                out.source_breaks(tok, 0)
            elif t == "link_close":
                in_link = False
                out.source_breaks(tok, len(out.breaks) - link_breaks)
            elif t == "link_open":
                in_link = True
                link_breaks = len(out.breaks)
                j = i + 1
                while j < len(children) and children[j].type != "link_close":
                    j += 1
                label = plain(children[i + 1 : j])
                href = tok.attrGet("href")
                number = LINK_MARKER.match(label)
                cited = _marker_link(href, number.group(1), refs) if number else []
                if cited:
                    for ref_id in cited:
                        out.cite(ref_id, marker=True)
                    i = j  # on to the link_close, which accounts for its lines
                    continue
                pictured = any(c.type == "image" for c in children[i + 1 : j])
                if not (pictured and not label.strip()):  # a linked picture is no source
                    ref_id = _link(href, label, unit, len(out.breaks), refs)
                    if ref_id:
                        out.cite(ref_id)
            elif t == "footnote_ref":
                out.source_breaks(tok, 0)
                ref_id = "^" + str(tok.meta.get("label", tok.meta.get("id", "")))
                if ref_id in refs.ids:
                    out.cite(ref_id)
            elif t == "html_inline":
                if tok.content[:3].lower() == "<br":
                    out.emit(" ")
                for _ in range(tok.content.count("\n")):
                    out.line_break("")
            i += 1
    return out


def _text(content: str, unit: Unit, out: Rendered, refs: References, urls: bool = True) -> None:
    """Emit a text token, turning known [n] markers and (with `urls`) bare URLs into
    citations."""
    last = 0
    for m in _MARKER_OR_URL.finditer(content):
        if m.group("url"):
            if not urls:
                continue
            url = trim_url(m.group("url"))
            ref_id = _link(url, None, unit, len(out.breaks), refs) if url else None
            if ref_id:
                out.emit(content[last : m.start()])
                last = m.start()
                out.cite(ref_id)
            continue
        numbers = _marker_numbers(m.group(1) or m.group(2))
        if numbers and all(n in refs.ids for n in numbers):
            before = content[last : m.start()]
            out.emit(before)
            last = m.end()
            for n in numbers:
                out.cite(n, marker=True)
    out.emit(content[last:])


def _marker_link(href: str | None, number: str, refs: References) -> list[str]:
    """The ids a citation-marker link ([1] pointing at a URL) cites, if it is one."""
    href = (href or "").strip()
    cited: list[str] = []
    for ignored in (False, True):
        found = refs.find(href, ignored, ("definition", "list", "footnote", "inline"))
        if found is not None:
            cited.append(found)
            break
    if number in refs.ids and number not in cited and (cited or href.startswith("#")):
        # `[1][2]` is a reference link with text 1 and label 2, and `[1](#ref-1)` an
        # anchor to the list: both cite the number written as well.
        cited.insert(0, number)
    return cited


def _link(
    href: str | None, title: str | None, unit: Unit, breaks: int, refs: References
) -> str | None:
    """The reference id of a link or bare URL in prose, creating an inline reference."""
    url = web_url(href)
    if url is None:
        return None
    # A reference-style link cites its definition; a link to a URL the reference list or
    # a footnote already names, that entry (one reference, cited from both places); an
    # inline link seen before, its id.
    for ignored in (False, True) if unit.ignored else (False,):
        found = refs.find(url, ignored, ("definition", "list", "footnote", "inline"))
        if found is not None:
            return found
    label = normalize(title) if title else None
    named = refs.named.get(url)
    if named is not None:
        name, defined_on, definition_title = named
        ref = Reference(name, url, defined_on + 1, "definition", label or definition_title)
        return refs.add(ref, unit.ignored).id
    line = min(unit.line + breaks, unit.end - 1) + 1
    ref = Reference(f"L{refs.next_inline}", url, line, "inline", label or None)
    refs.next_inline += 1
    return refs.add(ref, unit.ignored).id


_BARE_URL = re.compile(r"(?<![A-Za-z0-9+.-])https?://[^\s<>\"`]+", re.I)
_MARKER_OR_URL = re.compile(_TEXT_MARKER.pattern + f"|(?P<url>{_BARE_URL.pattern})", re.I)


def _marker_numbers(spec: str) -> list[str]:
    numbers: list[str] = []
    for part in re.split(r"\s*[,，、]\s*", spec.strip()):
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo > hi or hi - lo > 50:
                return []
            numbers.extend(str(n) for n in range(lo, hi + 1))
        elif part.isdigit():
            numbers.append(str(int(part)))
        else:
            return []
    return numbers
