"""The gated front of ``wivgraph serve``: a small ASGI app (starlette on uvicorn) before the engine.

Every request to ``/query`` (SPARQL 1.1 Protocol: GET, POST form, POST direct; results as
JSON, XML, CSV or TSV, graphs as Turtle, N-Triples or RDF/XML by ``Accept``) passes, in order:

1. the request size cap (:attr:`Limits.max_request_bytes`, HTTP 413);
2. the gate's cheap checks before any parsing: text length and bracket nesting
   (:func:`wivgraph.gate.precheck`; 413 / 400);
3. the concurrency limit: :attr:`Limits.engines` queries run at once, at most
   :attr:`Limits.queue` more wait; the next one gets HTTP 429;
4. an engine process (:mod:`wivgraph.engine`) that runs the full gate (no SERVICE, updates, FROM)
   and the query, capped in memory (RLIMIT_AS) and answer size, and is **killed** when the time
   limit passes (HTTP 503) or the client goes away, then replaced. An engine that dies (e.g. at
   its memory cap) gives HTTP 500 and is replaced too.

The answer is sent only once it is complete: never a 200 with a cut body. Errors are short
plain-text bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from wivgraph.engine import frame_bytes, read_frame_async
from wivgraph.errors import QueryRefused, WivgraphError
from wivgraph.gate import precheck

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ENGINE_READY_TIMEOUT = 30.0
START_ATTEMPTS = 3  # tries per engine when the endpoint starts


@dataclass(frozen=True)
class Limits:
    """What one served query may use."""

    time_limit: float = 30.0  # seconds from arrival to answer, waiting for an engine included
    max_answer_bytes: int = 64 * 1024 * 1024
    engines: int = 2  # queries running at once, one engine process each
    queue: int = 16  # queries waiting for an engine; one more gets HTTP 429
    memory_mb: int = 1024  # address space of each engine process (RLIMIT_AS)
    max_request_bytes: int = 512 * 1024


class Problem(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --- engines ------------------------------------------------------------------------------


class Engine:
    """One engine child process and its pipes."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.network_isolated = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class EnginePool:
    """``limits.engines`` engine processes; a killed or dead one is replaced in the background."""

    def __init__(self, location: Path, limits: Limits, *, log=None):
        self.location = Path(location)
        self.limits = limits
        self.idle: asyncio.Queue[Engine] = asyncio.Queue()
        self.waiting = 0
        self.engines: set[Engine] = set()
        self.restarts = 0
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self._tasks: set[asyncio.Task] = set()
        self._closing = False

    async def start(self) -> None:
        """Start the engines; an engine that fails to start is tried again, twice at most."""
        started = await asyncio.gather(
            *(self._spawn_at_start() for _ in range(self.limits.engines)), return_exceptions=True
        )
        failed = [result for result in started if isinstance(result, BaseException)]
        if failed:
            for engine in list(self.engines):
                await self._reap(engine)
            raise failed[0]
        for engine in started:
            self.idle.put_nowait(engine)

    async def _spawn_at_start(self, attempts: int = START_ATTEMPTS) -> Engine:
        for attempt in range(1, attempts):
            try:
                return await self._spawn()
            except WivgraphError as exc:
                self.log(f"warning: {exc}; trying again")
                await asyncio.sleep(0.2 * attempt)
        return await self._spawn()

    async def _spawn(self) -> Engine:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "wivgraph.engine",
            str(self.location),
            str(os.getpid()),
            str(self.limits.memory_mb),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        engine = Engine(process)
        self.engines.add(engine)
        try:
            assert process.stdout is not None
            header, _ = await asyncio.wait_for(
                read_frame_async(process.stdout), ENGINE_READY_TIMEOUT
            )
        except (asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            if isinstance(exc, asyncio.IncompleteReadError):  # it closed its output: let it end
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), 2.0)
            await self._reap(engine)
            raise WivgraphError(
                f"the query engine did not start on {self.location} "
                f"(exit code {process.returncode})"
            ) from None
        engine.network_isolated = bool(header.get("network_isolated"))
        return engine

    async def _reap(self, engine: Engine) -> None:
        engine.kill()
        with contextlib.suppress(ProcessLookupError):
            await engine.process.wait()
        self.engines.discard(engine)

    def busy(self) -> bool:
        """Whether one more query would have to wait beyond the queue."""
        return self.idle.empty() and self.waiting >= self.limits.queue

    async def acquire(self, timeout: float) -> Engine | None:
        self.waiting += 1
        try:
            return await asyncio.wait_for(self.idle.get(), max(0.0, timeout))
        except TimeoutError:
            return None
        finally:
            self.waiting -= 1

    def release(self, engine: Engine) -> None:
        self.idle.put_nowait(engine)

    def replace(self, engine: Engine) -> None:
        """Kill ``engine`` now and start another in its place."""
        engine.kill()
        self.restarts += 1
        task = asyncio.get_running_loop().create_task(self._replace(engine))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, engine: Engine) -> None:
        await self._reap(engine)
        delay = 0.1
        while not self._closing:
            try:
                self.idle.put_nowait(await self._spawn())
                return
            except WivgraphError as exc:
                self.log(f"warning: {exc}; retrying")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def close(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        for engine in list(self.engines):
            if engine.process.stdin is not None:
                engine.process.stdin.close()
            engine.kill()
        for engine in list(self.engines):
            await self._reap(engine)

    async def ask(self, engine: Engine, request: dict, timeout: float, gone: asyncio.Future):
        """Run ``request`` on ``engine``: (status, content type, body); kills it on timeout."""
        process = engine.process
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(frame_bytes(request))
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            self.replace(engine)
            return 500, None, b"the query engine was not running; it is restarted, ask again"
        reading = asyncio.ensure_future(read_frame_async(process.stdout))
        done, _ = await asyncio.wait(
            {reading, gone}, timeout=max(0.0, timeout), return_when=asyncio.FIRST_COMPLETED
        )
        if reading in done:
            try:
                header, body = reading.result()
            except (asyncio.IncompleteReadError, ValueError):
                self.replace(engine)
                return 500, None, (
                    "query stopped: the query engine ended while running it (most likely at "
                    f"its memory limit of {self.limits.memory_mb} MB); it is restarted"
                ).encode()
            self.release(engine)
            return header["status"], header.get("content_type"), body
        reading.cancel()
        self.replace(engine)  # the only way to stop a running evaluation
        if gone in done:
            return 499, None, b"client went away"
        return 503, None, (
            f"query stopped: it ran longer than the time limit of {self.limits.time_limit:g} s"
        ).encode()


# --- HTTP ---------------------------------------------------------------------------------


def _text(status: int, message: str | bytes, headers: dict | None = None):
    from starlette.responses import Response  # noqa: PLC0415

    body = message.encode() if isinstance(message, str) else message
    return Response(body + b"\n", status, headers=headers, media_type="text/plain")


async def _body(request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Problem(413, f"request refused: body larger than {limit:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"request refused: body larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_qs(raw: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(
            raw, keep_blank_values=True, strict_parsing=False, errors="strict",
            max_num_fields=1000,
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(400, f"bad request: unreadable parameters ({exc})") from None


async def protocol_request(request, limits: Limits) -> dict:
    """The SPARQL 1.1 Protocol query operation: query text, dataset and Accept."""
    if len(request.url.query) > limits.max_request_bytes:
        raise Problem(414, "request refused: URL too long")
    url_params = _parse_qs(request.url.query)
    body = await _body(request, limits.max_request_bytes)
    if request.method == "GET":
        params = url_params
    else:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if any(name == "query" for name, _ in url_params):
            raise Problem(400, "bad request: a POST carries the query in its body only")
        if media == "application/x-www-form-urlencoded":
            try:
                params = url_params + _parse_qs(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise Problem(400, "bad request: the form is not UTF-8") from None
        elif media == "application/sparql-query":
            try:
                params = [*url_params, ("query", body.decode("utf-8"))]
            except UnicodeDecodeError:
                raise Problem(400, "bad request: the query is not UTF-8") from None
        elif media == "application/sparql-update":
            raise Problem(403, "SPARQL Update is refused: the endpoint is read-only")
        else:
            raise Problem(
                415,
                "unsupported content type: POST application/sparql-query or "
                "application/x-www-form-urlencoded",
            )
    names = [name for name, _ in params]
    if "update" in names:
        raise Problem(403, "SPARQL Update is refused: the endpoint is read-only")
    if names.count("query") != 1:
        raise Problem(400, "bad request: expected exactly one 'query' parameter")
    unknown = sorted(set(names) - {"query", "default-graph-uri", "named-graph-uri"})
    if unknown:
        raise Problem(400, f"bad request: unknown parameter(s) {', '.join(unknown)}")
    return {
        "query": dict(params)["query"],
        "default_graph": [value for name, value in params if name == "default-graph-uri"],
        "named_graphs": [value for name, value in params if name == "named-graph-uri"],
        "accept": request.headers.get("accept"),
        "max_bytes": limits.max_answer_bytes,
    }


async def _gone(receive) -> None:
    """Returns when the client disconnects (the request body has been read already)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


def make_app(pool: EnginePool, *, host: str = "127.0.0.1"):
    """The ASGI app over a started :class:`EnginePool`."""
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.middleware import Middleware  # noqa: PLC0415
    from starlette.middleware.trustedhost import TrustedHostMiddleware  # noqa: PLC0415
    from starlette.responses import Response  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    limits = pool.limits

    async def query(request):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limits.time_limit
        try:
            asked = await protocol_request(request, limits)
            precheck(asked["query"])
        except Problem as problem:
            return _text(problem.status, problem.message)
        except QueryRefused as exc:
            return _text(413 if "characters" in str(exc) else 400, str(exc))
        except WivgraphError as exc:
            return _text(400, str(exc))
        if pool.busy():
            return _text(
                429, "too many queries at once: try again shortly", {"Retry-After": "1"}
            )
        engine = await pool.acquire(deadline - loop.time())
        if engine is None:
            return _text(
                503,
                f"query stopped: no engine was free within the time limit of "
                f"{limits.time_limit:g} s",
            )
        gone = asyncio.ensure_future(_gone(request.receive))
        try:
            status, media, body = await pool.ask(engine, asked, deadline - loop.time(), gone)
        finally:
            gone.cancel()
        if status != 200 or media is None:
            return _text(status, body)
        return Response(body, 200, headers={"Content-Type": media, "Vary": "Accept"})

    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if host in LOOPBACK else ["*"]
    return Starlette(
        routes=[Route("/query", query, methods=["GET", "POST"])],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
    )


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts (a busy port is a clear error)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise WivgraphError(f"--port {port}: cannot listen on {host} ({exc.strerror})") from None
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/query"


def run(location: Path, *, host: str = "127.0.0.1", port: int = 7878,
        limits: Limits | None = None, echo=print) -> None:
    """Serve ``location`` (a prepared oxigraph store directory) until SIGINT or SIGTERM."""
    limits = limits or Limits()
    sock = bind(host, port)
    try:
        asyncio.run(_serve(location, sock, host, port, limits, echo))
    finally:
        sock.close()


async def _serve(location, sock, host, port, limits: Limits, echo) -> None:
    import uvicorn  # noqa: PLC0415

    # a killed engine may be reaped before asyncio's child watcher looks: not worth a warning
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    pool = EnginePool(location, limits, log=echo)
    try:
        await pool.start()
        isolated = all(engine.network_isolated for engine in pool.engines)
        config = uvicorn.Config(
            make_app(pool, host=host),
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            limit_concurrency=limits.engines + limits.queue + 32,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=2,
        )
        echo(
            f"SPARQL endpoint (read-only, gated): {url_of(host, port)}  (store: {location}; "
            f"time limit {limits.time_limit:g} s, {limits.engines} engines of at most "
            f"{limits.memory_mb} MB, engine network {'off' if isolated else 'not isolated'}; "
            "Ctrl-C stops)"
        )
        await uvicorn.Server(config).serve(sockets=[sock])
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m wivgraph.front --location DIR [--port N] ...``: serve a prepared store."""
    parser = argparse.ArgumentParser(prog="python -m wivgraph.front")
    parser.add_argument("--location", required=True, type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7878)
    parser.add_argument("--time-limit", type=float, default=Limits.time_limit)
    parser.add_argument("--max-answer-mb", type=float, default=Limits.max_answer_bytes / 2**20)
    parser.add_argument("--engines", type=int, default=Limits.engines)
    parser.add_argument("--queue", type=int, default=Limits.queue)
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb)
    args = parser.parse_args(argv)
    limits = Limits(
        time_limit=args.time_limit,
        max_answer_bytes=int(args.max_answer_mb * 2**20),
        engines=args.engines,
        queue=args.queue,
        memory_mb=args.memory_mb,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        run(args.location, host=args.host, port=args.port, limits=limits,
            echo=lambda m: print(m, file=sys.stderr, flush=True))
    except WivgraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
