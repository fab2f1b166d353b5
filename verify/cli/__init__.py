"""The command line: options and configuration (settings), finding articles (discover), the run
and its exit code (main). The library never imports this package."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # `verify.cli:main` was the entry point before the command line became a package
    if name == "main":
        from verify.cli.main import main

        return main
    raise AttributeError(name)
