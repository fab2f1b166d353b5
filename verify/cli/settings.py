"""Settings: one table drives the command line, the configuration file and the defaults.

Precedence: command line > configuration file > defaults. The file is `verify.toml` (top
level keys) or `pyproject.toml` (`[tool.verify]`), found from the current folder upward, or
named with --config. Every command-line option has a key: `--per-host 8` is `per_host = 8`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from verify.errors import ConfigError
from verify.gates import DEFAULT_FAIL_ON, GATES, parse_fail_on
from verify.report.registry import FORMATS
from verify.settings_schema import LIMITS, Setting, check_endpoints, coerce

SETTINGS: tuple[Setting, ...] = (
    # output
    Setting("format", "choice", "terminal", "output format", choices=FORMATS, short="-f"),
    Setting(
        "output",
        "str",
        None,
        "write the report to FILE instead of standard output",
        metavar="FILE",
        short="-o",
    ),
    Setting(
        "also",
        "map",
        {},
        "also write the report in FORMAT to FILE (repeatable), e.g. json=report.json",
        metavar="FORMAT=FILE",
    ),
    Setting("quiet", "bool", False, "print only the summary; no progress bar", short="-q"),
    Setting(
        "verbose", "bool", False, "show per-reference timing and resolver decisions", short="-v"
    ),
    Setting("color", "negbool", True, "no colour (NO_COLOR in the environment does the same)"),
    # what to check
    # positional on the command line; a key in the file
    Setting("paths", "list", [], "files, folders or globs to check when none are given"),
    Setting(
        "changed_since",
        "str",
        None,
        "check only markdown files changed since this git ref",
        metavar="REF",
    ),
    Setting(
        "shard",
        "str",
        None,
        "check only shard I of N of the files (for a CI matrix)",
        metavar="I/N",
    ),
    Setting(
        "include", "list", [], "only check URLs matching this regex (repeatable)", metavar="REGEX"
    ),
    Setting(
        "exclude", "list", [], "never check URLs matching this regex (repeatable)", metavar="REGEX"
    ),
    Setting(
        "exclude_host",
        "list",
        [],
        "never check URLs on this host or its subdomains (repeatable)",
        metavar="HOST",
    ),
    Setting(
        "source",
        "map",
        {},
        "read reference ID from a local HTML, PDF or text file (repeatable)",
        metavar="ID=PATH",
    ),
    Setting("links_only", "bool", False, "check reference status only: no extraction or matching"),
    # gates
    Setting(
        "fail_on",
        "choices",
        list(DEFAULT_FAIL_ON),
        f"what fails the run, comma-separated: {', '.join(GATES)}, or none",
        choices=GATES,
        metavar="LIST",
        parse=parse_fail_on,
    ),
    Setting(
        "min_support",
        "ratio",
        None,
        "fail when fewer than this share of checkable claims are supported (0.8 or 80%%)",
        metavar="RATIO",
    ),
    Setting(
        "supported_threshold",
        "float",
        None,
        "score at or above which a claim is supported (default: the calibrated value)",
        metavar="SCORE",
    ),
    Setting(
        "partial_threshold",
        "float",
        None,
        "score at or above which a claim is partial",
        metavar="SCORE",
    ),
    Setting(
        "glossary",
        "map",
        {},
        "a name the dictionary cannot know, e.g. 奥特曼=Altman (repeatable)",
        metavar="TERM=ENGLISH",
    ),
    # network
    LIMITS["concurrency"],
    LIMITS["per_host"],
    Setting(
        "dask",
        "str",
        None,
        "run on a Dask cluster: local, local:N (workers on this machine) or a scheduler's "
        "address such as tcp://scheduler:8786 (needs verify-sources[dask])",
        metavar="ADDRESS",
    ),
    LIMITS["timeout"],
    LIMITS["connect_timeout"],
    LIMITS["retries"],
    LIMITS["max_size"],
    LIMITS["max_redirects"],
    Setting("allow_private", "bool", False, "allow loopback, private and link-local addresses"),
    Setting(
        "user_agent",
        "str",
        None,
        "User-Agent header (default names verify and its version)",
        metavar="UA",
    ),
    Setting("archive", "negbool", True, "do not look up archived copies of walled or dead pages"),
    Setting(
        "endpoint",
        "map",
        {},
        "base URL of a site service: x_syndication, x_oembed, "
        "documentcloud_api, wayback, wayback_api (repeatable)",
        metavar="NAME=URL",
    ),
    # cache and archives
    Setting("cache", "negbool", True, "do not read or write the cache"),
    Setting(
        "cache_dir", "str", None, "cache folder (default: the user cache directory)", metavar="DIR"
    ),
    LIMITS["max_age"],
    Setting(
        "record",
        "str",
        None,
        "write every request and response to a WARC file",
        metavar="FILE.warc.gz",
    ),
    Setting(
        "replay",
        "str",
        None,
        "run entirely from a WARC file, with no network",
        metavar="FILE.warc.gz",
    ),
)

BY_KEY = {s.key: s for s in SETTINGS}


def find_config(start: Path | None = None) -> Path | None:
    """verify.toml, or a pyproject.toml with [tool.verify], from `start` upward."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "verify.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            import tomllib  # here, not at the top: a run with --no-config never reads TOML

            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "verify" in data["tool"]:
                return pyproject
    return None


