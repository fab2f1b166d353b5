"""The progress bars the command line draws on stderr when it is a terminal: one builder for
the one-shot run's (verify.cli.main) and the streamed run's (verify.cli.stream)."""

from __future__ import annotations

from typing import Any


def progress_bars(first_column: str, *, color: bool) -> Any:
    """A rich Progress on stderr, gone when it stops, each row: `first_column` (a format of
    the task), the bar, done of total, the task's description. rich is imported here, not at
    the top: a run that draws no bar (piped, --quiet, CI) never loads it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn(first_column),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        # no colour system: not a colour code, as --no-color and NO_COLOR promise
        console=Console(stderr=True, color_system="auto" if color else None),
        transient=True,
    )
