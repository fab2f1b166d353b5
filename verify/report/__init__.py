"""Report formatters: each turns a Report into a string and does no other I/O.

`render(report, fmt)` is the one entry point the CLI uses; `report_to_dict` is the JSON
contract for library users.
"""

from __future__ import annotations

from verify.errors import ConfigError
from verify.models import Report
from verify.report.jsonfmt import report_to_dict

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
    fail_on: tuple[str, ...] | None = None,
) -> str:
    """The report in format `fmt`. Only the terminal format reads verbose/quiet/color/width;
    the GitHub format reads `fail_on` (the gates of the run; default: the default gates), so
    that what fails the run is an error and the rest warnings."""
    # Each renderer is imported only when asked for: the terminal one loads rich (~20 ms),
    # which a CI run writing JSON or SARIF never needs.
    if fmt == "terminal":
        from verify.report.terminal import render_terminal

        return render_terminal(report, verbose=verbose, quiet=quiet, color=color, width=width)
    if fmt == "json":
        from verify.report.jsonfmt import render_json

        return render_json(report)
    if fmt == "markdown":
        from verify.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "github":
        from verify.report.github import render_github

        return render_github(report, fail_on)
    if fmt == "junit":
        from verify.report.junit import render_junit

        return render_junit(report)
    if fmt == "sarif":
        from verify.report.sarif import render_sarif

        return render_sarif(report)
    raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
