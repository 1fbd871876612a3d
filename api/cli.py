"""The ``parley`` command line: each command a few lines over the library."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import pyoxigraph as ox
import typer
from pydantic import BaseModel, ValidationError
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from api import progress, text
from api.errors import json_path
from api.schemas import ActorCreate, IngestCreate, IssueCreate
from api.settings import Settings
from graph.analysis.model import LeftOut, Negotiation, Source
from graph.analysis.read import read_all_evidence, read_ill_formed_values, read_negotiation
from graph.errors import InvalidArgument, ParleyError
from graph.export import gephi, rdf, spreadsheets
from graph.ingest import drafts
from graph.ingest import spreadsheets as tables
from graph.ingest.batch import Batch, IssueChange, change_issue, write_batch
from graph.ingest.documents import add_source, source_document
from graph.ingest.load import (
    FORMATS,
    Document,
    check_documents,
    load_documents,
    load_files,
    open_store,
    read_document,
    slug_from_name,
)
from graph.ingest.texts import decode_text, set_text, sha256_of
from graph.progress import Progress
from graph.report import answers
from graph.report import changes as report_changes
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

    def invoke(self, ctx):
        # Ctrl-C in any command is said as such, with the shell's status for it (Click would print "Aborted!",
        # status 1); a command that knows what its work left behind (load, import) says so first.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as error:
            _fail(error)


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
BodyModel = TypeVar("BodyModel", bound=BaseModel)


def _open(store: str | None, shown: Progress | None = None) -> Dataset:
    settings = Settings(store=store) if store else Settings()
    return open_store(settings.store, shown, **settings.store_options())


def _fail(error: Exception | KeyboardInterrupt, consequence: str = "") -> NoReturn:
    stopped = isinstance(error, KeyboardInterrupt)  # Ctrl-C: said as such, with the shell's status for it
    typer.secho("stopped (interrupted)" if stopped else f"error: {error}", fg=typer.colors.RED, err=True)
    consequence = "; ".join(getattr(error, "__notes__", ())) or consequence  # what the library knows comes first
    if consequence:
        typer.echo(consequence, err=True)
    raise typer.Exit(130 if stopped else 1)


@contextmanager
def _progress() -> Iterator[Progress]:
    """Each phase of a long command on standard error (bars on a terminal), ended however the command ends."""
    shown = progress.for_terminal()
    try:
        yield shown
    finally:
        shown.finish()


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
        with _progress() as shown, _open(store, shown) as opened:
            outcome = load_files(opened, files, format, ox.NamedNode(graph) if graph else None, shown)
    except (ParleyError, ValueError, KeyboardInterrupt) as error:
        _fail(error, "nothing was loaded")
    for document in outcome.loaded:
        typer.echo(
            f"loaded {document.name}: {document.quads:,} quads into {', '.join(document.graphs)}{_quotes(document)}"
        )
    for document in outcome.skipped:
        typer.echo(f"skipped {document.name}: already loaded (same SHA-256)")
    if outcome.negotiation is not None:
        _report_left_out(outcome.negotiation.left_out)


def _quotes(document: Document) -> str:
    """What became of a loaded document's quotes: found in their source's text, or unchecked."""
    said = []
    if document.verified:
        said.append(f"{document.verified:,} quote{'s' if document.verified != 1 else ''} found in the source's text")
    unverified = document.quotes - document.verified
    if unverified:
        said.append(f"{unverified:,} unverified (the source holds no text)")
    return "; " + ", ".join(said) if said else ""


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
        with _progress() as shown, _open(store, shown) as opened:
            report = tables.import_file(opened, file, format, source, shown)
    except (ParleyError, KeyboardInterrupt) as error:
        _fail(error, "nothing was imported")
    table = report.table
    held = f"; {len(table.unchanged):,} held already, unchanged" if table.unchanged else ""
    new = f"{report.written:,} new position{'' if report.written == 1 else 's'}"
    typer.echo(f"imported {file}: {table.row_count:,} row{'' if table.row_count == 1 else 's'}, {new}{held}")
    if report.graphs and report.load is not None:
        quotes = "".join(_quotes(document) for document in report.load.loaded)
        typer.echo(f"  {report.quads:,} quads into {', '.join(report.graphs)}{quotes}")


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


source_app = typer.Typer(
    cls=_Group,
    help="Sources and their texts: every quote from a source that holds its text is checked against it.",
    no_args_is_help=True,
)
app.add_typer(source_app, name="source")


def _read_text(file: Path) -> str:
    try:
        content = file.read_bytes()
    except OSError as error:
        _fail(ValueError(f"{file}: cannot read the file: {error.strerror}"))
    return decode_text(content, str(file))


@source_app.command("add", cls=_Command)
def source_add(
    file: Annotated[Path, typer.Argument(help="The source's full text: a UTF-8 text file.")],
    title: Annotated[str, typer.Option("--title", help="Its title.")],
    published: Annotated[str, typer.Option("--published", help="When it was published: YYYY-MM-DD.")],
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    id: Annotated[str | None, typer.Option("--id", help="The source's slug. Default: from the file name.")] = None,
    store: StoreOption = None,
) -> None:
    """Record a new source with its text (FILE), stored with its SHA-256; quotes from it are then checked."""
    slug = id or slug_from_name(file.stem)
    try:
        text_read = _read_text(file)
        document = source_document(Source(slug, title, published, publisher, url), text_read, name=str(file))
        with _open(store) as opened:
            add_source(opened, document, slug)
    except ParleyError as error:
        _fail(error, "nothing was written")
    typer.echo(f"added source {slug}: {len(text_read):,} characters, SHA-256 {sha256_of(text_read)}")


@source_app.command("text", cls=_Command)
def source_text_command(
    source: Annotated[str, typer.Argument(help="The source's slug.")],
    file: Annotated[Path, typer.Argument(help="Its full text: a UTF-8 text file.")],
    store: StoreOption = None,
) -> None:
    """Give SOURCE its text (FILE), or replace the one it holds; every quote already taken from it must be in FILE."""
    try:
        text_read = _read_text(file)
        with _open(store) as opened:
            report = set_text(opened, source, text_read, name=str(file))
    except ParleyError as error:
        _fail(error, "nothing was written")
    if not report.changed:
        typer.echo(f"source {source} holds this text already (SHA-256 {report.sha256}): nothing written")
        return
    done = "replaced the text of" if report.replaced else "gave a text to"
    typer.echo(
        f"{done} source {source}: {report.characters:,} characters, SHA-256 {report.sha256}; "
        f"{report.verified:,} quote{'s' if report.verified != 1 else ''} of its evidence found in it"
    )


@app.command(cls=_Command)
def validate(
    files: Annotated[list[Path], typer.Argument(help="RDF files to check against ontology/shapes.ttl.")],
    format: FormatOption = None,
    store: StoreOption = None,
) -> None:
    """Check FILES against the shapes, and their quotes against their sources' texts; nothing is loaded.

    The files may refer to what the store holds.
    """
    try:
        documents = [read_document(path, format) for path in files]
        with _open(store) as opened:
            check_documents(documents, opened)
    except ParleyError as error:
        _fail(error)
    for document in documents:
        typer.echo(f"valid: {document.name} ({document.quads:,} quads)")


actor_app = typer.Typer(cls=_Group, help="Add actors.", no_args_is_help=True)
issue_app = typer.Typer(cls=_Group, help="Add issues, and move them in the hierarchy.", no_args_is_help=True)
app.add_typer(actor_app, name="actor")
app.add_typer(issue_app, name="issue")


def _checked(schema: type[BodyModel], fields: Mapping[str, object] | str, name: str = "") -> BodyModel:
    """``fields`` (or a JSON text, for ``name``) read as the API reads a body; a mistake fails, naming where it is."""
    try:
        if isinstance(fields, str):
            return schema.model_validate_json(fields)
        return schema.model_validate({key: value for key, value in fields.items() if value not in (None, [])})
    except ValidationError as error:
        lines = [f"{json_path(item['loc']) or name}: {item['msg']}" for item in error.errors()]
        _fail(ValueError(lines[0] if len(lines) == 1 else "\n".join([f"{len(lines)} problems found", *lines])))


def _write(store: str | None, batch: Batch | None = None, move: tuple[str, IssueChange] | None = None) -> None:
    """Write a batch, or make a change to an issue; a refusal fails, saying that nothing was written."""
    try:
        with _open(store) as opened:
            if batch is not None:
                write_batch(opened, batch)
            elif move is not None:
                change_issue(opened, *move)
    except ParleyError as error:
        _fail(error, "nothing was written")


@actor_app.command("add", cls=_Command)
def actor_add(
    label: Annotated[str, typer.Argument(help="The actor's name, e.g. 'Türkiye'.")],
    kind: Annotated[str, typer.Option(help="state, organization, coalition or person.")],
    id: Annotated[
        str | None, typer.Option("--id", help="Its slug; default: the label's words, joined by hyphens.")
    ] = None,
    alias: Annotated[list[str] | None, typer.Option(help="Another name it goes by; repeat for several.")] = None,
    speaks_for: Annotated[
        list[str] | None, typer.Option(help="An actor whose positions it states; repeatable.")
    ] = None,
    member_of: Annotated[list[str] | None, typer.Option(help="An actor it is a member of; repeatable.")] = None,
    leverage_over: Annotated[
        list[str] | None, typer.Option(help="An actor it can bring pressure to bear on; repeatable.")
    ] = None,
    same_as: Annotated[
        list[str] | None, typer.Option(help="The same actor elsewhere: an IRI, or a Wikidata id such as Q43.")
    ] = None,
    power: Annotated[float | None, typer.Option(help="Its power, from 0 to 1.")] = None,
    store: StoreOption = None,
) -> None:
    """Add an actor named LABEL; refused if one of its names is another actor's."""
    fields: dict[str, object] = {"id": id, "label": label, "kind": kind, "aliases": alias, "speaks_for": speaks_for}
    fields |= {"member_of": member_of, "leverage_over": leverage_over, "same_as": same_as, "power": power}
    actor = _checked(ActorCreate, fields)
    _write(store, actor.batch(root=""))
    typer.echo(f"added actor {actor.id}: {actor.label}")


