"""The ``wivgraph`` command line: a thin layer over the library.

Exit codes: 0 success (validate: conforms), 1 validation violations, 2 bad input,
3 internal error (one line, no traceback).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import sys
from pathlib import Path

#: set by main(): this process runs one command and ends (not so where tests call ``cli``)
_ONE_COMMAND = False


@contextlib.contextmanager
def _kept_till_exit(pause: bool = True):
    """For a block whose objects stay until the process ends (modules, the checker's remembered
    state): the collector is paused meanwhile and leaves them alone after (gc.freeze), also in
    its collection at exit; 0.05 s or more of a command. ``pause`` False: the block runs as is."""
    if not pause:
        yield
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


with _kept_till_exit():
    import click

    from wivgraph import export as export_mod
    from wivgraph import query as query_mod
    from wivgraph import validate as validate_mod
    from wivgraph.errors import WivgraphError
    from wivgraph.load import dataset_stats

LANGS = click.Choice(["nl", "en"])


class WivgraphGroup(click.Group):
    """Turns WivgraphError anywhere below into one line on stderr and exit code 2, any other
    unexpected exception into one line "internal error: ..." and exit code 3 (1 means violations)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WivgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # output piped into a closed reader: click's own handling
            if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
                # a read-only project, a full disk, no permission: the user's to fix
                where = f"{exc.filename}: " if exc.filename else ""
                click.echo(f"error: {where}cannot write ({exc.strerror or exc})", err=True)
                ctx.exit(2)
            click.echo(_internal_error(exc), err=True)
            ctx.exit(3)


#: errors of writing a file or folder that are bad input/environment (exit 2), not our bug
WRITE_ERRNOS = {
    errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EEXIST,
    errno.EISDIR, errno.ENOTDIR, errno.ENOENT, errno.ENAMETOOLONG, errno.EFBIG,
}


