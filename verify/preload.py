"""Start-up: the HTTP client imported ahead of need, extraction workers started early, the
articles parsed in one of them, and the cyclic collector kept out of the way.

Up to the first request a run is ~150 ms of Python, which one GIL runs one thread at a time,
so what shortens it is work taken off this process or out of the way:

- Each extraction worker spends ~0.15 s of CPU loading and warming up trafilatura. Forked
  by the command line before any thread starts, they do it on the other cores while this
  process starts, and are ready when the first pages arrive rather than 0.1-0.2 s later.
- The first of them, before that, parses the articles for this process (`take_parsed`):
  markdown-it's import and the parsing are ~40 ms of Python, and another core is free then.
- aiohttp's import (~50 ms of Python) loads CA certificates as it goes (~40 ms): the command
  line has them loaded in threads while the import goes on (`import_http_client`), and TLS
  connections wait for them.
  The library imports the client in a thread (`preload_http_client`) while it parses.
- Start-up allocates ~100,000 objects that live as long as the run (modules, the HTTP
  client) and almost no garbage; each collection on the way traversed them, 10-15 ms in all
  before the first request. The command line pauses the collector; the pipeline freezes
  what start-up loaded (`gc.freeze`) and resumes it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from verify.errors import VerifyError
from verify.models import Article, Options

if TYPE_CHECKING:
    import ssl

    from verify.sources.extract import Extractor

_lock = threading.Lock()
_thread: threading.Thread | None = None
_paused = False
_workers: Extractor | None = None
# the articles parsed in another process: the read end of its pipe, the paths asked for, and
# the process to wait for (0: the first extraction worker, which the extractor waits for)
_parsing: tuple[int, tuple[str, ...], int] | None = None


def pause_collection() -> None:
    """No cyclic collection until `resume_collection`: for a program's start-up."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Undo `pause_collection` (nothing when it did not disable the collector)."""
    global _paused
    if _paused:
        gc.enable()
        _paused = False


# Set while no CA certificates are waiting to be loaded (see `import_http_client`).
_certificates_loaded = threading.Event()
_certificates_loaded.set()


def certificates_pending() -> threading.Event | None:
    """The event a TLS connection waits for while the CA certificates that the command line
    put off are loading; None once they are in, or when none were put off."""
    return None if _certificates_loaded.is_set() else _certificates_loaded


@contextlib.contextmanager
def _certificates_put_off() -> Iterator[None]:
    """Each SSL context that asks for the default CA certificates inside the block gets them
    in a thread of its own, without holding up the block (the loading needs no GIL)."""
    import ssl

    # ssl.SSLContext (Python) inherits the method from _ssl._SSLContext (C): shadowed here,
    # the shadow deleted after; an ssl module made otherwise is left alone
    load = getattr(getattr(ssl, "_SSLContext", None), "set_default_verify_paths", None)
    if load is None or "set_default_verify_paths" in vars(ssl.SSLContext):
        yield
        return
    loading: list[threading.Thread] = []

    def put_off(context: ssl.SSLContext) -> None:
        thread = threading.Thread(target=load, args=(context,), name="verify-certificates")
        thread.daemon = True
        thread.start()
        loading.append(thread)

    _certificates_loaded.clear()
    ssl.SSLContext.set_default_verify_paths = put_off  # type: ignore[method-assign]
    try:
        yield
    finally:
        del ssl.SSLContext.set_default_verify_paths
        if loading:
            threading.Thread(
                target=_when_loaded, args=(loading,), name="verify-certificates", daemon=True
            ).start()
        else:
            _certificates_loaded.set()


def _when_loaded(loading: list[threading.Thread]) -> None:
    for thread in loading:
        thread.join()
    _certificates_loaded.set()


def import_http_client(options: Options, *, put_off_certificates: bool = False) -> None:
    """For the command line, when the run will probably fetch: import the HTTP client now,
    in this thread (after forking), with aiohttp's CA certificates put off if asked.

    aiohttp loads the certificates into two SSL contexts as it imports (~20 ms each, without
    the GIL), which held up the rest of its import and the first request with it, though a
    plain-http request never needs them and an https one can have its DNS lookup and TCP
    connection meanwhile. Put off, each loads in a thread of its own while the import and
    the run's start go on, and a TLS connection waits for them (`certificates_pending`).
    Only for a process that is verify's own: in a host application another thread could be
    making an SSL context meanwhile. (Loading them after the import instead, in one thread,
    made an https run's first request later than not putting them off at all.)
    """
    if not will_probably_fetch(options):
        return
    with _certificates_put_off() if put_off_certificates else contextlib.nullcontext():
        _import_http_client()


def _import_http_client() -> None:
    with contextlib.suppress(Exception):  # the import that matters raises it again
        import verify.http.client  # noqa: F401


