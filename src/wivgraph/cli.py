"""The ``wivgraph`` command line: a thin layer over the library.

Exit codes: 0 success (validate: conforms), 1 validation violations, 2 bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from wivgraph import export as export_mod
from wivgraph import query as query_mod
from wivgraph import validate as validate_mod
from wivgraph.errors import WivgraphError
from wivgraph.load import dataset_stats, load_dataset

LANGS = click.Choice(["nl", "en"])


class WivgraphGroup(click.Group):
    """Turns WivgraphError anywhere below into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WivgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


def _root(ctx: click.Context) -> Path | None:
    return ctx.obj.get("root") if ctx.obj else None


@click.group(cls=WivgraphGroup)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder holding ontology/, data/, shapes/, queries/ (default: this repository).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """wivgraph: the knowledge graph of the Dutch intelligence cooperation framework."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Triples per named graph and instances per class."""
    result = dataset_stats(load_dataset(_root(ctx)))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"triples: {result['triples']}")
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
@click.pass_context
def validate(ctx: click.Context, fmt: str, lang: str, inference: str) -> None:
    """Validate the graph with the SHACL shapes; exit 0 conforms, 1 violations, 2 bad input."""
    report = validate_mod.validate_dataset(root=_root(ctx), lang=lang, inference=inference)
    click.echo(validate_mod.format_report(report, fmt, lang))
    ctx.exit(0 if report.conforms else 1)


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
@click.option("--limit", type=click.IntRange(1), default=query_mod.DEFAULT_ROW_LIMIT)
@click.pass_context
def query_run(
    ctx: click.Context, name_or_file: str, params: tuple[str, ...], fmt: str, limit: int
) -> None:
    """Run a catalogue question (by name) or any .rq file, with bound parameters."""
    root = _root(ctx)
    question = query_mod.find_question(name_or_file, root / "queries" if root else None)
    values = query_mod.parse_param_options(list(params))
    dataset = load_dataset(root)
    result = query_mod.run_question(dataset, question, values, row_limit=limit)
    click.echo(query_mod.format_result(result, fmt))


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
    """Export the whole graph (Turtle, TriG with named graphs, JSON-LD, N-Quads)."""
    text = export_mod.serialize(load_dataset(_root(ctx)), fmt)
    if output is None:
        click.echo(text)
    else:
        export_mod.write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


# --- commands added by later stages go below this line --------------------------------------


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

    root = _root(ctx)
    if output is None and root is not None:
        output = root / "data" / "documents" / f"{slug}.ttl"
    target, graph = ingest_file(source, slug, output, kind=kind)
    click.echo(f"wrote {target} ({len(graph)} triples)", err=True)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(standalone_mode=True)
    except WivgraphError as exc:  # raised outside a command (e.g. option parsing callbacks)
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