def _internal_error(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()
    return f"internal error: {type(exc).__name__}" + (f": {detail[0]}" if detail else "")


def _root(ctx: click.Context) -> Path | None:
    return ctx.obj.get("root") if ctx.obj else None


def _endpoint(ctx: click.Context) -> str | None:
    return ctx.obj.get("endpoint") if ctx.obj else None


def _dataset(ctx: click.Context):
    """The data a command works on: fetched from --endpoint if given, else the build cache of
    --root (an rdflib copy of its asserted named graphs, the public view)."""
    if _endpoint(ctx):
        from wivgraph.store import load_source

        return load_source(_root(ctx), _endpoint(ctx))
    from wivgraph.fast import rdflib_dataset

    return rdflib_dataset(_cached_store(ctx), inferred=False)


def _network_source(ctx: click.Context):
    """What ``network`` builds from: with --endpoint the endpoint itself, asked bounded questions
    (nothing copied), unless it holds classified content: then its copied public view, as for
    ``stats``; else the build cache of --root, asked the same questions through oxigraph."""
    endpoint = _endpoint(ctx)
    if endpoint:
        from wivgraph.network import remote_source
        from wivgraph.store import RemoteStore

        return remote_source(RemoteStore(endpoint))
    return _fast_store(ctx)


def _cached_store(ctx: click.Context):
    """The pyoxigraph store of the build cache of --root (asserted named graphs, their union and
    graph:inferred; the public view), built first when missing or stale (said once on stderr)."""
    from wivgraph import cache

    cached = ctx.obj.setdefault("cached", {}) if ctx.obj is not None else {}
    if "store" not in cached:
        root = _root(ctx)
        key = cache.content_key(root)  # once: the store of this key is opened (and named)
        if not cache.is_fresh(root, key) and _progress_visible():
            click.echo("building the cache (.wivgraph-cache/) for the current ontology/ and "
                       "data/; once per change", err=True)
        try:
            cached["store"] = cache.open_store(root, key=key)
        except cache.CacheNotWritable:  # a read-only project: the files loaded, not cached
            from wivgraph.fast import load_store

            cached["store"] = load_store(root)
        cached["key"] = key
    return cached["store"]


def _remembered_checker(ctx: click.Context, store, lang: str):
    """The checker for ``store`` (over the build cache of --root), made from the state kept in
    the cache folder by an earlier run on the same data and code (wivgraph.check.memo), else
    built and kept there. Never for --endpoint: a remote store's data have no content key."""
    from wivgraph import cache

    root = _root(ctx)
    _cached_store(ctx)
    key = ctx.obj["cached"]["key"]
    with _kept_till_exit(_ONE_COMMAND):
        from wivgraph.check.memo import remembered_checker

        # written only if the data are still those of the key (not changed while this ran)
        return remembered_checker(store, key, cache.cache_dir(root), lang,
                                  confirm=lambda: cache.content_key(root) == key)


def _progress_visible() -> bool:
    """Whether progress notes go to stderr: only when a person watches it (a terminal), so
    piped or captured output stays the command's own."""
    return sys.stderr.isatty()


def _fast_store(ctx: click.Context):
    """The asserted data of the build cache as a Store (pyoxigraph; graph:inferred left out)."""
    from wivgraph import cache
    from wivgraph.fast import FastStore

    store = _cached_store(ctx)
    root, key = _root(ctx), ctx.obj["cached"]["key"]
    return FastStore(store, inferred=False, names=lambda: cache.remembered_names(store, root, key))


def _local_only(ctx: click.Context, command: str) -> None:
    """Refuse --endpoint for a command that works on the local files only."""
    if _endpoint(ctx):
        raise WivgraphError(
            f"--endpoint is not supported for {command}: it works on the local files "
            "of --root (leave out --endpoint)"
        )


@click.group(cls=WivgraphGroup)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder holding ontology/, data/, shapes/, queries/ (default: this repository).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Use the data of a SPARQL 1.1 endpoint instead of the embedded graph "
    "(e.g. http://127.0.0.1:7878/query from 'wivgraph serve'): 'query run', check, stats and "
    "network ask it (stats and network copy it only when it holds classified content); export "
    "and ask copy its named graphs first; validate, serve, build and ingest refuse it.",
)
@click.option(
    "--lang",
    "lang",
    type=LANGS,
    default=None,
    help="Language of every command's output (nl, en); a command's own --lang wins.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None, endpoint: str | None, lang: str | None) -> None:
    """wivgraph: the knowledge graph of the Dutch intelligence cooperation framework."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.obj["endpoint"] = endpoint
    from wivgraph import cache, gate  # noqa: PLC0415

    # queries that passed the gate before are not parsed again (rdflib's parser: 0.1-0.2 s)
    gate.remember_in(cache.cache_dir(root))
    ctx.call_on_close(lambda: gate.remember_in(None))  # for this command only (tests run many)
    if lang:  # `wivgraph --lang en ask ...`: the default of every subcommand's --lang
        ctx.default_map = _lang_defaults(ctx.command, lang)


def _lang_defaults(group: click.Group, lang: str) -> dict:
    """A click default_map giving ``lang`` to every (sub)command that has a --lang option."""
    found: dict = {}
    for name, command in group.commands.items():
        entry = _lang_defaults(command, lang) if isinstance(command, click.Group) else {}
        if any(param.name == "lang" for param in command.params):
            entry["lang"] = lang
        if entry:
            found[name] = entry
    return found


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Triples per named graph and instances per class."""
    if _endpoint(ctx):  # aggregates asked of the server; its data copied only if classified
        from wivgraph.store import RemoteStore, remote_stats

        result = remote_stats(RemoteStore(_endpoint(ctx))) or dataset_stats(_dataset(ctx))
    else:  # asked of the build cache (the same counts, tests/test_cli_fast.py)
        from wivgraph.fast import store_stats

        result = store_stats(_cached_store(ctx))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"quads (triples per named graph, summed): {result['quads']}")
    click.echo(f"distinct triples (union of the graphs): {result['distinct_triples']}")
    click.echo("\nnamed graphs:")
    for name, count in result["graphs"].items():
        click.echo(f"  {count:>7}  {name}")
    click.echo("\nclasses:")
    for name, count in result["classes"].items():
        click.echo(f"  {count:>7}  {validate_mod.compact(name)}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text")
