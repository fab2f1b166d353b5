"""A verify.toml found in the checkout is the pull request's to write: it may not widen what
verify contacts, reads or writes, and what it changes about the gate is shown in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify.cli.main import main

ARTICLE = (
    "# Harbour\n\nThe harbour opened in 1901 [1].\n\n## Sources\n\n1. http://127.0.0.1:9/harbour\n"
)
# the saved copy says nothing about the claim: unsupported unless the gate is lowered
SAVED = "<html><body><p>Cats sleep for most of the afternoon in warm rooms.</p></body></html>"


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(ARTICLE, "utf-8")
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "page.html").write_text(SAVED, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("toml", "option"),
    [
        ("allow_private = true\n", "--allow-private"),
        ('output = "../elsewhere.txt"\n', "--output"),
        ('record = "/tmp/verify-planted.warc.gz"\n', "--record"),
        ('replay = "saved/page.html"\n', "--replay"),
        ('cache_dir = ".verify-cache"\n', "--cache-dir"),
        ('[endpoint]\nx_syndication = "http://127.0.0.1:9/syn"\n', "--endpoint"),
        ('[also]\njson = "/tmp/verify-planted.json"\n', "--also"),
        ('[source]\n1 = "/etc/passwd"\n', "--source"),
        ('[source]\n1 = "../outside.html"\n', "--source"),
        ('paths = ["/etc"]\n', "PATH"),
        ('shard = "2/2"\n', "--shard"),
        ('changed_since = "HEAD"\n', "--changed-since"),
    ],
)
def test_widening_keys_of_a_found_file_are_refused(
    checkout: Path, capsys: pytest.CaptureFixture[str], toml: str, option: str
) -> None:
    (checkout / "verify.toml").write_text(toml, "utf-8")
    code = main(["posts/a.md", "--no-cache", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "verify.toml" in err and "found in the checkout" in err and option in err
    assert len(err.strip().splitlines()) == 1


def test_pyproject_tool_section_is_held_to_the_same_rules(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "pyproject.toml").write_text("[tool.verify]\nallow-private = true\n", "utf-8")
    assert main(["posts/a.md", "--no-cache"]) == 2
    assert "--allow-private" in capsys.readouterr().err


def test_a_file_named_with_config_is_the_workflows_and_trusted(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "ci.toml").write_text('allow_private = true\n[source]\n1 = "saved/page.html"\n')
    code = main(["posts/a.md", "--no-cache", "--config", "ci.toml", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # the claim is unsupported: the default gate holds
    assert report["articles"][0]["references"][0]["status"] == "ok"
    assert report["notices"] == []


def test_a_local_source_inside_the_tree_is_taken(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "verify.toml").write_text('[source]\n1 = "saved/page.html"\n', "utf-8")
    main(["posts/a.md", "--no-cache", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["articles"][0]["references"][0]["status"] == "ok"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("supported_threshold = 0\npartial_threshold = 0\n", "supported_threshold = 0"),
        ('fail_on = "none"\n', "fail_on = none"),
        ('fail_on = ["dead"]\n', "fail_on = dead"),
        ("min_support = 0\n", "min_support = 0"),
        ('exclude = ["."]\n', "exclude = ."),
        ('exclude_host = ["127.0.0.1"]\n', "exclude_host = 127.0.0.1"),
    ],
)
def test_a_found_file_weakening_the_gate_is_named_in_every_report(
    checkout: Path, capsys: pytest.CaptureFixture[str], toml: str, key: str
) -> None:
    (checkout / "verify.toml").write_text(toml + '[source]\n1 = "saved/page.html"\n', "utf-8")
    main(["posts/a.md", "--no-cache", "--format", "json", "--also", "markdown=out.md"])
    out, err = capsys.readouterr()
    notices = json.loads(out)["notices"]
    assert any(key in n and "verify.toml" in n for n in notices), notices
    comment = (checkout / "out.md").read_text("utf-8")
    assert key.replace("_", "\\_") in comment
    assert "✅" not in comment  # a pass the pull request arranged itself is no clean pass
    assert key in err
    main(["posts/a.md", "--no-cache"])
    assert key in " ".join(capsys.readouterr().out.split())


def test_the_command_line_overrides_and_then_nothing_is_named(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "verify.toml").write_text('fail_on = "none"\n[source]\n1 = "saved/page.html"\n')
    code = main(["posts/a.md", "--no-cache", "--fail-on", "unsupported", "--format", "json"])
    assert code == 1
    assert json.loads(capsys.readouterr().out)["notices"] == []


def test_a_git_ref_cannot_be_an_option(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["posts/a.md", "--no-cache", "--changed-since=--output=planted.txt"]
    assert main(args) == 2
    assert not (checkout / "planted.txt").exists()
    assert "not a git ref" in capsys.readouterr().err
