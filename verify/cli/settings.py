"""Settings: one table drives the command line, the configuration file and the defaults.

Precedence: command line > configuration file > defaults. The file is `verify.toml` (top
level keys) or `pyproject.toml` (`[tool.verify]`), found from the current folder upward, or
named with --config. Every command-line option has a key: `--per-host 8` is `per_host = 8`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from verify.errors import ConfigError
from verify.gates import DEFAULT_FAIL_ON, GATES
from verify.report.registry import FORMATS


@dataclass(frozen=True)
class Setting:
    """One option: its key, kind and default, shared by the command line and config files."""

    key: str
    kind: str  # int, float, size, duration, ratio, bool, negbool, str, list, map, choice, choices
    default: Any
    help: str
    flag: str | None = None  # defaults to --key-with-dashes; negbool: --no-key
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    short: str | None = None
    minimum: int = 1  # for kind "int"

    @property
    def option(self) -> str:
        if self.flag:
            return self.flag
        name = self.key.replace("_", "-")
        return f"--no-{name}" if self.kind == "negbool" else f"--{name}"


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
    Setting(
        "concurrency", "int", 128, "requests in flight at once, all hosts together", metavar="N"
    ),
    Setting("per_host", "int", 4, "requests in flight at once to one host", metavar="N"),
    Setting(
        "dask",
        "str",
        None,
        "run on a Dask cluster: local, local:N (workers on this machine) or a scheduler's "
        "address such as tcp://scheduler:8786 (needs verify-sources[dask])",
        metavar="ADDRESS",
    ),
    Setting("timeout", "duration", 30.0, "total time allowed for one request", metavar="SECONDS"),
    Setting("connect_timeout", "duration", 10.0, "time allowed to connect", metavar="SECONDS"),
    Setting(
        "retries",
        "int",
        3,
        "retries on connection errors, 5xx, 408 and 429",
        metavar="N",
        minimum=0,
    ),
    Setting(
        "max_size",
        "size",
        20 * 1024 * 1024,
        "largest response body read (e.g. 20MB)",
        metavar="BYTES",
    ),
    Setting("max_redirects", "int", 10, "redirects followed at most", metavar="N", minimum=0),
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
    Setting(
        "max_age",
        "duration",
        86400.0,
        "how old a cached response may be (e.g. 1d, 6h, 90m)",
        metavar="AGE",
    ),
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
ENDPOINT_NAMES = ("x_syndication", "x_oembed", "documentcloud_api", "wayback", "wayback_api")

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)


def _size(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        n = value
    else:
        m = _SIZE.match(str(value))
        if not m:
            raise ValueError
        unit = (m.group(2) or "b").lower().rstrip("b").rstrip("i")
        n = int(float(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit])
    if n <= 0:
        raise ValueError
    return n


def _duration(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        n = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise ValueError
        scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[(m.group(2) or "s").lower()]
        n = float(m.group(1)) * scale
    if n < 0:
        raise ValueError
    return n


def _ratio(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    text = str(value).strip()
    n = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    if not 0 <= n <= 1:
        raise ValueError
    return n


def _map(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    items = [value] if isinstance(value, str) else list(value)
    out: dict[str, str] = {}
    for item in items:
        if not _map_item_ok(item):
            raise ValueError
        text = str(item)
        # a URL's query has its own `=`: `--source https://a.example/?p=1=saved.html`
        key, _, val = text.rpartition("=") if _URL_KEY.match(text) else text.partition("=")
        out[key.strip()] = val.strip()
    return out


_URL_KEY = re.compile(r"^https?://", re.IGNORECASE)


def _map_item_ok(item: object) -> bool:
    key, sep, val = str(item).partition("=")
    return bool(sep and key.strip() and val.strip())


_KIND_HINT = {
    "int": "a whole number of at least {minimum}",
    "float": "a number",
    "size": "a size such as 20MB",
    "duration": "a duration such as 30, 30s, 5m or 1d",
    "ratio": "a ratio between 0 and 1 (or a percentage)",
    "bool": "true or false",
    "negbool": "true or false",
    "str": "a string",
    "list": "a list of strings",
    "map": "a table of KEY = VALUE (or KEY=VALUE items)",
    "choice": "one of {choices}",
    "choices": "a list drawn from {choices}",
}


def coerce(setting: Setting, value: Any, origin: str) -> Any:
    """The value in the setting's type, or a ConfigError naming where it came from."""
    try:
        kind = setting.kind
        if value is None:
            return None
        if kind == "int":
            if (
                isinstance(value, bool)
                or int(value) != float(value)
                or int(value) < setting.minimum
            ):
                raise ValueError
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind == "size":
            return _size(value)
        if kind == "duration":
            return _duration(value)
        if kind == "ratio":
            return _ratio(value)
        if kind in ("bool", "negbool"):
            if not isinstance(value, bool):
                raise ValueError
            return value
        if kind == "str":
            if not isinstance(value, str):
                raise ValueError
            return value
        if kind == "list":
            items = [value] if isinstance(value, str) else list(value)
            if not all(isinstance(i, str) for i in items):
                raise ValueError
            return items
        if kind == "map":
            return _map(value)
        if kind == "choice":
            if value not in setting.choices:
                raise ValueError
            return value
        if kind == "choices":
            from verify.gates import parse_fail_on

            items = value if isinstance(value, list | tuple) else str(value)
            return list(parse_fail_on(items))
    except (ValueError, TypeError, ConfigError):
        if setting.kind == "map" and origin.startswith("--") and not isinstance(value, Mapping):
            # the command line's words, not the file's: `--also json` lacks its =FILE
            items = [value] if isinstance(value, str) else list(value)
            bad = next((i for i in items if not _map_item_ok(i)), value)
            raise ConfigError(f"{origin} {bad}: expected {setting.metavar}") from None
        raise _refused(setting, value, origin) from None
    raise AssertionError(setting.kind)


