"""Settings from the command line, configuration files and defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.cli.main import _settings as settings_from_args
from verify.cli.main import build_parser, options_from
from verify.cli.settings import BY_KEY, SETTINGS, find_config, load_config
from verify.errors import ConfigError
from verify.settings_schema import coerce


def settings(argv: list[str], monkeypatch: pytest.MonkeyPatch, cwd: Path) -> dict:
    monkeypatch.chdir(cwd)
    return settings_from_args(build_parser().parse_args(argv))


def test_every_setting_has_a_command_line_option() -> None:
    parser = build_parser()
    dests = {a.dest for a in parser._actions}
    for s in SETTINGS:
        if s.key != "paths":  # positional on the command line
            assert s.key in dests, s.key


def test_defaults_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    values = settings(["a.md"], monkeypatch, tmp_path)
    assert values["per_host"] == 4 and values["concurrency"] == 128
    assert values["fail_on"] == ["unsupported", "dead"]
    assert values["paths"] == ["a.md"]
    opts = options_from(values)
    assert opts.max_bytes == 20 * 1024 * 1024 and opts.max_age == 86400


def test_precedence_cli_over_file_over_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "verify.toml").write_text(
        'per_host = 8\ntimeout = "45s"\nexclude_host = ["example.com"]\nfail_on = ["dead"]\n'
        '[glossary]\n"奥特曼" = "Altman"\n',
        encoding="utf-8",
    )
    values = settings(["--per-host", "2", "a.md"], monkeypatch, tmp_path)
    assert values["per_host"] == 2  # CLI wins
    assert values["timeout"] == 45.0  # file
    assert values["exclude_host"] == ["example.com"]
    assert values["fail_on"] == ["dead"]
    assert values["glossary"] == {"奥特曼": "Altman"}
    assert values["retries"] == 3  # default


def test_pyproject_tool_section_found_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.verify]\nmax-age = "6h"\nformat = "json"\n',
        encoding="utf-8",
    )
    sub = tmp_path / "posts" / "2024"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    values = settings(["a.md"], monkeypatch, sub)
    assert values["max_age"] == 6 * 3600 and values["format"] == "json"


def test_pyproject_without_tool_verify_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("per_hots = 3\n", "unknown key 'per_hots'"),
        ("per_host = 0\n", "per_host must be a whole number"),
        ('per_host = "four"\n', "per_host must be a whole number"),
        ('format = "yaml"\n', "format must be one of"),
        ('fail_on = ["sometimes"]\n', "fail_on must be a list drawn from"),
        ("min_support = 1.5\n", "min_support must be a ratio"),
        ('max_size = "lots"\n', "max_size must be a size"),
        ("cache = 1\n", "cache must be true or false"),
        ("per_host = [\n", "invalid TOML"),
        ('[endpoint]\nfoo = "http://x"\n', "unknown endpoint 'foo'"),
    ],
)
def test_bad_configuration_is_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "verify.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("key", "raw", "value"),
    [
        ("max_size", "20MB", 20 * 1024**2),
        ("max_size", "512k", 512 * 1024),
        ("max_size", 1000, 1000),
        ("max_age", "1d", 86400.0),
        ("max_age", "90m", 5400.0),
        ("timeout", "250ms", 0.25),
        ("min_support", "80%", 0.8),
        ("min_support", 0.5, 0.5),
        ("fail_on", "unsupported,partial", ["unsupported", "partial"]),
        ("fail_on", "none", []),
        ("source", ["1=a.html", "2=b.pdf"], {"1": "a.html", "2": "b.pdf"}),
    ],
)
def test_coercion(key: str, raw: object, value: object) -> None:
    assert coerce(BY_KEY[key], raw, "test") == value


def test_thresholds_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("verify.matching.match")
    values = settings(["--supported-threshold", "0.9", "a.md"], monkeypatch, tmp_path)
    opts = options_from(values)
    assert opts.thresholds is not None and opts.thresholds.supported == 0.9
    bad = settings(
        ["--supported-threshold", "0.2", "--partial-threshold", "0.5", "a.md"],
        monkeypatch,
        tmp_path,
    )
    with pytest.raises(ConfigError):
        options_from(bad)


def test_bad_regex_and_missing_local_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="invalid URL pattern"):
        options_from(settings(["--exclude", "(", "a.md"], monkeypatch, tmp_path))
    with pytest.raises(ConfigError, match="no such file"):
        options_from(settings(["--source", "1=missing.pdf", "a.md"], monkeypatch, tmp_path))


def test_the_readme_example_configuration_is_valid(tmp_path: Path) -> None:
    """The example in the README is what users copy: it must load as written."""
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(# verify.toml\n.*?)```", readme, re.S)
    assert blocks, "the README lost its verify.toml example"
    path = tmp_path / "verify.toml"
    path.write_text(blocks[0], encoding="utf-8")
    values = load_config(path)
    assert values["min_support"] == 0.8 and values["glossary"]["奥特曼"] == "Altman"


def test_zero_retries_and_redirects_are_allowed_but_not_zero_concurrency() -> None:
    assert coerce(BY_KEY["retries"], 0, "t") == 0
    assert coerce(BY_KEY["max_redirects"], "0", "t") == 0
    with pytest.raises(ConfigError, match="at least 1"):
        coerce(BY_KEY["per_host"], 0, "t")
    with pytest.raises(ConfigError, match="at least 0"):
        coerce(BY_KEY["retries"], -1, "t")


# A value for every kind of option: (on the command line, in TOML, as the setting holds it).
_SAMPLES: dict[str, tuple[str, str, object]] = {
    "int": ("5", "5", 5),
    "float": ("0.6", "0.6", 0.6),
    "size": ("1MB", '"1MB"', 1024**2),
    "duration": ("5s", '"5s"', 5.0),
    "ratio": ("0.5", "0.5", 0.5),
    "str": ("value", '"value"', "value"),
    "list": ("x", '["x"]', ["x"]),
    "choices": ("dead", '["dead"]', ["dead"]),
}
_MAP_SAMPLES = {
    "also": "json",
    "source": "1",
    "glossary": "term",
    "endpoint": "wayback",
}


def _long_options() -> list[tuple[str, object]]:
    """Every long option of the command line that is also a setting."""
    out = []
    for action in build_parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and action.dest in BY_KEY:
                out.append((flag, BY_KEY[action.dest]))
    return out


def test_every_long_option_is_a_configuration_key_with_the_same_meaning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README promises that keys are the long option names, with `_` or `-`: walk them
    all, each spelling, and compare what the file sets with what the option sets."""
    options = _long_options()
    assert len(options) == len(SETTINGS) - 1  # every setting but the positional paths
    for flag, setting in options:
        name = flag[2:]
        assert isinstance(setting, type(SETTINGS[0]))
        if setting.kind in ("bool", "negbool"):
            argv, toml, expected = [flag], "true", setting.kind == "bool"
        elif setting.kind == "map":
            key = _MAP_SAMPLES[setting.key]
            url = "http://127.0.0.1:9/"
            val = url if setting.key == "endpoint" else "out.txt"
            argv, toml, expected = [flag, f"{key}={val}"], None, {key: val}
        elif setting.kind == "choice":
            argv, toml, expected = [flag, "json"], '"json"', "json"
        else:
            cli, toml, expected = _SAMPLES[setting.kind]
            argv = [flag, cli]
        from_cli = settings([*argv, "a.md"], monkeypatch, tmp_path)
        assert from_cli[setting.key] == expected, flag
        for spelling in {name, name.replace("-", "_")}:
            path = tmp_path / "verify.toml"
            if toml is None:
                ((k, v),) = expected.items()  # type: ignore[union-attr]
                path.write_text(f'[{spelling}]\n"{k}" = "{v}"\n', encoding="utf-8")
            else:
                path.write_text(f"{spelling} = {toml}\n", encoding="utf-8")
            # named with --config: a file only found in the checkout may not set them all
            from_file = settings(["--config", str(path), "a.md"], monkeypatch, tmp_path)
            path.unlink()
            assert from_file[setting.key] == expected, spelling


