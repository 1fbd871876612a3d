"""Exports: GEXF 1.3 and GraphML for Gephi, and RDF dumps of the store."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import AsOf, WorkspaceDependency
from api.errors import Problem
from api.prefetch import network_picture
from api.schemas import ProblemPublic, Responses, problem
from graph.analysis.read import read_all_evidence
from graph.export import gephi, rdf, spreadsheets
from graph.store.namespaces import SLUG
from graph.workspace import Workspace

router = APIRouter(prefix="/export", tags=["export"])

View = Annotated[
    Literal["actors", "full"],
    Query(
        description="actors: parties, conflict and agreement; full: actors, issues, positions and the sides they take."
    ),
]
ERRORS: Responses = {422: problem("A malformed parameter.")}


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _streamed(
    workspace: Workspace, view: str, dynamic: bool, as_of, strongest: int | None, edge_issues: bool
) -> Iterator[bytes]:
    """The document in pieces, the state held still until the last one is sent."""
    with workspace.reading() as negotiation:
        buffer = []
        for piece in gephi.generate_gexf(
            negotiation, view=view, dynamic=dynamic, as_of=as_of, strongest=strongest, edge_issues=edge_issues
        ):
            buffer.append(piece)
            if len(buffer) >= 2048:
                yield "".join(buffer).encode()
                buffer.clear()
        yield "".join(buffer).encode()


@router.get(
    "/gexf",
    summary="Export for Gephi (GEXF)",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/gexf+xml": {"schema": {"type": "string"}}},
            "description": "A GEXF 1.3 document.",
        },
        **ERRORS,
    },
)
def read_gexf(
    request: Request,
    workspace: WorkspaceDependency,
    as_of: AsOf,
    view: View = "actors",
    dynamic: Annotated[bool, Query(description="Positions over time (spells) instead of a snapshot.")] = False,
    strongest: Annotated[
        int | None,
        Query(ge=0, description="actors view: only this many conflict and agreement edges, the heaviest."),
    ] = None,
    edge_issues: Annotated[
        bool,
        Query(description="actors view: each conflict and agreement edge lists its issues (false: their count only)."),
    ] = True,
) -> Response:
    """Stream the graph as GEXF 1.3 for Gephi desktop (dynamic) or Gephi Lite (static)."""
    name = f"parley-{view}-{'dynamic' if dynamic else as_of.isoformat()}.gexf"
    if view == "actors" and not dynamic and strongest is not None:
        # A bounded picture (the workbench's Network view): kept until the next write, and worked out ahead.
        body = network_picture(request.app.state.answers, workspace, as_of, strongest, edge_issues)
        return Response(body, media_type="application/gexf+xml", headers=_attachment(name))
    pieces = _streamed(workspace, view, dynamic, as_of, strongest, edge_issues)
    # The first piece before the first byte: a store that is down is a 503 problem, not a 200 with a broken body.
    first = next(pieces)
    return StreamingResponse(
        itertools.chain([first], pieces), media_type="application/gexf+xml", headers=_attachment(name)
    )


@router.get(
    "/graphml",
    summary="Export as GraphML",
    responses={
        200: {
            "content": {"application/graphml+xml": {"schema": {"type": "string"}}},
            "description": "A GraphML document.",
        },
        **ERRORS,
    },
)
def read_graphml(workspace: WorkspaceDependency, as_of: AsOf, view: View = "actors") -> Response:
    """Write the graph as GraphML, with keys named after the attributes."""
    with workspace.reading() as negotiation:
        buffer = io.BytesIO()
        gephi.write_graphml(negotiation, buffer, view=view, as_of=as_of)
    return Response(
        buffer.getvalue(),
        media_type="application/graphml+xml",
        headers=_attachment(f"parley-{view}-{as_of.isoformat()}.graphml"),
    )


@router.get(
    "/rdf",
    summary="Dump the store as RDF",
    responses={
        # JSON-LD is JSON (an array of graphs), the others are text.
        200: {
            "content": {
                media: {"schema": {} if media.endswith("json") else {"type": "string"}}
                for _, media, _ in rdf.RDF_DUMPS.values()
            },
            "description": "The store, or one named graph, as RDF.",
        },
        400: {
            "model": ProblemPublic,
            "description": "A one-graph format without a graph, or a graph that is not an IRI.",
        },
        **ERRORS,
    },
)
async def read_rdf(
    workspace: WorkspaceDependency,
    format: Annotated[
        Literal["trig", "n-quads", "json-ld", "turtle", "n-triples"],
        Query(description="trig, n-quads and json-ld hold every graph; turtle and n-triples need `graph`."),
    ] = "trig",
    graph: Annotated[str | None, Query(description="One named graph (an IRI) instead of the whole store.")] = None,
) -> Response:
    """Dump the whole store, or one named graph, as RDF."""

    def dump() -> bytes:
        with workspace.holding_still():
            return rdf.dump_rdf(workspace.store, format, graph)

    try:
        body = await run_in_threadpool(dump)
    except ValueError as error:
        raise Problem(400, "Invalid request", str(error), parameter="graph") from None
    _, media_type, extension = rdf.RDF_DUMPS[format]
    return Response(body, media_type=media_type, headers=_attachment(f"parley.{extension}"))


@router.get(
    "/csv",
    summary="Export positions as a spreadsheet",
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "The positions in the layout asked for (CSV UTF-8).",
        },
        422: {"model": ProblemPublic, "description": "A scenario without a source, or one no position cites."},
    },
)
def read_csv(
    workspace: WorkspaceDependency,
    format: Annotated[
        Literal["positions", "ktab", "decide"],
        Query(description="positions: every position; ktab, decide: the scenario of one source's positions."),
    ] = "positions",
    source: Annotated[str | None, Query(description="ktab, decide: the source whose positions make it.")] = None,
) -> Response:
    """Write positions as CSV in a layout `POST /import` reads back: all of them, or one source's as a scenario."""
    with workspace.reading() as negotiation:
        lines = spreadsheets.generate_csv(negotiation, read_all_evidence(workspace.store), format, source)
        body = "".join(lines).encode("utf-8")
    # Only a slug names the file: a header holds Latin-1 at most, and a source no scenario used is no name.
    name = f"{source}-{format}.csv" if source is not None and SLUG.fullmatch(source) else f"parley-{format}.csv"
    return Response(body, media_type="text/csv; charset=utf-8", headers=_attachment(name))