def will_probably_fetch(options: Options) -> bool:
    """Not a replay, and no cache file yet that could answer the run."""
    if options.replay:
        return False
    if options.cache and not options.record:
        from verify.http.cache import FILENAME, default_directory

        directory = Path(options.cache_dir) if options.cache_dir else default_directory()
        if (directory / FILENAME).exists():
            return False
    return True


def preload_http_client(options: Options) -> threading.Thread | None:
    """For the library: the thread importing the HTTP client while the articles are parsed,
    started on the first call, when the run will probably fetch; None otherwise. Join it
    before forking worker processes."""
    global _thread
    if not will_probably_fetch(options):
        return None
    with _lock:
        if _thread is None:
            _thread = threading.Thread(
                target=_import_http_client, name="verify-import", daemon=True
            )
            _thread.start()
        return _thread


def start_workers(options: Options, paths: Sequence[str | Path] = ()) -> None:
    """For a run that will probably fetch, on a machine with more than one CPU, fork now
    what can work on another core: the extraction workers (unless the run only checks
    links), the first of them parsing the articles at `paths` (unless they are large) before
    it sets up; for a run that only checks links, a process that parses them. Call it before
    starting any thread; the pipeline takes the workers (`take_workers`), the caller the
    articles (`take_parsed`). Where no process can be started, the run does without."""
    global _workers, _parsing
    if _workers is not None or _parsing is not None or not will_probably_fetch(options):
        return
    from verify.sources.extract import Extractor, fork_is_safe, usable_cpus

    cores = usable_cpus()
    names = tuple(str(p) for p in paths) if _worth_parsing_ahead(paths) else ()
    if cores < 2 or not fork_is_safe() or (options.links_only and not names):
        return
    read_end, write_end = os.pipe() if names else (-1, -1)
    parse = functools.partial(_parse_for_parent, names, read_end, write_end) if names else None
    pid = 0
    try:
        if options.links_only:
            pid = os.fork()
            if pid == 0:  # the parsing process: parse, answer, and end
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C
                    _parse_for_parent(names, read_end, write_end)
                finally:
                    os._exit(0)
        else:
            workers = Extractor(processes=cores, first=parse)
            workers.warm()
            _workers = workers
    except OSError:  # no process to be had (a limit on processes or memory)
        if names:
            os.close(read_end)
        return
    finally:
        if names:
            os.close(write_end)  # the child holds its own copy; the reader sees it close
    if names:
        _parsing = (read_end, names, pid)


# Articles larger than this (together) are parsed by the run itself: the ~50 ms gained are
# little beside their parsing time, and the parsed articles would be in memory twice for a
# moment (the parser's, then the copy handed over), several hundred MB for a 20 MB file.
PARSE_AHEAD_MAX_BYTES = 2_000_000


def _worth_parsing_ahead(paths: Sequence[str | Path]) -> bool:
    try:
        return 0 < sum(os.stat(p).st_size for p in paths) <= PARSE_AHEAD_MAX_BYTES
    except OSError:  # the run meets the error itself, and says so
        return False


def _parse_for_parent(paths: tuple[str, ...], read_end: int, write_end: int) -> None:
    """In a forked process: parse the articles and send them, or the VerifyError that says
    why one cannot be read, to the parent. Anything else sends nothing: the parent parses
    them itself and meets the error there, with its traceback."""
    os.close(read_end)
    try:
        with os.fdopen(write_end, "wb") as out:
            from verify.article.parse import parse_article

            try:
                answer: tuple[bool, object] = (True, [parse_article(p) for p in paths])
            except VerifyError as exc:
                answer = (False, exc)
            out.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # (a bug, or the parent gone: interrupted) it parses them itself, if at all
        pass


def take_parsed(paths: Sequence[str | Path]) -> list[Article] | None:
    """The articles at `paths` as another process parsed them (raising the InputError it
    met); None when none was asked to, or it sent nothing: the caller parses them."""
    global _parsing
    if _parsing is None:
        return None
    read_end, names, pid = _parsing
    _parsing = None
    with os.fdopen(read_end, "rb") as stream:
        data = stream.read()  # until the child closes its end: answered, or gone
    if pid:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    if names != tuple(str(p) for p in paths):
        return None
    try:
        ok, value = pickle.loads(data)
    except Exception:  # nothing sent (the worker failed or died), or cut short
        return None
    if not ok:
        raise value
    return list(value)


def take_workers() -> Extractor | None:
    """The workers `start_workers` started, handed over once; None when there are none."""
    global _workers
    workers, _workers = _workers, None
    return workers


def stop_workers() -> None:
    """Stop workers that were started and never taken (a run that ended early)."""
    global _parsing
    if _parsing is not None:
        read_end, _, pid = _parsing
        _parsing = None
        os.close(read_end)
        if pid:  # the parsing process, still at it or done
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    workers = take_workers()
    if workers is not None:
        workers.close()