@click.option("--lang", type=LANGS, default="nl", help="Language of the messages.")
@click.option(
    "--inference",
    type=click.Choice(validate_mod.INFERENCE_MODES),
    default="none",
    help="Inference before validation (default none; see docs/validation.md).",
)
@click.option("--details", is_flag=True,
              help="Text format: every result, not only the counts per severity.")
@click.pass_context
def validate(ctx: click.Context, fmt: str, lang: str, inference: str, details: bool) -> None:
    """Validate the graph with the SHACL shapes; exit 0 conforms, 1 violations, 2 bad input."""
    _local_only(ctx, "validate")
    report = _validation_report(ctx, lang, inference)
    if fmt == "text" and not details:
        click.echo(validate_mod.format_summary(report, lang))
    else:
        click.echo(validate_mod.format_report(report, fmt, lang))
    ctx.exit(0 if report.conforms else 1)


def _validation_report(ctx: click.Context, lang: str, inference: str):
    """pyrudof and SHACL-SPARQL on the build cache (the report kept in the cache folder for the
    same data, shapes/ and code), or on the files' graph when inference is asked for or the
    cache withheld classified content (the shapes must see what the files hold)."""
    from wivgraph import cache
    from wivgraph.fast import load_shapes

    if inference == "none":
        store = _cached_store(ctx)
        if (cache.info(_root(ctx)) or {}).get("withheld") == 0:
            from wivgraph.fast import validate_fast

            return validate_mod.remembered_report(
                _root(ctx), lang,
                lambda: validate_fast(store, load_shapes(_root(ctx)), lang=lang),
            )
    return validate_mod.validate_dataset(
        root=_root(ctx), shapes=load_shapes(_root(ctx)), lang=lang, inference=inference
    )


@cli.group()
def query() -> None:
    """The question catalogue (queries/*.rq)."""


@query.command("list")
@click.option("--lang", type=LANGS, default="nl")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def query_list(ctx: click.Context, lang: str, fmt: str) -> None:
    """List the catalogue: name, title and parameters."""
    root = _root(ctx)
    questions = query_mod.catalogue(root / "queries" if root else None)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "title": q.title(lang),
                        "parameters": [p.__dict__ for p in q.parameters],
                    }
                    for q in questions.values()
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for q in questions.values():
        params = ", ".join(f"{p.name}:{p.type}" for p in q.parameters)
        click.echo(f"{q.name:<40} {q.title(lang)}" + (f"  [{params}]" if params else ""))


@query.command("run")
@click.argument("name_or_file")
@click.option("--param", "params", multiple=True, help="NAME=VALUE; repeat for more.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--limit", type=click.IntRange(1), default=query_mod.DEFAULT_ROW_LIMIT,
              show_default=True, help="Row limit.")
@click.option("--time-limit", type=click.FloatRange(0.1), default=query_mod.DEFAULT_TIME_LIMIT,
              show_default=True, help="Seconds a query may run.")
@click.pass_context
def query_run(
    ctx: click.Context,
    name_or_file: str,
    params: tuple[str, ...],
    fmt: str,
    limit: int,
    time_limit: float,
) -> None:
    """Run a catalogue question (by name) or any .rq file, with bound parameters."""
    root = _root(ctx)
    question = query_mod.find_question(name_or_file, root / "queries" if root else None)
    values = query_mod.parse_param_options(list(params))
    if Path(name_or_file).suffix == ".rq" and Path(name_or_file).is_file():
        question = query_mod.ad_hoc_parameters(question, values)  # own file: header optional
    endpoint = _endpoint(ctx)
    if endpoint:
        from wivgraph.store import RemoteStore

        target = RemoteStore(endpoint)
    elif not (Path(name_or_file).suffix == ".rq" and Path(name_or_file).is_file()):
        # a catalogue question by name (the project's own text, as find_question read it):
        # asked in-process of the build cache; the time limit stops the wait for it
        target = _fast_store(ctx)
    else:
        # user-written SPARQL: gate, binding and evaluation in a child process that is killed
        # at the time limit, the same bounded path as the explorer's SPARQL page (wivgraph.sandbox)
        from wivgraph.sandbox import local_store

        target = local_store(root)
    result = query_mod.run_question(
        target, question, values, row_limit=limit, time_limit=time_limit
    )
    click.echo(query_mod.format_result(result, fmt))
    note = result.truncation_note()
    if note:  # csv and json have no room for it in the data itself (json also says "truncated")
        click.echo(note, err=True)