# Keys a configuration file found in the checkout may not set: each would let a pull request
# widen what verify contacts (private addresses, its own service endpoints), what it reads
# (an archive to replay) or where it writes (and `output` moves the annotations off stdout).
# The command line, or a file named with --config, is the workflow's word and may.
UNTRUSTED_REFUSED = (
    "allow_private",
    "endpoint",
    "replay",
    "record",
    "output",
    "also",
    "cache_dir",
    # which files the workflow checks: a found file could narrow them to none
    "shard",
    "changed_since",
)
# Keys naming files, taken from a found file only when they stay inside its folder tree.
UNTRUSTED_IN_TREE = ("source", "paths")
# Keys that decide what fails a run, or how much of it is checked: taken from a found file,
# but named in the report's summary so a reviewer sees that the pull request may set them.
GATE_KEYS = ("fail_on", "min_support", "supported_threshold", "partial_threshold")
SCOPE_KEYS = ("paths", "include", "exclude", "exclude_host", "links_only", "archive")


def load_config(path: Path, *, discovered: bool = False) -> dict[str, Any]:
    """The settings a file gives, checked and typed. Unknown keys are errors, not ignored.

    `discovered`: the file was found from the current folder upward, so it is the checkout's
    (untrusted); the keys of UNTRUSTED_REFUSED, and files outside its folder, are refused.
    """
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("verify", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.verify] must be a table")
    out: dict[str, Any] = {}
    written: dict[str, str] = {}  # setting key -> the key as the file wrote it
    for raw_key, value in data.items():
        key, setting, negated = config_key(raw_key)
        if setting is None:
            raise ConfigError(f"{path}: unknown key {raw_key!r}")
        if key in written:
            raise ConfigError(f"{path}: {written[key]!r} and {raw_key!r} set the same option")
        written[key] = raw_key
        coerced = coerce(setting, value, str(path))
        out[key] = (not coerced) if negated else coerced
    if "endpoint" in out:
        check_endpoints(out["endpoint"], str(path))
    if discovered:
        _refuse_widening(path, out)
    return out


def config_key(raw_key: str) -> tuple[str, Setting | None, bool]:
    """The setting a configuration key names, and whether it names it negated.

    Keys are the long option names, with `_` or `-`: `per-host`, `per_host`; an option
    spelled `--no-X` is the key `no_X = true` as well as `X = false`.
    """
    key = raw_key.replace("-", "_")
    setting = BY_KEY.get(key)
    if setting is not None:
        return key, setting, False
    if key.startswith("no_"):
        setting = BY_KEY.get(key[3:])
        if setting is not None and setting.kind == "negbool":
            return setting.key, setting, True
    return key, None, False


def _refuse_widening(path: Path, values: Mapping[str, Any]) -> None:
    from verify.trust import glob_base, outside_reason

    def refused(key: str, why: str) -> ConfigError:
        option = BY_KEY[key].option if key != "paths" else "PATH arguments"
        return ConfigError(
            f"{path}: {key} is not taken from a configuration file found in the checkout "
            f"({why}); give {option} on the command line, or name a trusted file with --config"
        )

    for key in UNTRUSTED_REFUSED:
        if key in values and values[key] not in (None, False, {}, []):
            raise refused(
                key,
                "it could widen what verify contacts, reads or writes, or narrow "
                "which files it checks",
            )
    folder = path.resolve().parent
    items: list[str] = list(values.get("paths") or [])
    for name in items:
        if outside_reason(glob_base(name), (folder,)):
            raise refused("paths", f"{name} is outside {folder}")
    for ref_id, name in (values.get("source") or {}).items():
        why = outside_reason(Path(name), (folder,))
        if why:
            raise refused("source", f"{ref_id}={name}: {why.replace('the folder', 'its folder')}")


def untrusted_notices(
    path: Path, file_values: Mapping[str, Any], cli_values: Mapping[str, Any]
) -> list[str]:
    """What a found (untrusted) configuration file changes about the gate or the scope of the
    run, one line each, for the report's summary: a pull request can lower the bar in the
    same change that needs it lowered, and the reviewer must see that it did."""
    notices: list[str] = []
    for key in (*GATE_KEYS, *SCOPE_KEYS):
        if key not in file_values or key in cli_values:
            continue
        value, default = file_values[key], BY_KEY[key].default
        if value == default or (key == "fail_on" and list(value) == list(DEFAULT_FAIL_ON)):
            continue
        shown = ", ".join(value) if isinstance(value, list) else value
        if key == "fail_on" and not value:
            shown = "none"
        kind = "the gate" if key in GATE_KEYS else "what is checked"
        was = ", ".join(default) if isinstance(default, list) and default else default
        notices.append(
            f"{path.name} (found in the checkout, not named with --config) changes {kind}: "
            f"{key} = {shown} (default: {'none' if was in (None, [], ()) else was})"
        )
    return notices


def defaults() -> dict[str, Any]:
    return {
        s.key: (list(s.default) if isinstance(s.default, list) else s.default) for s in SETTINGS
    }


def merge(file_values: Mapping[str, Any], cli_values: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults, overridden by the file, overridden by the command line."""
    values = defaults()
    values.update(file_values)
    values.update(cli_values)
    return values
