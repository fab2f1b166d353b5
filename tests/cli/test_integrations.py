"""The GitHub Action and the pre-commit hooks, checked as far as this machine allows: their
files are well formed, and the Action's own shell step runs verify as documented."""

from __future__ import annotations

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
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    proc = subprocess.run(
        ["bash", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr  # the step records the code; the Gate step fails
    assert "exit-code=1" in output.read_text("utf-8")  # the demo has unsupported claims
    assert "::error file=" in proc.stdout  # annotations for the diff
    assert (tmp_path / "verify-report.json").is_file()
    assert "<details>" in (tmp_path / "verify-report.md").read_text("utf-8")
    assert "verify report" in summary.read_text("utf-8")


def test_pre_commit_hooks_run_the_installed_command() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {h["id"] for h in hooks} >= {"verify", "verify-links"}
    for hook in hooks:
        assert hook["entry"] == "verify" and hook["language"] == "python"
        assert hook["types"] == ["markdown"]
    scripts = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'verify = "verify.cli.main:main"' in scripts
