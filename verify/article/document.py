"""The article as pass 1 of parsing leaves it: units of prose with their lines, footnote
bodies, front matter and the line ranges verify-ignore covers. Passes 2 and 3 read it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from markdown_it.token import Token

__all__ = ["Doc", "Ranges", "Unit"]


@dataclass
class Unit:
    kind: str  # "paragraph" | "heading" | "row" | "break"
    inlines: list[Token]
    line: int  # 0-based first line
    end: int  # 0-based line after the last
    level: int = 0  # heading level
    header: bool = False  # a table's header row
    item: str | None = None  # first paragraph of a list item: its number, "" when bulleted
    ignored: bool = False


class Ranges:
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


@dataclass
class Doc:
    units: list[Unit] = field(default_factory=list)
    footnotes: dict[str, list[Unit]] = field(default_factory=dict)
    front_matter: dict[str, str] = field(default_factory=dict)
    first_title: str | None = None
    ignores: Ranges = field(default_factory=Ranges)
