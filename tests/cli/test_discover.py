"""Which files a run checks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from verify.cli.discover import expand_paths, parse_shard, select_files, shard
from verify.errors import ConfigError, InputError


def make_tree(root: Path) -> None:
    for name in [
        "a.md",
        "b.markdown",
        "notes.txt",
        "sub/c.md",
        "sub/deep/d.md",
        "node_modules/x.md",
        ".git/y.md",
    ]:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("# t\n\nText.\n", encoding="utf-8")


def test_folders_globs_and_files(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = expand_paths([str(tmp_path)])
    names = sorted(p.relative_to(tmp_path).as_posix() for p in found)
    assert names == ["a.md", "b.markdown", "sub/c.md", "sub/deep/d.md"]
    globbed = expand_paths([str(tmp_path / "sub" / "**" / "*.md")])
    assert sorted(p.name for p in globbed) == ["c.md", "d.md"]
    # a named file is taken whatever its suffix; the same file twice is checked once
    named = expand_paths([str(tmp_path / "notes.txt"), str(tmp_path / "notes.txt")])
    assert named == [tmp_path / "notes.txt"]


def test_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no file matches"):
        expand_paths([str(tmp_path / "*.md")])


def test_shards_partition_the_files(tmp_path: Path) -> None:
    files = [tmp_path / f"{i:02}.md" for i in range(10)]
    shards = [shard(files, i, 3) for i in (1, 2, 3)]
    assert sorted(p for s in shards for p in s) == sorted(files)
    assert all(len(s) in (3, 4) for s in shards)
    assert shard(list(reversed(files)), 2, 3) == shards[1]  # order-independent


@pytest.mark.parametrize("bad", ["3", "0/2", "3/2", "a/b", "1/0"])
def test_bad_shard(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_shard(bad)


def test_changed_since(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    make_tree(tmp_path)
    git("add", "a.md", "sub/c.md")
    git("commit", "-qm", "one")
    (tmp_path / "a.md").write_text("# changed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    files = select_files(["a.md", "sub/c.md"], since="HEAD")
    assert [p.name for p in files] == ["a.md"]
    with pytest.raises(ConfigError, match="--changed-since"):
        select_files(["a.md"], since="no-such-ref")


def _repo(root: Path) -> None:
    for args in (["init", "-q"], ["config", "user.email", "t@example.com"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    subprocess.run(["git", "config", "user.name", "t"], cwd=root, check=True)
    (root / "old.md").write_text("# Old\n\nText.\n", encoding="utf-8")
    subprocess.run(["git", "add", "old.md"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "one"], cwd=root, check=True)


def test_changed_since_counts_a_new_file_git_does_not_track_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path)
    (tmp_path / "new.md").write_text("# New\n\nA post just written.\n", encoding="utf-8")
    (tmp_path / "scratch.md").write_text("# Ignored\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("scratch.md\n", encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "deep.md").write_text("# Deep\n\nNew too.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "posts")  # from a subfolder, paths still resolve
    files = select_files([str(tmp_path)], since="HEAD")
    assert sorted(p.name for p in files) == ["deep.md", "new.md"]


def test_changed_since_outside_a_repository_says_so_in_its_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as err:
        select_files(["a.md"], since="main")
    assert "not inside a git repository" in str(err.value)
    assert "fatal" not in str(err.value)


def test_changed_since_an_unknown_ref_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="--changed-since no-such-ref: no such commit"):
        select_files(["old.md"], since="no-such-ref")


def test_a_named_folder_without_markdown_is_an_input_error_as_an_empty_file_is(
    tmp_path: Path,
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"\x89PNG")
    for folder in ("empty", "images"):
        with pytest.raises(InputError, match="no markdown file in this folder"):
            expand_paths([str(tmp_path / folder)])