@query.command("docs")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def query_docs(ctx: click.Context, output: Path | None) -> None:
    """Generate docs/questions.md from the query headers (stdout without --output)."""
    root = _root(ctx)
    text = query_mod.catalogue_markdown(query_mod.catalogue(root / "queries" if root else None))
    if output is None:
        click.echo(text, nl=False)
    else:
        export_mod.write_atomic(output, text)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(sorted(export_mod.FORMATS)), default="ttl")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the whole graph (Turtle, TriG with named graphs, JSON-LD, N-Quads), or its norms
    as ODRL 2.2 policies in the wivgraph profile (odrl: Turtle, docs/odrl-profile.md)."""
    if fmt in export_mod.STORE_FORMATS and not _endpoint(ctx):  # oxigraph writes as it reads
        store = _cached_store(ctx)
        if output is None:
            sys.stdout.flush()
            export_mod.write_store(store, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            from wivgraph.atomic import atomic_file

            with atomic_file(output, "wb") as handle:
                export_mod.write_store(store, fmt, handle)
            click.echo(f"wrote {output}", err=True)
        return
    text = export_mod.serialize(_dataset(ctx), fmt)
    if output is None:
        click.echo(text)
    else:
        export_mod.write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
        if fmt == "jsonld":
            context = output.with_name(output.stem + ".context.jsonld")
            export_mod.write_context(context)
            click.echo(f"wrote {context}", err=True)


# --- commands added by later stages go below this line --------------------------------------


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind to.")
@click.option(
    "--location",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Oxigraph store directory (default: .wivgraph-cache/oxigraph); rebuilt when data changed.",
)
@click.option("--time-limit", type=click.FloatRange(0.1), default=30.0, show_default=True,
              help="Seconds a query may take; then its engine is killed (HTTP 503).")
@click.option("--max-answer-mb", type=click.FloatRange(0.001), default=64.0, show_default=True,
              help="Largest answer sent (HTTP 500 above it).")
@click.option("--engines", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once (one engine process each).")
@click.option("--queue", type=click.IntRange(0, 1000), default=16, show_default=True,
              help="Queries that may wait for an engine; more get HTTP 429.")
@click.option("--memory-mb", type=click.IntRange(640), default=1024, show_default=True,
              help="Address-space limit of each engine process (RLIMIT_AS).")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, location: Path | None, time_limit: float,
          max_answer_mb: float, engines: int, queue: int, memory_mb: int) -> None:
    """Serve the graph as a read-only, gated SPARQL endpoint until Ctrl-C (docs/security.md)."""
    from wivgraph.front import Limits
    from wivgraph.serve import serve as serve_endpoint

    _local_only(ctx, "serve")
    limits = Limits(time_limit=time_limit, max_answer_bytes=int(max_answer_mb * 2**20),
                    engines=engines, queue=queue, memory_mb=memory_mb)
    serve_endpoint(_root(ctx), location, host=host, port=port, limits=limits,
                   echo=lambda m: click.echo(m, err=True))


@cli.group("deploy")
def deploy_group() -> None:
    """Load the graph into another SPARQL server and serve it read-only (docs/deploy.md)."""


@deploy_group.command("virtuoso")
@click.option("--port", type=click.IntRange(1, 65535), default=8890, show_default=True,
              help="HTTP port of the SPARQL endpoint (/sparql).")
@click.option("--isql-port", type=click.IntRange(1, 65535), default=1111, show_default=True,
              help="Virtuoso's SQL port (loopback only).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind to.")
@click.option("--location", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Database folder (default: .wivgraph-cache/virtuoso); reloaded when data changed.")
@click.option("--force", is_flag=True, help="Reload even when the folder is current.")
@click.option("--load-only", is_flag=True, help="Load when needed, then exit without serving.")
@click.pass_context
def deploy_virtuoso(ctx: click.Context, port: int, isql_port: int, host: str,
                    location: Path | None, force: bool, load_only: bool) -> None:
    """Bulk-load the public view into Virtuoso (Debian's virtuoso-opensource) and serve it
    read-only until Ctrl-C; use it with --endpoint http://HOST:PORT/sparql."""
    from wivgraph import deploy as deploy_mod

    _local_only(ctx, "deploy")
    echo = lambda message: click.echo(message, err=True)  # noqa: E731
    if load_only:
        stamp = deploy_mod.prepare_virtuoso(_root(ctx), location, force=force, echo=echo)
        click.echo(json.dumps(stamp, indent=2))
        return
    deploy_mod.deploy_virtuoso(_root(ctx), location, host=host, port=port, isql_port=isql_port,
                               force=force, echo=echo)


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild even when the cache is current.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> None:
    """Load and infer once; cache the inferred dataset under .wivgraph-cache/ (see docs/performance.md)."""
    from wivgraph import cache

    _local_only(ctx, "build")
    path = cache.build(_root(ctx), force=force)
    meta = cache.info(_root(ctx)) or {}
    click.echo(f"{path} ({meta.get('quads', '?')} quads, {meta.get('inferred', '?')} inferred)")


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "slug", required=True, help="Document slug, e.g. convenant-ciic-2020.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Turtle file to write (default: data/documents/<slug>.ttl).")
@click.option("--kind", type=click.Choice(["convenant", "toezichtsrapport", "selectielijst"]),
              default="convenant", show_default=True)
