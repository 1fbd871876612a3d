"""The ``parley`` command line: each command a few lines over the library."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import pyoxigraph as ox
import typer

from api.settings import Settings
from graph.errors import ParleyError
from graph.load import FORMATS, load_files, open_store, read_document, validate_documents
from graph.namespaces import compact
from graph.store import Store

app = typer.Typer(
    name="parley",
    help="Parley: a knowledge graph of negotiation positions. Load, validate and query it; serve it over HTTP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", help="Store directory, or 'memory'. Default: $PARLEY_STORE, else ./data/store."),
]
FormatOption = Annotated[
    Optional[str],
    typer.Option("--format", "-f", help=f"Input format ({', '.join(FORMATS)}); default: from the file extension."),
]


def _open(store: str | None) -> Store:
    return open_store(store or Settings().store)


def _fail(error: Exception, consequence: str = "") -> None:
    typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
    if consequence:
        typer.echo(consequence, err=True)
    raise typer.Exit(1)


def _progress() -> callable:
    started = time.perf_counter()
    return lambda message: typer.echo(f"[{time.perf_counter() - started:6.1f}s] {message}", err=True)


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files: Turtle, TriG, N-Triples, N-Quads or JSON-LD.")],
    format: FormatOption = None,
    graph: Annotated[
        Optional[str],
        typer.Option(help="Named graph (IRI) for triples outside any graph. Default: graph/source/<file name>."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Validate FILES and load them into the store, all of them or none."""
    try:
        with _open(store) as opened:
            report = load_files(opened, files, format, ox.NamedNode(graph) if graph else None, _progress())
    except (ParleyError, ValueError) as error:
        _fail(error, "nothing was loaded")
    for document in report.loaded:
        typer.echo(f"loaded {document.name}: {document.quads:,} quads into {', '.join(document.graphs)}")
    for document in report.skipped:
        typer.echo(f"skipped {document.name}: already loaded (same SHA-256)")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="RDF files to check against ontology/shapes.ttl.")],
    format: FormatOption = None,
    store: StoreOption = None,
) -> None:
    """Check FILES against the shapes without loading them; they may refer to what the store holds."""
    try:
        documents = [read_document(path, format) for path in files]
        with _open(store) as opened:
            validate_documents(documents, opened)
    except ParleyError as error:
        _fail(error)
    for document in documents:
        typer.echo(f"valid: {document.name} ({document.quads:,} quads)")


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over all graphs (common prefixes such as parley: are predefined)."""
    if format not in ("table", "json", "csv"):
        _fail(ValueError(f"unknown --format {format!r}: use table, json or csv"))
    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    try:
        with _open(store) as opened:
            result = opened.query(query)
            _print_result(result, format)
    except SyntaxError as error:
        _fail(ValueError(f"SPARQL syntax error: {error.msg}"))
    except ParleyError as error:
        _fail(error)


def _print_result(result, format: str) -> None:
    if isinstance(result, ox.QuerySolutions):
        if format == "table":
            variables = [variable.value for variable in result.variables]
            rows = [[compact(row[name]) if row[name] is not None else "" for name in variables] for row in result]
            _print_table(variables, rows)
            typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)
        else:
            kind = ox.QueryResultsFormat.JSON if format == "json" else ox.QueryResultsFormat.CSV
            sys.stdout.buffer.write(result.serialize(format=kind))
            typer.echo()
    elif isinstance(result, ox.QueryBoolean):
        if format == "table":
            typer.echo("true" if bool(result) else "false")
        else:
            kind = ox.QueryResultsFormat.JSON if format == "json" else ox.QueryResultsFormat.CSV
            sys.stdout.buffer.write(result.serialize(format=kind))
            typer.echo()
    else:
        if format == "csv":
            raise ValueError("CONSTRUCT and DESCRIBE results come as Turtle (--format table) or JSON-LD (--format json)")
        kind = ox.RdfFormat.JSON_LD if format == "json" else ox.RdfFormat.TURTLE
        sys.stdout.buffer.write(ox.serialize(result, format=kind))


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(cell) for cell in column] or [0]) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
    typer.echo(line(header))
    typer.echo(line(["-" * width for width in widths]))
    for row in rows:
        typer.echo(line(row))


@app.command()
def stats(store: StoreOption = None) -> None:
    """Show triples, actors, issues, positions, evidence and sources per named graph."""
    try:
        with _open(store) as opened:
            graphs = opened.statistics()
    except ParleyError as error:
        _fail(error)
    columns = ["actor", "issue", "position", "evidence", "source"]
    rows = [[g.graph, f"{g.triples:,}", *[f"{g.counts.get(c, 0):,}" for c in columns]] for g in graphs]
    totals = ["total", f"{sum(g.triples for g in graphs):,}"]
    totals += [f"{sum(g.counts.get(c, 0) for g in graphs):,}" for c in columns]
    _print_table(["graph", "triples", "actors", "issues", "positions", "evidence", "sources"], rows + [totals])


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Interface to listen on. Default: $PARLEY_HOST, else 127.0.0.1.")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port. Default: $PARLEY_PORT, else 8000.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (the embedded store allows one).")] = 1,
    store: StoreOption = None,
) -> None:
    """Serve the HTTP API with uvicorn (the seed graph is loaded into an empty store first)."""
    import uvicorn

    if store:
        os.environ["PARLEY_STORE"] = store
    settings = Settings()
    if workers > 1:
        _fail(ValueError("the embedded store can be opened by one process only: use --workers 1"))
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port)


if __name__ == "__main__":
    app()
