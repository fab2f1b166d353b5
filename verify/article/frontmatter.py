"""An article's front matter: the top-level `key: value` pairs of its YAML block."""

from __future__ import annotations

import re

__all__ = ["front_matter"]

_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$")
_LIST_ITEM = re.compile(r"^\s+-\s+(.*)$")


def front_matter(content: str) -> dict[str, str]:
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