def test_a_negated_option_may_be_written_either_way_but_not_both(tmp_path: Path) -> None:
    path = tmp_path / "verify.toml"
    path.write_text("no_archive = true\nno-cache = false\ncolor = false\n", encoding="utf-8")
    values = load_config(path)
    assert values == {"archive": False, "cache": True, "color": False}
    path.write_text("no_archive = true\narchive = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="set the same option"):
        load_config(path)
    path.write_text("no_per_host = 3\n", encoding="utf-8")  # only --no-X options have it
    with pytest.raises(ConfigError, match="unknown key 'no_per_host'"):
        load_config(path)


def test_the_readme_lists_every_option() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    table = readme.split("## Options", 1)[1].split("\n## ", 1)[0]
    for flag, _ in _long_options():
        assert f"`{flag}" in table or f", {flag}" in table, flag


def test_the_command_and_the_library_share_the_network_defaults() -> None:
    from verify.models import Options

    assert BY_KEY["concurrency"].default == Options().concurrency
    assert BY_KEY["per_host"].default == Options().per_host


def test_the_default_global_limit_leaves_the_per_host_limit_to_bind() -> None:
    from verify.models import Options

    # an article citing 32 hosts can have every host at its per-host limit at once
    assert Options().concurrency >= 32 * Options().per_host