def _refused(setting: Setting, value: Any, origin: str) -> ConfigError:
    hint = _KIND_HINT[setting.kind].format(
        choices=", ".join(setting.choices), minimum=setting.minimum
    )
    return ConfigError(f"{origin}: {setting.key} must be {hint}, got {value!r}")


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
    from verify.trust import outside_reason

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
        if outside_reason(_glob_base(name), (folder,)):
            raise refused("paths", f"{name} is outside {folder}")
    for ref_id, name in (values.get("source") or {}).items():
        why = outside_reason(Path(name), (folder,))
        if why:
            raise refused("source", f"{ref_id}={name}: {why.replace('the folder', 'its folder')}")


def _glob_base(pattern: str) -> Path:
    import glob

    parts: list[str] = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


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


def check_endpoints(endpoints: Mapping[str, str], origin: str) -> None:
    for name, url in endpoints.items():
        if name not in ENDPOINT_NAMES:
            raise ConfigError(
                f"{origin}: unknown endpoint {name!r}; choose from {', '.join(ENDPOINT_NAMES)}"
            )
        if not re.match(r"^https?://", url):
            raise ConfigError(f"{origin}: endpoint {name} must be an http(s) URL, got {url!r}")


# Options' fields that are settings under another name on the command line.
_OPTION_FIELDS = {
    "concurrency": "concurrency",
    "per_host": "per_host",
    "connect_timeout": "connect_timeout",
    "timeout": "timeout",
    "retries": "retries",
    "max_bytes": "max_size",
    "max_redirects": "max_redirects",
    "max_age": "max_age",
}
RECORD_WITH_REPLAY = (
    "--record and --replay cannot be used together: a replayed run makes no request to record"
)


def check_options(options: Any) -> None:
    """Raise ConfigError, worded as the command line words it, for an Options value the
    command line would have refused (Options(per_host=0) is no more valid than --per-host 0)."""
    for name, key in _OPTION_FIELDS.items():
        value = getattr(options, name)
        setting = replace(BY_KEY[key], key=name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _refused(setting, value, "Options")
        if coerce(setting, value, "Options") != value:
            raise AssertionError(name)  # a number is taken as it is, never converted
    if options.record and options.replay:
        raise ConfigError(RECORD_WITH_REPLAY)
    thresholds = options.thresholds
    if thresholds is not None and thresholds.partial > thresholds.supported:
        raise ConfigError(PARTIAL_ABOVE_SUPPORTED)
    check_endpoints(options.endpoints, "Options")


PARTIAL_ABOVE_SUPPORTED = "partial_threshold must not be above supported_threshold"


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
