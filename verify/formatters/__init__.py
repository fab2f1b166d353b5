"""Report formatters: each turns a Report into a string and does no other I/O.

`render(report, fmt)` is the one entry point the CLI uses; `report_to_dict` is the JSON
contract for library users.
"""

from __future__ import annotations

from verify.errors import ConfigError
from verify.formatters.github import render_github
from verify.formatters.jsonfmt import render_json, report_to_dict
from verify.formatters.junit import render_junit
from verify.formatters.markdown import render_markdown
from verify.formatters.sarif import render_sarif
from verify.formatters.terminal import render_terminal
from verify.models import Report

__all__ = ["FORMATS", "render", "report_to_dict"]

FORMATS = ("terminal", "json", "markdown", "github", "junit", "sarif")


def render(
    report: Report,
    fmt: str,
    *,
    verbose: bool = False,
    quiet: bool = False,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    """The report in format `fmt`. Only the terminal format reads verbose/quiet/color/width."""
    if fmt == "terminal":
        return render_terminal(report, verbose=verbose, quiet=quiet, color=color, width=width)
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "github":
        return render_github(report)
    if fmt == "junit":
        return render_junit(report)
    if fmt == "sarif":
        return render_sarif(report)
    raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
