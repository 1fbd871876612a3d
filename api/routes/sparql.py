"""The SPARQL 1.1 endpoint: Protocol, content negotiation, service description and a query page.

Queries are parsed, checked and run in the worker processes of :class:`graph.sparql.sandbox.QuerySandbox`,
over a snapshot of the store, within the time and row limits; updates need the write token, are
parsed and checked in a worker, and applied on the sandbox's thread that has no network. The
server process itself never parses client SPARQL.
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from api.deps import SandboxDependency, SettingsDependency, SnapshotsDependency, WorkspaceDependency, require_token
from api.errors import Problem
from api.schemas import Responses, problem
from graph.sparql.sandbox import GRAPH_FORMATS, NotAcceptable, QueryRequest
from graph.store.namespaces import PREFIXES
from graph.store.queries import EXAMPLE_QUERIES
from graph.store.vocabulary import parley_terms

router = APIRouter(tags=["sparql"])
_BEARER = HTTPBearer(auto_error=False)

# The media types each answer can be sent as: the standard ones first (a wildcard picks the first
# of its family), then the aliases clients also send.
RESULTS_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "n-triples",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/rdf+xml": "rdf-xml",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/plain": "n-triples",
}
DERIVED_HEADER = "Parley-Derived-Graph"
"""The header of every query answer that says whether the derived graph is `current` or `stale` (see `/health`)."""

CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle",
    "n-triples": "application/n-triples",
    "json-ld": "application/ld+json",
    "trig": "application/trig",
    "rdf-xml": "application/rdf+xml",
}
SPARQL = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "n-triples": "N-Triples",
    "json-ld": "JSON-LD",
    "trig": "TriG",
    "rdf-xml": "RDF_XML",
}
ERRORS: Responses = {
    400: problem("A syntax error, SERVICE or LOAD, or more rows than the limit."),
    401: problem("An update without the right bearer token."),
    403: problem("An update while writes are disabled."),
    406: problem("No format in the Accept header can carry the answer."),
    503: problem("The query ran past the time limit and was stopped."),
}
ANSWERS: Responses = {
    200: {
        "description": "The answer, in the negotiated format.",
        "content": {
            **{
                media: {"schema": {} if media.endswith("json") else {"type": "string"}}
                for media in CONTENT_TYPES.values()
            },
            "text/html": {"schema": {"type": "string"}},
        },
    },
}

GraphUris = Annotated[
    list[str] | None, Query(alias="default-graph-uri", description="Graphs whose union is the default graph.")
]
NamedUris = Annotated[list[str] | None, Query(alias="named-graph-uri", description="Graphs GRAPH may match.")]


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """The key of the best offer for an Accept header (None if nothing acceptable), by q, then specificity.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULTS_MEDIA_TYPES)
    'xml'
    >>> negotiate("text/*", RESULTS_MEDIA_TYPES)
    'csv'
    >>> negotiate("image/png", RESULTS_MEDIA_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return next(iter(offers.values()))
    for media in _ranked_media_types(accept):
        found = _offer_for(media, offers)
        if found is not None:
            return found
    return None


def _ranked_media_types(accept: str) -> list[str]:
    """The media types an Accept header allows (q > 0), best first: by q, then specificity, then order."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *parameters = (field.strip() for field in part.split(";"))
        quality = _quality(parameters)
        if media and quality > 0:
            specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
            ranked.append((-quality, -specificity, position, media.lower()))
    return [media for *_, media in sorted(ranked)]


def _quality(parameters: list[str]) -> float:
    """The q parameter of one Accept entry (1 if absent, 0 if unreadable)."""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _offer_for(media: str, offers: dict[str, str]) -> str | None:
    """The first offer a media type (``*/*`` and ``family/*`` included) accepts."""
    if media == "*/*":
        return next(iter(offers.values()))
    if media.endswith("/*"):
        return next((key for offered, key in offers.items() if offered.startswith(media[:-1])), None)
    return offers.get(media)


def _wants_html(accept: str | None) -> bool:
    return accept is not None and "text/html" in accept.lower()


async def _read_form(request: Request) -> dict[str, list[str]]:
    body = await request.body()
    # Decoding a large form is CPU work: off the event loop, so other requests go on.
    return await run_in_threadpool(lambda: parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def _one(values: list[str] | None, name: str) -> str | None:
    if not values:
        return None
    if len(values) > 1:
        raise Problem(400, "Invalid request", f"give one {name}, not {len(values)}", parameter=name)
    return values[0]


@router.get("/sparql", responses={**ANSWERS, **ERRORS}, summary="Run a SPARQL query")
async def read_sparql(
    request: Request,
    workspace: WorkspaceDependency,
    sandbox: SandboxDependency,
    snapshots: SnapshotsDependency,
    query: Annotated[
        str | None, Query(description="A SPARQL 1.1 query (common prefixes such as parley: and actor: are predefined).")
    ] = None,
    default_graph_uri: GraphUris = None,
    named_graph_uri: NamedUris = None,
) -> Response:
    """Answer a SPARQL query; without one, describe the service (or show the query page to a browser)."""
    accept = request.headers.get("accept")
    if query is None:
        if _wants_html(accept):
            return HTMLResponse(_query_page())
        return _service_description(str(request.url.replace(query="")), accept)
    return await _answer(query, accept, default_graph_uri, named_graph_uri, workspace, sandbox, snapshots)


@router.post(
    "/sparql",
    summary="Run a SPARQL query or update",
    responses={**ANSWERS, **ERRORS, 204: {"description": "The update was applied."}},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/sparql-update": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "update": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
            }
        }
    },
)
async def create_sparql(
    request: Request,
    workspace: WorkspaceDependency,
    sandbox: SandboxDependency,
    snapshots: SnapshotsDependency,
    settings: SettingsDependency,
    default_graph_uri: GraphUris = None,
    named_graph_uri: NamedUris = None,
) -> Response:
    """Answer a query sent as application/sparql-query or a form, or apply an update (token needed)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    accept = request.headers.get("accept")
    if content_type == "application/sparql-query":
        text = (await request.body()).decode("utf-8", errors="replace")
        return await _answer(text, accept, default_graph_uri, named_graph_uri, workspace, sandbox, snapshots)
    if content_type == "application/sparql-update":
        await require_token(settings, await _BEARER(request))  # before the body is read
        text = (await request.body()).decode("utf-8", errors="replace")
        return await _update(text, workspace, sandbox)
    if content_type == "application/x-www-form-urlencoded":
        form = await _read_form(request)
        if "update" in form:
            await require_token(settings, await _BEARER(request))  # before saying anything of the form
            return await _update(_one(form["update"], "update"), workspace, sandbox)
        query = _one(form.get("query"), "query")
        if query is None:
            raise Problem(400, "Invalid request", "the form has neither a query nor an update field")
        return await _answer(
            query,
            accept,
            form.get("default-graph-uri") or default_graph_uri,
            form.get("named-graph-uri") or named_graph_uri,
            workspace,
            sandbox,
            snapshots,
        )
    raise Problem(
        415,
        "Unsupported format",
        f"Content-Type {content_type or '(none)'!r}: send "
        "application/sparql-query, application/sparql-update or application/x-www-form-urlencoded",
    )


async def _answer(text, accept, default_graphs, named_graphs, workspace, sandbox, snapshots) -> Response:
    # Reading a query (up to the body limit) is CPU work too: all of it happens off the event loop.
    answer, derived = await run_in_threadpool(
        _run, text, accept, default_graphs, named_graphs, workspace, sandbox, snapshots
    )
    headers = {"Vary": "Accept", DERIVED_HEADER: "current" if derived else "stale"}
    return Response(answer.body, media_type=CONTENT_TYPES[answer.format], headers=headers)


def _run(text, accept, default_graphs, named_graphs, workspace, sandbox, snapshots):
    for name, iris in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for iri in iris or ():
            try:
                ox.NamedNode(iri)
            except ValueError as error:
                raise Problem(
                    400, "Invalid request", f"{name} {iri!r} is not an absolute IRI: {error}", parameter=name
                ) from None
    # The worker parses the query, so it also picks which of the two negotiated formats fits its form.
    request = QueryRequest(
        text,
        negotiate(accept, RESULTS_MEDIA_TYPES),
        negotiate(accept, GRAPH_MEDIA_TYPES),
        tuple(default_graphs or ()),
        tuple(named_graphs or ()),
    )
    with workspace.holding_still():
        snapshot = snapshots.current(workspace.generation)
        derived = workspace.derived_current()
    try:
        return sandbox.run(snapshot, request), derived
    except NotAcceptable as error:
        offered = GRAPH_MEDIA_TYPES if error.form in ("construct", "describe") else RESULTS_MEDIA_TYPES
        raise Problem(
            406,
            "Not acceptable",
            f"a {error.form.upper()} answer can be sent as {', '.join(offered)}; the Accept header allows none of them",
            accept=accept,
        ) from None


async def _update(text: str | None, workspace, sandbox) -> Response:
    """Apply an update the caller has let through with the token."""
    if not text:
        raise Problem(400, "Invalid request", "the update is empty")
    try:
        await run_in_threadpool(sandbox.apply_update, workspace.update, text)
    except (SyntaxError, ValueError) as error:  # the store's own reading of a text the grammar let through
        raise Problem(400, "Query refused", f"SPARQL error: {error}") from None
    return Response(status_code=204)


def _service_description(endpoint: str, accept: str | None) -> Response:
    kind = negotiate(accept, GRAPH_MEDIA_TYPES) or "turtle"
    service = ox.BlankNode()
    dataset = ox.BlankNode()
    term = lambda name: ox.NamedNode(SPARQL + name)  # noqa: E731
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, term("Service")),
        ox.Triple(service, term("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, term("supportedLanguage"), term("SPARQL11Query")),
        ox.Triple(service, term("supportedLanguage"), term("SPARQL11Update")),
        ox.Triple(service, term("feature"), term("UnionDefaultGraph")),
        ox.Triple(service, term("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, term("Dataset")),
        ox.Triple(service, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("Parley SPARQL endpoint")),
    ]
    triples += [ox.Triple(service, term("resultFormat"), ox.NamedNode(FORMATS + iri)) for iri in _FORMAT_IRIS.values()]
    body = ox.serialize(triples, format=GRAPH_FORMATS[kind], prefixes={"sd": SPARQL, "formats": FORMATS})
    return Response(body, media_type=CONTENT_TYPES[kind], headers={"Vary": "Accept"})


def _query_page() -> str:
    template = files("api").joinpath("query.html").read_text(encoding="utf-8")
    prefixes = "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())
    return template.replace("{{examples}}", json.dumps(EXAMPLE_QUERIES).replace("</", "<\\/")).replace(
        "{{prefixes}}", escape(prefixes)
    )


class ExampleQueryPublic(BaseModel):
    title: str
    query: str = Field(description="The query, without PREFIX lines: the endpoint predefines `prefixes`.")


class VocabularyPublic(BaseModel):
    prefixes: dict[str, str] = Field(description="The prefixes every query may use undeclared, name to namespace.")
    classes: list[str] = Field(description="The classes of Parley's vocabulary, as prefixed names.")
    properties: list[str] = Field(description="The properties of Parley's vocabulary, as prefixed names.")
    examples: list[ExampleQueryPublic] = Field(description="The example queries the query pages offer.")


@router.get("/sparql/vocabulary", response_model=VocabularyPublic, summary="What a SPARQL editor completes")
def read_sparql_vocabulary() -> VocabularyPublic:
    """The predefined prefixes, Parley's classes and properties, and the example queries, for a query editor."""
    terms = parley_terms()
    return VocabularyPublic(
        prefixes=PREFIXES,
        classes=terms.classes,
        properties=terms.properties,
        examples=[ExampleQueryPublic(title=title, query=query) for title, query in EXAMPLE_QUERIES.items()],
    )
