"""Parsing a markdown article into claims (sentences with line numbers) and references.

Structure always comes from markdown-it tokens and their line maps; regexes only look at the
text of a single inline token or line. The work happens in three passes over the tokens:

1. `_collect` flattens the block tokens into units (paragraphs, headings, table rows, breaks),
   footnote bodies and verify-ignore line ranges, and reads the front matter.
2. `_Builder.references` finds the reference section(s), link reference definitions and
   footnotes, so that `[1]` markers can be told from ordinary bracketed text.
3. `_Builder.claims` renders the prose units to plain text, splits it into sentences and
   attaches the references each sentence cites.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from verify.article.language import detect_language
from verify.article.reader import read_article_text
from verify.article.sentences import split_sentences
from verify.errors import InputError
from verify.models import Article, Claim, Reference

__all__ = ["parse_article", "parse_markdown"]


def parse_article(path: str | Path) -> Article:
    """Read and parse the article at `path` (InputError when it cannot be read)."""
    return parse_markdown(read_article_text(path), str(path))


def parse_markdown(text: str, path: str = "<string>") -> Article:
    """Parse markdown `text` into an Article; `path` only names it."""
    # markdown-it counts lines after folding CR LF and lone CR into LF; so do we.
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    env: dict[str, object] = {}
    try:
        tokens = _markdown().parse(source, env)
    except RecursionError:
        raise InputError(f"{path}: is nested too deeply to parse as markdown") from None
    lines = source.split("\n")
    doc = _collect(tokens, lines)
    builder = _Builder(doc, lines)
    builder.references(env)
    claims = builder.claims()
    front = doc.front_matter
    prose = " ".join(c.text for c in claims) or source
    return Article(
        path=path,
        text=text,
        claims=tuple(claims),
        references=tuple(builder.live),
        title=front.get("title") or doc.first_title,
        date=front.get("date"),
        author=front.get("author") or front.get("authors"),
        language=detect_language(prose),
        ignored_references=tuple(builder.ignored),
    )


_MD: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _MD
    if _MD is None:
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
        rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
        for name in ("backticks", "link", "image", "footnote_inline"):
            if name in rules:
                md.inline.ruler.at(name, _counting_newlines(rules[name]))
        _MD = md
    return _MD


_NEWLINES = "source_newlines"
_SOURCE = "source_text"


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
                last.meta = {**(last.meta or {}), _NEWLINES: newlines}
                if last.type == "code_inline":
                    last.meta[_SOURCE] = state.src[start : state.pos]
        return matched

    return rule_counting_newlines


# ---------------------------------------------------------------------------------------------
# Pass 1: block structure


@dataclass
class _Unit:
    kind: str  # "paragraph" | "heading" | "row" | "break"
    inlines: list[Token]
    line: int  # 0-based first line
    end: int  # 0-based line after the last
    level: int = 0  # heading level
    header: bool = False  # a table's header row
    item: str | None = None  # first paragraph of a list item: its number, "" when bulleted
    ignored: bool = False


@dataclass
class _Doc:
    units: list[_Unit] = field(default_factory=list)
    footnotes: dict[str, list[_Unit]] = field(default_factory=dict)
    front_matter: dict[str, str] = field(default_factory=dict)
    first_title: str | None = None
    ignores: _Ranges = field(default_factory=lambda: _Ranges())


class _Ranges:
    """Half-open line ranges, looked up by bisection (ignore scopes can number thousands)."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        self._spans.append((start, max(end, start + 1)))

    def freeze(self) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(self._spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __contains__(self, line: int) -> bool:
        i = bisect.bisect_right(self._starts, line) - 1
        return i >= 0 and line < self._ends[i]


_IGNORE = re.compile(r"<!--\s*verify-ignore(-start|-end)?\s*-->", re.IGNORECASE)
# Blocks a pending `<!-- verify-ignore -->` applies to: the next paragraph or list item (or
# the next table or quotation, taken whole).
_IGNORABLE = frozenset({"paragraph_open", "list_item_open", "table_open", "blockquote_open"})
_ENDLESS = 1 << 60


def _collect(tokens: Sequence[Token], lines: Sequence[str]) -> _Doc:
    doc = _Doc()
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
            doc.front_matter = _front_matter(tok.content)
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
            unit = _Unit(
                kind="heading" if t == "heading_open" else "paragraph",
                inlines=[inline],
                line=_first_content_line(lines, tok.map, inline.content),
                end=tok.map[1],
                level=_int(tok.tag[1:], 0) if t == "heading_open" else 0,
            )
            if t == "paragraph_open":
                unit.item, item = item, None
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
                    doc.first_title = _plain(inline.children or []).strip() or None
        elif t == "tr_open":
            row, row_map = [], tok.map
        elif t in ("th_open", "td_open") and i + 1 < len(tokens):
            if tokens[i + 1].type == "inline":
                row.append(tokens[i + 1])
        elif t == "tr_close" and row_map:
            doc.units.append(
                _Unit(kind="row", inlines=row, line=row_map[0], end=row_map[1], header=in_head)
            )
            row, row_map = [], None
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t in ("hr", "fence", "code_block") and tok.map:
            doc.units.append(_Unit(kind="break", inlines=[], line=tok.map[0], end=tok.map[1]))
        elif t == "html_block" and tok.map:
            comments(tok.content, tok.map[0], tok.map[1])
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
    spaces (U+2028, U+3000...) at its start vanish from the text but not from the map.
    """
    start, end = line_map
    head = content.lstrip().split("\n", 1)[0][:40]
    for line in range(start, min(end, len(lines))):
        if head in lines[line]:
            return line
    return start


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$")
_LIST_ITEM = re.compile(r"^\s+-\s+(.*)$")


def _front_matter(content: str) -> dict[str, str]:
    """The top-level `key: value` pairs of a YAML block (strings, flow or block lists)."""
    out: dict[str, str] = {}
    lines = content.split("\n")
    for i, line in enumerate(lines):
        m = _FRONT_KEY.match(line)
        if not m:
            continue
        key, raw = m.group(1).lower(), (m.group(2) or "").strip()
        if not raw:
            items = []
            for nxt in lines[i + 1 :]:
                item = _LIST_ITEM.match(nxt)
                if not item:
                    break
                items.append(_scalar(item.group(1)))
            value = ", ".join(v for v in items if v)
        elif raw.startswith("[") and raw.endswith("]"):
            value = ", ".join(v for v in (_scalar(p) for p in raw[1:-1].split(",")) if v)
        else:
            value = _scalar(raw)
        if value:
            out.setdefault(key, value)
    return out


_COMMENT = re.compile(r"[ \t]#")  # a trailing YAML comment


def _scalar(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    comment = _COMMENT.search(raw)
    if comment:
        raw = raw[: comment.start()].rstrip()
    return "" if raw in ("~", "null", "Null", "NULL") else raw


# ---------------------------------------------------------------------------------------------
# Inline helpers

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
    }
)
_LABEL_LINE = re.compile(
    r"^\s*([^:：]{1,24}?)\s*[:：]?\s*$|^\s*([^:：]{1,24}?)\s*[:：]\s*(.+)$", re.S
)

# Lines that are the publisher's furniture rather than the article's statements.
_BOILERPLATE = re.compile(
    r"^(?:图片来源|图源|图片[:：]|题图|封面图|头图|来源[:：]|感谢阅读|感谢您的阅读|谢谢阅读|"
    r"欢迎关注|关注我们|点击关注|扫码关注|长按关注|转载请|版权声明|本文首发|"
    r"(?:image|photo|picture|illustration)(?:\s+credits?)?\s*[:：]|credits?\s*[:：]|"
    r"source\s*[:：]|thanks?\s+(?:you\s+)?for\s+reading\b|subscribe\b|sign\s+up\b|"
    r"follow\s+us\b)",
    re.IGNORECASE,
)
# Sentences inside prose that only credit a picture.
_CREDIT = re.compile(
    r"^(?:图片来源|图源|(?:image|photo|picture)(?:\s+credits?)?\s*[:：]|credits?\s*[:：])",
    re.IGNORECASE,
)

_IMAGE_PATH = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|ico|tiff?|avif|heic|heif|apng)$", re.I)
_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)")
# Content hosts of social networks and image services: their links are pictures, not sources.
_IMAGE_HOSTS = (
    "pbs.twimg.com",
    "i.imgur.com",
    "mmbiz.qpic.cn",
    "mmbiz.qlogo.cn",
    "sinaimg.cn",
    "images.unsplash.com",
    "upload.wikimedia.org",
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# The lookbehinds (not \b) let a URL follow CJK text directly: 详见https://...
_ANY_URL = re.compile(
    r"(?:(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://|(?<![\w.])www\.)[^\s<>\"`]+"
)
# URL characters stop at CJK text and full-width punctuation, which never belong to a URL
# written in Chinese prose.
# (plain strings, compiled through re's cache for the first text that is not ASCII: classes
# this wide cost milliseconds to compile, at every start)
_URL_STOP = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]"
_TRAILING = ".,;:!?'\"*_>»”’"
# A citation marker written as text: [1], [1,2], [1-3], ［1］.
_TEXT_MARKER = re.compile(r"\[(\d{1,5}(?:\s*[,，、–-]\s*\d{1,5}){0,20})\]|［(\d{1,5})］")
# Link text that is itself a citation marker: [1](url), [[1]](url), [^1](url).
_LINK_MARKER = re.compile(r"^\s*[\[［]?\^?(\d{1,5})[\]］]?\s*$")
_ENTRY_ID = re.compile(
    r"^\s*(?:\[(\d{1,6})\]|［(\d{1,6})］|(\d{1,6})[.)、．:：](?!\d)|[-*+•·])?\s*"
)
_CJK_GAP = (
    r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]) "
    r"(?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])"
)
_SPACES = re.compile(r"\s+")
_CONTENT = re.compile(r"[^\W_]")
_SENTENCE_PUNCT = re.compile(r"[。！？；.!?;]")
_PUNCT_AFTER_MARKER = frozenset(".,;:!?。，；：！？、)）")
_CLOSERS = " \t\"'”’」』）)]】》*"


def _plain(children: Sequence[Token]) -> str:
    """Inline tokens as plain text: markup dropped, link and code text kept, images dropped."""
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trim_url(url: str) -> str:
    """Cut a URL written in prose where the prose resumes: CJK text, trailing punctuation,
    a closing bracket that opened before the URL."""
    stop = None if url.isascii() else re.search(_URL_STOP, url)
    if stop:
        url = url[: stop.start()]
    balance = {close: url.count(close) - url.count(open_) for close, open_ in _PAIRS.items()}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _PAIRS and balance[last] > 0:
            balance[last] -= 1
        elif last not in _TRAILING:
            break
        end -= 1
    return url[:end]


def _is_image(url: str) -> bool:
    """Whether a URL is a picture: an image file name, or a host that only serves images."""
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    if _IMAGE_PATH.search(path):
        return True
    host = _HOST.match(url)
    return bool(host) and host.group(1).lower().endswith(_IMAGE_HOSTS)


# Schemes of links that address a person or a phone, not a document: never citations.
_CONTACT_SCHEMES = frozenset({"mailto", "tel", "sms"})


def _web_url(href: str | None) -> str | None:
    """The URL of a prose link when it can be a reference: any absolute URL but an image or
    a contact (mailto:, tel:). Schemes other than http(s) (file:, ftp:, a chat tool's
    sandbox:) are references too, which the resolvers report as never fetched."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    m = _SCHEME.match(href)
    if not m or m.group(1).lower() in _CONTACT_SCHEMES or _is_image(href):
        return None
    return href


def _normalize(text: str) -> str:
    text = _SPACES.sub(" ", text)
    return (text if text.isascii() else re.sub(_CJK_GAP, "", text)).strip()


def _checkable(text: str) -> bool:
    core = text.rstrip(_CLOSERS)
    if core.endswith(("?", "？", "——", "—", ":", "：")):
        return False
    return len(_CONTENT.findall(text)) >= 4


def _split_lines(children: Sequence[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for tok in children:
        if tok.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(tok)
    return lines


def _bold_heading(children: Sequence[Token]) -> bool:
    """Whether a paragraph is one strong span without sentence punctuation (a pseudo-heading)."""
    toks = [t for t in children if not (t.type == "text" and not t.content.strip())]
    if len(toks) < 3 or toks[0].type != "strong_open" or toks[-1].type != "strong_close":
        return False
    depth = 0
    for tok in toks[:-1]:
        depth += tok.nesting if tok.type in ("strong_open", "strong_close") else 0
        if depth == 0:
            return False  # the first strong span closes before the end
    return not _SENTENCE_PUNCT.search(_plain(children))


# ---------------------------------------------------------------------------------------------
# Passes 2 and 3: references and claims


@dataclass
class _Entry:
    id: str | None
    url: str | None
    title: str | None


class _Rendered:
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
        content, source = tok.content, (tok.meta or {}).get(_SOURCE)
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
        for _ in range((tok.meta or {}).get(_NEWLINES, 0) - seen):
            self.line_break("")

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Builder:
    def __init__(self, doc: _Doc, lines: list[str]) -> None:
        self.doc = doc
        self.lines = lines
        self.live: list[Reference] = []
        self.ignored: list[Reference] = []
        self.ids: set[str] = set()
        # URL -> id, for (ignored?, kind); a prose link reuses a definition's or an earlier
        # inline link's id, while list entries and footnotes keep their own.
        self.by_url: dict[tuple[bool, str], dict[str, str]] = {}
        self.next_number = 1
        self.next_inline = 1
        self.skip: set[int] = set()  # units that are the reference section or boilerplate

    # -- references -----------------------------------------------------------------------

    def _add(self, ref: Reference, ignored: bool) -> Reference:
        if ref.id in self.ids:
            k = 2
            while f"{ref.id}-{k}" in self.ids:
                k += 1
            ref = Reference(f"{ref.id}-{k}", ref.url, ref.line, ref.kind, ref.title)
        self.ids.add(ref.id)
        (self.ignored if ignored else self.live).append(ref)
        self.by_url.setdefault((ignored, ref.kind), {}).setdefault(ref.url, ref.id)
        if ref.id.isdigit():
            self.next_number = max(self.next_number, int(ref.id) + 1)
        return ref

    def references(self, env: dict[str, object]) -> None:
        self._sections()
        self._definitions(env)
        self._footnotes()

    def _sections(self) -> None:
        section: tuple[str, int] | None = None  # ("heading", level) or ("label", 0)
        titled = self._opens_with_title()
        for index, unit in enumerate(self.doc.units):
            if unit.kind == "heading":
                heading = _plain(unit.inlines[0].children or [])
                if not (titled and index == 0) and _label_rest(heading) == "":
                    section = ("heading", unit.level)
                    self.skip.add(index)
                elif section and (section[0] == "label" or unit.level <= section[1]):
                    section = None
                continue
            if unit.kind == "break" or (unit.kind == "row" and unit.header):
                if unit.kind == "break" and section and section[0] == "label":
                    section = None
                continue
            lines = [
                line for inline in unit.inlines for line in _split_lines(inline.children or [])
            ]
            first = _plain(lines[0]) if lines else ""
            rest = _label_rest(first) if unit.kind == "paragraph" else None
            if section is None and rest is not None:
                section = ("label", 0)
                self.skip.add(index)
                entries = [(entry, 0) for entry in _label_entries(rest)]
                entries += [(self._entry(line, None), n) for n, line in enumerate(lines) if n]
                self._add_entries(unit, entries)
                continue
            if _BOILERPLATE.match(_plain(unit.inlines[0].children or []).lstrip()):
                self.skip.add(index)
                continue
            if section is None:
                continue
            entries = self._item_entries(unit, lines)
            if section[0] == "label" and not any(e.url for e, _ in entries):
                section = None  # prose again after a labelled list
                continue
            self.skip.add(index)
            self._add_entries(unit, entries)

    def _opens_with_title(self) -> bool:
        """Whether the document opens with its title, which is no section heading even when
        it reads "Sources": an H1 followed by more than a list (a heading, or prose). A file
        that is only "# References" and a list is a reference list."""
        units = self.doc.units
        if not units or units[0].kind != "heading" or units[0].level != 1:
            return False
        prose = (u.kind == "paragraph" and u.item is None for u in units[1:])
        return any(u.kind == "heading" for u in units[1:]) or any(prose)

    def _item_entries(self, unit: _Unit, lines: list[list[Token]]) -> list[tuple[_Entry, int]]:
        """The entries of a block in a reference section, with the line each is on.

        A list item is one entry even when it wraps (a title on one line, the URL on the
        next): it takes the item's number and the other lines as its title.
        """
        item = unit.item if len(lines) == 1 else None
        entries = [(self._entry(line, item), n) for n, line in enumerate(lines)]
        if unit.item is None:
            return entries
        with_url = [k for k, (entry, _) in enumerate(entries) if entry.url]
        if len(with_url) != 1:
            return entries
        k = with_url[0]
        entry, n = entries[k]
        others = " ".join(_plain(line) for j, line in enumerate(lines) if j != k)
        title = entry.title or _normalize(_ENTRY_ID.sub("", others, count=1)) or None
        return [(_Entry(entry.id or unit.item or None, entry.url, title), n)]

    def _add_entries(self, unit: _Unit, entries: list[tuple[_Entry, int]]) -> None:
        for entry, n in entries:
            if not entry.url:
                continue
            ref_id = entry.id if entry.id is not None else str(self.next_number)
            line = min(unit.line + n, unit.end - 1) + 1
            self._add(Reference(ref_id, entry.url, line, "list", entry.title), unit.ignored)

    def _entry(self, children: Sequence[Token], item: str | None) -> _Entry:
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
                label = _plain(children[i + 1 : j])
                href = (tok.attrGet("href") or "").strip()
                number = _LINK_MARKER.match(label)
                if number and marker is None and not parts:
                    marker = number.group(1)
                elif link is None and href and not _is_image(href) and not href.startswith("#"):
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
            return _Entry(ref_id, href, title)
        url, title = _url_in(rest)
        if url is None and (explicit or marker or item is not None):
            token = rest.strip()
            # A lone word that is trying to be a URL is kept as written; the fetcher reports it.
            if token and " " not in token and re.search(r"[/.:]", token):
                url, title = token, None
        if url and _is_image(url):
            url = None
        return _Entry(ref_id, url, title)

    def _definitions(self, env: dict[str, object]) -> None:
        defs = env.get("references")
        if not isinstance(defs, dict):
            return
        found: list[tuple[int, str, str, str | None]] = []
        for key, value in defs.items():
            if not isinstance(value, dict):
                continue
            href = str(value.get("href") or "").strip()
            line_map = value.get("map")
            line = line_map[0] if isinstance(line_map, list | tuple) and line_map else 0
            label = _definition_label(self.lines, line) or str(key)
            if not href or _is_image(href) or href.startswith("#"):
                continue
            if not label.isdigit() and _web_url(href) is None:
                continue  # a named definition that is not a web page (mailto:, relative)
            found.append((line, label, href, str(value.get("title") or "") or None))
        for line, label, href, title in sorted(found):
            if not label.isdigit():
                # A named definition is only a link target: the prose links that use it
                # become inline references, and an unused one cites nothing.
                continue
            if label in self.ids and self._find(href, False, ("list",)) == label:
                continue  # the same entry written twice
            ref = Reference(label, href, line + 1, "definition", title)
            self._add(ref, line in self.doc.ignores)

    def _footnotes(self) -> None:
        for label, units in self.doc.footnotes.items():
            url: str | None = None
            texts: list[str] = []
            for unit in units:
                children = unit.inlines[0].children or []
                for tok in children:
                    if url is None and tok.type == "link_open":
                        url = _web_url(tok.attrGet("href"))
                texts.append(_plain(children))
            text = " ".join(texts)
            if url is None:
                url = _url_in(text)[0]
            if url is None or not units:
                continue
            title = _normalize(text.replace(url, " ")).strip(" -–—:：,，.") or None
            self._add(
                Reference("^" + label, url, units[0].line + 1, "footnote", title), units[0].ignored
            )

    # -- claims ---------------------------------------------------------------------------

    def claims(self) -> list[Claim]:
        claims: list[Claim] = []
        for index, unit in enumerate(self.doc.units):
            if index in self.skip or unit.kind == "break":
                continue
            rendered = self._render(unit)
            if unit.kind == "heading" or unit.header:
                continue
            if unit.kind == "paragraph" and _bold_heading(unit.inlines[0].children or []):
                continue
            claims.extend(self._sentences(unit, rendered, len(claims)))
        return claims

    def _sentences(self, unit: _Unit, rendered: _Rendered, first: int) -> Iterator[Claim]:
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
            sentence = _normalize(text[start:end])
            if not _CONTENT.search(sentence) or _CREDIT.match(sentence):
                continue
            line = unit.line + bisect.bisect_right(rendered.breaks, start)
            yield Claim(
                index=index,
                text=sentence,
                line=min(line, unit.end - 1) + 1,
                references=tuple(refs),
                checkable=_checkable(sentence),
                ignored=unit.ignored,
                context=tuple(r for r in in_unit if r not in refs),
            )
            index += 1

    def _render(self, unit: _Unit) -> _Rendered:
        out = _Rendered()
        for cell, inline in enumerate(unit.inlines):
            if cell and out.pos and inline.content.strip():
                out.emit(" | ")  # between cells that have text; a short row has empty ones
            children = inline.children or []
            i = link_breaks = 0
            while i < len(children):
                tok = children[i]
                t = tok.type
                if t == "text":
                    self._text(tok.content, unit, out)
                elif t == "code_inline":
                    out.code(tok)
                elif t in ("softbreak", "hardbreak"):
                    # A soft break is a space in the rendered paragraph; a hard break is a
                    # visible line break, which may end a sentence written without a stop.
                    out.line_break("\n" if t == "hardbreak" else " ")
                elif t == "image":
                    out.source_breaks(tok, 0)
                elif t == "link_close":
                    out.source_breaks(tok, len(out.breaks) - link_breaks)
                elif t == "link_open":
                    link_breaks = len(out.breaks)
                    j = i + 1
                    while j < len(children) and children[j].type != "link_close":
                        j += 1
                    label = _plain(children[i + 1 : j])
                    href = tok.attrGet("href")
                    number = _LINK_MARKER.match(label)
                    cited = self._marker_link(href, number.group(1)) if number else []
                    if cited:
                        for ref_id in cited:
                            out.cite(ref_id, marker=True)
                        i = j  # on to the link_close, which accounts for its lines
                        continue
                    pictured = any(c.type == "image" for c in children[i + 1 : j])
                    if not (pictured and not label.strip()):  # a linked picture is no source
                        ref_id = self._link(href, label, unit, len(out.breaks))
                        if ref_id:
                            out.cite(ref_id)
                elif t == "footnote_ref":
                    out.source_breaks(tok, 0)
                    ref_id = "^" + str(tok.meta.get("label", tok.meta.get("id", "")))
                    if ref_id in self.ids:
                        out.cite(ref_id)
                elif t == "html_inline":
                    if tok.content[:3].lower() == "<br":
                        out.emit(" ")
                    for _ in range(tok.content.count("\n")):
                        out.line_break("")
                i += 1
        return out

    def _text(self, content: str, unit: _Unit, out: _Rendered) -> None:
        """Emit a text token, turning known [n] markers and bare URLs into citations."""
        last = 0
        for m in _MARKER_OR_URL.finditer(content):
            if m.group("url"):
                url = _trim_url(m.group("url"))
                ref_id = self._link(url, None, unit, len(out.breaks)) if url else None
                if ref_id:
                    out.emit(content[last : m.start()])
                    last = m.start()
                    out.cite(ref_id)
                continue
            numbers = _marker_numbers(m.group(1) or m.group(2))
            if numbers and all(n in self.ids for n in numbers):
                before = content[last : m.start()]
                out.emit(before)
                last = m.end()
                for n in numbers:
                    out.cite(n, marker=True)
        out.emit(content[last:])

    def _find(self, url: str, ignored: bool, kinds: Sequence[str]) -> str | None:
        for kind in kinds:
            found = self.by_url.get((ignored, kind), {}).get(url)
            if found is not None:
                return found
        return None

    def _marker_link(self, href: str | None, number: str) -> list[str]:
        """The ids a citation-marker link ([1] pointing at a URL) cites, if it is one."""
        href = (href or "").strip()
        cited: list[str] = []
        for ignored in (False, True):
            found = self._find(href, ignored, ("definition", "list", "footnote", "inline"))
            if found is not None:
                cited.append(found)
                break
        if number in self.ids and number not in cited and (cited or href.startswith("#")):
            # `[1][2]` is a reference link with text 1 and label 2, and `[1](#ref-1)` an
            # anchor to the list: both cite the number written as well.
            cited.insert(0, number)
        return cited

    def _link(self, href: str | None, title: str | None, unit: _Unit, breaks: int) -> str | None:
        """The reference id of a link or bare URL in prose, creating an inline reference."""
        url = _web_url(href)
        if url is None:
            return None
        # A reference-style link cites its definition; an inline link seen before, its id.
        for ignored in (False, True) if unit.ignored else (False,):
            found = self._find(url, ignored, ("definition", "inline"))
            if found is not None:
                return found
        label = _normalize(title) if title else None
        line = min(unit.line + breaks, unit.end - 1) + 1
        ref = Reference(f"L{self.next_inline}", url, line, "inline", label or None)
        self.next_inline += 1
        return self._add(ref, unit.ignored).id


_MARKER_OR_URL = re.compile(
    _TEXT_MARKER.pattern + r"|(?P<url>(?<![A-Za-z0-9+.-])https?://[^\s<>\"`]+)", re.I
)


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


def _label_rest(line: str) -> str | None:
    """For a reference-section label line: what follows the label ("" if nothing), else None."""
    line = line.strip()
    if len(line) > 2000 or not line:
        return None  # a label line is short; this also bounds the regex's backtracking
    m = _LABEL_LINE.match(line)
    if not m:
        return None
    if m.group(1) is not None:
        return "" if m.group(1).strip().lower() in _LABELS else None
    if m.group(2).strip().lower() in _LABELS and _ANY_URL.search(m.group(3)):
        return m.group(3)
    return None


def _label_entries(rest: str) -> list[_Entry]:
    """Entries written on the label's own line: `Sources: https://a, https://b`."""
    urls = [url for url in (_trim_url(m.group()) for m in _ANY_URL.finditer(rest)) if url]
    if len(urls) == 1:
        return [_Entry(None, *_url_in(rest))]
    return [_Entry(None, url, None) for url in urls]


def _url_in(text: str) -> tuple[str | None, str | None]:
    """The first URL written out in `text`, and the words around it as a title."""
    m = _ANY_URL.search(text)
    if not m:
        return None, None
    url = _trim_url(m.group())
    if not url:
        return None, None
    rest = (text[: m.start()] + " " + text[m.start() + len(url) :]).strip(" -–—:：,，|.。")
    return url, _normalize(rest) or None


_DEFINITION = re.compile(r"^\s{0,3}\[([^\]]{1,999})\]:")


def _definition_label(lines: list[str], line: int) -> str | None:
    if 0 <= line < len(lines):
        m = _DEFINITION.match(lines[line])
        if m:
            return m.group(1).strip()
    return None
