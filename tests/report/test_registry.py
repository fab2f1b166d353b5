"""The format registry: one name a format, looked up rather than chosen by an if-chain."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from verify.cli.settings import SETTINGS
from verify.errors import ConfigError
from verify.report import registry

ROOT = Path(__file__).parents[2]


def test_the_command_line_offers_exactly_the_registered_formats() -> None:
    choices = {s.key: s.choices for s in SETTINGS}
    assert choices["format"] == registry.FORMATS


@pytest.mark.parametrize("fmt", registry.FORMATS)
def test_each_format_is_a_module_of_its_own(fmt: str) -> None:
    function, _ = registry.renderer(fmt)
    module = sys.modules[function.__module__]
    assert module.__file__ is not None
    assert Path(module.__file__).parent == ROOT / "verify" / "report"
    others = {registry.renderer(f)[0].__module__ for f in registry.FORMATS if f != fmt}
    assert function.__module__ not in others


@pytest.mark.parametrize("fmt", registry.FORMATS)
def test_each_renderer_takes_the_report_and_the_keywords_it_reads(fmt: str) -> None:
    function, reads = registry.renderer(fmt)
    params = inspect.signature(function).parameters
    assert next(iter(params)) == "report"
    assert set(reads) <= set(params)
    # whatever it is not given must have a default
    assert all(p.default is not p.empty for n, p in list(params.items())[1:] if n not in reads)
    assert set(reads) <= set(inspect.signature(registry.render).parameters)


def test_an_unknown_format_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="unknown format 'yaml'"):
        registry.renderer("yaml")


def _loaded_after(formats: list[str]) -> dict[str, list[str]]:
    """Which of rich and aiohttp a replayed run that renders `formats` loads, in a fresh process."""
    code = (
        "import json, sys\n"
        "from verify import verify_article\n"
        "from verify.models import Options\n"
        "from verify.report import render\n"
        "report = verify_article('fixtures/demo/article.md',\n"
        "    Options(replay='fixtures/demo/sources.warc.gz', cache=False))\n"
        f"texts = [render(report, fmt, color=False) for fmt in {formats!r}]\n"
        "assert all(texts)\n"
        "print(json.dumps({name: sorted(m for m in sys.modules if m.split('.')[0] == name)\n"
        "                  for name in ('rich', 'aiohttp')}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def test_only_the_terminal_format_loads_rich() -> None:
    plain = [fmt for fmt in registry.FORMATS if fmt != "terminal"]
    assert _loaded_after(plain) == {"rich": [], "aiohttp": []}
    assert "rich.console" in _loaded_after(["terminal"])["rich"]
