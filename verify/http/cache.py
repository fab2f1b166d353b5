"""A small on-disk cache of successful responses and of data derived from them.

SQLite in WAL mode with a busy timeout, so several verify processes can share one directory:
readers never block, writers queue. Every write is one transaction, so a run killed mid-write
leaves either the old entry or the new one, never half of one. A file that SQLite cannot read
(truncated, overwritten) is set aside and rebuilt: a cache is never worth failing a run over.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from verify.errors import ConfigError
from verify.http.closing import ClosedOnExit
from verify.http.urls import normalize_url
from verify.models import FetchResult, Options, RefStatus

FILENAME = "verify-cache.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT = 30.0  # seconds another process may hold the write lock before we give up

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    url TEXT PRIMARY KEY,
    final_url TEXT,
    http_status INTEGER,
    headers TEXT NOT NULL,
    content_type TEXT,
    charset TEXT,
    body BLOB NOT NULL,
    redirects TEXT NOT NULL,
    fetched_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS derived (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (namespace, key)
);
"""


# A cache entry dated later than this past the clock was not written by a run of verify on
# this machine: a cache directory's contents are untrusted, and a date in the future would
# keep a planted entry fresh for ever.
CLOCK_SLACK = 300.0


def cache_scope(options: Options) -> str:
    """What about a run decides what it may fetch and from where (the private-address
    policy, the site services' endpoints). An entry made under one scope is never served to
    a run of another: a page read with --allow-private, or an X post read through another
    endpoint, must not answer a later default run."""
    parts = ["allow_private"] if options.allow_private else []
    parts += [f"endpoint:{name}={url}" for name, url in sorted(options.endpoints.items())]
    return "|".join(parts)


def tracked_by_git(file: Path) -> bool:
    """Whether `file` (or, when it does not exist yet, anything in its folder) is tracked by
    git: a cache that came with a checkout was written by whoever wrote the checkout."""
    folder = file.parent.resolve()
    if not any((p / ".git").exists() for p in (folder, *folder.parents)):
        return False  # not inside a work tree: no process started for nothing
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "ls-files", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and bool(proc.stdout.strip())


def default_directory() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("verify"))


