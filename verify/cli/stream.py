"""The command line's large runs: reports written as each article is done, on this machine
(verify.streaming) or on a Dask cluster (verify.cluster.dask).

A run streams when it writes JSON Lines (`--format jsonl`), runs on a cluster (`--dask`), or
shows the terminal report for more than LARGE_RUN articles with nothing else to write. Then
JSON Lines gets one line per article as it is done and a summary line; the terminal gets one
line per article that has something to look at and a summary, with running counts on the
progress bar; the gates are counted as the run goes. Only the whole-document formats (json,
markdown, github, junit, sarif), asked for with --dask or --also, hold every report until
the end, since they cannot be written in pieces.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from verify.errors import ConfigError
from verify.gates import DEAD_STATUSES, Tally
from verify.models import ArticleReport, Options, Report, Source, Verdict

EXIT_OK, EXIT_FINDINGS, EXIT_INTERRUPTED = 0, 1, 130
# More articles than this and the terminal report is running counts, not every table.
LARGE_RUN = 50
STREAMED_FORMATS = ("jsonl", "terminal")


def streams(values: dict[str, Any], files: list[Path]) -> bool:
    if values["dask"] or values["format"] == "jsonl":
        return True
    return values["format"] == "terminal" and len(files) > LARGE_RUN and not values["also"]


class _Progress:
    """On a terminal, a bar over the articles (with running counts) and one over the
    references, on stderr. Counts only: nothing of a report is kept."""

    def __init__(self, bar: bool, color: bool, articles: int) -> None:
        self.articles = articles
        self.articles_done = 0
        self.references_done = 0
        self.references_total: int | None = None
        self.progress: Any = None
        if bar:
            from verify.cli.progress import progress_bars

            self.progress = progress_bars("{task.fields[label]:<10}", color=color)
            self.progress.start()
            self.article_bar = self.progress.add_task("", total=articles, label="articles")
            self.reference_bar = self.progress.add_task("", total=None, label="references")

    # the single-machine stream tells of each source; the cluster of each partition's count
    def start(self, total: int) -> None:
        self.references_total = total
        if self.progress is not None:
            self.progress.update(self.reference_bar, total=total)

    def advance(self, source: Source) -> None:
        self.advanced(1)

    def advanced(self, count: int) -> None:
        self.references_done += count
        if self.progress is not None:
            self.progress.update(self.reference_bar, advance=count)

    def article_done(self, tally: Tally) -> None:
        self.articles_done += 1
        if self.progress is not None:
            s = tally.summary
            counts = (
                f"{s.supported} supported, {s.partial} partial, {s.unsupported} unsupported; "
                f"{tally.counts['dead']} dead links"
            )
            self.progress.update(self.article_bar, advance=1, description=counts)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def interrupted(self) -> str:
        refs = f"{self.references_done}"
        if self.references_total is not None:
            refs += f" of {self.references_total}"
        return (
            f"verify: interrupted after {self.articles_done} of {self.articles} articles "
            f"({refs} references resolved)"
        )


def finding_line(report: ArticleReport) -> str | None:
    """One line naming what to look at in an article, or None when there is nothing."""
    parts = []
    for verdict in (Verdict.UNSUPPORTED, Verdict.PARTIAL):
        lines = [
            str(c.claim.line)
            for c in report.claims
            if c.verdict is verdict and c.checkable and not c.claim.ignored
        ]
        if lines:
            parts.append(f"{len(lines)} {verdict.value} (line {', '.join(lines)})")
    dead = [
        f"[{s.reference.id}] {s.status.value}" for s in report.sources if s.status in DEAD_STATUSES
    ]
    if dead:
        parts.append(f"{len(dead)} dead: {', '.join(dead)}")
    return f"{report.article.path}: {'; '.join(parts)}" if parts else None


class _Sink:
    """Where the reports go as they arrive: JSON Lines written at once, terminal lines for
    articles with findings, and the whole-document formats held until the end."""

    def __init__(
        self, values: dict[str, Any], options: Options, files: list[Path], stack: ExitStack
    ) -> None:
        self.values = values
        self.links_only = options.links_only
        self.fmt = values["format"]
        self.order = {str(f): i for i, f in enumerate(files)}
        self.tally = Tally()
        self.held: list[ArticleReport] = []
        self.jsonl: list[IO[str]] = []
        self.terminal: IO[str] | None = None
        self.hold = self.fmt not in STREAMED_FORMATS or any(
            fmt != "jsonl" for fmt in values["also"]
        )
        out = values["output"]
        if self.fmt == "jsonl":
            self.jsonl.append(_open(out, "--output", stack) if out else sys.stdout)
        elif self.fmt == "terminal":
            self.terminal = _open(out, "--output", stack) if out else sys.stdout
        for fmt, path in values["also"].items():
            if fmt == "jsonl":
                self.jsonl.append(_open(path, "--also", stack))

    def add(self, report: ArticleReport) -> None:
        from verify.report.jsonl import article_line

        self.tally.add(report)
        for out in self.jsonl:
            out.write(article_line(report))
            out.flush()
        if self.terminal is not None and not self.values["quiet"]:
            line = finding_line(report)
            if line:
                self.terminal.write(line + "\n")
                self.terminal.flush()
        if self.hold:
            self.held.append(report)

    def _render_args(self) -> dict[str, Any]:
        return {
            "verbose": self.values["verbose"],
            "color": False,
            "width": 100,
            "fail_on": tuple(self.values["fail_on"]),
        }

    def finish(self, *, interrupted: bool = False) -> None:
        from verify import __version__
        from verify.report import render
        from verify.report.common import summary_text
        from verify.report.jsonl import summary_line

        for out in self.jsonl:
            out.write(
                summary_line(self.tally.summary, self.tally.articles, interrupted=interrupted)
            )
            out.flush()
        if self.terminal is not None:
            text = summary_text(self.tally.summary, links_only=self.links_only)
            self.terminal.write(f"{self.tally.articles} articles; {text}\n")
            self.terminal.flush()
        if interrupted or not self.hold:
            return
        # the same order as a run on one machine: the order the files were given in
        self.held.sort(key=lambda a: self.order.get(a.article.path, len(self.order)))
        report = Report(articles=tuple(self.held), tool_version=__version__)
        if self.fmt not in STREAMED_FORMATS:
            text = render(report, self.fmt, **self._render_args())
            if self.values["output"]:
                _write(self.values["output"], text, "--output")
            else:
                sys.stdout.write(text if text.endswith("\n") else text + "\n")
        for fmt, path in self.values["also"].items():
            if fmt != "jsonl":
                _write(path, render(report, fmt, **self._render_args()), "--also")


def _open(path: str, option: str, stack: ExitStack) -> IO[str]:
    """A report file opened for writing, never through a symbolic link (one a pull request
    committed could lead anywhere the runner can write), as the one-shot run writes them."""
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        return stack.enter_context(open(os.open(path, flags, 0o644), "w", encoding="utf-8"))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ConfigError(f"{option} {path}: is a symbolic link; not written through") from None
        raise ConfigError(f"{option} {path}: {exc.strerror or exc}") from None


def _write(path: str, text: str, option: str) -> None:
    with ExitStack() as stack:
        _open(path, option, stack).write(text)


def run_streamed(values: dict[str, Any], options: Options, files: list[Path]) -> int:
    """Run over `files`, writing each article's report as it is done; the exit code."""
    if options.local_sources:
        _check_local_sources(options, files)
    quiet = values["quiet"]
    color = values["color"] and not os.environ.get("NO_COLOR")
    with ExitStack() as stack:
        sink = _Sink(values, options, files, stack)
        progress = _Progress(not quiet and sys.stderr.isatty(), color, len(files))
        stack.callback(progress.stop)
        try:
            if values["dask"]:
                _on_cluster(values["dask"], options, files, sink, progress, quiet)
            else:
                _on_this_machine(options, files, sink, progress)
        except KeyboardInterrupt:
            progress.stop()
            print(progress.interrupted(), file=sys.stderr)
            sink.finish(interrupted=True)
            return EXIT_INTERRUPTED
        progress.stop()
        sink.finish()
    reasons = sink.tally.failures(tuple(values["fail_on"]), values["min_support"])
    if reasons and values["format"] == "terminal" and not values["output"]:
        print("verify: failed: " + "; ".join(reasons), file=sys.stderr)
    return EXIT_FINDINGS if reasons else EXIT_OK