@click.pass_context
def ingest(ctx: click.Context, source: Path, slug: str, output: Path | None, kind: str) -> None:
    """Turn a plain-text source into its article/section structure (Turtle)."""
    from wivgraph.ingest import ingest_file

    _local_only(ctx, "ingest")
    root = _root(ctx)
    if output is None and root is not None:
        output = root / "data" / "documents" / f"{slug}.ttl"
    target, graph = ingest_file(source, slug, output, kind=kind)
    click.echo(f"wrote {target} ({len(graph)} triples)", err=True)


@cli.group()
def network() -> None:
    """Cooperation and data-flow networks (networkx) derived from the graph."""


def _parse_date(value: str | None):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise WivgraphError(f"--on {value!r}: expected a date YYYY-MM-DD") from None


ON_OPTION = click.option("--on", "on", default=None, help="Only what was in force on this date (YYYY-MM-DD).")
LANG_OPTION = click.option("--lang", type=LANGS, default="nl")


@network.command("centrality")
@click.option("--kind", type=click.Choice(["cooperation", "data-flow"]), default="cooperation")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@ON_OPTION
@LANG_OPTION
@click.pass_context
def network_centrality(ctx: click.Context, kind: str, fmt: str, on: str | None, lang: str) -> None:
    """Degree and betweenness centrality: who sits at the centre?"""
    from wivgraph import network as net

    source = _network_source(ctx)
    build = net.cooperation_network if kind == "cooperation" else net.data_flow_network
    rows = net.centrality(build(source, _parse_date(on), lang))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(net.format_centrality(rows, lang))


@network.command("paths")
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", type=click.IntRange(1, 8), default=4, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@ON_OPTION
@LANG_OPTION
@click.pass_context
def network_paths(
    ctx: click.Context, source: str, target: str, max_hops: int, fmt: str, on: str | None, lang: str
) -> None:
    """Through which parties can data of SOURCE reach TARGET, on which conditions?"""
    from wivgraph import network as net

    data = _network_source(ctx)
    flows = net.data_flow_network(data, _parse_date(on), lang)
    start = net.resolve_node(data, source)
    end = net.resolve_node(data, target)
    paths = net.flow_paths(flows, start, end, max_hops=max_hops)
    click.echo(net.format_paths(flows, paths, fmt, lang))


