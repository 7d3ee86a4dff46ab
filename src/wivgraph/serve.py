"""Server mode: the dataset behind a read-only, gated SPARQL 1.1 endpoint.

``wivgraph serve`` writes the public view of the data (content of classified resources
withheld) as N-Quads (named graphs kept), from the same oxigraph load as every other command
(:func:`wivgraph.fast.served_store`), loads it with ``oxigraph load`` into a store directory, and
answers through the gated front (:mod:`wivgraph.front`: gate, time limit that kills the engine,
answer and memory caps, concurrency limit), bound to 127.0.0.1 by default. The default graph is
the union of the named graphs, each triple once, stored explicitly (see
:func:`wivgraph.fast.copy_union` for why not ``--union-default-graph``). The store directory is rebuilt only when the data
changed: a stamp file in it records a hash of every ontology/ and data/ Turtle file, the oxigraph
version and the store layout. A lock file beside it keeps a second ``serve`` (or rebuild) off a
store in use.

:class:`OxigraphServer` (the bare ``oxigraph serve-read-only``, no gate) is kept for benchmarks
and tests that compare engines; :class:`GatedServer` runs the front as a child process.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from wivgraph import paths
from wivgraph.errors import WivgraphError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
STAMP = "wivgraph-stamp.json"
READY_TIMEOUT = 20.0
#: bump when what prepare_location() puts into the store changes
STORE_LAYOUT = 3  # 3: the public view (classified content withheld)


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable of the PyPI package (next to this Python, else on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise WivgraphError(
        "oxigraph server not found: install the 'oxigraph' package (pip install oxigraph)"
    )


def oxigraph_version() -> str:
    try:
        return metadata.version("oxigraph")
    except metadata.PackageNotFoundError:
        return "unknown"


def default_location(root: Path | None = None) -> Path:
    return (root or paths.project_root()) / ".wivgraph-cache" / "oxigraph"


def fingerprint(root: Path | None = None) -> str:
    """Hash of the files the dataset is loaded from, and of the oxigraph version."""
    from wivgraph.load import turtle_files  # noqa: PLC0415

    root = (root or paths.project_root()).resolve()
    digest = hashlib.sha256(f"oxigraph {oxigraph_version()} layout {STORE_LAYOUT}\n".encode())
    for folder in ("ontology", "data"):
        for path in turtle_files(root / folder):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class StoreLock:
    """An exclusive lock on a store directory (``.NAME.lock`` beside it), held by one process.

    flock: the kernel drops it when the holder exits, also on kill -9, so it never goes stale.
    """

    def __init__(self, location: Path):
        self.location = Path(location).resolve()
        self.path = self.location.parent / f".{self.location.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise WivgraphError(
                f"--location {self.location}: the store is in use by another 'wivgraph serve' "
                f"(process {holder}); stop it or choose another --location"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the flock

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _stamp(location: Path) -> dict | None:
    try:
        return json.loads((location / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def prepare_location(
    root: Path | None = None,
    location: Path | None = None,
    *,
    force: bool = False,
    dataset=None,
    locked: bool = False,
) -> Path:
    """The oxigraph store directory holding the current data; (re)built when needed.

    A rebuild loads into a fresh sibling directory and then replaces ``location``, which is only
    removed when it is empty or was made by this function (it holds the stamp file).
    ``dataset`` serves an already loaded Dataset instead of loading ``root`` again (tests compare
    the served answers with that very Dataset while others may be editing data/). The store's
    lock (:class:`StoreLock`) is taken for the check and the rebuild unless ``locked`` says the
    caller holds it; a store in use by a running ``serve`` is refused.
    """
    root = root or paths.project_root()
    location = Path(location or default_location(root)).resolve()
    if not locked:
        with StoreLock(location):
            return prepare_location(
                root, location, force=force, dataset=dataset, locked=True
            )
    from wivgraph import fast  # noqa: PLC0415

    wanted = fingerprint(root)
    stamp = _stamp(location)
    if not force and stamp and stamp.get("fingerprint") == wanted:
        return location
    if location.exists() and (not location.is_dir() or (stamp is None and any(location.iterdir()))):
        raise WivgraphError(
            f"--location {location}: exists and is not a wivgraph store directory "
            f"(no {STAMP}); choose an empty or new folder"
        )
    location.parent.mkdir(parents=True, exist_ok=True)
    served = fast.served_store(root, dataset=dataset)
    building = Path(tempfile.mkdtemp(prefix=f".{location.name}.building-", dir=location.parent))
    try:
        source = building / "dataset.nq"
        fast.write_nquads(served, source)
        del served
        store = building / "store"
        completed = subprocess.run(
            [str(oxigraph_binary()), "load", "--location", str(store), "--file", str(source)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise WivgraphError(
                f"oxigraph load failed (exit {completed.returncode}): "
                + (detail[-1] if detail else "no message")
            )
        (store / STAMP).write_text(
            json.dumps({"fingerprint": wanted, "oxigraph": oxigraph_version()}) + "\n",
            encoding="utf-8",
        )
        if location.exists():
            shutil.rmtree(location)
        store.rename(location)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return location


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


class OxigraphServer:
    """``oxigraph serve-read-only`` as a child process: start, wait until it answers, stop."""

    _own_log = None  # the temporary file the child's output goes to (when no ``log`` is given)

    def __init__(
        self,
        location: Path,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout_s: int = 30,
        log=None,
    ):
        """``log``: where the child's output goes; by default a temporary file whose last
        lines :meth:`exit_message` quotes when the child ends before it answers."""
        self.location = Path(location)
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self.log = log
        self._own_log = None
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def command(self) -> list[str]:
        return [
            str(oxigraph_binary()),
            "serve-read-only",
            "--location",
            str(self.location),
            "--bind",
            f"{self.host}:{self.port}",
            "--timeout-s",
            str(self.timeout_s),
        ]

    def start(self, ready_timeout: float = READY_TIMEOUT) -> OxigraphServer:
        if _port_in_use(self.host, self.port):
            raise WivgraphError(f"--port {self.port}: something already listens on {self.host}")
        log = self.log
        if log is None:
            self._own_log = log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            self.wait_ready(ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    server_name = "oxigraph server"
    ready_poll = 0.1  # seconds between readiness probes

    def ready_request(self) -> urllib.request.Request:
        """The probe :meth:`wait_ready` sends: ``ASK {}`` as a direct POST."""
        return urllib.request.Request(
            self.query_url,
            data=b"ASK {}",
            method="POST",
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )

    def exit_message(self) -> str:
        """What to say when the server process ends before it answers."""
        said = self.output_tail()
        return (f"{self.server_name} exited with code {self.process.returncode} "
                f"(command: {' '.join(self.command())})" + (f": {said}" if said else ""))

    def output_tail(self, lines: int = 12) -> str:
        """The last lines the child printed, when its output went to the temporary log."""
        if self._own_log is None:
            return ""
        self._own_log.seek(0)
        text = self._own_log.read().decode("utf-8", "replace").strip()
        return " | ".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Poll until the endpoint answers a query (bounded by ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        request = self.ready_request()
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise WivgraphError(self.exit_message())
            try:
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(self.ready_poll)
        raise WivgraphError(f"{self.server_name} did not answer on {self.query_url} in {timeout:g} s")

    def stop(self, grace: float = 10.0) -> None:
        """Stop the child process (by its PID): SIGTERM, then SIGKILL after ``grace`` seconds."""
        process, self.process = self.process, None
        log, self._own_log = self._own_log, None
        try:
            self._end(process, grace)
        finally:
            if log is not None:
                log.close()

    @staticmethod
    def _end(process, grace: float) -> None:
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)

    def __enter__(self) -> OxigraphServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


class GatedServer(OxigraphServer):
    """The gated front (:mod:`wivgraph.front`) on a prepared store, as a child process.

    Same interface as :class:`OxigraphServer`; the limits are those of
    :class:`wivgraph.front.Limits` unless given.
    """

    server_name = "gated SPARQL endpoint"

    def __init__(self, location: Path, *, limits=None, **kwargs):
        super().__init__(location, **kwargs)
        from wivgraph.front import Limits  # noqa: PLC0415

        self.limits = limits or Limits()

    def command(self) -> list[str]:
        limits = self.limits
        return [
            sys.executable,
            "-m",
            "wivgraph.front",
            "--location",
            str(self.location),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--time-limit",
            str(limits.time_limit),
            "--max-answer-mb",
            str(limits.max_answer_bytes / 2**20),
            "--engines",
            str(limits.engines),
            "--queue",
            str(limits.queue),
            "--memory-mb",
            str(limits.memory_mb),
        ]


def serve(
    root: Path | None = None,
    location: Path | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    limits=None,
    echo=print,
) -> None:
    """Prepare the store and run the gated endpoint in the foreground until Ctrl-C / SIGTERM.

    The store is locked for as long as this runs: a second ``serve`` on it exits with a message.
    The engine processes die with this process, also when it is killed (PR_SET_PDEATHSIG).
    """
    from wivgraph import front  # noqa: PLC0415

    root = root or paths.project_root()
    location = Path(location or default_location(root)).resolve()
    # SIGTERM (e.g. from a service manager) stops like Ctrl-C does: engines are killed on the way
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with StoreLock(location):
            store_dir = prepare_location(root, location, locked=True)
            front.run(store_dir, host=host, port=port, limits=limits, echo=echo)
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
