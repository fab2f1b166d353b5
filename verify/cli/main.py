"""The command line: parse options, call the library, pick a formatter, set the exit code.

Exit codes: 0 all gates pass; 1 findings (a gate failed); 2 usage, configuration or input
error; 3 an internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from verify import __version__
from verify.cli.settings import (
    BY_KEY,
    FORMATS,
    SETTINGS,
    find_config,
    load_config,
    merge,
    untrusted_notices,
)
from verify.errors import ConfigError, VerifyError
from verify.settings_schema import (
    PARTIAL_ABOVE_SUPPORTED,
    RECORD_WITH_REPLAY,
    check_endpoints,
    coerce,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from verify.models import Article, Options, Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, as every other usage error is.
        self.exit(EXIT_USAGE, f"verify: error: {message} (see verify --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="verify",
        description="Check that an article's sources are alive and say what the article claims.",
        epilog="Exit codes: 0 passed, 1 findings (see --fail-on), 2 usage or input error, "
        "3 internal error, 130 interrupted. Every option is also a key in verify.toml or "
        "[tool.verify] in pyproject.toml (e.g. per_host = 8).",
        argument_default=argparse.SUPPRESS,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="markdown files, folders or globs (default: `paths` in the config)",
    )
    parser.add_argument("--version", action="version", version=f"verify {__version__}")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: verify.toml or pyproject.toml, "
        "searched from the current folder upward)",
    )
    parser.add_argument("--no-config", action="store_true", help="ignore configuration files")
    groups: dict[str, argparse._ArgumentGroup] = {}
    titles = {
        "format": "output",
        "changed_since": "what to check",
        "fail_on": "gates",
        "concurrency": "network",
        "cache": "cache and archives",
    }
    group = parser
    for setting in SETTINGS:
        if setting.key in titles:
            group = groups.setdefault(setting.key, parser.add_argument_group(titles[setting.key]))
        if setting.key == "paths":
            continue
        flags = [setting.short, setting.option] if setting.short else [setting.option]
        kwargs: dict[str, Any] = {"dest": setting.key, "help": setting.help}
        if setting.kind == "bool":
            kwargs["action"] = "store_true"
        elif setting.kind == "negbool":
            kwargs["action"] = "store_false"
        elif setting.kind in ("list", "map"):
            kwargs.update(action="append", metavar=setting.metavar)
        elif setting.kind == "choice":
            kwargs.update(choices=setting.choices)
        else:
            kwargs["metavar"] = setting.metavar
        group.add_argument(*flags, **kwargs)
    return parser


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    cli: dict[str, Any] = {}
    for key, value in vars(args).items():
        setting = BY_KEY.get(key)
        if setting is not None:
            cli[key] = coerce(setting, value, f"--{key.replace('_', '-')}")
    if "endpoint" in cli:
        check_endpoints(cli["endpoint"], "--endpoint")
    file_values: dict[str, Any] = {}
    notices: list[str] = []
    if not getattr(args, "no_config", False):
        named = getattr(args, "config", None)
        # a file found in the checkout is the pull request's to write: it may not widen what
        # verify touches, and what it changes about the gate is shown in the report
        path = Path(named) if named else find_config()
        if path is not None:
            file_values = load_config(path, discovered=not named)
            if not named:
                notices = untrusted_notices(path, file_values, cli)
    if getattr(args, "paths", None):
        cli["paths"] = list(args.paths)
    values = merge(file_values, cli)
    values["notices"] = notices
    return values


def options_from(values: dict[str, Any]) -> Any:
    from verify.models import Options, Thresholds

    thresholds = None
    if values["supported_threshold"] is not None or values["partial_threshold"] is not None:
        from verify.matching.match import DEFAULT_THRESHOLDS

        supported = values["supported_threshold"]
        partial = values["partial_threshold"]
        thresholds = Thresholds(
            supported=DEFAULT_THRESHOLDS.supported if supported is None else supported,
            partial=DEFAULT_THRESHOLDS.partial if partial is None else partial,
        )
        if thresholds.partial > thresholds.supported:
            raise ConfigError(PARTIAL_ABOVE_SUPPORTED)
    if values["record"] and values["replay"]:
        raise ConfigError(RECORD_WITH_REPLAY)
    for fmt in values["also"]:
        if fmt not in FORMATS:
            raise ConfigError(f"--also {fmt}=...: unknown format; choose from {', '.join(FORMATS)}")
    for name, path in values["source"].items():
        if not Path(path).is_file():
            raise ConfigError(f"--source {name}={path}: no such file")
    if values["replay"] and not Path(values["replay"]).is_file():
        raise ConfigError(f"--replay {values['replay']}: no such file")
    import re

    for pattern in values["include"] + values["exclude"]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"invalid URL pattern {pattern!r}: {exc}") from None
    return Options(
        concurrency=values["concurrency"],
        per_host=values["per_host"],
        connect_timeout=values["connect_timeout"],
        timeout=values["timeout"],
        retries=values["retries"],
        max_bytes=values["max_size"],
        max_redirects=values["max_redirects"],
        allow_private=values["allow_private"],
        user_agent=values["user_agent"],
        cache=values["cache"],
        cache_dir=values["cache_dir"],
        max_age=values["max_age"],
        record=values["record"],
        replay=values["replay"],
        archive=values["archive"],
        links_only=values["links_only"],
        include=tuple(values["include"]),
        exclude=tuple(values["exclude"]),
        exclude_hosts=tuple(values["exclude_host"]),
        local_sources=dict(values["source"]),
        glossary=dict(values["glossary"]),
        thresholds=thresholds,
        endpoints=dict(values["endpoint"]),
    )


class _Progress:
    """Keeps every resolved source (so an interrupted run can say what it had) and, on a
    terminal, draws a progress bar on stderr."""

    def __init__(self, bar: bool, color: bool = True) -> None:
        self.total = 0
        self.done: list[Any] = []
        self.progress: Any = None
        self.task: Any = None
        if bar:
            from verify.cli.progress import progress_bars

            self.progress = progress_bars("fetching", color=color)

    def start(self, total: int) -> None:
        self.total = total
        if self.progress is not None:
            self.progress.start()
            self.task = self.progress.add_task("", total=total)

    def advance(self, source: Any) -> None:
        self.done.append(source)
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=source.reference.host)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()

    def interrupted(self) -> str:
        lines = [f"verify: interrupted after {len(self.done)} of {self.total} references"]
        lines += [f"  [{s.reference.id}] {s.status.value:<11} {s.reference.url}" for s in self.done]
        return "\n".join(lines)


def _say(message: str) -> None:
    """One line on stderr. Its text may hold a file name or a page's words, so it is made one
    safe line: a CI runner reads workflow commands on stderr too."""
    from verify.untrusted import one_line

    print(f"verify: {one_line(message)}", file=sys.stderr)


def _write(path: str, text: str, option: str) -> None:
    try:
        # O_NOFOLLOW: the file named may be a link a pull request committed, leading
        # anywhere the runner can write; a report is never written through one
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o644)
        with open(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ConfigError(f"{option} {path}: is a symbolic link; not written through") from None
        raise ConfigError(f"{option} {path}: {exc.strerror or exc}") from None


def _width(to_file: bool) -> int:
    """Columns for the terminal report: COLUMNS when set (piped or not, as for most tools),
    else the terminal's width, else 100."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not to_file and sys.stdout.isatty():
        import shutil  # not at the top: it imports bz2 and lzma, which no other run needs

        return shutil.get_terminal_size().columns
    return 100


