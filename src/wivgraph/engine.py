"""The query engine behind ``wivgraph serve``: one child process per concurrent query.

The front (:mod:`wivgraph.front`) starts ``python -m wivgraph.engine LOCATION PARENT_PID
MEMORY_MB`` and talks to it over the child's stdin/stdout in frames (:func:`write_frame`). The
child runs the query gate (:func:`wivgraph.gate.check_query`), then the query on the store
directory opened read-only with pyoxigraph, and answers with the serialised result, whole, or an
error status. It is made to be killed: the front kills it when a query runs past its time limit
or its client goes away, and starts a new one.

Before it opens the store, the child

- leaves the network: a new user and network namespace (``unshare``) where no interface is up,
  when the kernel allows it (a second line behind the gate's SERVICE refusal; reported in the
  ready frame);
- asks the kernel to kill it when the front dies (``PR_SET_PDEATHSIG``), and exits if the front
  is already gone;
- caps its address space (``RLIMIT_AS``), so a query that would hold gigabytes fails an
  allocation and the process ends, instead of the machine swapping.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import struct
import sys

_HEAD = struct.Struct("!II")  # header length, body length

#: what a client may ask for, per kind of answer: media type -> pyoxigraph format name
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
DEFAULT_RESULT_TYPE = "application/sparql-results+json"
DEFAULT_GRAPH_TYPE = "text/turtle"


class AnswerTooLarge(Exception):
    """The serialised answer passed the size cap."""


class CappedBuffer:
    """A binary writer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise AnswerTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def negotiate(accept: str | None, graph: bool) -> str | None:
    """The media type to answer with for an ``Accept`` header, or None when none fits (406)."""
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    default = DEFAULT_GRAPH_TYPE if graph else DEFAULT_RESULT_TYPE
    if not accept or not accept.strip():
        return default
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    for _, _, media in sorted(ranges):
        if media in offered:
            return media
        if media == "*/*":
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            if default.startswith(prefix):
                return default
            for candidate in offered:
                if candidate.startswith(prefix):
                    return candidate
    return None


# --- frames -------------------------------------------------------------------------------


def write_frame(stream, header: dict, body: bytes = b"") -> None:
    data = json.dumps(header).encode("utf-8")
    stream.write(_HEAD.pack(len(data), len(body)) + data + body)
    stream.flush()


def read_frame(stream) -> tuple[dict, bytes] | None:
    head = stream.read(_HEAD.size)
    if len(head) < _HEAD.size:
        return None
    size, body_size = _HEAD.unpack(head)
    header = json.loads(stream.read(size).decode("utf-8"))
    return header, stream.read(body_size)


async def read_frame_async(reader) -> tuple[dict, bytes]:
    """The asyncio twin of :func:`read_frame` (raises IncompleteReadError at EOF)."""
    size, body_size = _HEAD.unpack(await reader.readexactly(_HEAD.size))
    header = json.loads((await reader.readexactly(size)).decode("utf-8"))
    return header, await reader.readexactly(body_size)


def frame_bytes(header: dict, body: bytes = b"") -> bytes:
    data = json.dumps(header).encode("utf-8")
    return _HEAD.pack(len(data), len(body)) + data + body


# --- the child process --------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def leave_network() -> bool:
    """Move into a new user + network namespace (no interfaces up); False when not allowed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when the thread that started it dies; exit now if it already did."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the closed stdin still ends the loop below
    if os.getppid() != parent:
        os._exit(0)


def limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def answer(store, request: dict) -> tuple[dict, bytes]:
    """Gate and run one query; the HTTP status, content type and body for the front."""
    import pyoxigraph  # noqa: PLC0415

    from wivgraph.errors import QueryRefused, WivgraphError  # noqa: PLC0415
    from wivgraph.gate import check_query  # noqa: PLC0415

    text = request["query"]
    try:
        check_query(text)
    except QueryRefused as exc:
        return {"status": 403 if "SERVICE" in str(exc) else 400}, str(exc).encode()
    except WivgraphError as exc:
        return {"status": 400}, str(exc).encode()
    except RecursionError:
        return {"status": 400}, b"query refused: nested too deep to parse"
    options = {}
    try:
        if request.get("default_graph"):
            options["default_graph"] = [pyoxigraph.NamedNode(i) for i in request["default_graph"]]
        if request.get("named_graphs"):
            options["named_graphs"] = [pyoxigraph.NamedNode(i) for i in request["named_graphs"]]
        result = store.query(text, **options)
    except (SyntaxError, ValueError) as exc:
        return {"status": 400}, f"query refused by the engine: {exc}".encode()
    except OSError as exc:
        return {"status": 500}, f"query failed: {exc}".encode()
    graph = isinstance(result, pyoxigraph.QueryTriples)
    media = negotiate(request.get("accept"), graph)
    if media is None:
        offered = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
        return {"status": 406}, f"not acceptable: this answer is offered as {offered}".encode()
    if graph:
        fmt = getattr(pyoxigraph.RdfFormat, GRAPH_TYPES[media])
    else:
        fmt = getattr(pyoxigraph.QueryResultsFormat, RESULT_TYPES[media])
    out = CappedBuffer(request["max_bytes"])
    try:
        result.serialize(out, format=fmt)
    except AnswerTooLarge:
        return {"status": 500}, (
            f"query stopped: the answer is larger than the limit of {request['max_bytes']:,} "
            "bytes (add a LIMIT)"
        ).encode()
    except (SyntaxError, ValueError, OSError) as exc:
        return {"status": 500}, f"query failed while running: {exc}".encode()
    charset = "; charset=utf-8" if not media.endswith("xml") else ""
    return {"status": 200, "content_type": media + charset}, out.getvalue()


def main(argv: list[str]) -> int:
    location, parent, megabytes = argv[0], int(argv[1]), int(argv[2])
    isolated = leave_network()
    die_with_parent(parent)  # after unshare: a new user namespace clears the death signal
    limit_memory(megabytes)
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints cannot corrupt frames

    import pyoxigraph  # noqa: PLC0415

    import wivgraph.gate  # noqa: PLC0415

    wivgraph.gate.load_parser()  # before the first query, not during it

    try:
        store = pyoxigraph.Store.read_only(location)
    except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB's "Corruption: ..."
        print(f"error: cannot open the store {location}: {exc}", file=sys.stderr, flush=True)
        return 2
    write_frame(outbox, {"ready": True, "network_isolated": isolated, "pid": os.getpid()})
    while True:
        frame = read_frame(inbox)
        if frame is None:  # the front closed the pipe: stop
            return 0
        header, _ = frame
        status, body = answer(store, header)
        write_frame(outbox, status, body)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
