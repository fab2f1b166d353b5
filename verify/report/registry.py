"""The report formats: a registry from each format's name to the function that renders it.

One module a format (verify/report/<module>.py), each a pure function from a Report to a
string. A format's module is imported only when a report is rendered in it, so a JSON run
never loads the terminal's rich.

To add a format, write its module with a `render_<name>(report: Report) -> str` and add one
line to `_REGISTRY` below::

    "yaml": Format("verify.report.yamlfmt:render_yaml"),

It is then a choice of `--format`, `--also` and the configuration file, and `render(report,
"yaml")` works. A renderer that reads some of `render`'s keywords names them in `reads`
(the terminal reads verbose, quiet, color and width; GitHub reads fail_on); it is called
with those alone, and the others get the report alone.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from verify.errors import ConfigError

if TYPE_CHECKING:
    from verify.models import Report

__all__ = ["FORMATS", "Format", "render", "renderer"]


@dataclass(frozen=True)
class Format:
    target: str  # "module:function"
    reads: tuple[str, ...] = ()  # the keywords of `render` the function takes


_TERMINAL = ("verbose", "quiet", "color", "width")

_REGISTRY: dict[str, Format] = {
    "terminal": Format("verify.report.terminal:render_terminal", reads=_TERMINAL),
    "json": Format("verify.report.jsonfmt:render_json"),
    # the command line writes it line by line as articles are done (verify.cli.stream)
    "jsonl": Format("verify.report.jsonl:render_jsonl"),
    "markdown": Format("verify.report.markdown:render_markdown"),
    "github": Format("verify.report.github:render_github", reads=("fail_on",)),
    "junit": Format("verify.report.junit:render_junit"),
    "sarif": Format("verify.report.sarif:render_sarif"),
    "html": Format("verify.report.html:render_html"),
}

FORMATS: tuple[str, ...] = tuple(_REGISTRY)


def renderer(fmt: str) -> tuple[Callable[..., str], tuple[str, ...]]:
    """The function that renders format `fmt` and the keywords it reads (ConfigError if
    unknown)."""
    entry = _REGISTRY.get(fmt)
    if entry is None:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    module, _, function = entry.target.partition(":")
    return getattr(importlib.import_module(module), function), entry.reads


def render(
    report: Report,
    fmt: str,
    *,
    verbose: bool = False,
    quiet: bool = False,
    color: bool | None = None,
    width: int | None = None,
    fail_on: tuple[str, ...] | None = None,
) -> str:
    """The report in format `fmt`. Only the terminal format reads verbose/quiet/color/width;
    the GitHub format reads `fail_on` (the gates of the run; default: the default gates), so
    that what fails the run is an error and the rest warnings."""
    function, reads = renderer(fmt)
    given = {"verbose": verbose, "quiet": quiet, "color": color, "width": width, "fail_on": fail_on}
    text = function(_clean_paths(report), **{key: given[key] for key in reads})
    # a file name can carry a lone surrogate (undecodable bytes); no encoder writes one
    return _no_commands(fmt, _SURROGATE.sub("\ufffd", text))


_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_START_COMMAND = re.compile(r"^([ \t]*:):", re.MULTILINE)
# How each format spells what a CI runner would read as a workflow command ("::" starting a
# line; the older "##[" anywhere in one) so that it reads the same and commands nothing: a
# character reference in XML, a \u escape in JSON, a zero-width space in text.
_HARMLESS = {
    "json": ("#\\u0023[", None),
    "sarif": ("#\\u0023[", None),
    "junit": ("#&#35;[", "\\1&#58;"),
}


def _no_commands(fmt: str, text: str) -> str:
    """`text` with no line a CI runner would act on, when printed to its log (the GitHub
    format's own commands are the exception: they are what it is for)."""
    if fmt in ("github", "html"):
        # GitHub's lines are commands by design; the HTML report's inline style and script
        # are pinned by their hashes (its text is escaped HTML, written to a file)
        return text
    hashes, colon = _HARMLESS.get(fmt, ("#\u200b#[", "\\1\u200b:"))
    text = text.replace("##[", hashes)
    if colon is not None:
        text = _LINE_START_COMMAND.sub(colon, text)
    return text


def _clean_paths(report: Report) -> Report:
    """The report with its file names cleaned: a name is untrusted text too (verify.untrusted),
    and it comes from the file system, not through the reader."""
    from dataclasses import replace

    from verify.untrusted import clean

    if all(clean(a.article.path) == a.article.path for a in report.articles):
        return report
    articles = tuple(
        replace(a, article=replace(a.article, path=clean(a.article.path))) for a in report.articles
    )
    return replace(report, articles=articles)