@issue_app.command("add", cls=_Command)
def issue_add(
    label: Annotated[str, typer.Argument(help="The issue's name, e.g. 'Prisoner exchange'.")],
    definition: Annotated[
        str | None, typer.Option(help="The proposition one supports or opposes, e.g. 'All prisoners are exchanged.'")
    ] = None,
    under: Annotated[list[str] | None, typer.Option(help="A broader issue it sits under; repeatable.")] = None,
    scale: Annotated[str, typer.Option(help="binary (stances) or quantity (ranges).")] = "binary",
    unit: Annotated[str | None, typer.Option(help="A quantity's unit: troops, days, USD.")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="Another name it goes by; repeat for several.")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Its slug; default: the label's words, joined by hyphens.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Add an issue named LABEL under its broader ones; refused if a name is another issue's, or if it makes a loop."""
    fields = {"id": id, "label": label, "definition": definition, "broader": under, "scale": scale, "unit": unit}
    issue = _checked(IssueCreate, fields | {"aliases": alias})
    _write(store, issue.batch(root=""))
    typer.echo(f"added issue {issue.id}: {issue.label}" + (f", under {', '.join(under)}" if under else ""))


@issue_app.command("move", cls=_Command)
def issue_move(
    issue: Annotated[str, typer.Argument(help="The issue to move (slug).")],
    under: Annotated[
        list[str] | None, typer.Option(help="The broader issue to put it under; repeat for several.")
    ] = None,
    top: Annotated[bool, typer.Option("--top", help="Make it a top issue, under none.")] = False,
    store: StoreOption = None,
) -> None:
    """Put ISSUE under the issues --under names (instead of those it was under), or at the --top."""
    if bool(under) == top:
        _fail(ValueError("give --under BROADER (repeat it for several), or --top"))
    _write(store, move=(issue, IssueChange(broader=tuple(under or ()))))
    typer.echo(f"moved issue {issue} " + (f"under {', '.join(under)}" if under else "to the top"))


@app.command(cls=_Command)
def ingest(
    file: Annotated[Path, typer.Argument(help="A JSON document: a source, new actors and issues, positions.")],
    store: StoreOption = None,
) -> None:
    """Write the source, actors, issues and positions of a JSON FILE, all or nothing (see docs/entering-data.md)."""
    try:
        content = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _fail(ValueError(f"{file}: cannot read the file: {error}"))
    document = _checked(IngestCreate, content, str(file))
    batch = document.batch(name=f"ingest {file.name}", root="")
    _write(store, batch)
    typer.echo(f"ingested {file.name}")
    for kind, names in (
        ("source", [batch.source.id] if batch.source else []),
        ("actors", [actor.id for actor in batch.actors]),
        ("issues", [issue.id for issue in batch.issues]),
    ):
        if names:
            typer.echo(f"  {kind}: {', '.join(names)}")
    typer.echo(f"  positions: {len(batch.positions)}")


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
        parsed = check_query(query)
        if format == "csv" and parsed.form in ("construct", "describe"):
            graphs_as = "Turtle (--format table) or JSON-LD (--format json)"
            _fail(ValueError(f"CONSTRUCT and DESCRIBE results come as {graphs_as}"))
        default_graphs, named_graphs = dataset_of(parsed)
        with _open(store) as opened:
            _interruptible(
                lambda: _print_result(
                    opened.query(query, default_graphs=default_graphs, named_graphs=named_graphs), format
                )
            )
    except SyntaxError as error:
        _fail(ValueError(f"SPARQL syntax error: {error.msg}"))
    except ParleyError as error:
        _fail(error)


def _interruptible(work: Callable[[], None]) -> None:
    """Do ``work`` in a thread of its own while this one waits, so that Ctrl-C stops the command at once.

    Oxigraph evaluates a query without coming back to Python, which alone hears Ctrl-C, until it has the
    first row (all of them, for an aggregate or an ORDER BY): a query over every pair of triples would hold
    the command for hours. The thread is a daemon, so the command then exits without waiting for it.
    """
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            # Handed to the waiting thread without its traceback: that would keep this thread's frames, and the
            # query results in them, which pyoxigraph lets no other thread drop.
            failed.append(error.with_traceback(None))

    worker = threading.Thread(target=run, name="parley-command", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if failed:
        raise failed[0]


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
        rdf_format = ox.RdfFormat.JSON_LD if format == "json" else ox.RdfFormat.TURTLE
        sys.stdout.buffer.write(ox.serialize(result, format=rdf_format) or b"")


@app.command(cls=_Command)
def stats(store: StoreOption = None) -> None:
    """Show triples, actors, issues, positions, evidence (unverified: from a source without text), sources per graph."""
    try:
        with _open(store) as opened:
            graphs = opened.statistics()
            ill_formed = read_ill_formed_values(opened)
    except ParleyError as error:
        _fail(error)
    columns = ["actor", "issue", "position", "evidence", "unverified", "source"]
    rows = [[g.graph, f"{g.triples:,}", *[f"{g.counts.get(c, 0):,}" for c in columns]] for g in graphs]
    totals = ["total", f"{sum(g.triples for g in graphs):,}"]
    totals += [f"{sum(g.counts.get(c, 0) for g in graphs):,}" for c in columns]
    headers = ["graph", "triples", "actors", "issues", "positions", "evidence", "unverified", "sources"]
    text.print_table(headers, rows + [totals])
    _report_left_out(ill_formed)


def _as_of(text: str | None) -> date:
    return _day(text, "--as-of")


def _day(text: str | None, option: str) -> date:
    """The date an option gives (YYYY-MM-DD), today without one; a mistake fails, naming the option."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(ValueError(f"{option} {text!r} is not a date: use YYYY-MM-DD, for example 2025-04-18"))


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
def compromise(
    a: Annotated[str | None, typer.Argument(help="An actor (slug), e.g. russia.")] = None,
    b: Annotated[str | None, typer.Argument(help="Another actor (slug), e.g. ukraine.")] = None,
    every_pair: Annotated[
        bool, typer.Option("--all", help="Rank every pair in conflict by the cost of settling it.")
    ] = False,
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show the cheapest concessions that settle A and B (or, with --all, rank every pair), and what blocks them."""
    if every_pair:
        _ask(store, json_output, text.compromises, answers.compromises, _as_of(as_of))
    elif a is None or b is None:
        _fail(InvalidArgument("actors", "name two actors (parley compromise russia ukraine), or use --all"))
    else:
        _ask(store, json_output, text.compromise, answers.compromise, a, b, _as_of(as_of))


@app.command(cls=_Command)
def changes(
    since: Annotated[
        str | None,
        typer.Option(help="Only the changes after this change's number, or made at or after this date or time."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=report_changes.MAX_CHANGES, help="At most this many.")] = 1000,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show every write through Parley since a change's number or a time, oldest first, and the shifts it caused."""
    try:
        with _open(store) as opened:
            document = report_changes.changes(opened, since, limit)
    except ParleyError as error:
        _fail(error)
    _print_json(document) if json_output else text.changes(document)


@app.command(cls=_Command)
def diff(
    a: FirstActor,
    b: SecondActor,
    start: Annotated[str, typer.Option("--from", help="The first day, YYYY-MM-DD.")],
    end: Annotated[str | None, typer.Option("--to", help="The second day, YYYY-MM-DD. Default: today.")] = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show the conflicts and agreements of A and B that appeared, disappeared or changed between two days, and why."""
    _ask(store, json_output, text.diff, answers.diff, a, b, _day(start, "--from"), _day(end, "--to"))


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
        "api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        timeout_graceful_shutdown=5,  # open change streams (/changes/stream) end then, rather than hold the stop
    )


if __name__ == "__main__":
    app()
