"""A pull request chooses the checkout's files: none of them may lead verify to read a file
outside the tree being checked (a symbolic link to .git/config or /etc/passwd), and a file
left out for that reason is named, so nobody takes it for checked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from verify.cli.main import main
from verify.trust import glob_base

SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"
ARTICLE = (
    "# Notes\n\nThe harbour opened in 1901 [1].\n\n## Sources\n\n1. http://127.0.0.1:9/harbour\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout (with a .git folder holding a token) and, beside it, a private file."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(f'[http]\n\textraheader = "{SECRET}"\n', "utf-8")
    (root / "posts").mkdir()
    (root / "posts" / "good.md").write_text(ARTICLE, "utf-8")
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / "private.md").write_text(f"# Mine\n\nThe key is {SECRET}.\n", "utf-8")
    (outside / "notes").mkdir()
    (outside / "notes" / "diary.md").write_text(f"# Diary\n\n{SECRET} is here.\n", "utf-8")
    monkeypatch.chdir(root)
    return root


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([*args, "--no-cache", "--no-config", "--links-only", "--no-archive"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("leak.md", "../.git/config"),  # relative, into .git
        ("abs.md", "{repo}/.git/config"),  # absolute, into .git
        ("away.md", "../../home/private.md"),  # out of the tree
        ("hard.md", "{tmp}/home/private.md"),  # an absolute path out of the tree
        ("chain.md", "good-link.md"),  # a link to a link that leaves
    ],
)
def test_a_linked_post_leaving_the_tree_is_left_out_and_named(
    repo: Path, capsys: pytest.CaptureFixture[str], name: str, target: str
) -> None:
    posts = repo / "posts"
    (posts / "good-link.md").symlink_to(repo.parent / "home" / "private.md")
    (posts / name).symlink_to(target.format(repo=repo, tmp=repo.parent))
    _, out, err = run([".", "--format", "json"], capsys)
    assert SECRET not in out and SECRET not in err
    report = json.loads(out)
    paths = [a["path"] for a in report["articles"]]
    assert paths == ["posts/good.md"]
    assert f"posts/{name}: not checked" in err
    assert any(name in n for n in report["notices"])


def test_a_linked_folder_leaving_the_tree_is_not_entered(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "posts" / "notes").symlink_to(repo.parent / "home" / "notes")
    (repo / "posts" / "loop").symlink_to("..")  # inside the tree: entered once, no loop
    _, out, err = run(["posts", "--format", "json"], capsys)
    assert SECRET not in out
    assert "posts/notes: not checked" in err
    # the loop leads back to folders already walked: each is walked once
    assert [a["path"] for a in json.loads(out)["articles"]] == ["posts/good.md"]


def test_a_glob_match_leaving_the_tree_is_left_out(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "posts" / "leak.md").symlink_to("../.git/config")
    _, out, err = run(["posts/*.md", "--format", "json"], capsys)
    assert SECRET not in out
    assert "posts/leak.md: not checked" in err


def test_a_hard_link_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.link(repo.parent / "home" / "private.md", repo / "posts" / "copy.md")
    _, out, err = run([".", "--format", "json"], capsys)
    assert SECRET not in out
    assert "posts/copy.md: not checked" in err and "hard link" in err


def test_a_named_link_leaving_the_tree_is_an_input_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "posts" / "leak.md").symlink_to("../.git/config")
    code, out, err = run(["posts/leak.md"], capsys)
    assert code == 2
    assert SECRET not in out + err
    assert "posts/leak.md: not read" in err and ".git" in err
    code, out, err = run([".git/config"], capsys)
    assert code == 2 and SECRET not in out + err


def test_a_link_inside_the_tree_is_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "posts" / "alias.md").symlink_to("good.md")
    _, out, err = run([".", "--format", "json"], capsys)
    assert sorted(a["path"] for a in json.loads(out)["articles"]) == [
        "posts/alias.md",
        "posts/good.md",
    ]
    assert "not checked" not in err


@pytest.mark.parametrize("target", ["../.git/config", "{tmp}/home/private.md"])
def test_a_local_source_leaving_the_tree_is_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    (repo / "saved").mkdir()
    (repo / "saved" / "copy.html").symlink_to(target.format(tmp=repo.parent))
    code = main(
        ["posts/good.md", "--no-cache", "--no-config", "--format", "json"]
        + ["--source", "1=saved/copy.html"]
    )
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    source = json.loads(out)["articles"][0]["references"][0]
    assert source["status"] == "error" and "not read" in source["error"]
    assert code == 1  # an unreadable reference fails the default gate: nothing passes silently


def test_a_named_folder_that_is_a_link_out_of_the_checkout_is_not_walked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the workflow names "docs"; the pull request made docs a link to a folder elsewhere
    (repo / "docs").symlink_to(repo.parent / "home")
    _, out, err = run(["docs", "posts", "--format", "json"], capsys)
    assert SECRET not in out
    assert "not checked" in err and "private.md" in err
    code, out, err = run(["docs/private.md"], capsys)
    assert code == 2 and SECRET not in out + err


def test_a_report_is_never_written_through_a_link(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = repo.parent / "home" / "private.md"
    (repo / "report.json").symlink_to(target)
    code, _, err = run(["posts/good.md", "--format", "json", "--output", "report.json"], capsys)
    assert code == 2 and "symbolic link" in err
    assert SECRET in target.read_text("utf-8")  # untouched


@pytest.mark.parametrize(
    ("pattern", "base"),
    [
        ("posts/*.md", "posts"),
        ("posts/2024/**/draft?.md", "posts/2024"),
        ("*.md", "."),
        ("notes/plain.md", "notes/plain.md"),
        ("../elsewhere/[ab].md", "../elsewhere"),
    ],
)
def test_a_globs_base_is_its_folder_before_the_first_wildcard(pattern: str, base: str) -> None:
    assert glob_base(pattern) == Path(base)
