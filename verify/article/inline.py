"""Helpers over inline markdown tokens and the text in them: plain text, URLs, markers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

__all__ = [
    "ANY_URL",
    "CONTENT",
    "LINK_MARKER",
    "bold_heading",
    "checkable",
    "is_image",
    "normalize",
    "plain",
    "split_lines",
    "trim_url",
    "url_in",
    "web_url",
]

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
ANY_URL = re.compile(
    r"(?:(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://|(?<![\w.])www\.)[^\s<>\"`]+"
)
# URL characters stop at CJK text and full-width punctuation, which never belong to a URL
# written in Chinese prose.
# (plain strings, compiled through re's cache for the first text that is not ASCII: classes
# this wide cost milliseconds to compile, at every start)
_URL_STOP = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]"
# ("_" is no such mark: a URL may end in one, and emphasis around a URL is parsed already)
_TRAILING = ".,;:!?'\"*>»”’"
# Link text that is itself a citation marker: [1](url), [[1]](url), [^1](url).
LINK_MARKER = re.compile(r"^\s*[\[［]?\^?(\d{1,5})[\]］]?\s*$")
_CJK_GAP = (
    r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]) "
    r"(?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])"
)
_SPACES = re.compile(r"\s+")
CONTENT = re.compile(r"[^\W_]")
_SENTENCE_PUNCT = re.compile(r"[。！？；.!?;]")
_CLOSERS = " \t\"'”’」』）)]】》*"


def plain(children: Sequence[Token]) -> str:
    """Inline tokens as plain text: markup dropped, link and code text kept, images dropped."""
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_PAIRS = {")": "(", "]": "[", "}": "{"}


def trim_url(url: str) -> str:
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


def is_image(url: str) -> bool:
    """Whether a URL is a picture: an image file name, or a host that only serves images."""
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    if _IMAGE_PATH.search(path):
        return True
    host = _HOST.match(url)
    return bool(host) and host.group(1).lower().endswith(_IMAGE_HOSTS)


# Schemes of links that address a person or a phone, not a document: never citations.
_CONTACT_SCHEMES = frozenset({"mailto", "tel", "sms"})


def web_url(href: str | None) -> str | None:
    """The URL of a prose link when it can be a reference: any absolute URL but an image or
    a contact (mailto:, tel:). Schemes other than http(s) (file:, ftp:, a chat tool's
    sandbox:) are references too, which the resolvers report as never fetched."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    m = _SCHEME.match(href)
    if not m or m.group(1).lower() in _CONTACT_SCHEMES or is_image(href):
        return None
    return href


def normalize(text: str) -> str:
    text = _SPACES.sub(" ", text)
    return (text if text.isascii() else re.sub(_CJK_GAP, "", text)).strip()


def checkable(text: str) -> bool:
    core = text.rstrip(_CLOSERS)
    if core.endswith(("?", "？", "——", "—", ":", "：")):
        return False
    return len(CONTENT.findall(text)) >= 4


def split_lines(children: Sequence[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for tok in children:
        if tok.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(tok)
    return lines


def bold_heading(children: Sequence[Token]) -> bool:
    """Whether a paragraph is one strong span without sentence punctuation (a pseudo-heading)."""
    toks = [t for t in children if not (t.type == "text" and not t.content.strip())]
    if len(toks) < 3 or toks[0].type != "strong_open" or toks[-1].type != "strong_close":
        return False
    depth = 0
    for tok in toks[:-1]:
        depth += tok.nesting if tok.type in ("strong_open", "strong_close") else 0
        if depth == 0:
            return False  # the first strong span closes before the end
    return not _SENTENCE_PUNCT.search(plain(children))


def url_in(text: str) -> tuple[str | None, str | None]:
    """The first URL written out in `text`, and the words around it as a title."""
    m = ANY_URL.search(text)
    if not m:
        return None, None
    url = trim_url(m.group())
    if not url:
        return None, None
    rest = (text[: m.start()] + " " + text[m.start() + len(url) :]).strip(" -–—:：,，|.。")
    return url, normalize(rest) or None
