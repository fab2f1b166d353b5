"""The settings' schema on its own: the kinds of value, the limits Options shares with the
command line, and that it stands below the models."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from types import SimpleNamespace

import pytest

from verify.errors import ConfigError
from verify.models import Options, RefStatus
from verify.settings_schema import LIMITS, Setting, check_options, coerce
from verify.status import RefStatus as StatusRefStatus


def test_the_limits_are_the_defaults_options_has() -> None:
    defaults = {f.name: f.default for f in fields(Options)}
    renamed = {"max_size": "max_bytes"}
    for key, setting in LIMITS.items():
        assert defaults[renamed.get(key, key)] == setting.default, key


def test_a_choices_setting_parses_with_its_own_parser() -> None:
    def upper(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value)
        if "bad" in items:
            raise ValueError
        return tuple(i.upper() for i in items)

    setting = Setting("pick", "choices", [], "help", choices=("a", "b"), parse=upper)
    assert coerce(setting, "a,b", "t") == ["A", "B"]
    assert coerce(setting, ("b",), "t") == ["B"]
    with pytest.raises(ConfigError, match=r"^t: pick must be a list drawn from a, b, got 'bad'$"):
        coerce(setting, "bad", "t")


def test_options_are_checked_with_the_options_field_name() -> None:
    # any object with Options' fields: the rules run without building an Options
    values = {f.name: getattr(Options(), f.name) for f in fields(Options)}
    check_options(SimpleNamespace(**values))
    # max_bytes is --max-size on the command line; the message names the field Options has
    with pytest.raises(ConfigError, match=r"^Options: max_bytes must be a size such as 20MB"):
        check_options(SimpleNamespace(**{**values, "max_bytes": 0}))
    with pytest.raises(ConfigError, match=r"^--record and --replay cannot be used together"):
        check_options(SimpleNamespace(**{**values, "record": "a", "replay": "b"}))
    with pytest.raises(ConfigError, match=r"^Options: unknown endpoint 'nope'"):
        check_options(SimpleNamespace(**{**values, "endpoints": {"nope": "http://a/"}}))


def test_the_schema_and_the_status_load_without_the_models() -> None:
    code = "import sys, verify.settings_schema, verify.status;print('verify.models' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_models_give_the_same_status() -> None:
    assert RefStatus is StatusRefStatus
