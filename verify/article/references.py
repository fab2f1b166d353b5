"""Pass 2 of parsing: the references an article lists.

`find_references` reads the reference section(s), numbered link reference definitions and
footnotes into a `References` registry, so that pass 3 can tell a `[1]` marker from
ordinary bracketed text and give the links in prose their ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.article.document import Doc, Unit
from verify.article.entries import Entry, item_entries, label_entries, label_rest, parse_entry
from verify.article.inline import is_image, normalize, plain, split_lines, url_in, web_url
from verify.models import Reference

__all__ = ["References", "find_references"]

# Lines that are the publisher's furniture rather than the article's statements.
_BOILERPLATE = re.compile(
    r"^(?:图片来源|图源|图片[:：]|题图|封面图|头图|来源[:：]|感谢阅读|感谢您的阅读|谢谢阅读|"
    r"欢迎关注|关注我们|点击关注|扫码关注|长按关注|转载请|版权声明|本文首发|"
    r"(?:image|photo|picture|illustration)(?:\s+credits?)?\s*[:：]|credits?\s*[:：]|"
    r"source\s*[:：]|thanks?\s+(?:you\s+)?for\s+reading\b|subscribe\b|sign\s+up\b|"
    r"follow\s+us\b)",
    re.IGNORECASE,
)


class References:
    """The references found so far, with the ids and URLs they are looked up by."""

    def __init__(self) -> None:
        self.live: list[Reference] = []
        self.ignored: list[Reference] = []
        self.ids: set[str] = set()
        # URL -> id, for (ignored?, kind); a prose link reuses a definition's or an earlier
        # inline link's id, while list entries and footnotes keep their own.
        self.by_url: dict[tuple[bool, str], dict[str, str]] = {}
        self.next_number = 1
        self.next_inline = 1
        self.skip: set[int] = set()  # units that are the reference section or boilerplate
        # URL -> (label, 0-based line, title) of a named definition (`[changes]: url`): the
        # prose link that first uses it becomes the reference with that label as its id
        self.named: dict[str, tuple[str, int, str | None]] = {}

    def add(self, ref: Reference, ignored: bool) -> Reference:
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

    def find(self, url: str, ignored: bool, kinds: Sequence[str]) -> str | None:
        for kind in kinds:
            found = self.by_url.get((ignored, kind), {}).get(url)
            if found is not None:
                return found
        return None


def find_references(doc: Doc, lines: list[str], env: dict[str, object]) -> References:
    refs = References()
    _sections(doc, refs)
    _definitions(doc, lines, env, refs)
    _footnotes(doc, refs)
    return refs


def _sections(doc: Doc, refs: References) -> None:
    section: tuple[str, int] | None = None  # ("heading", level) or ("label", 0)
    titled = _opens_with_title(doc)
    for index, unit in enumerate(doc.units):
        if unit.kind == "heading":
            heading = plain(unit.inlines[0].children or [])
            if not (titled and index == 0) and label_rest(heading) == "":
                section = ("heading", unit.level)
                refs.skip.add(index)
            elif section and (section[0] == "label" or unit.level <= section[1]):
                section = None
            continue
        if unit.kind == "break" or (unit.kind == "row" and unit.header):
            if unit.kind == "break" and section and section[0] == "label":
                section = None
            continue
        lines = [line for inline in unit.inlines for line in split_lines(inline.children or [])]
        first = plain(lines[0]) if lines else ""
        rest = label_rest(first) if unit.kind == "paragraph" else None
        if section is None and rest is not None:
            section = ("label", 0)
            refs.skip.add(index)
            entries = [(entry, 0) for entry in label_entries(rest)]
            entries += [(parse_entry(line, None), n) for n, line in enumerate(lines) if n]
            _add_entries(refs, unit, entries)
            continue
        if _BOILERPLATE.match(plain(unit.inlines[0].children or []).lstrip()):
            refs.skip.add(index)
            continue
        if section is None:
            continue
        entries = item_entries(unit, lines)
        if section[0] == "label" and not any(e.url for e, _ in entries):
            section = None  # prose again after a labelled list
            continue
        refs.skip.add(index)
        _add_entries(refs, unit, entries)


def _opens_with_title(doc: Doc) -> bool:
    """Whether the document opens with its title, which is no section heading even when
    it reads "Sources": an H1 followed by more than a list (a heading, or prose). A file
    that is only "# References" and a list is a reference list."""
    units = doc.units
    if not units or units[0].kind != "heading" or units[0].level != 1:
        return False
    prose = (u.kind == "paragraph" and u.item is None for u in units[1:])
    return any(u.kind == "heading" for u in units[1:]) or any(prose)


def _add_entries(refs: References, unit: Unit, entries: list[tuple[Entry, int]]) -> None:
    for entry, n in entries:
        if not entry.url:
            continue
        ref_id = entry.id if entry.id is not None else str(refs.next_number)
        line = min(unit.line + n, unit.end - 1) + 1
        refs.add(Reference(ref_id, entry.url, line, "list", entry.title), unit.ignored)


def _definitions(doc: Doc, lines: list[str], env: dict[str, object], refs: References) -> None:
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
        label = _definition_label(lines, line) or str(key)
        if not href or is_image(href) or href.startswith("#"):
            continue
        if not label.isdigit() and web_url(href) is None:
            continue  # a named definition that is not a web page (mailto:, relative)
        found.append((line, label, href, str(value.get("title") or "") or None))
    for line, label, href, title in sorted(found):
        if not label.isdigit():
            # A named definition is only a link target: the prose links that use it cite it
            # by its label (`--source changes=...` names it), and an unused one cites nothing.
            refs.named.setdefault(href, (label, line, title))
            continue
        if label in refs.ids and refs.find(href, False, ("list",)) == label:
            continue  # the same entry written twice
        ref = Reference(label, href, line + 1, "definition", title)
        refs.add(ref, line in doc.ignores)


def _footnotes(doc: Doc, refs: References) -> None:
    for label, units in doc.footnotes.items():
        url: str | None = None
        texts: list[str] = []
        for unit in units:
            children = unit.inlines[0].children or []
            for tok in children:
                if url is None and tok.type == "link_open":
                    url = web_url(tok.attrGet("href"))
            texts.append(plain(children))
        text = " ".join(texts)
        if url is None:
            url = url_in(text)[0]
        if url is None or not units:
            continue
        title = normalize(text.replace(url, " ")).strip(" -–—:：,，.") or None
        refs.add(
            Reference("^" + label, url, units[0].line + 1, "footnote", title), units[0].ignored
        )


_DEFINITION = re.compile(r"^\s{0,3}\[([^\]]{1,999})\]:")


def _definition_label(lines: list[str], line: int) -> str | None:
    if 0 <= line < len(lines):
        m = _DEFINITION.match(lines[line])
        if m:
            return m.group(1).strip()
    return None