CUT_WORDS = {
    "nl": {"alone": "verbindt als enige", "bridge": "brug", "community": "gemeenschap"},
    "en": {"alone": "alone connects", "bridge": "bridge", "community": "community"},
}


@network.command("cut")
@ON_OPTION
@LANG_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def network_cut(ctx: click.Context, on: str | None, lang: str, fmt: str) -> None:
    """Parties whose absence disconnects others (cut vertices), bridges and the communities."""
    from wivgraph import network as net

    coop = net.cooperation_network(_network_source(ctx), _parse_date(on), lang)
    cuts, groups = net.cut_vertices(coop), net.communities(coop)
    names = {node: data.get("label", node) for node, data in coop.nodes(data=True)}
    links = [{"from": a, "to": b, "labels": [names[a], names[b]]} for a, b in net.bridges(coop)]
    if fmt == "json":
        result = {"cut_vertices": cuts, "bridges": links, "communities": groups}
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    words = CUT_WORDS[lang]
    for cut in cuts:
        click.echo(f"{cut['label']}: {words['alone']} {', '.join(cut['isolates'])}")
    for link in links:
        click.echo(f"{words['bridge']}: {link['labels'][0]} — {link['labels'][1]}")
    for number, group in enumerate(groups, start=1):
        click.echo(f"{words['community']} {number}: {', '.join(group)}")


@network.command("export")
@click.option("--kind", type=click.Choice(["cooperation", "data-flow"]), default="cooperation")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json"]), default="graphml")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@ON_OPTION
@LANG_OPTION
@click.pass_context
def network_export(
    ctx: click.Context, kind: str, fmt: str, output: Path | None, on: str | None, lang: str
) -> None:
    """Write a network as GraphML, GEXF or node-link JSON (opens in Gephi or Cytoscape)."""
    from wivgraph import network as net

    source = _network_source(ctx)
    build = net.cooperation_network if kind == "cooperation" else net.data_flow_network
    graph = build(source, _parse_date(on), lang)
    if output is None:
        click.echo(net.network_text(graph, fmt), nl=False)
    else:
        net.write_network(graph, output, fmt)
        click.echo(f"wrote {output}", err=True)


@cli.group()
def ask() -> None:
    """Answers in words, each step with its citation."""


@ask.command("onward")
@click.argument("category")
@click.option("--lang", type=LANGS, default="nl", help="Language of the explanation.")
@click.pass_context
def ask_onward(ctx: click.Context, category: str, lang: str) -> None:
    """Who may pass data of CATEGORY onward, and on what condition (IRI, id or label)."""
    with _kept_till_exit(_ONE_COMMAND):
        from wivgraph.onward import explain_onward

    root = _root(ctx)
    if _endpoint(ctx):  # asked as it is (nothing copied) unless it holds classified content
        from wivgraph.store import ReadableRemote, holds_classified_content

        source = ReadableRemote(_endpoint(ctx))
        if holds_classified_content(source):
            source = _dataset(ctx)
    else:  # the build cache, asked through oxigraph, read through its rdflib view (no copy)
        from wivgraph.fast import ReadableStore

        source = ReadableStore(_cached_store(ctx), inferred=False)
        checker = _remembered_checker(ctx, source, lang)  # the checker explain_onward asks for
    click.echo(explain_onward(source, category, lang, root=root), nl=False)
    if not _endpoint(ctx):
        from wivgraph.check.memo import remember_progress

        remember_progress(checker)  # the norms it loaded, for the next run


