"""The GitHub Action and the pre-commit hooks, checked as far as this machine allows: their
files are well formed, and the Action's own shell step runs verify as documented."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))


def test_action_is_a_composite_action_whose_inputs_all_exist() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    declared = set(spec["inputs"])
    used = set(re.findall(r"inputs\.([a-z-]+)", (ROOT / "action.yml").read_text("utf-8")))
    assert used <= declared, used - declared
    uses = [s.get("uses", "") for s in spec["runs"]["steps"]]
    assert any(u.startswith("actions/cache@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    for step in spec["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_actions_run_step_checks_the_demo(tmp_path: Path) -> None:
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "run")
    output, summary = tmp_path / "output", tmp_path / "summary"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PATHS": str(ROOT / "fixtures" / "demo" / "article.md"),
        "SINCE": "",
        "FAIL_ON": "unsupported,dead",
        "ARGS": f"--replay {ROOT / 'fixtures' / 'demo' / 'sources.warc.gz'} --no-cache",
        "CACHE_DIR": str(tmp_path / "cache"),
        "REPORT_DIR": str(tmp_path / "reports"),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    (tmp_path / "reports").mkdir()
    proc = subprocess.run(
        ["bash", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr  # the step records the code; the Gate step fails
    assert "exit-code=1" in output.read_text("utf-8")  # the demo has unsupported claims
    assert "::error file=" in proc.stdout  # annotations for the diff
    assert (tmp_path / "reports" / "verify-report.json").is_file()
    assert "<details>" in (tmp_path / "reports" / "verify-report.md").read_text("utf-8")
    page = (tmp_path / "reports" / "verify-report.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "verify report" in summary.read_text("utf-8")


def test_pre_commit_hooks_run_the_installed_command() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {h["id"] for h in hooks} >= {"verify", "verify-links"}
    for hook in hooks:
        assert hook["entry"] == "verify" and hook["language"] == "python"
        assert hook["types"] == ["markdown"]
    scripts = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'verify = "verify.cli.main:main"' in scripts


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_action_keeps_its_cache_and_reports_outside_the_checkout(tmp_path: Path) -> None:
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "paths")
    temp, output = tmp_path / "runner-temp", tmp_path / "output"
    temp.mkdir()
    env = {**os.environ, "RUNNER_TEMP": str(temp), "CACHE_DIR": "", "GITHUB_OUTPUT": str(output)}
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    subprocess.run(["bash", "-c", step["run"]], cwd=checkout, env=env, check=True)
    paths = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    for key in ("cache", "dir", "report"):
        assert Path(paths[key]).is_relative_to(temp), key
    steps = action()["runs"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "${{ steps.paths.outputs.cache }}"
    run = next(s for s in steps if s.get("id") == "run")
    assert run["env"]["CACHE_DIR"] == "${{ steps.paths.outputs.cache }}"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_action_edits_only_its_own_comment(tmp_path: Path) -> None:
    """The comment step's script, run by node against a stand-in for the GitHub API: a
    comment someone else posted with the marker first is left alone."""
    step = next(s for s in action()["runs"]["steps"] if "github-script" in s.get("uses", ""))
    report = tmp_path / "verify-report.md"
    report.write_text("## verify report\n", "utf-8")
    harness = """
const calls = [];
const comments = JSON.parse(process.argv[2]);
const github = {
  paginate: async (fn, args) => comments,
  rest: {
    users: { getAuthenticated: async () => { throw new Error('integration token'); } },
    issues: {
      listComments: () => {},
      updateComment: async (a) => calls.push(['update', a.comment_id]),
      createComment: async (a) => calls.push(['create', a.issue_number]),
    },
  },
};
const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 5 } };
(async () => {
  await (async function () { SCRIPT })();
  console.log(JSON.stringify(calls));
})();
""".replace("SCRIPT", step["with"]["script"])
    script = tmp_path / "harness.js"
    script.write_text(harness, "utf-8")
    marker = "<!-- verify-report -->"
    stranger = {"id": 1, "user": {"login": "mallory"}, "body": marker + "\n## ✅ all good"}
    ours = {"id": 2, "user": {"login": "github-actions[bot]"}, "body": marker + "\nold"}
    env = {**os.environ, "REPORT_MD": str(report)}
    for comments, expected in (([stranger, ours], [["update", 2]]), ([stranger], [["create", 5]])):
        proc = subprocess.run(
            ["node", str(script), json.dumps(comments)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(proc.stdout) == expected


def test_the_action_uploads_the_html_report_and_links_it_from_the_comment() -> None:
    steps = action()["runs"]["steps"]
    upload = next(s for s in steps if s.get("id") == "upload")
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert (
        "${{ steps.paths.outputs.dir }}/verify-report.html" in upload["with"]["path"].splitlines()
    )
    comment = next(s for s in steps if "github-script" in s.get("uses", ""))
    assert comment["env"]["REPORT_URL"] == "${{ steps.upload.outputs.artifact-url }}"
    assert comment["env"]["REPORT_HTML"] == "${{ steps.paths.outputs.dir }}/verify-report.html"
    script = comment["with"]["script"]
    assert "process.env.REPORT_URL" in script and "verify-report.html" in script
    # the link is added only when the upload gave a URL and the file exists
    assert "fs.existsSync(process.env.REPORT_HTML)" in script
