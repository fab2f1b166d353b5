"""Where untrusted files may be read from.

verify runs in CI on other people's pull requests, so the checkout's files are the author's
to choose: a post can be a symbolic link to `.git/config` (where actions/checkout keeps its
token) or to `/etc/passwd`, and whatever verify reads it quotes back in the report. A file is
read only when it really lies inside the folder tree it was found in, or inside the current
repository, and never inside a `.git` folder. What the command line names is trusted; where
a link inside it leads is not.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["glob_base", "outside_reason", "repository_root", "roots_for"]


def repository_root(start: Path | None = None) -> Path:
    """The top of the git work tree holding `start` (the current folder), else `start`.

    Found by looking for `.git` upward, not by running git: a run reading one article need
    not start a process for it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def roots_for(base: Path, start: Path | None = None) -> tuple[Path, ...]:
    """The trees a file found under `base` may lie in: `base` itself and the repository.

    `base` counts only when it is what it says: a folder named on the command line that lies
    in the repository by name but elsewhere in fact went through a link the checkout holds,
    and the checkout's author chose where that leads."""
    repo = repository_root(start)
    real = _real(base)
    named = Path(os.path.abspath(base))
    if real.is_relative_to(repo) or not named.is_relative_to(repo):
        return (real, repo)
    return (repo,)


def outside_reason(path: Path, roots: Iterable[Path]) -> str | None:
    """Why the file at `path` must not be read, or None when it lies inside one of `roots`.

    `roots` are real (resolved) folders. The path is followed through every symbolic link,
    of the file and of its folders; a regular file with other hard links is refused too,
    since nothing tells where its other names are.
    """
    if ".git" in path.parts:
        return "it is inside a .git folder"
    real = _real(path)
    if ".git" in real.parts:
        return "it is a link into a .git folder"
    linked = _through_link(path)
    if not any(real == r or real.is_relative_to(r) for r in roots):
        if linked:
            return "it is a symbolic link to a file outside the folder being checked"
        return "it is outside the folder being checked"
    try:
        st = os.stat(real)
    except OSError:
        return None  # missing or unreadable: the reader says so, with its own message
    import stat

    if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        return "it has other hard links, which may be files outside the folder being checked"
    return None


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop: point nowhere trusted
        return Path(os.path.abspath(path))


def _through_link(path: Path) -> bool:
    p = Path(os.path.abspath(path))
    for part in (p, *p.parents):
        try:
            if part.is_symlink():
                return True
        except OSError:
            return False
    return False


def glob_base(pattern: str) -> Path:
    """The folder a glob searches: its parts before the first one with a wildcard. What a
    pattern can match lies under it, so that is the folder to check the trust of."""
    parts: list[str] = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")
