"""Report formatters: each turns a Report into a string and does no other I/O.

`render(report, fmt)` is the one entry point the CLI uses; the formats and how to add one
are in `verify.report.registry`. `report_to_dict` is the JSON contract for library users.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verify.report.registry import FORMATS, render

if TYPE_CHECKING:
    from verify.report.jsonfmt import report_to_dict

__all__ = ["FORMATS", "render", "report_to_dict"]


def __getattr__(name: str) -> Any:
    # imported on first use, so that naming the formats (the command line's choices) loads
    # no formatter
    if name == "report_to_dict":
        from verify.report.jsonfmt import report_to_dict

        return report_to_dict
    raise AttributeError(f"module 'verify.report' has no attribute {name!r}")
