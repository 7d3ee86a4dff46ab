"""User-written SPARQL with a hard time limit: gated, bound and run in a child process that is
killed when the limit passes.

Neither rdflib nor pyoxigraph can interrupt an evaluation, and the gate's parse (rdflib's
pyparsing grammar, about 100 s per MB of query text) cannot be interrupted either. A thread that
is given up on keeps its CPU and memory (a cross product with ORDER BY grew from 63 MB to 2.2 GB
in 25 s). So the explorer's SPARQL page and ``wivgraph query run`` send the query text to a child
process (``python -m wivgraph.sandbox``) that holds a copy of the data in an in-memory pyoxigraph
store. The child does everything that costs time — the gate (:func:`wivgraph.query.prepare`),
binding parameters (:func:`wivgraph.store.bind_values`) and the evaluation — and the parent waits
at most ``time_limit`` seconds for the answer. When the limit passes, the child is killed
(SIGKILL): its CPU and memory are returned at once, and the next query starts a fresh child.

The parent only bounds the text before sending it (:func:`wivgraph.gate.precheck`: length and
nesting, a linear scan). Starting the
child (about 0.5 s plus loading the data) is not counted in the time limit; it happens once per
data set and after each timeout. One query runs at a time per child; queries from other threads
(explorer sessions) wait for it, and their own time limit starts when their turn comes.

The data reaches the child as N-Quads over its standard input (the parent's pyoxigraph store,
dumped), so the child answers on exactly the parent's data, the default graph being the
deduplicated union of the named graphs (``graph:inferred`` included only when asked), as in
:class:`wivgraph.fast.FastStore`. Messages between the two are length-prefixed pickles over
pipes the parent created; the child reads nothing else and opens no socket.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping

from rdflib.term import Node

from wivgraph.errors import QueryRefused, WivgraphError
from wivgraph.query import DEFAULT_ROW_LIMIT, DEFAULT_TIME_LIMIT, QueryResult

#: seconds a child may take to start and load its data
START_TIMEOUT = 300.0
_HEADER = struct.Struct("!Q")
_ALL: weakref.WeakSet = weakref.WeakSet()


class QuerySandbox:
    """A child process holding a copy of a pyoxigraph store, answering gated queries.

    ``nquads`` gives the data as N-Quads bytes (called again whenever a child is started, so
    after a timeout the data is dumped anew rather than kept twice in the parent's memory).
    """

    kind = "pyoxigraph (child process)"
    graph = None  # labels are resolved by the caller on its own graph

    def __init__(self, nquads: Callable[[], bytes], *, name: str = "wivgraph-sandbox"):
        self._nquads = nquads
        self._name = name
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self.started = 0  # how many children were started (1 + one per timeout or crash)
        _ALL.add(self)

    # --- the child's life ------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The running child's process id, or None when none runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start the child and load the data, if it is not running (not counted as query time)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._process = None
        data = self._nquads()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        process = subprocess.Popen(
            [sys.executable, "-m", "wivgraph.sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        self.started += 1
        try:
            _send(process.stdin, ("load", data))
            del data
            reply = _receive(process.stdout, time.monotonic() + START_TIMEOUT)
        except (OSError, EOFError, TimeoutError) as exc:
            _kill(process)
            raise WivgraphError(f"cannot start the query process ({exc or type(exc).__name__})") from None
        if reply[0] != "ready":
            _kill(process)
            raise WivgraphError(f"cannot start the query process: {reply[-1]}")
        self._process = process
        return process

    def close(self) -> None:
        """Stop the child (it also stops by itself when the parent's end of its pipe closes)."""
        with self._lock:
            if self._process is not None:
                _kill(self._process)
                self._process = None

    def __del__(self) -> None:
        # a sandbox dropped with its child running (e.g. the explorer's cache cleared): stop and
        # reap the child here, without the lock, so no process or pipe is left to the collector
        process = getattr(self, "_process", None)
        if process is not None:
            self._process = None
            _kill(process)

    # --- asking ----------------------------------------------------------------------------

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        row_limit: int = DEFAULT_ROW_LIMIT,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        inferred: bool = False,
    ) -> QueryResult:
        """Gate, bind and run ``text`` in the child; at most ``time_limit`` seconds, parse included.

        Raises :class:`~wivgraph.errors.QueryRefused` for refused forms and
        :class:`~wivgraph.errors.WivgraphError` for bad text, failures and timeouts.
        """
        from wivgraph.gate import precheck  # noqa: PLC0415

        precheck(text)  # length and nesting, linear and cheap: before anything parses it
        request = ("query", text, dict(bindings or {}), int(row_limit), bool(inferred))
        with self._lock:
            process = self._ensure()
            deadline = None if time_limit is None else time.monotonic() + time_limit
            try:
                _send(process.stdin, request)
                reply = _receive(process.stdout, deadline)
            except TimeoutError:
                _kill(process)  # its CPU and memory are returned now, not when it would end
                self._process = None
                raise WivgraphError(
                    f"query stopped: it ran longer than the time limit of {time_limit:g} s"
                ) from None
            except (OSError, EOFError):
                code = _kill(process)
                self._process = None
                raise WivgraphError(
                    f"query failed: the query process ended unexpectedly (exit code {code}); "
                    "it may have run out of memory"
                ) from None
        kind = reply[0]
        if kind == "result":
            return reply[1]
        if kind == "refused":
            raise QueryRefused(reply[1])
        raise WivgraphError(reply[1])


def sandbox_for(store) -> QuerySandbox:
    """A sandbox over a copy of the pyoxigraph ``store`` (dumped when a child starts)."""
    import pyoxigraph as ox  # noqa: PLC0415

    return QuerySandbox(lambda: store.dump(format=ox.RdfFormat.N_QUADS))


class SandboxStore:
    """A :class:`wivgraph.store.Store`: labels resolved on ``graph``, queries run in ``sandbox``."""

    kind = QuerySandbox.kind

    def __init__(self, graph, sandbox: QuerySandbox, *, inferred: bool = False):
        self.graph = graph
        self.sandbox = sandbox
        self.inferred = inferred

    def query(self, text, bindings=None, *, row_limit=DEFAULT_ROW_LIMIT,
              time_limit=DEFAULT_TIME_LIMIT) -> QueryResult:
        return self.sandbox.query(
            text, bindings, row_limit=row_limit, time_limit=time_limit, inferred=self.inferred
        )


_LOCAL: dict[tuple[str, str], SandboxStore] = {}
_LOCAL_LOCK = threading.Lock()


def local_store(root=None) -> SandboxStore:
    """The project's asserted data (ontology/ and data/ of ``root``) behind a sandbox.

    Kept per root and content (one child per process and data, e.g. for the tests that run the
    command line in-process many times); a changed file gives a new one and stops the old.
    """
    from wivgraph import cache, fast, paths  # noqa: PLC0415

    root = root or paths.project_root()
    key = (str(root.resolve()), cache.content_key(root))
    with _LOCAL_LOCK:
        found = _LOCAL.get(key)
        if found is not None:
            return found
        store = fast.load_store(root)  # bad Turtle: path:line, before any child starts
        made = SandboxStore(fast.FastStore(store).graph, sandbox_for(store))
        for old in [k for k in _LOCAL if k[0] == key[0]]:
            _LOCAL.pop(old).sandbox.close()
        _LOCAL[key] = made
        return made


def _kill(process: subprocess.Popen) -> int | None:
    with contextlib.suppress(OSError):
        process.kill()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            if stream is not None:
                stream.close()
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
        return None


@atexit.register
def _close_all() -> None:
    for sandbox in list(_ALL):
        sandbox.close()


# --- framing ---------------------------------------------------------------------------------


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    fd = stream.fileno()
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the query process closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _receive(stream, deadline: float | None):
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(stream, size, deadline))  # noqa: S301 - our own child


