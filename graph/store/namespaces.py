"""The IRIs Parley mints and reads: vocabulary terms, instance namespaces and named graphs.

The vocabulary itself is data (``ontology/parley.ttl``); this module only names the parts of it
that code refers to.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "SLUG",
    "is_source_graph",
    "PARLEY",
    "ID",
    "GRAPH",
    "ONTOLOGY_GRAPH",
    "REFERENCE_GRAPH",
    "DERIVED_GRAPH",
    "LOG_GRAPH",
    "PREFIXES",
    "ONTOLOGY_DIR",
    "SEEDS_DIR",
    "source_graph",
    "instance",
    "slug_of",
    "compact",
]

PARLEY = "https://w3id.org/parley#"
"""The vocabulary namespace (``parley:``)."""

ID = "https://w3id.org/parley/id/"
"""Instances: ``id/actor/russia``, ``id/issue/territory``, ``id/position/...``."""

GRAPH = "https://w3id.org/parley/graph/"

ONTOLOGY_GRAPH = ox.NamedNode(GRAPH + "ontology")
"""``ontology/parley.ttl`` and the generic issue scheme ``ontology/issues.ttl``."""

REFERENCE_GRAPH = ox.NamedNode(GRAPH + "reference")
"""Actors, the issues of particular negotiations and the records of sources: shared by every source."""

DERIVED_GRAPH = ox.NamedNode(GRAPH + "derived")
"""What the analysis derives (stands), so that SPARQL users see what the analysis sees."""

LOG_GRAPH = ox.NamedNode(GRAPH + "log")
"""One record per loaded document (its SHA-256, name and time), so nothing is loaded twice."""

PREFIXES = {
    "parley": PARLEY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "oa": "http://www.w3.org/ns/oa#",
    "actor": ID + "actor/",
    "issue": ID + "issue/",
    "position": ID + "position/",
    "stand": ID + "stand/",
    "evidence": ID + "evidence/",
    "condition": ID + "condition/",
    "source": ID + "source/",
    "shape": "https://w3id.org/parley/shape/",
}

_PACKAGE = Path(__file__).resolve().parent.parent  # graph/
# A checkout keeps ontology/ and seeds/ beside the package; a wheel carries copies in graph/_data.
_ROOT = _PACKAGE.parent if (_PACKAGE.parent / "ontology").is_dir() else _PACKAGE / "_data"
ONTOLOGY_DIR = _ROOT / "ontology"
SEEDS_DIR = _ROOT / "seeds"


SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?$")
"""What an id (a slug) may look like: lowercase letters, digits and inner hyphens."""


def is_source_graph(iri: str) -> bool:
    """Whether ``iri`` names a source graph (``graph/source/{slug}``), the only graphs documents write.

    Examples
    --------
    >>> is_source_graph("https://w3id.org/parley/graph/source/talks"), is_source_graph(LOG_GRAPH.value)
    (True, False)
    """
    prefix = f"{GRAPH}source/"
    return iri.startswith(prefix) and SLUG.fullmatch(iri[len(prefix) :]) is not None


def source_graph(slug: str) -> ox.NamedNode:
    """Return the named graph that holds one source document's positions.

    Examples
    --------
    >>> source_graph("talks-2025-04-18").value
    'https://w3id.org/parley/graph/source/talks-2025-04-18'
    """
    return ox.NamedNode(f"{GRAPH}source/{slug}")


def instance(kind: str, slug: str) -> ox.NamedNode:
    """Return the IRI of an instance from its kind and slug.

    Examples
    --------
    >>> instance("actor", "russia").value
    'https://w3id.org/parley/id/actor/russia'
    """
    return ox.NamedNode(f"{ID}{kind}/{slug}")


def slug_of(iri: str) -> str:
    """Return the last path segment of an IRI, the name the REST API and the CLI use.

    Examples
    --------
    >>> slug_of("https://w3id.org/parley/id/actor/russia")
    'russia'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


_BARE_DATATYPES = {"integer", "decimal", "double", "boolean"}


def compact(term: ox.NamedNode | ox.BlankNode | ox.Literal | str) -> str:
    """Write a term the short way a person reads it: a prefixed name where a prefix fits.

    Examples
    --------
    >>> compact(ox.NamedNode("https://w3id.org/parley#stance"))
    'parley:stance'
    >>> compact(ox.NamedNode("http://example.org/x"))
    '<http://example.org/x>'
    >>> compact(ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    '1.5'
    """
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value[len(PREFIXES["xsd"]) :] if term.datatype else ""
        if datatype in _BARE_DATATYPES:
            return term.value
        if datatype in ("string", "") or term.language:
            return repr(term.value) if len(term.value) <= 60 else repr(term.value[:57] + "...")
        return f"{term.value!r}^^{compact(term.datatype)}"
    if isinstance(term, str):
        term = ox.NamedNode(term)
    if isinstance(term, ox.NamedNode):
        best = ""
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        local = term.value[len(PREFIXES[best]) :] if best else ""
        if best and local and "/" not in local and "#" not in local:
            return f"{best}:{local}"
        return f"<{term.value}>"
    return str(term)
