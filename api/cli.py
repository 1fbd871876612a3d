"""The ``parley`` command line: each command a few lines over the library."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import pyoxigraph as ox
import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from api import text
from api.settings import Settings
from graph.analysis.model import LeftOut, Negotiation
from graph.analysis.read import read_all_evidence, read_ill_formed_values, read_negotiation
from graph.errors import ParleyError
from graph.export import gephi, rdf, spreadsheets
from graph.ingest import drafts
from graph.ingest import spreadsheets as tables
from graph.ingest.load import FORMATS, load_documents, load_files, open_store, read_document, validate_documents
from graph.report import answers
from graph.sparql.sandbox import check_query, dataset_of
from graph.store import Dataset, is_remote
from graph.store.namespaces import compact


def _named(params: list) -> list:
    """Give the help's parameters the names the README writes: ``A B``, ``FILES...``, a bare ``--json``.

    Typer 0.27 began printing an argument as declared and in braces (``{a} {b}``, ``{files}...``), and 0.29 prints
    a type beside every flag, ``--help`` included, as if a value followed it (``--json <bool>``): its help panel
    lost the check 0.28 made for flags. Both print a parameter's metavar when it has one, so an argument without
    one is named by its parameter in capitals (``...`` when it takes several) and a flag gets an empty one.
    """
    for param in params:
        if param.metavar is not None:
            continue
        if isinstance(param, TyperArgument):
            param.metavar = (param.name or "").upper() + ("..." if param.nargs != 1 else "")
        elif isinstance(param, TyperOption) and param.is_flag:
            param.metavar = ""
    return params


# ctx is Typer's own (vendored) click.Context, which it does not export: left unannotated.
class _Group(TyperGroup):
    def get_params(self, ctx) -> list:
        return _named(super().get_params(ctx))


class _Command(TyperCommand):
    def get_params(self, ctx) -> list:
        return _named(super().get_params(ctx))

    def collect_usage_pieces(self, ctx) -> list[str]:
        # Typer puts a required argument in braces; brackets mark an optional one only, as in Click.
        arguments = [param for param in self.get_params(ctx) if isinstance(param, TyperArgument)]
        names = [f"{param.metavar}" if param.required else f"[{param.metavar}]" for param in arguments]
        return [self.options_metavar, *names] if self.options_metavar else names


app = typer.Typer(
    cls=_Group,
    name="parley",
    help="Parley: a knowledge graph of negotiation positions. Load, validate and query it; serve it over HTTP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory, 'memory', or a SPARQL server's URL. Default: $PARLEY_STORE, else ./data/store.",
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help=f"Input format ({', '.join(FORMATS)}); default: from the file extension."),
]


AsOfOption = Annotated[str | None, typer.Option("--as-of", help="The date to answer for, YYYY-MM-DD. Default: today.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the JSON of the HTTP API instead of a table.")]


def _open(store: str | None) -> Dataset:
    settings = Settings(store=store) if store else Settings()
    return open_store(settings.store, **settings.store_options())


def _fail(error: Exception, consequence: str = "") -> NoReturn:
    typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
    consequence = "; ".join(getattr(error, "__notes__", ())) or consequence  # what the library knows comes first
    if consequence:
        typer.echo(consequence, err=True)
    raise typer.Exit(1)


def _progress() -> Callable[[str], None]:
    started = time.perf_counter()
    return lambda message: typer.echo(f"[{time.perf_counter() - started:6.1f}s] {message}", err=True)


@app.command(cls=_Command)
def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files: Turtle, TriG, N-Triples, N-Quads or JSON-LD.")],
    format: FormatOption = None,
    graph: Annotated[
        str | None,
        typer.Option(
            help="The source graph (IRI, graph/source/<slug>) for triples outside any graph. "
            "Default: graph/source/<file name>."
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Validate FILES and load them into the store, all of them or none."""
    try:
        with _open(store) as opened:
            outcome = load_files(opened, files, format, ox.NamedNode(graph) if graph else None, _progress())
    except (ParleyError, ValueError) as error:
        _fail(error, "nothing was loaded")
    for document in outcome.loaded:
        typer.echo(f"loaded {document.name}: {document.quads:,} quads into {', '.join(document.graphs)}")
    for document in outcome.skipped:
        typer.echo(f"skipped {document.name}: already loaded (same SHA-256)")
    if outcome.negotiation is not None:
        _report_left_out(outcome.negotiation.left_out)