@cli.command("toets")
@click.argument("convenant")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text")
@click.option("--lang", type=LANGS, default="nl", help="Language of the reasons.")
@click.pass_context
def toets_cmd(ctx: click.Context, convenant: str, fmt: str, lang: str) -> None:
    """Check CONVENANT (its id) against the Aanwijzingen voor convenanten (docs/toets.md)."""
    from wivgraph import toets as toets_mod

    _local_only(ctx, "toets")
    outcomes = toets_mod.run(convenant, lang, root=_root(ctx))
    if fmt == "json":
        click.echo(toets_mod.format_json(outcomes))
    elif fmt == "ttl":
        click.echo(toets_mod.format_ttl(outcomes, convenant), nl=False)
    else:
        click.echo(toets_mod.format_text(outcomes, convenant, lang), nl=False)


@cli.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "report"]), default="text",
              help="text or json: the verdicts; report: the compliance reports behind them (TriG).")
@click.option("--lang", type=LANGS, default="nl", help="Language of the verdicts.")
@click.pass_context
def check_cmd(ctx: click.Context, file: Path, fmt: str, lang: str) -> None:
    """May we do this? Verdict, open conditions and citations per scenario (docs/checker.md)."""
    with _kept_till_exit(_ONE_COMMAND):
        from wivgraph import check as check_mod

    raws = check_mod.load_scenarios(file)  # bad file: error before the graph is loaded
    if _endpoint(ctx):  # asked as it is, never remembered
        store = check_mod.checker_store(None, _endpoint(ctx))
    else:
        store = _remembered_checker(ctx, _fast_store(ctx), lang)
    verdicts = check_mod.check_scenarios(store, raws, lang)
    if not _endpoint(ctx):
        from wivgraph.check.memo import remember_progress

        remember_progress(store)  # the norms it loaded, for the next run
    if fmt == "report":
        text = check_mod.format_reports(verdicts)
    else:
        text = check_mod.format_json(verdicts) if fmt == "json" else check_mod.format_text(verdicts, lang)
    click.echo(text)


# --- odrl: a generic ODRL 2.2 evaluator with FORCE compliance reports (docs/odrl-evaluator.md)


@cli.group()
def odrl() -> None:
    """ODRL 2.2 policies: evaluate requests, write compliance reports (docs/odrl-evaluator.md)."""


@odrl.command("evaluate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the Turtle report here (atomically) instead of to stdout.")
@click.option("--lenient", is_flag=True,
              help="Accept rules without an action (any action), as the ODRL-Test-Suite does.")
@click.option("--open-world", is_flag=True,
              help="Facts the state of the world does not state are unknown (wiv:Undetermined).")
def odrl_evaluate(files: tuple[Path, ...], output: Path | None, lenient: bool,
                  open_world: bool) -> None:
    """Evaluate every request against every policy in FILES (Turtle: policies, requests and
    the state of the world); print the FORCE compliance reports as Turtle."""
    from wivgraph.odrl.suite import evaluate_files

    graph = evaluate_files(list(files), strict=not lenient, closed=not open_world)
    text = graph.serialize(format="turtle")
    if output is None:
        click.echo(text)
    else:
        export_mod.write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


@odrl.command("validate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text")
@click.option("--lang", type=LANGS, default="nl", help="Language of the messages.")
@click.pass_context
def odrl_validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, lang: str) -> None:
    """Validate ODRL policies (Turtle FILES, e.g. from 'export --format odrl') against the ODRL
    2.2 core shapes and the wivgraph profile shapes; exit 0 conforms, 1 violations, 2 bad input."""
    from rdflib import Graph

    from wivgraph.load import parse_turtle
    from wivgraph.odrl.shacl import validate_policies

    policies = Graph()
    for path in files:
        parse_turtle(path, policies)
    report = validate_policies(policies, root=_root(ctx), lang=lang)
    click.echo(validate_mod.format_report(report, fmt, lang))
    ctx.exit(0 if report.conforms else 1)


def main() -> None:
    """Console-script entry point."""
    global _ONE_COMMAND  # noqa: PLW0603
    _ONE_COMMAND = True
    try:
        cli.main(standalone_mode=True)
    except WivgraphError as exc:  # raised outside a command (e.g. option parsing callbacks)
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # never a traceback with exit code 1 (which means violations)
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            sys.exit(1)
        click.echo(_internal_error(exc), err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
