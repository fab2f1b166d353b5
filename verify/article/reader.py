"""Reading an article file into text: every way it can fail is a one-line InputError."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from verify.errors import InputError

__all__ = ["MAX_ARTICLE_BYTES", "decode_article", "read_article_text"]

# Far above any real article; it keeps a mistaken argument (a disk image) from eating memory.
MAX_ARTICLE_BYTES = 200 * 1024 * 1024

# Formats people pass by mistake, recognised by their first bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/EPUB file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip file"),
    (b"BZh", "a bzip2 file"),
    (b"\xfd7zXZ\x00", "an xz file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "an executable"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 media file"),
    (b"\x00\x00\x00\x1cftyp", "an MP4 media file"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 media file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV file", b"AVI ": "an AVI file"}

# Checked longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that have no business in prose (tab, newlines and form feed allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# compiled on first use (through re's cache): only a text that is not ASCII needs it
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_CHINESE_CODECS = frozenset({"gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"})
# A decoding that leaves more than this share of control characters is not a text file.
_MAX_CONTROL_SHARE = 0.01


def read_article_text(path: str | Path) -> str:
    """The decoded text of the article at `path`, exactly as written (the file is only read).

    Raises InputError naming the file when it is missing, a directory, unreadable, empty,
    binary, in a known non-text format, or in an encoding that cannot be recognised.
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{path}: is a directory, not an article")
        size = p.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(
                f"{path}: is too large ({size // (1024 * 1024)} MB; "
                f"the limit is {MAX_ARTICLE_BYTES // (1024 * 1024)} MB)"
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not an article") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None
    return decode_article(data, str(path))


def decode_article(data: bytes, name: str = "<bytes>") -> str:
    """Decode the bytes of an article; InputError (mentioning `name`) when they are not text."""
    kind = _known_binary(data)
    if kind:
        raise InputError(f"{name}: is {kind}, not a markdown or text file")
    text = _decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    controls = _CONTROL.subn("", text[:1_000_000])[1]
    if controls > _MAX_CONTROL_SHARE * min(len(text), 1_000_000):
        raise InputError(f"{name}: looks like a binary file, not markdown or text")
    from verify.untrusted import clean

    # where the article enters the run: its few control characters (an ESC that would
    # reach the terminal with a claim) become spaces, keeping every line and column
    return clean(text)


def _known_binary(data: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    return None


def _decode(data: bytes, name: str) -> str:
    if not data:
        raise InputError(f"{name}: is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: is not valid {codec.upper()} text") from None
            # The decoded text keeps no BOM: it is an encoding mark, not content.
            return text.lstrip("\ufeff")
    if b"\x00" in data[:1_000_000]:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode_legacy(data)
    if text is None:
        raise InputError(f"{name}: is not text in any encoding verify recognises")
    return text


def _decode_legacy(data: bytes) -> str | None:
    """Decode a non-UTF-8 file: Chinese legacy encodings first, then charset detection."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    # GB18030 accepts many byte strings; trust it only when the result reads as Chinese.
    if text is not None and _looks_chinese(text):
        return text
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:2_000_000])
    best = matches.best()
    if best is None or best.encoding is None:
        return text
    encoding = best.encoding
    # Short Western texts fit several single-byte code pages equally well; Windows-1252 is
    # by far the most common of them.
    if any(
        m.encoding == "cp1252" and (m.chaos, m.coherence) == (best.chaos, best.coherence)
        for m in matches
    ):
        encoding = "cp1252"
    if text is not None and encoding.replace("_", "").lower() in _CHINESE_CODECS:
        return text
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return text


def _looks_chinese(text: str) -> bool:
    sample = text[:200_000]
    if sample.isascii():
        return False
    han = re.subn(_CJK, "", sample)[1]
    non_ascii = sum(1 for ch in sample if ord(ch) > 127)
    return han > 0 and han >= 0.8 * non_ascii