# --- the child -------------------------------------------------------------------------------


def _answer(store, request) -> tuple:
    from wivgraph import fast  # noqa: PLC0415
    from wivgraph.query import prepare  # noqa: PLC0415
    from wivgraph.store import _read_oxigraph, bind_values, query_form  # noqa: PLC0415

    _, text, bindings, row_limit, inferred = request
    try:
        form = query_form(prepare(text))  # the gate: updates, LOAD, SERVICE, FROM refused
        final = bind_values(text, bindings)
        options = fast.query_options(store, inferred=inferred)
        never = threading.Event()
        result = _read_oxigraph(
            lambda: store.query(final, **options),
            form,
            row_limit,
            never,
        )
    except QueryRefused as exc:
        return ("refused", str(exc))
    except WivgraphError as exc:
        return ("error", str(exc))
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        return ("error", f"query failed while running (pyoxigraph): {exc}")
    except RecursionError:
        return ("error", "query failed: nested too deeply to be read")
    except MemoryError:
        return ("error", "query failed: out of memory")
    return ("result", result)


def _die_with_parent() -> None:
    """Ask Linux to kill this child when its parent dies (best effort, elsewhere a no-op)."""
    try:
        import ctypes  # noqa: PLC0415

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main() -> None:
    """The child's loop: load the data, then answer queries until the parent closes the pipe."""
    _die_with_parent()
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints never reach the pipe
    try:
        kind, data = _receive(requests, None)
    except (EOFError, OSError):
        return
    import pyoxigraph as ox  # noqa: PLC0415

    store = ox.Store()
    try:
        if kind != "load":
            raise ValueError(f"expected the data first, got {kind!r}")
        store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as exc:
        _send(replies, ("error", f"{type(exc).__name__}: {exc}"))
        return
    del data
    _send(replies, ("ready", len(store)))
    while True:
        try:
            request = _receive(requests, None)
        except (EOFError, OSError):
            return
        _send(replies, _answer(store, request))


if __name__ == "__main__":
    main()
