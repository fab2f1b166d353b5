"""A claim cut into units, in whichever language it is written.

English is cut by verify.matching.units; Chinese by verify.matching.crosslang, which is
imported only when Chinese text is seen (it is the only user of jieba and the dictionary).
"""

from __future__ import annotations

from verify.matching.units import ClaimUnits, english_units
from verify.matching.words import is_cjk

__all__ = ["claim_units"]


def claim_units(text: str, glossary: dict[str, str] | None = None) -> ClaimUnits:
    """Units of a claim in whichever language it is written (Chinese loads lazily)."""
    if is_cjk(text):
        from verify.matching import crosslang

        return crosslang.chinese_units(text, glossary)
    return english_units(text)
