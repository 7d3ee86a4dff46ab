"""Deploy the graph on another SPARQL server: Virtuoso Open Source 7 (Debian's package).

``wivgraph deploy virtuoso`` writes the public view of the data (content of classified resources
withheld) as one N-Quads file — one named graph per source file, and their union, each triple
once, as the triples without a graph — and loads it with Virtuoso's bulk loader (``ld_dir`` +
``rdf_loader_run``) into a database folder of its own, then serves it read-only on 127.0.0.1.

The layout (docs/deploy.md, "Virtuoso"): the union lands in ``graph:union``, and the endpoint is
configured (``DB.DBA.SYS_SPARQL_HOST``) so that a request naming no dataset gets ``graph:union`` as
its default graph and exactly the project's named graphs for ``GRAPH ?g`` — not Virtuoso's own
system graphs, not ``graph:union``. So ``--endpoint http://127.0.0.1:PORT/sparql`` answers like
the embedded graph with no parameters in the URL. Read only: the anonymous ``SPARQL`` account has
no update grant (Virtuoso's default; checked after every load), the DBA password is a random one
kept in the folder (mode 0600), both ports are bound to the loopback address.

The folder is rebuilt only when the data, the Virtuoso version or this layout change (a stamp file
as for ``wivgraph serve``); a folder without the stamp is never overwritten.
"""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from wivgraph import paths
from wivgraph.errors import WivgraphError
from wivgraph.namespaces import GRAPH_BASE
from wivgraph.serve import (
    STAMP,
    OxigraphServer,
    StoreLock,
    _port_in_use,
    _stamp,
    free_port,
)
from wivgraph.serve import fingerprint as data_fingerprint

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8890
DEFAULT_ISQL_PORT = 1111
#: the graph that holds the union of the named graphs (the endpoint's default graph)
UNION_GRAPH = GRAPH_BASE + "union"
#: bump when what prepare_virtuoso() loads or configures changes
LAYOUT = 1
READY_TIMEOUT = 60.0
PASSWORD_FILE = "dba-password"
LOAD_FILE = "wivgraph.nq"
INSTALL_HINT = (
    "Virtuoso not found: install Debian's package (apt-get install virtuoso-opensource; "
    "it provides virtuoso-t and isql-vt)"
)


def binaries() -> tuple[Path, Path]:
    """The Virtuoso server and its SQL client (``virtuoso-t``, ``isql-vt``)."""
    server = shutil.which("virtuoso-t")
    client = shutil.which("isql-vt") or shutil.which("isql-v")
    if not server or not client:
        raise WivgraphError(INSTALL_HINT)
    return Path(server), Path(client)


def available() -> bool:
    """Whether Virtuoso is installed (both programs on PATH)."""
    try:
        binaries()
    except WivgraphError:
        return False
    return True


def version() -> str:
    """``virtuoso-t``'s version line, e.g. ``7.2.5.3229-pthreads``."""
    server, _ = binaries()
    completed = subprocess.run(
        [str(server), "+help"], capture_output=True, text=True, check=False, timeout=30
    )
    for line in (completed.stdout + completed.stderr).splitlines():
        if line.startswith("Version "):
            return line.split()[1]
    return "unknown"


def default_location(root: Path | None = None) -> Path:
    return (root or paths.project_root()) / ".wivgraph-cache" / "virtuoso"


def fingerprint(root: Path | None = None) -> str:
    """The data's fingerprint (as for ``serve``) with the Virtuoso version and this layout."""
    return f"{data_fingerprint(root)}-virtuoso-{version()}-layout-{LAYOUT}"


