"""Export the store as RDF: the whole dataset or one named graph, in any of five formats."""

from __future__ import annotations

import pyoxigraph as ox

from graph.store import Dataset

__all__ = ["dump_rdf", "RDF_DUMPS"]

RDF_DUMPS = {
    "trig": (ox.RdfFormat.TRIG, "application/trig", "trig"),
    "n-quads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
    "json-ld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
    "n-triples": (ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
}
"""RDF dump formats by name: (pyoxigraph format, media type, file extension)."""


def dump_rdf(store: Dataset, format: str = "trig", graph: str | None = None) -> bytes:
    """The whole store (every named graph) or one named graph, serialised.

    Turtle and N-Triples hold one graph only, so they need ``graph``.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> dump_rdf(open_store("memory"), "turtle", "https://w3id.org/parley/graph/ontology").startswith(b"@prefix")
    True
    """
    if format not in RDF_DUMPS:
        raise ValueError(f"unknown RDF format {format!r}: use one of {', '.join(RDF_DUMPS)}")
    rdf_format = RDF_DUMPS[format][0]
    if graph is None and not rdf_format.supports_datasets:
        raise ValueError(f"{format} holds one graph: name one, or use trig, n-quads or json-ld for the whole store")
    return store.dump(rdf_format, ox.NamedNode(graph) if graph else None)
