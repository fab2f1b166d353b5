"""Which markdown files a run checks: paths, folders, globs, --changed-since and --shard."""

from __future__ import annotations

import glob
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from verify.errors import ConfigError, InputError
from verify.trust import glob_base, outside_reason, roots_for

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".verify-cache"}


@dataclass
class Selection:
    """The files a run checks, and one message per file left out because reading it could
    leak what lies outside the tree being checked (so nobody takes it for checked)."""

    files: list[Path] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def _walk(folder: Path, roots: tuple[Path, ...], left_out: list[str]) -> list[Path]:
    """Markdown files under `folder`. A linked folder is entered only when it leads back
    inside `roots` (once: a link loop ends there); a linked file is kept on the same terms."""
    found: list[Path] = []
    seen: set[Path] = set()
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            real = here.resolve()
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except (OSError, RuntimeError):
            continue
        if real in seen:
            continue
        seen.add(real)
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
                linked = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                if entry.name in _SKIP_DIRS:
                    continue
                why = outside_reason(path, roots) if linked else None
                if why:
                    left_out.append(f"{path}: not checked: {why.replace('a file', 'a folder')}")
                else:
                    stack.append(path)
                continue
            if path.suffix.lower() not in MARKDOWN_SUFFIXES:
                continue
            why = outside_reason(path, roots)
            if why:
                left_out.append(f"{path}: not checked: {why}")
            elif entry.is_file():
                found.append(path)
    return found


def expand(patterns: Iterable[str]) -> Selection:
    """Files named, markdown files under folders, and glob matches, in a stable order.

    A named file is taken whatever its suffix (the reader rejects what is not text, or
    empty). What is named must hold something to check, as a named file must: a pattern
    that matches nothing, or a folder with no markdown file in it, is an error, so a typo
    never passes as an empty run.
    A file found under a folder or by a glob that really lies elsewhere (a symbolic link
    out of the tree, into .git) is left out with a message; a named one is an input error.
    """
    selection = Selection()
    files = selection.files
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            left = len(selection.left_out)
            found = _walk(path, roots_for(path), selection.left_out)
            if not found and len(selection.left_out) == left:
                raise InputError(
                    f"{pattern}: no markdown file in this folder "
                    f"({', '.join('*' + s for s in MARKDOWN_SUFFIXES)})"
                )
            files.extend(found)
        elif path.exists() or not glob.has_magic(pattern):
            why = outside_reason(path, roots_for(path.parent)) if path.exists() else None
            if why:
                raise InputError(f"{pattern}: not read: {why}")
            files.append(path)  # a missing file is reported by the reader, with its name
        else:
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            if not matches:
                raise InputError(f"{pattern}: no file matches this pattern")
            roots = roots_for(glob_base(pattern))
            for m in matches:
                if m.is_dir():
                    files.extend(_walk(m, roots, selection.left_out))
                    continue
                why = outside_reason(m, roots)
                if why:
                    selection.left_out.append(f"{m}: not checked: {why}")
                else:
                    files.append(m)
    selection.files = list(dict.fromkeys(files))
    selection.left_out = list(dict.fromkeys(selection.left_out))
    return selection


def expand_paths(patterns: Iterable[str]) -> list[Path]:
    """The files `expand` keeps."""
    return expand(patterns).files


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
    if ref.startswith("-") or "\n" in ref:
        # git would read it as an option (`diff --output=FILE` writes a file)
        raise ConfigError(f"--changed-since {ref!r}: not a git ref")
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


def select(
    patterns: Iterable[str], *, since: str | None = None, shard_spec: str | None = None
) -> Selection:
    selection = expand(patterns)
    files = selection.files
    if since:
        changed = changed_since(since)
        files = [f for f in files if f.resolve() in changed]
    if shard_spec:
        files = shard(files, *parse_shard(shard_spec))
    selection.files = files
    return selection


def select_files(
    patterns: Iterable[str], *, since: str | None = None, shard_spec: str | None = None
) -> list[Path]:
    return select(patterns, since=since, shard_spec=shard_spec).files