def write_ini(location: Path, *, host: str, port: int, isql_port: int) -> Path:
    """virtuoso.ini for the database in ``location``: both ports on ``host`` only."""
    location = Path(location)
    text = f"""; written by wivgraph deploy virtuoso (rewritten on every start)
[Database]
DatabaseFile       = {location}/virtuoso.db
ErrorLogFile       = {location}/virtuoso.log
LockFile           = {location}/virtuoso.lck
TransactionFile    = {location}/virtuoso.trx
xa_persistent_file = {location}/virtuoso.pxa
[TempDatabase]
DatabaseFile    = {location}/virtuoso-temp.db
TransactionFile = {location}/virtuoso-temp.trx
[Parameters]
ServerPort        = {host}:{isql_port}
DisableUnixSocket = 1
DirsAllowed       = {location}/load
NumberOfBuffers   = 170000
MaxDirtyBuffers   = 130000
CaseMode          = 2
CheckpointInterval = 0
[HTTPServer]
ServerPort           = {host}:{port}
ServerRoot           = {location}/www
MaxClientConnections = 8
ServerThreads        = 8
EnabledDavVSP        = 0
[SPARQL]
ResultSetMaxRows      = 10000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""
    (location / "www").mkdir(parents=True, exist_ok=True)
    ini = location / "virtuoso.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


class VirtuosoServer(OxigraphServer):
    """``virtuoso-t`` on a prepared folder as a child process: start, wait until it answers, stop
    (SIGTERM: Virtuoso checkpoints and exits; SIGKILL after the grace period, as for oxigraph)."""

    def __init__(
        self,
        location: Path,
        *,
        host: str = DEFAULT_HOST,
        port: int | None = None,
        isql_port: int | None = None,
    ):
        self.location = Path(location).resolve()
        self.host = host
        self.port = port or free_port(host)
        self.isql_port = isql_port or free_port(host)
        self.process: subprocess.Popen | None = None

    @property
    def query_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/sparql"

    def start(self, ready_timeout: float = READY_TIMEOUT) -> VirtuosoServer:
        server, _ = binaries()
        for port in (self.port, self.isql_port):
            if _port_in_use(self.host, port):
                raise WivgraphError(f"port {port}: something already listens on {self.host}")
        ini = write_ini(self.location, host=self.host, port=self.port, isql_port=self.isql_port)
        log = (self.location / "server.out").open("ab")
        try:
            self.process = subprocess.Popen(
                [str(server), "+foreground", "+configfile", str(ini)],
                cwd=self.location,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        try:
            self.wait_ready(ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    server_name = "Virtuoso"
    ready_poll = 0.2

    def ready_request(self) -> urllib.request.Request:
        """``ASK {}`` as GET: Virtuoso 7.2 leaves a direct POST unanswered."""
        url = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        return urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})

    def exit_message(self) -> str:
        return f"virtuoso-t exited with code {self.process.returncode}; see {self.location / 'virtuoso.log'}"

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Poll until the SPARQL endpoint answers ``ASK {}`` (bounded by ``timeout`` seconds)."""
        super().wait_ready(timeout)

    def isql(self, script: str, password: str, *, timeout: float = 600) -> str:
        """Run SQL statements through ``isql-vt`` as dba; an error in any of them raises."""
        _, client = binaries()
        completed = subprocess.run(
            [str(client), f"{self.host}:{self.isql_port}", "dba", password, "VERBOSE=OFF",
             "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT"],
            input=script,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        output = completed.stdout + completed.stderr
        errors = [line for line in output.splitlines() if "*** Error" in line or "SQLState" in line]
        if completed.returncode != 0 or errors:
            raise WivgraphError(
                "Virtuoso SQL failed: " + (errors[0] if errors else output.strip()[-300:])
            )
        return output


def write_load_file(path: Path, root: Path | None = None, *, dataset=None) -> list[str]:
    """Write the N-Quads the bulk loader reads to ``path``: the public view's named graphs, and
    their union as plain triples (the loader puts those into the graph ``ld_dir`` names,
    :data:`UNION_GRAPH`). Returns the named graphs' IRIs."""
    from wivgraph import fast  # noqa: PLC0415

    store = fast.served_store(root, dataset=dataset)
    fast.write_nquads(store, path)
    return [g.value for g in fast.named_graphs(store) if g.value.startswith(GRAPH_BASE)]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def prepare_virtuoso(
    root: Path | None = None,
    location: Path | None = None,
    *,
    dataset=None,
    force: bool = False,
    echo=lambda message: None,
) -> dict:
    """The Virtuoso folder holding the current data, (re)built when needed; returns its stamp.

    A rebuild loads into a fresh sibling folder (started on free ports, bulk-loaded, configured,
    checkpointed, stopped), which then replaces ``location``; ``location`` is only removed when
    it is empty or holds the stamp. ``dataset`` loads an already loaded Dataset instead of
    ``root``'s files (tests compare answers with that very Dataset).
    """
    root = root or paths.project_root()
    location = Path(location or default_location(root)).resolve()
    binaries()
    wanted = fingerprint(root)
    stamp = _stamp(location)
    if not force and stamp and stamp.get("fingerprint") == wanted:
        return stamp
    if location.exists() and (not location.is_dir() or (stamp is None and any(location.iterdir()))):
        raise WivgraphError(
            f"--location {location}: exists and is not a wivgraph Virtuoso folder "
            f"(no {STAMP}); choose an empty or new folder"
        )
    location.parent.mkdir(parents=True, exist_ok=True)
    echo(f"loading the data into Virtuoso ({location})")
    building = Path(tempfile.mkdtemp(prefix=f".{location.name}.building-", dir=location.parent))
    try:
        (building / "load").mkdir()
        started = time.perf_counter()
        graphs = write_load_file(building / "load" / LOAD_FILE, root, dataset=dataset)
        export_s = time.perf_counter() - started
        password = secrets.token_urlsafe(18)
        secret = building / PASSWORD_FILE
        secret.touch(mode=0o600)
        secret.write_text(password + "\n", encoding="utf-8")
        with VirtuosoServer(building) as server:
            started = time.perf_counter()
            server.isql(
                f"ld_dir({_sql_string(str(building / 'load'))}, {_sql_string(LOAD_FILE)}, "
                f"{_sql_string(UNION_GRAPH)});\n"
                "rdf_loader_run();\n"
                "checkpoint;\n",
                "dba",
            )
            load_s = time.perf_counter() - started
            failed = server.isql(
                "select count(*) from DB.DBA.load_list where ll_state <> 2 or ll_error "
                "is not null;\n",
                "dba",
            )
            if _last_number(failed) != 0:
                raise WivgraphError(
                    f"Virtuoso's bulk loader did not load {LOAD_FILE}; see "
                    f"{building / 'virtuoso.log'}"
                )
            defines = " ".join(f"define input:named-graph-uri <{g}>" for g in graphs)
            server.isql(
                "delete from DB.DBA.SYS_SPARQL_HOST where SH_HOST = '*';\n"
                "insert into DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI, SH_DEFINES) values "
                f"('*', {_sql_string(UNION_GRAPH)}, {_sql_string(defines)});\n"
                f"USER_SET_PASSWORD('dba', {_sql_string(password)});\n"
                "checkpoint;\n",
                "dba",
            )
            quads = _last_number(server.isql(
                "sparql select count(*) where { graph ?g { ?s ?p ?o } "
                f"filter(strstarts(str(?g), {_sql_string(GRAPH_BASE)}) && ?g != <{UNION_GRAPH}>) }};\n",
                password,
            ))
            check_read_only(server.query_url)
        (building / "load" / LOAD_FILE).unlink()
        new_stamp = {
            "fingerprint": wanted,
            "virtuoso": version(),
            "layout": LAYOUT,
            "graphs": len(graphs),
            "quads": quads,
            "export_s": round(export_s, 3),
            "load_s": round(load_s, 3),
        }
        (building / STAMP).write_text(json.dumps(new_stamp) + "\n", encoding="utf-8")
        if location.exists():
            shutil.rmtree(location)
        building.rename(location)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    echo(f"loaded {quads} quads in {len(graphs)} named graphs in {load_s:.2f} s")
    return new_stamp


def _last_number(output: str) -> int | None:
    numbers = [line.strip() for line in output.splitlines() if line.strip().isdigit()]
    return int(numbers[-1]) if numbers else None


def check_read_only(url: str) -> None:
    """Refuse a Virtuoso whose anonymous SPARQL endpoint accepts an update."""
    body = urllib.parse.urlencode(
        {"update": f"INSERT DATA {{ GRAPH <{GRAPH_BASE}write-probe> {{ <urn:a> <urn:b> <urn:c> }} }}"}
    ).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310
            pass
    except urllib.error.HTTPError:
        pass  # refused: what we want
    # a SELECT, not ASK: Virtuoso 7.2 answers ASK { GRAPH <g> { ?s ?p ?o } } true for any <g>
    probe = urllib.parse.urlencode(
        {"query": f"SELECT ?s WHERE {{ GRAPH <{GRAPH_BASE}write-probe> {{ ?s ?p ?o }} }} LIMIT 1"}
    )
    with urllib.request.urlopen(  # noqa: S310
        urllib.request.Request(url + "?" + probe, headers={"Accept": "application/sparql-results+json"}),
        timeout=30,
    ) as response:
        if json.loads(response.read())["results"]["bindings"]:
            raise WivgraphError(f"{url}: the endpoint accepted an update; it must be read only")


def _interrupt(*_) -> None:
    raise KeyboardInterrupt  # SIGTERM (a service manager) stops like Ctrl-C


def deploy_virtuoso(
    root: Path | None = None,
    location: Path | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    isql_port: int = DEFAULT_ISQL_PORT,
    force: bool = False,
    echo=print,
    until=None,
) -> None:
    """Prepare the folder and serve it in the foreground until Ctrl-C / SIGTERM (or ``until()``
    returns true, for tests)."""
    root = root or paths.project_root()
    location = Path(location or default_location(root)).resolve()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with StoreLock(location):
            stamp = prepare_virtuoso(root, location, force=force, echo=echo)
            with VirtuosoServer(location, host=host, port=port, isql_port=isql_port) as server:
                echo(
                    f"Virtuoso {stamp.get('virtuoso')}: {stamp.get('quads')} quads in "
                    f"{stamp.get('graphs')} named graphs, read only, at {server.query_url} "
                    f"(process {server.pid}); Ctrl-C stops it"
                )
                while until is None or not until():
                    if server.process is None or server.process.poll() is not None:
                        raise WivgraphError(
                            f"virtuoso-t stopped; see {location / 'virtuoso.log'}"
                        )
                    time.sleep(0.5)
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