def _check_local_sources(options: Options, files: list[Path]) -> None:
    """--source keys checked before anything is fetched or written, as a one-shot run checks
    them: a streamed run parses its articles as it goes, so they are read once more here,
    keeping only their references (--source is for a few saved pages, not an archive)."""
    from dataclasses import replace

    from verify.article.parse import parse_article
    from verify.sources.local import check_local_sources

    stubs = [replace(parse_article(f), text="", claims=()) for f in files]
    check_local_sources(stubs, options.local_sources)


def _on_cluster(
    address: str,
    options: Options,
    files: list[Path],
    sink: _Sink,
    progress: _Progress,
    quiet: bool,
) -> None:
    from verify.cluster.dask import ClusterSpec, connect, dashboard_link, run_on_cluster

    spec = ClusterSpec.parse(address)
    with connect(spec) as client:
        link = dashboard_link(client)
        if link and not quiet:
            print(f"verify: Dask dashboard at {link}", file=sys.stderr)
        # closed at once on the way out (^C included), which cancels the cluster's work
        with contextlib.closing(run_on_cluster(client, files, options, progress=progress)) as run:
            for report in run:
                sink.add(report)
                progress.article_done(sink.tally)


def _on_this_machine(options: Options, files: list[Path], sink: _Sink, progress: _Progress) -> None:
    import asyncio

    from verify.cli.executor import PROCESS_POOL_MIN_PAGES, choose_executor, pages_to_extract
    from verify.streaming import stream_paths

    # a large run extracts in worker processes; a few files are counted as the batch run does
    pages = PROCESS_POOL_MIN_PAGES
    if len(files) <= LARGE_RUN:
        from verify.article.parse import parse_article

        pages = pages_to_extract([parse_article(f) for f in files], options)
    executor = choose_executor(pages, options)

    async def run() -> None:
        async for report in stream_paths(files, options, progress=progress, executor=executor):
            sink.add(report)
            progress.article_done(sink.tally)

    try:
        asyncio.run(run())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
