"""Decoding a fetched body to text: BOM, declared charset (header, then <meta>), detection."""

from __future__ import annotations

import codecs
import re

from verify.models import FetchResult

__all__ = ["decode_body"]

# Labels browsers read as a wider encoding than their name says (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "big5": "big5hkscs",
    "x-sjis": "shift_jis",
}
_SINGLE_BYTE = frozenset({"cp1252", "iso8859-1", "iso8859-15"})
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(body: bytes) -> str | None:
    """UTF-8 with a few bad bytes, decoded with replacements; None if it is not UTF-8 at all.

    Text in a legacy encoding fails UTF-8 on most of its non-ASCII bytes (about 60% for GBK,
    all of them for cp1252); a UTF-8 page with a few stray bytes fails on a small share.
    """
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.decode("utf-8", errors="ignore").count("\ufffd")
    non_ascii = sum(1 for b in body if b >= 0x80)
    return text if non_ascii and bad / non_ascii <= 0.25 else None


def decode_body(result: FetchResult) -> str:
    """The body as text: a BOM, then the declared charset (header, then <meta>), then detection.

    A declared charset the body does not decode in (a GBK page labelled UTF-8) is ignored in
    favour of detection. Never raises; undecodable bytes become U+FFFD.
    """
    body = result.body
    if not body:
        return ""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    meta = _META_CHARSET.search(body[:8192])
    declared = [result.charset, meta.group(1).decode("ascii", "replace") if meta else None]
    if _codec(declared[0] or declared[1]) in _SINGLE_BYTE and not body.isascii():
        # Servers label UTF-8 pages ISO-8859-1 by default, and a single-byte charset decodes
        # anything, so it cannot fail over. Legacy text is almost never valid UTF-8 by chance.
        text = _strict(body, "utf-8")
        if text is not None:
            return text
    for label in declared:
        text = _strict(body, _codec(label))
        if text is not None:
            return text
    if any(_codec(label) == "utf-8" for label in declared):
        text = _mostly_utf8(body)
        if text is not None:
            return text
    return _detect(body) or body.decode(_codec(result.charset) or "utf-8", errors="replace")


def _detect(body: bytes) -> str | None:
    text = _strict(body, "utf-8")
    if text is not None:
        return text
    import charset_normalizer  # loaded only when a page's declared charset fails

    best = charset_normalizer.from_bytes(body[: 512 * 1024]).best()
    if best is None:
        return None
    return body.decode(best.encoding, errors="replace")