@app.command("import", cls=_Command)
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV spreadsheet, as Excel or LibreOffice save it.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"The sheet's layout: {', '.join(tables.FORMATS)}.")
    ] = "positions",
    source: Annotated[str | None, typer.Option(help="The source (slug or title) of rows that name none.")] = None,
    store: StoreOption = None,
) -> None:
    """Import the positions of a spreadsheet FILE, all of them or none; those held already are left as they are."""
    try:
        with _open(store) as opened:
            report = tables.import_file(opened, file, format, source, _progress())
    except ParleyError as error:
        _fail(error, "nothing was imported")
    table = report.table
    held = f"; {len(table.unchanged):,} held already, unchanged" if table.unchanged else ""
    new = f"{report.written:,} new position{'' if report.written == 1 else 's'}"
    typer.echo(f"imported {file}: {table.row_count:,} row{'' if table.row_count == 1 else 's'}, {new}{held}")
    if report.graphs:
        typer.echo(f"  {report.quads:,} quads into {', '.join(report.graphs)}")


@app.command(cls=_Command)
def draft(
    article: Annotated[Path, typer.Argument(help="The article, as plain UTF-8 text.")],
    published: Annotated[str, typer.Option("--published", help="Its publication date, YYYY-MM-DD.")],
    title: Annotated[
        str | None, typer.Option(help="The source's title. Default: the article's first sentence.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="The source's slug. Default: the file's name.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the TriG draft to this file.")] = None,
    accept: Annotated[
        str | None,
        typer.Option(help="Load these positions of the draft (as numbered by --json: 1,3,5-7), with the source."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the positions as a JSON list.")] = False,
    store: StoreOption = None,
) -> None:
    """Draft the positions of ARTICLE for review; nothing is written unless --accept says which to load."""
    try:
        day = date.fromisoformat(published)
    except ValueError:
        _fail(ValueError(f"--published {published!r} is not a date: use YYYY-MM-DD, for example 2025-04-18"))
    try:
        text_of_article = drafts.read_article(article)
        with _open(store) as opened:
            drafted = drafts.draft_article(
                text_of_article, day, read_negotiation(opened), title, source or drafts.slug_of_file(article)
            )
            if accept is not None:
                chosen = drafts.parse_accept(accept, len(drafted.positions))
                report = load_documents(opened, [drafts.draft_document(drafted, chosen)])
    except ParleyError as error:
        _fail(error, "nothing was loaded" if accept is not None else "")
    if output is not None:
        output.write_text(drafts.draft_trig(drafted), encoding="utf-8")
    if accept is not None:
        drafted_count = _count(len(drafted.positions), "drafted position")
        typer.echo(f"loaded {len(chosen)} of {drafted_count}: {report.quads:,} quads")
    elif json_output:
        typer.echo(json.dumps(drafts.draft_json(drafted)["positions"], indent=2, ensure_ascii=False))
    elif output is None:
        typer.echo(drafts.draft_trig(drafted), nl=False)
    else:
        typer.echo(f"drafted {_count(len(drafted.positions), 'position')} from {article} into {output}")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _report_left_out(left_out: list[LeftOut]) -> None:
    """Say which values of the store no reader can use (written by something other than a load)."""
    if left_out:
        typer.secho(
            f"left out of the analysis: {len(left_out)} value(s) Parley cannot read", fg=typer.colors.YELLOW, err=True
        )
    for left in left_out:
        typer.echo(f"  - {left.node} {left.property} {left.value!r}: {left.reason}", err=True)


@app.command(cls=_Command)
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


@app.command(cls=_Command)
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over all graphs, or those its FROM and FROM NAMED name (common prefixes such as
    parley: are predefined)."""
    if format not in ("table", "json", "csv"):
        _fail(ValueError(f"unknown --format {format!r}: use table, json or csv"))
    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    try:
        default_graphs, named_graphs = dataset_of(check_query(query))
        with _open(store) as opened:
            result = opened.query(query, default_graphs=default_graphs, named_graphs=named_graphs)
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
            text.print_table(variables, rows)
            typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)
        else:
            kind = ox.QueryResultsFormat.JSON if format == "json" else ox.QueryResultsFormat.CSV
            sys.stdout.buffer.write(result.serialize(format=kind) or b"")
            typer.echo()
    elif isinstance(result, ox.QueryBoolean):
        if format == "table":
            typer.echo("true" if bool(result) else "false")
        else:
            kind = ox.QueryResultsFormat.JSON if format == "json" else ox.QueryResultsFormat.CSV
            sys.stdout.buffer.write(result.serialize(format=kind) or b"")
            typer.echo()
    else:
        if format == "csv":
            raise ValueError(
                "CONSTRUCT and DESCRIBE results come as Turtle (--format table) or JSON-LD (--format json)"
            )
        rdf_format = ox.RdfFormat.JSON_LD if format == "json" else ox.RdfFormat.TURTLE
        sys.stdout.buffer.write(ox.serialize(result, format=rdf_format) or b"")


@app.command(cls=_Command)
def stats(store: StoreOption = None) -> None:
    """Show triples, actors, issues, positions, evidence and sources per named graph."""
    try:
        with _open(store) as opened:
            graphs = opened.statistics()
            ill_formed = read_ill_formed_values(opened)
    except ParleyError as error:
        _fail(error)
    columns = ["actor", "issue", "position", "evidence", "source"]
    rows = [[g.graph, f"{g.triples:,}", *[f"{g.counts.get(c, 0):,}" for c in columns]] for g in graphs]
    totals = ["total", f"{sum(g.triples for g in graphs):,}"]
    totals += [f"{sum(g.counts.get(c, 0) for g in graphs):,}" for c in columns]
    text.print_table(["graph", "triples", "actors", "issues", "positions", "evidence", "sources"], rows + [totals])
    _report_left_out(ill_formed)


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(ValueError(f"--as-of {text!r} is not a date: use YYYY-MM-DD, for example 2025-04-18"))


@contextmanager
def _negotiation(store: str | None) -> Iterator[Negotiation]:
    """The store's negotiation; the store stays open meanwhile, for the evidence of what is shown."""
    with _open(store) as opened:
        yield read_negotiation(opened)


def _print_json(document: dict) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _ask(store: str | None, json_output: bool, draw: Callable[[Negotiation, dict], None], question, *arguments):
    """Answer ``question`` (a function of :mod:`graph.report.answers`) over the store, as JSON or drawn by ``draw``."""
    with _negotiation(store) as negotiation:
        try:
            document = question(negotiation, *arguments)
        except ParleyError as error:
            _fail(error)
        if json_output:
            _print_json(document)
        else:
            draw(negotiation, document)


IssueOption = Annotated[str | None, typer.Option("--issue", help="Only this issue and those narrower than it.")]
FirstActor = Annotated[str, typer.Argument(help="An actor (slug), e.g. russia; people who speak for it count as it.")]
SecondActor = Annotated[str, typer.Argument(help="Another actor (slug), e.g. ukraine.")]


@app.command(cls=_Command)
def conflicts(
    a: FirstActor,
    b: SecondActor,
    issue: IssueOption = None,
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show where A and B conflict, with both sides' positions and quotes."""
    _ask(store, json_output, text.conflicts, answers.conflicts, a, b, _as_of(as_of), issue)


@app.command(cls=_Command)
def overlap(
    a: FirstActor,
    b: SecondActor,
    issue: IssueOption = None,
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show where A and B agree, with the zone of possible agreement on quantity issues."""
    _ask(store, json_output, text.overlap, answers.overlap, a, b, _as_of(as_of), issue)


@app.command(cls=_Command)
def deadlocks(as_of: AsOfOption = None, json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Show cycles of conditions between groups, and conditions blocked by a red line."""
    _ask(store, json_output, text.deadlocks, answers.deadlocks, _as_of(as_of))


@app.command(cls=_Command)
def coalitions(as_of: AsOfOption = None, json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Show groups that agree more than they conflict (no pair in conflict shares one), and who bridges them."""
    _ask(store, json_output, text.coalitions, answers.coalitions, _as_of(as_of))


@app.command(cls=_Command)
def mediators(
    a: FirstActor,
    b: SecondActor,
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Rank third parties who could mediate between A and B, with the reasons."""
    _ask(store, json_output, text.mediators, answers.mediators, a, b, _as_of(as_of))


@app.command(cls=_Command)
def timeline(
    actor: Annotated[str, typer.Argument(help="An actor (slug); people who speak for it are included.")],
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show every position of an actor's group in date order, and which hold as of the date."""
    _ask(store, json_output, text.timeline, answers.timeline, actor, _as_of(as_of))


@app.command(cls=_Command)
def matrix(
    actors: Annotated[list[str], typer.Argument(help="Two or more actors (slugs).")],
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Count conflicts and agreements between every pair of ACTORS."""
    _ask(store, json_output, text.matrix, answers.matrix, actors, _as_of(as_of))


@app.command(cls=_Command)
def inconsistencies(as_of: AsOfOption = None, json_output: JsonOption = False, store: StoreOption = None) -> None:
    """List groups whose latest positions on one issue disagree."""
    _ask(store, json_output, text.inconsistencies, answers.inconsistencies, _as_of(as_of))


@app.command(cls=_Command)
def export(
    kind: Annotated[
        str, typer.Argument(help="gexf (Gephi), graphml, rdf (a dump of the store) or csv (positions, a spreadsheet).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    view: Annotated[
        str,
        typer.Option(help="actors (parties, conflict and agreement) or full (actors, issues, positions, sides taken)."),
    ] = "actors",
    dynamic: Annotated[
        bool,
        typer.Option("--dynamic/--static", help="GEXF: positions over time (spells), or a snapshot as of --as-of."),
    ] = False,
    as_of: AsOfOption = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="rdf: trig (default), n-quads, json-ld, turtle or n-triples; csv: positions (default), "
            "ktab or decide (the layouts parley import reads).",
        ),
    ] = None,
    graph: Annotated[str | None, typer.Option(help="rdf: one named graph (IRI) instead of the whole store.")] = None,
    source: Annotated[
        str | None, typer.Option(help="csv --format ktab or decide: the source whose positions make the scenario.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the graph for Gephi (GEXF 1.3, GraphML), as RDF, or its positions as a spreadsheet (CSV)."""
    if kind not in ("gexf", "graphml", "rdf", "csv"):
        _fail(ValueError(f"unknown export {kind!r}: use gexf, graphml, rdf or csv"))
    day = _as_of(as_of)
    try:
        if kind == "rdf":
            with _open(store) as opened:
                output.write_bytes(rdf.dump_rdf(opened, format or "trig", graph))
        elif kind == "csv":
            with _open(store) as opened:
                evidence = read_all_evidence(opened)
                spreadsheets.write_csv(read_negotiation(opened), output, evidence, format or "positions", source)
        else:
            with _negotiation(store) as negotiation:
                if kind == "gexf":
                    gephi.write_gexf(negotiation, output, view=view, dynamic=dynamic, as_of=day)
                else:
                    gephi.write_graphml(negotiation, output, view=view, as_of=day)
    except (ParleyError, ValueError, OSError) as error:
        _fail(error)
    typer.echo(f"wrote {output} ({output.stat().st_size:,} bytes)")


@app.command(cls=_Command)
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on. Default: $PARLEY_HOST, else 127.0.0.1.")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port. Default: $PARLEY_PORT, else 8000.")] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes (the embedded store allows one; a remote one, any).")
    ] = 1,
    store: StoreOption = None,
) -> None:
    """Serve the HTTP API with uvicorn (the seed graph is loaded into an empty store first)."""
    import uvicorn

    if store:
        os.environ["PARLEY_STORE"] = store
    settings = Settings()
    if workers > 1 and not is_remote(settings.store):
        _fail(
            ValueError(
                "the embedded store can be opened by one process only: use --workers 1, "
                "or a remote store (PARLEY_STORE=http://...) for several"
            )
        )
    uvicorn.run(
        "api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port, workers=workers
    )


if __name__ == "__main__":
    app()