def _run(values: dict[str, Any]) -> int:
    if not values["paths"]:
        raise ConfigError("no article given: verify ARTICLE.md (see verify --help)")
    options = options_from(values)
    from verify.article.parse import parse_article
    from verify.cli.discover import select
    from verify.cli.executor import choose_executor, pages_to_extract

    selection = select(values["paths"], since=values["changed_since"], shard_spec=values["shard"])
    files = selection.files
    values["notices"] = [*values.get("notices", ()), *selection.left_out]
    for notice in values["notices"]:
        _say(f"warning: {notice}")
    if not files:
        if selection.left_out:
            # files were found but none could be read safely: that is no pass
            _say("no markdown file to check: every one found was left out")
            return EXIT_USAGE
        # only a filter can leave nothing (a named path that holds nothing is an input
        # error): no change to check is a pass
        why = [f"changed since {values['changed_since']}"] if values["changed_since"] else []
        why += [f"in shard {values['shard']}"] if values["shard"] else []
        _say(f"no markdown file to check: none {' and '.join(why)}")
        return EXIT_OK
    from verify.cli.stream import run_streamed, streams

    if streams(values, files):
        return run_streamed(values, options, files)
    articles = [parse_article(path) for path in files]
    # created before the event loop starts a thread, so worker processes may be forked
    executor = choose_executor(pages_to_extract(articles, options), options)
    try:
        return _run_with(values, options, articles, executor)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _run_with(
    values: dict[str, Any], options: Options, articles: list[Article], executor: Executor
) -> int:
    # imported here, not at the top, so --version and --help stay quick (asyncio ~25 ms)
    import asyncio

    from verify.pipeline import verify_articles_async

    progress = _Progress(
        bar=not values["quiet"] and sys.stderr.isatty(),
        color=values["color"] and not os.environ.get("NO_COLOR"),
    )
    reports: list[Report] = []

    async def run() -> None:
        # The report is handed out through `reports`, not as the main task's result: on the
        # way out asyncio.Runner calls signal.getsignal, whose lookup formats repr() of its
        # handler, main task and result included, i.e. the whole report (~6 ms, twice).
        reports.append(
            await verify_articles_async(articles, options, progress=progress, executor=executor)
        )

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        progress.stop()
        from verify.untrusted import clean

        print(clean(progress.interrupted()), file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        progress.stop()
    report = reports[0]
    if values.get("notices"):
        from dataclasses import replace

        report = replace(report, notices=(*report.notices, *values["notices"]))
    # the formatters (rich's tables, 10 ms) load once the report exists, not before the
    # first request
    from verify.gates import failures
    from verify.report import render

    to_file = values["output"] is not None
    color = (
        values["color"] and not os.environ.get("NO_COLOR") and not to_file and sys.stdout.isatty()
    )
    text = render(
        report,
        values["format"],
        verbose=values["verbose"],
        quiet=values["quiet"],
        color=color,
        width=_width(to_file),
        fail_on=tuple(values["fail_on"]),
    )
    if to_file:
        _write(values["output"], text, "--output")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    for fmt, path in values["also"].items():
        _write(
            path,
            render(
                report,
                fmt,
                verbose=values["verbose"],
                color=False,
                width=100,
                fail_on=tuple(values["fail_on"]),
            ),
            "--also",
        )
    reasons = failures(report, tuple(values["fail_on"]), values["min_support"])
    if reasons and values["format"] == "terminal" and not to_file:
        _say("failed: " + "; ".join(reasons))
    return EXIT_FINDINGS if reasons else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """The command: its exit code (the console script passes it to sys.exit)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # --help, --version and usage errors end here
    try:
        return _run(_settings(args))
    except VerifyError as exc:
        _say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line; VERIFY_DEBUG=1 shows the traceback
        if os.environ.get("VERIFY_DEBUG"):
            raise
        _say(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set VERIFY_DEBUG=1 for the traceback, and please report it)"
        )
        return EXIT_INTERNAL
