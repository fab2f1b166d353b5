"""Forked worker processes that the event loop feeds and reads itself, with no helper thread.

concurrent.futures.ProcessPoolExecutor moves every call through two threads of this
process (its manager and its queue feeder), which take the GIL from the event loop for
each page and each answer. Here each worker holds one end of a socket pair; the loop writes
length-prefixed pickles to the other and reads the answers through a protocol, so the
loop's thread is this process's only one (`benchmarks/workers.py` measures both). One
worker is forked from this process, sets up (loads and warms trafilatura) and forks the
others from itself, so the set-up is paid once.

Fork only: the workers inherit the function to run and their sockets. Where fork is not
available or not safe, `verify.sources.extract.Extractor` uses ProcessPoolExecutor instead.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

# asyncio (25 ms) and multiprocessing are imported where they are used: the command line
# forks the workers before it starts loading the HTTP client, and anything imported first
# delays that.

_HEADER = 8  # bytes of big-endian length before each pickle
# Pages one worker holds at most: the one it works on and the next, waiting in its socket so
# it never idles between pages; the rest wait here for whichever worker frees up first.
PER_WORKER = 2
# How long close() waits for a worker to finish its page and exit before stopping it.
EXIT_WAIT = 2.0


class WorkerDied(Exception):
    """The worker process ended (killed, crashed) while it held this call."""


def _first_worker(
    socks: list[socket.socket],
    inherited: list[socket.socket],
    call: Callable[..., Any],
    setup: Callable[[], None] | None,
) -> None:
    """The first worker: set up once, then fork the others from itself (each starts set up,
    sharing its memory), serve `socks[0]`, and reap them once it is done."""
    for other in inherited:  # the parent's ends: held here, the parent could not hang up
        other.close()
    # ^C goes to the whole process group: the parent handles it and closes the sockets
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)  # inherited from the parent's event loop
    if setup is not None:
        setup()
    children = []
    for own in socks[1:]:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                for other in socks:
                    if other is not own:
                        other.close()
                _serve(own, call)
            except BaseException:
                code = 1
            finally:
                os._exit(code)  # never back into the first worker's own code
        children.append(pid)
        own.close()
    try:
        _serve(socks[0], call)
    finally:
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _serve(sock: socket.socket, call: Callable[..., Any]) -> None:
    """Answer each call read from `sock` until the parent closes it."""
    stream = sock.makefile("rb")
    while True:
        header = stream.read(_HEADER)
        if len(header) < _HEADER:
            return
        size = int.from_bytes(header, "big")
        payload = stream.read(size)
        if len(payload) < size:
            return
        args = pickle.loads(payload)
        try:
            answer: tuple[bool, Any] = (True, call(*args))
        except Exception as exc:  # sent back to the caller, as a pool would
            answer = (False, exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = pickle.dumps((False, RuntimeError(f"unpicklable answer: {exc}")))
        sock.sendall(len(data).to_bytes(_HEADER, "big"))
        sock.sendall(data)


_Call = tuple["asyncio.Future[Any]", bytes, tuple[Any, ...]]  # future, pickled args, args


class _Worker:
    """The event loop's side of one worker's socket (an asyncio protocol)."""

    def __init__(self, pool: ForkedWorkers, sock: socket.socket) -> None:
        self.pool = pool
        self.sock = sock
        self.transport: asyncio.Transport | None = None
        self.held: deque[_Call] = deque()
        self.alive = True
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport

    def pause_writing(self) -> None:  # the transport buffers what cannot be sent yet
        pass

    def resume_writing(self) -> None:
        pass

    def eof_received(self) -> None:  # the worker ended: the transport closes
        return None

    def send(self, item: _Call) -> None:
        assert self.transport is not None
        self.held.append(item)
        payload = item[1]
        # one write, one system call: the copy costs less than a second send
        self.transport.write(len(payload).to_bytes(_HEADER, "big") + payload)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= _HEADER:
            size = int.from_bytes(self._buffer[:_HEADER], "big")
            if len(self._buffer) < _HEADER + size:
                return
            ok, value = pickle.loads(self._buffer[_HEADER : _HEADER + size])
            del self._buffer[: _HEADER + size]
            future = self.held.popleft()[0]
            if not future.done():
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        self.pool._dispatch()

    def connection_lost(self, exc: Exception | None) -> None:
        self.alive = False
        self.pool._lost(self)


class ForkedWorkers:
    """`processes` forked workers, each running `call(*args)` for the caller's `submit`.

    One process is forked from this one; it runs `setup` and then forks the others from
    itself, so the set-up (trafilatura's load and warm-up: 0.15 s of CPU) is paid once and
    its memory shared. Create it with no other thread running (a lock held by a thread at
    fork time would stay locked in the children); use it from one event loop. A worker that
    dies fails the call it was running with WorkerDied; its other calls go to the workers
    left, and when none is left, calls run in a thread of this process.
    """

    def __init__(
        self,
        processes: int,
        call: Callable[..., Any],
        *,
        setup: Callable[[], None] | None = None,
    ) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._call = call
        self._queue: deque[_Call] = deque()
        self._workers: list[_Worker] = []
        self._connecting: asyncio.Task[None] | None = None
        self._closed = False
        pairs = [socket.socketpair() for _ in range(max(1, processes))]
        ends = [parent for parent, _ in pairs]
        children = [child for _, child in pairs]
        try:
            process = context.Process(
                target=_first_worker,
                args=(children, ends, call, setup),
                name="verify-worker",
                daemon=True,
            )
            process.start()
        except BaseException:
            for end in (*ends, *children):
                end.close()
            raise
        for child in children:
            child.close()
        # only the first is this process's child; the others are the first one's
        self._process = process
        self._workers = [_Worker(self, end) for end in ends]

    async def _connect(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        for worker in self._workers:
            await loop.connect_accepted_socket(lambda w=worker: w, sock=worker.sock)  # type: ignore[misc]

    async def submit(self, *args: Any) -> Any:
        """`call(*args)` in a worker process: its result, or the exception it raised."""
        import asyncio

        loop = asyncio.get_running_loop()
        if self._connecting is None:
            self._connecting = loop.create_task(self._connect())
        await asyncio.shield(self._connecting)  # one caller giving up must not stop it
        if self._closed:
            raise RuntimeError("the worker processes are closed")
        if not self.alive:
            return await asyncio.to_thread(self._call, *args)
        future: asyncio.Future[Any] = loop.create_future()
        payload = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        self._queue.append((future, payload, args))
        self._dispatch()
        return await future

    @property
    def alive(self) -> int:
        """How many workers are still running."""
        return sum(1 for w in self._workers if w.alive)

    def _dispatch(self) -> None:
        while self._queue:
            free = [w for w in self._workers if w.alive and len(w.held) < PER_WORKER]
            if not free:
                return
            item = self._queue.popleft()
            if item[0].done():  # the caller gave up while it waited here
                continue
            min(free, key=lambda w: len(w.held)).send(item)

    def _lost(self, worker: _Worker) -> None:
        held = list(worker.held)
        worker.held.clear()
        if self._closed:
            for future, _, _ in held:
                future.cancel()
            return
        if held and not held[0][0].done():
            held[0][0].set_exception(WorkerDied("the worker process died on this page"))
        # what was only waiting in the dead worker's socket goes to another worker
        self._queue.extendleft(reversed(held[1:]))
        if self.alive:
            self._dispatch()
        else:
            import asyncio

            while self._queue:
                future, _, args = self._queue.popleft()
                if not future.done():
                    _chain(asyncio.ensure_future(asyncio.to_thread(self._call, *args)), future)

    def close(self, *, wait: bool = True) -> None:
        """Hang up on every worker (each exits after its current call) and reap them: here,
        or with `wait=False` in a thread, while the caller goes on."""
        self._closed = True
        for worker in self._workers:
            worker.alive = False
            for future, _, _ in worker.held:
                future.cancel()
            worker.held.clear()
            # the worker sees the end of its input now, not when the loop next runs and
            # the transport closes the socket
            with contextlib.suppress(OSError):
                worker.sock.shutdown(socket.SHUT_RDWR)
            try:
                if worker.transport is None:
                    raise RuntimeError("never connected")
                worker.transport.abort()
            except RuntimeError:  # no transport, or its loop is already closed
                worker.sock.close()
        if self._workers:  # not closed before
            if wait:
                _reap(self._process)
            else:
                threading.Thread(target=_reap, args=(self._process,), name="verify-reap").start()
        self._workers.clear()
        for future, _, _ in self._queue:
            future.cancel()
        self._queue.clear()


def _reap(process: Any) -> None:
    process.join(EXIT_WAIT)
    if process.is_alive():
        process.kill()
        process.join()


def _chain(source: asyncio.Future[Any], target: asyncio.Future[Any]) -> None:
    def copy(done: asyncio.Future[Any]) -> None:
        if target.done():
            return
        if done.cancelled():
            target.cancel()
        elif done.exception() is not None:
            target.set_exception(done.exception())  # type: ignore[arg-type]
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)
