"""An English text as tokens: what the English checks and the Chinese-English ones compare.

Each token keeps its word key (verify.matching.words: stem, number, month), where it stands in
the text, and whether it is capitalised (a name's words are).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from verify.matching.units import MONTH_KEYS
from verify.matching.words import TOKEN_KEYS, TOKEN_RE


class Tok(NamedTuple):
    text: str
    key: str
    start: int
    end: int
    upper: bool


def tokens(text: str) -> list[Tok]:
    out = []
    for m in TOKEN_RE.finditer(text):
        t = m.group(0)
        out.append(Tok(t, TOKEN_KEYS[t], m.start(), m.end(), t[:1].isupper()))
    return out


def starts_sentence(text: str, tok: Tok) -> bool:
    before = text[: tok.start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def as_written(toks: Sequence[Tok]) -> str:
    return " ".join(t.text for t in toks)


def is_month(tok: Tok) -> bool:
    """A passage's token names a month: "Sept", "August", "May", not the verb "may"."""
    return tok.key in MONTH_KEYS and tok.text != "may"
