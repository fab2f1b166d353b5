"""HTML inside markdown: the prose and links of raw HTML blocks and inline tags.

markdown-it passes raw HTML through untouched (an `html_block`, or `html_inline` tokens in a
paragraph), so a `<p>`, `<div>`, `<details>` or an MDX component would hide its sentences and
links from the parser. `html_units` reads an HTML block with the standard library's HTML
tokenizer (lenient with fragments and with MDX's `cols={1}` attributes) and turns it into the
same units, with synthetic inline tokens (text, softbreak, link_open, link_close), that
markdown paragraphs give; `inline_links` does the same for `<a href>` tags in a paragraph.
Line numbers stay those of the source: every line break, inside a tag or in text, is a
softbreak.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser

from markdown_it.token import Token

from verify.article.document import Unit

__all__ = ["html_units", "inline_links"]

# Tags that end a paragraph: text on either side is read as separate blocks.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
    ]
)
# Their text is a title, not a statement.
_HEADINGS = {f"h{n}": n for n in range(1, 7)} | {"summary": 6, "caption": 6, "legend": 6}
# What is inside is code, a program or a picture, never prose.
_PICTURES = frozenset(["img", "picture", "video", "svg"])
_VERBATIM = frozenset(
    ["code", "pre", "script", "style", "template", "textarea", "svg", "math", "kbd", "samp"]
)


class _Reader(HTMLParser):
    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first = first_line  # the block's 0-based first line in the article
        self.units: list[Unit] = []
        self.children: list[Token] = []
        self.start = 0  # 0-based line of the current unit's first token
        self.line = 0  # 0-based line the last token ended on
        self.kind = ("paragraph", 0)
        self.item: str | None = None
        self.lists: list[list[int]] = []  # per open list: [ordered (0/1), next number]
        self.verbatim = 0
        self.link_depth: list[str] = []  # tags that opened a link, innermost last

    # -- positions --------------------------------------------------------------------------

    def _here(self) -> int:
        return self.first + self.getpos()[0] - 1

    def _move_to(self, line: int) -> None:
        """Account for the line breaks between the last token and `line`."""
        if self.children:
            for _ in range(line - self.line):
                self.children.append(Token("softbreak", "br", 0))
        else:
            self.start = line
        self.line = max(self.line, line)

    # -- units ------------------------------------------------------------------------------

    def _flush(self) -> None:
        while self.link_depth:  # a link left open ends with its block
            self.link_depth.pop()
            self.children.append(Token("link_close", "a", -1))
        if any(t.type == "text" and t.content.strip() for t in self.children):
            inline = Token("inline", "", 0, children=self.children)
            inline.content = "".join(t.content for t in self.children if t.type == "text")
            kind, level = self.kind
            self.units.append(
                Unit(
                    kind=kind,
                    inlines=[inline],
                    line=self.start,
                    end=self.line + 1,
                    level=level,
                    item=self.item if kind == "paragraph" else None,
                )
            )
            self.item = None
        self.children = []
        self.kind = ("paragraph", 0)

    # -- parser events ----------------------------------------------------------------------

    def _picture(self, tag: str) -> None:
        # a picture inside a link: a link that is only a picture (a badge) is no source
        if tag.lower() in _PICTURES and self.link_depth and not self.verbatim:
            self.children.append(Token("image", "img", 0))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        self._picture(tag)
        if tag in _VERBATIM:
            self.verbatim += 1
            return
        if self.verbatim:
            return
        if tag in _BLOCKS or tag in _HEADINGS:
            self._flush()
            if tag in ("ul", "ol"):
                start = dict(attrs).get("start") or "1"
                self.lists.append([tag == "ol", int(start) if start.isdigit() else 1])
            elif tag == "li" and self.lists:
                ordered, number = self.lists[-1]
                self.item = str(number) if ordered else ""
                self.lists[-1][1] += 1
            if tag in _HEADINGS:
                self.kind = ("heading", _HEADINGS[tag])
        href = next((v for k, v in attrs if k.lower() == "href" and v), None)
        if href is not None:
            self._move_to(self._here())
            if self.link_depth:  # links do not nest: the outer one ends here
                self.link_depth.pop()
                self.children.append(Token("link_close", "a", -1))
            link = Token("link_open", "a", 1, attrs={"href": href.strip()})
            self.children.append(link)
            self.link_depth.append(tag)
        # a start tag written over several lines (MDX props) moves the text after it down
        text = self.get_starttag_text() or ""
        if text.count("\n"):
            self._move_to(self._here() + text.count("\n"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in ("br", "hr") and not self.verbatim:
            self._flush()
            return
        self._picture(tag)
        text = self.get_starttag_text() or ""
        if text.count("\n") and self.children:
            self._move_to(self._here() + text.count("\n"))

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _VERBATIM:
            self.verbatim = max(0, self.verbatim - 1)
            return
        if self.verbatim:
            return
        if self.link_depth and self.link_depth[-1] == tag:
            self.link_depth.pop()
            self.children.append(Token("link_close", "a", -1))
        if tag in _BLOCKS or tag in _HEADINGS:
            self._flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_data(self, data: str) -> None:
        if self.verbatim:
            return
        line = self._here()
        if not self.children:
            if not data.strip():
                return
            skipped = data[: len(data) - len(data.lstrip())]
            line += skipped.count("\n")
            data = data.lstrip()
        self._move_to(line)
        pieces = data.split("\n")
        for n, piece in enumerate(pieces):
            if n:
                self.children.append(Token("softbreak", "br", 0))
                self.line += 1
            if piece:
                tok = Token("text", "", 0)
                tok.content = piece
                self.children.append(tok)

    def close(self) -> None:
        super().close()
        self._flush()


# An HTML block larger than this is not read: a post's blocks are a few kilobytes, and the
# tokenizer's time grows with a block's size (more than linearly for broken markup).
MAX_BLOCK = 200_000
# A `<` whose tag never closes before the next `<` (or the end): the tokenizer would look
# for its end again at every later `<`, which is quadratic in `<a<a<a...`. Read as text.
_UNCLOSED = re.compile(r"<(?=[A-Za-z/!?])(?=[^<>]*(?:<|$))")


def html_units(html: str, first_line: int) -> list[Unit]:
    """The paragraphs and headings of an HTML block that starts on 0-based `first_line`."""
    if len(html) > MAX_BLOCK:
        return []
    reader = _Reader(first_line)
    reader.feed(_UNCLOSED.sub("&lt;", html))
    reader.close()
    return reader.units


def inline_links(children: Sequence[Token]) -> list[Token]:
    """A paragraph's inline tokens with each `<a href>` ... `</a>` (or another tag with an
    href, as MDX components have) turned into link_open ... link_close, so that links written
    in HTML inside prose are cited as markdown links are. Other tokens pass through."""
    out: list[Token] = []
    open_tags: list[str] = []
    for tok in children:
        if tok.type != "html_inline":
            out.append(tok)
            continue
        start = _StartTag.read(tok.content)
        if start is not None and start[0] in _PICTURES and open_tags:
            out.append(Token("image", "img", 0))  # as a markdown picture in a link is
            continue
        if start is not None and start[1] is not None and not open_tags:
            tag, href = start
            link = Token("link_open", "a", 1, attrs={"href": href.strip()})
            link.meta = dict(tok.meta or {})
            out.append(link)
            open_tags.append(tag)
            _keep_breaks(tok, out)
            continue
        closing = tok.content.strip().lower()
        if open_tags and closing == f"</{open_tags[-1]}>":
            open_tags.pop()
            out.append(Token("link_close", "a", -1))
            continue
        out.append(tok)
    for _ in open_tags:  # never closed in the paragraph: the link ends with it
        out.append(Token("link_close", "a", -1))
    return out


def _keep_breaks(tok: Token, out: list[Token]) -> None:
    """A tag written over several lines keeps its line breaks, as html_inline would."""
    for _ in range(tok.content.count("\n")):
        out.append(Token("softbreak", "br", 0))


class _StartTag(HTMLParser):
    """Reads one start tag: its name and href, if it has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None:
            href = next((v for k, v in attrs if k.lower() == "href" and v), None)
            self.found = (tag.lower(), href)

    @classmethod
    def read(cls, text: str) -> tuple[str, str | None] | None:
        if not text.startswith("<") or text.startswith(("</", "<!")):
            return None
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser.found
