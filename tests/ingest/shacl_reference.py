"""Run pyshacl, the reference SHACL engine, and read its report into comparable tuples."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import SH

from graph.errors import Violation
from graph.store.namespaces import ONTOLOGY_DIR, compact

_SHAPES = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
_VOCABULARY = rdflib.Graph().parse(ONTOLOGY_DIR / "parley.ttl")


def _compact(node: rdflib.term.Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return compact(ox.NamedNode(str(node)))
    return str(node)


def pyshacl_results(turtle: str) -> set[tuple[str, str | None, str]]:
    """(focus, path, constraint component) of each result pyshacl reports for ``turtle``."""
    data = rdflib.Graph().parse(data=turtle, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=_SHAPES, ont_graph=_VOCABULARY, inference="none")
    return {
        (
            _compact(report.value(result, SH.focusNode)),
            _compact(report.value(result, SH.resultPath)),
            str(report.value(result, SH.sourceConstraintComponent)),
        )
        for result in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    }


def parley_results(violations: list[Violation]) -> set[tuple[str, str | None, str]]:
    """The same tuples from Parley's validator, leaving out its checks that are not SHACL."""
    return {
        (violation.focus, violation.path, violation.component)
        for violation in violations
        if violation.component.startswith(str(SH))
    }
