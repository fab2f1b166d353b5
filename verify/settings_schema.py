"""The settings' schema: what a setting is, how a value of each kind is read and checked, and
the rules Options shares with the command line, word for word.

It sits below verify.models (which calls check_options from Options.__post_init__, so that
Options(per_host=0) is refused as --per-host 0 is) and imports neither the models nor the
command line. The command line's full table of settings is verify.cli.settings; the settings
Options carries are defined here, in LIMITS, and that table takes them from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from verify.errors import ConfigError

if TYPE_CHECKING:
    from verify.models import Options


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
    # kind "choices": splits and checks the list (the gates' parser, which this module, below
    # the models that the gates import, cannot import itself)
    parse: Callable[[str | list[str] | tuple[str, ...]], tuple[str, ...]] | None = None

    @property
    def option(self) -> str:
        if self.flag:
            return self.flag
        name = self.key.replace("_", "-")
        return f"--no-{name}" if self.kind == "negbool" else f"--{name}"


# The settings that are also Options' fields: the network limits and the cache's age.
LIMITS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "concurrency", "int", 128, "requests in flight at once, all hosts together", metavar="N"
        ),
        Setting("per_host", "int", 4, "requests in flight at once to one host", metavar="N"),
        Setting(
            "timeout", "duration", 30.0, "total time allowed for one request", metavar="SECONDS"
        ),
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
        Setting(
            "max_age",
            "duration",
            86400.0,
            "how old a cached response may be (e.g. 1d, 6h, 90m)",
            metavar="AGE",
        ),
    )
}

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
            assert setting.parse is not None, setting.key
            items = value if isinstance(value, list | tuple) else str(value)
            return list(setting.parse(items))
    except (ValueError, TypeError, ConfigError):
        if setting.kind == "map" and origin.startswith("--") and not isinstance(value, Mapping):
            # the command line's words, not the file's: `--also json` lacks its =FILE
            items = [value] if isinstance(value, str) else list(value)
            bad = next((i for i in items if not _map_item_ok(i)), value)
            raise ConfigError(f"{origin} {bad}: expected {setting.metavar}") from None
        raise refused(setting, value, origin) from None
    raise AssertionError(setting.kind)


def refused(setting: Setting, value: Any, origin: str) -> ConfigError:
    hint = _KIND_HINT[setting.kind].format(
        choices=", ".join(setting.choices), minimum=setting.minimum
    )
    return ConfigError(f"{origin}: {setting.key} must be {hint}, got {value!r}")


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
PARTIAL_ABOVE_SUPPORTED = "partial_threshold must not be above supported_threshold"


def check_options(options: Options) -> None:
    """Raise ConfigError, worded as the command line words it, for an Options value the
    command line would have refused (Options(per_host=0) is no more valid than --per-host 0)."""
    for name, key in _OPTION_FIELDS.items():
        value = getattr(options, name)
        setting = replace(LIMITS[key], key=name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refused(setting, value, "Options")
        if coerce(setting, value, "Options") != value:
            raise AssertionError(name)  # a number is taken as it is, never converted
    if options.record and options.replay:
        raise ConfigError(RECORD_WITH_REPLAY)
    thresholds = options.thresholds
    if thresholds is not None and thresholds.partial > thresholds.supported:
        raise ConfigError(PARTIAL_ABOVE_SUPPORTED)
    check_endpoints(options.endpoints, "Options")