class Cache(ClosedOnExit):
    """Responses keyed by normalised URL, plus JSON values keyed by (namespace, key)."""

    def __init__(
        self, directory: str | Path | None, *, max_age: float = 86400, scope: str = ""
    ) -> None:
        self.directory = Path(directory) if directory is not None else default_directory()
        self.path = self.directory / FILENAME
        self.max_age = max_age
        self.scope = scope  # see cache_scope: part of every key
        self.warnings: list[str] = []
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create cache directory {self.directory}: {exc}") from exc
        self._conn: sqlite3.Connection | None = None
        if self.path.is_symlink():
            self.warnings.append(f"cache file {self.path} is a symbolic link: not used")
            return
        if tracked_by_git(self.path):
            # neither read (its entries are the checkout's to forge) nor written (the file
            # is the user's, under version control)
            self.warnings.append(
                f"cache directory {self.directory} is tracked by git: not used "
                "(keep the cache outside the checkout)"
            )
            return
        self._conn = self._open_or_rebuild()

    def _key(self, key: str) -> str:
        return f"[{self.scope}] {key}" if self.scope else key

    @staticmethod
    def _from_future(stamp: float) -> bool:
        return stamp > time.time() + CLOCK_SLACK

    # -- opening ----------------------------------------------------------------------------

    def _open_or_rebuild(self) -> sqlite3.Connection:
        try:
            return self._open()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise ConfigError(f"cache {self.path} is locked by another process") from exc
            aside = self._set_aside()
            self.warnings.append(
                f"cache file was corrupt ({exc}); set aside as {aside.name} and rebuilt"
            )
        try:
            return self._open()
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open cache {self.path}: {exc}") from exc

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            # A damaged file usually fails here, before anything trusts its contents.
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row and row[0]}")
            _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            _retry_busy(lambda: conn.executescript(_SCHEMA))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            self.path.rename(aside)
        except OSError as exc:
            raise ConfigError(f"cache {self.path} is corrupt and cannot be moved: {exc}") from exc
        # The journal files belong to the damaged database; replaying them would re-damage it.
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()
        return aside

    # -- responses --------------------------------------------------------------------------

    def get(self, url: str) -> FetchResult | None:
        """A fresh (no older than max_age) successful response for `url`, or None."""
        row = self._query(
            "SELECT final_url, http_status, headers, content_type, charset, body, redirects,"
            " fetched_at FROM responses WHERE url = ?",
            (self._key(normalize_url(url)),),
        )
        if row is None:
            return None
        final_url, http_status, headers, content_type, charset, body, redirects, fetched_at = row
        if not isinstance(fetched_at, int | float) or self._from_future(fetched_at):
            return None
        if time.time() - fetched_at > self.max_age:
            return None
        try:
            header_pairs = tuple((str(k), str(v)) for k, v in json.loads(headers))
            hops = tuple(str(h) for h in json.loads(redirects))
        except (ValueError, TypeError):
            return None
        return FetchResult(
            url=url,
            status=RefStatus.OK,
            final_url=final_url,
            http_status=http_status,
            content_type=content_type,
            charset=charset,
            headers=header_pairs,
            body=bytes(body),
            from_cache=True,
            redirects=hops,
        )

    def put(self, result: FetchResult) -> None:
        """Store a successful response; anything else is ignored (failures are never cached)."""
        if result.status is not RefStatus.OK or result.from_cache:
            return
        self._write(
            "INSERT OR REPLACE INTO responses (url, final_url, http_status, headers,"
            " content_type, charset, body, redirects, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._key(normalize_url(result.url)),
                result.final_url,
                result.http_status,
                json.dumps([list(h) for h in result.headers]),
                result.content_type,
                result.charset,
                result.body,
                json.dumps(list(result.redirects)),
                time.time(),
            ),
        )

    # -- derived data -----------------------------------------------------------------------

    def get_json(self, namespace: str, key: str, *, max_age: float | None = None) -> Any | None:
        """A value stored by put_json, or None. Optionally only if stored within max_age."""
        row = self._query(
            "SELECT value, stored_at FROM derived WHERE namespace = ? AND key = ?",
            (namespace, self._key(key)),
        )
        if row is None:
            return None
        value, stored_at = row
        if not isinstance(stored_at, int | float) or self._from_future(stored_at):
            return None
        if max_age is not None and time.time() - stored_at > max_age:
            return None
        try:
            return json.loads(value)
        except ValueError:
            return None

    def put_json(self, namespace: str, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (TypeError if it is not)."""
        text = json.dumps(value, ensure_ascii=False)
        self._write(
            "INSERT OR REPLACE INTO derived (namespace, key, value, stored_at) VALUES (?, ?, ?, ?)",
            (namespace, self._key(key), text, time.time()),
        )

    # -- plumbing ---------------------------------------------------------------------------

    def _query(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if self._conn is None:
            return None
        try:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            self._warn_once(f"cache read failed ({exc}); continuing without it")
            return None
        return row

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            # BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies to
            # waiting for it instead of failing halfway through the transaction.
            _retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))
            try:
                conn.execute(sql, params)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except (sqlite3.Error, UnicodeError) as exc:
            # UnicodeError: a lone surrogate, which SQLite's UTF-8 cannot store
            self._warn_once(f"cache write failed ({exc}); continuing without it")

    def _warn_once(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _retry_busy(action: Any, attempts: int = 50) -> Any:
    """Run `action`, retrying while another process holds a lock SQLite will not wait for.

    The busy timeout covers most waits, but some (changing the journal mode, a schema change
    racing another process's) fail at once with SQLITE_BUSY.
    """
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)
    return None
