"""Which markdown files a run checks: paths, folders, globs, --changed-since and --shard."""

from __future__ import annotations

import glob
import subprocess
from collections.abc import Iterable
from pathlib import Path

from verify.errors import ConfigError, InputError

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".verify-cache"}


def _walk(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if any(part in _SKIP_DIRS for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in MARKDOWN_SUFFIXES:
            found.append(path)
    return found


def expand_paths(patterns: Iterable[str]) -> list[Path]:
    """Files named, markdown files under folders, and glob matches, in a stable order.

    A named file is taken whatever its suffix (the reader rejects what is not text, or
    empty). What is named must hold something to check, as a named file must: a pattern
    that matches nothing, or a folder with no markdown file in it, is an error, so a typo
    never passes as an empty run.
    """
    files: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found = _walk(path)
            if not found:
                raise InputError(
                    f"{pattern}: no markdown file in this folder "
                    f"({', '.join('*' + s for s in MARKDOWN_SUFFIXES)})"
                )
            files.extend(sorted(found))
        elif path.exists() or not glob.has_magic(pattern):
            files.append(path)  # a missing file is reported by the reader, with its name
        else:
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            if not matches:
                raise InputError(f"{pattern}: no file matches this pattern")
            for m in matches:
                files.extend(sorted(_walk(m)) if m.is_dir() else [m])
    return list(dict.fromkeys(files))


def _git(args: list[str], cwd: Path | None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"--changed-since: cannot run git: {exc}") from None


def changed_since(ref: str, cwd: Path | None = None) -> set[Path]:
    """Markdown files added, copied, modified or renamed since a git ref, working tree
    included, and new files git does not track yet (a post just written is a change too;
    ignored files are not)."""
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        where = cwd or Path.cwd()
        raise ConfigError(
            f"--changed-since {ref}: {where} is not inside a git repository "
            "(run verify from the repository, or leave out --changed-since)"
        )
    root = Path(top.stdout.strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root).returncode != 0:
        raise ConfigError(
            f"--changed-since {ref}: no such commit, branch or tag in {root} "
            "(in CI, fetch the history: actions/checkout with fetch-depth: 0)"
        )
    changed = _git(["diff", "--name-only", "--diff-filter=ACMR", ref, "--"], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name"], root)
    for proc in (changed, untracked):
        if proc.returncode != 0:
            message = proc.stderr.strip().splitlines()
            raise ConfigError(f"--changed-since {ref}: {message[0] if message else 'git failed'}")
    names = changed.stdout.splitlines() + untracked.stdout.splitlines()
    return {
        (root / line).resolve()
        for line in names
        if line.strip() and Path(line).suffix.lower() in MARKDOWN_SUFFIXES
    }


def parse_shard(value: str) -> tuple[int, int]:
    try:
        index_s, total_s = value.split("/")
        index, total = int(index_s), int(total_s)
    except ValueError:
        raise ConfigError(f"--shard must look like I/N (e.g. 1/4), got {value!r}") from None
    if total < 1 or not 1 <= index <= total:
        raise ConfigError(f"--shard {value}: I must be between 1 and N")
    return index, total


def shard(files: list[Path], index: int, total: int) -> list[Path]:
    """Round-robin over the sorted list: every file lands in exactly one shard."""
    ordered = sorted(files, key=lambda p: p.as_posix())
    return [f for i, f in enumerate(ordered) if i % total == index - 1]


def select_files(
    patterns: Iterable[str], *, since: str | None = None, shard_spec: str | None = None
) -> list[Path]:
    files = expand_paths(patterns)
    if since:
        changed = changed_since(since)
        files = [f for f in files if f.resolve() in changed]
    if shard_spec:
        files = shard(files, *parse_shard(shard_spec))
    return files
