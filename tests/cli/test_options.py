"""Options that mean what they say: each as a user types it, end to end."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from verify.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"


def _article(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "post.md"
    path.write_text(
        "# Crossing\n\nThe ferry left the harbour at seven on Tuesday with forty "
        f"passengers, according to the [harbour log]({base}/log).\n",
        encoding="utf-8",
    )
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_also_without_a_file_says_what_the_option_wants(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["a.md", "--also", "json"], capsys)
    assert code == 2
    assert "--also json: expected FORMAT=FILE" in err
    assert "table" not in err and err.count("\n") == 1


def test_record_together_with_replay_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warc = DEMO / "sources.warc.gz"
    args = [str(DEMO / "article.md"), "--replay", str(warc), "--record", str(tmp_path / "r.gz")]
    code, _, err = run(args, capsys)
    assert code == 2 and "--record and --replay cannot be used together" in err
    assert not (tmp_path / "r.gz").exists()


def test_a_recording_of_local_pages_replays_without_allow_private(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _article(tmp_path, site)
    warc = tmp_path / "run.warc.gz"
    base = [str(article), "--no-cache", "-f", "json", "--fail-on", "none"]
    code, out, _ = run([*base, "--allow-private", "--record", str(warc)], capsys)
    recorded = json.loads(out)["articles"][0]["references"][0]
    assert code == 0 and recorded["status"] == "ok"
    code, out, _ = run([*base, "--replay", str(warc)], capsys)
    replayed = json.loads(out)["articles"][0]["references"][0]
    assert replayed["status"] == "ok", replayed["error"]
    assert replayed["title"] == recorded["title"] == "Harbour log"


def test_columns_sets_the_width_of_piped_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [str(DEMO / "article.md"), "--replay", str(DEMO / "sources.warc.gz"), "--no-cache"]
    monkeypatch.setenv("COLUMNS", "200")
    _, wide, _ = run(args, capsys)
    summary = next(line for line in wide.splitlines() if line.startswith("22 claims"))
    assert summary.endswith("2 archived")  # one line: nothing wrapped at 100
    assert max(len(line) for line in wide.splitlines()) > 100
    monkeypatch.setenv("COLUMNS", "80")
    _, narrow, _ = run(args, capsys)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    monkeypatch.delenv("COLUMNS")
    _, default, _ = run(args, capsys)  # not a terminal, no COLUMNS: 100
    assert max(len(line) for line in default.splitlines()) <= 100


def _in_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the command with stdout and stderr on a pseudo-terminal; what it drew there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "verify", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("how", ["--no-color", "NO_COLOR"])
def test_no_color_leaves_no_colour_code_in_the_terminal_nor_its_progress_bar(
    site: str, tmp_path: Path, how: str
) -> None:
    article = _article(tmp_path, site)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env.update(TERM="xterm-256color", COLUMNS="100")
    args = [str(article), "--allow-private", "--no-cache"]
    coloured = _in_a_terminal(args, env)
    assert "fetching" in coloured and COLOUR.search(coloured)  # the bar was drawn, in colour
    if how == "NO_COLOR":
        env["NO_COLOR"] = "1"
    else:
        args.append("--no-color")
    plain = _in_a_terminal(args, env)
    assert "fetching" in plain and "Harbour log" in plain
    assert not COLOUR.search(plain), COLOUR.findall(plain)[:5]


def test_a_run_that_read_no_source_is_not_green(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "post.md"
    article.write_text(
        f"# Note\n\nThe ferry carried forty passengers, the [log]({site}/wall) says.\n",
        encoding="utf-8",
    )
    args = [str(article), "--allow-private", "--no-cache", "--no-archive"]
    code, _, err = run(args, capsys)
    assert code == 1 and "nothing was checked" in err
    assert run([*args, "--fail-on", "none"], capsys)[0] == 0
