"""Validate RDF against Parley's SHACL shapes, fast, inside Oxigraph.

The shapes in ``ontology/shapes.ttl`` are the one statement of what valid data is. pyshacl reads
them triple by triple in Python, which takes minutes on a large load; this module evaluates the
same constraints as SPARQL queries (:mod:`graph.store.queries`) over the document's own Oxigraph
dataset. It supports the SHACL Core components the shapes use and refuses shapes that use any
other, so it can never pass data that pyshacl would reject for a rule it does not know.
``tests/graph/test_validate.py`` runs both on the same inputs and compares their answers.

Beyond SHACL, it reports Parley terms the vocabulary does not define (``parley:stanse``) with
the nearest defined ones: a misspelt class would otherwise leave a node outside every shape.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from graph.analysis import names
from graph.errors import Violation
from graph.progress import Progress
from graph.store import queries, solutions
from graph.store.namespaces import ONTOLOGY_DIR, PARLEY, PREFIXES, compact, slug_of
from graph.store.vocabulary import parley_superclasses, superclass_closure

__all__ = ["ShapesValidator", "UnsupportedShapes", "KnownInstances", "nearest_names"]

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
RDFS_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")

# Internal graphs that hold the validation context beside a document's own graphs.
VOCABULARY_CONTEXT = ox.NamedNode("urn:parley:validation:vocabulary")
SHAPES_CONTEXT = ox.NamedNode("urn:parley:validation:shapes")
STORED_CONTEXT = ox.NamedNode("urn:parley:validation:stored")
"""What the store already says of the nodes a document describes, so each is judged as it will be after the load."""


class KnownInstances(Protocol):
    """What exists outside the document being validated: the store, and other documents of a batch."""

    def is_instance(self, value: ox.NamedNode, class_: ox.NamedNode) -> bool:
        """Is ``value`` an instance of ``class_`` (or of a subclass)?"""

    def instances_of(self, class_: ox.NamedNode) -> list[str]:
        """The IRIs of the instances of ``class_``, to suggest the nearest to a misspelt one."""


def nearest_names(iri: str, candidates: list[str], count: int = 3) -> list[str]:
    """Return up to ``count`` candidate IRIs closest to ``iri``, comparing their last segments as
    :func:`graph.analysis.names.nearest` compares names (case, accents and punctuation aside, by words).

    Examples
    --------
    >>> nearest_names("https://w3id.org/parley/id/actor/rusia",
    ...               ["https://w3id.org/parley/id/actor/russia", "https://w3id.org/parley/id/actor/us"])
    ['https://w3id.org/parley/id/actor/russia']
    """
    by_slug: dict[str, list[str]] = {}
    for candidate in candidates:
        by_slug.setdefault(slug_of(candidate), []).append(candidate)
    close = names.nearest(slug_of(iri), dict.fromkeys(by_slug, ()), limit=count)
    return [candidate for slug in close for candidate in by_slug[slug]][:count]


_NODE_SHAPE_WORDS = {
    "targetClass",
    "targetSubjectsOf",
    "targetObjectsOf",
    "closed",
    "ignoredProperties",
    "property",
    "xone",
    "message",
    "class",
}
_PROPERTY_SHAPE_WORDS = {
    "path",
    "minCount",
    "maxCount",
    "class",
    "datatype",
    "or",
    "in",
    "nodeKind",
    "minInclusive",
    "maxInclusive",
    "minLength",
    "pattern",
    "lessThanOrEquals",
    "message",
    "name",
}


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature this validator does not evaluate."""


@dataclass(frozen=True)
class _Check:
    query: str
    component: str
    describe: Callable[[ox.QuerySolution], str]


def _bound(row: ox.QuerySolution) -> str:
    return compact(row["bound"]) if isinstance(row["bound"], ox.NamedNode) else row["bound"].value


_CHECKS = (
    _Check(
        queries.VALIDATE_MIN_COUNT, "MinCount", lambda row: f"sh:minCount {_bound(row)}, found {row['found'].value}"
    ),
    _Check(
        queries.VALIDATE_MAX_COUNT, "MaxCount", lambda row: f"sh:maxCount {_bound(row)}, found {row['found'].value}"
    ),
    _Check(queries.VALIDATE_DATATYPE, "Datatype", lambda row: f"sh:datatype {_bound(row)}"),
    _Check(queries.VALIDATE_DATATYPE_ALTERNATIVES, "Or", lambda row: "sh:or of datatypes"),
    _Check(queries.VALIDATE_IN, "In", lambda row: "sh:in"),
    _Check(queries.VALIDATE_NODE_KIND_IRI, "NodeKind", lambda row: "sh:nodeKind sh:IRI"),
    _Check(queries.VALIDATE_MIN_INCLUSIVE, "MinInclusive", lambda row: f"sh:minInclusive {_bound(row)}"),
    _Check(queries.VALIDATE_MAX_INCLUSIVE, "MaxInclusive", lambda row: f"sh:maxInclusive {_bound(row)}"),
    _Check(queries.VALIDATE_MIN_LENGTH, "MinLength", lambda row: f"sh:minLength {_bound(row)}"),
    _Check(
        queries.VALIDATE_LESS_THAN_OR_EQUALS,
        "LessThanOrEquals",
        lambda row: f"sh:lessThanOrEquals (other value {row['bound'].value})",
    ),
    _Check(queries.VALIDATE_CLOSED, "Closed", lambda row: "sh:closed"),
    _Check(queries.VALIDATE_XONE, "Xone", lambda row: f"sh:xone, {row['found'].value} alternatives met"),
    _Check(queries.VALIDATE_NODE_CLASS, "Class", lambda row: f"sh:class {_bound(row)}"),
)

# Run once per pattern (see queries.VALIDATE_PATTERN).
_PATTERN_CHECK = _Check(queries.VALIDATE_PATTERN, "Pattern", lambda row: f"sh:pattern {_bound(row)!r}")

_GENERIC_MESSAGES = {
    "MinCount": "too few values",
    "MaxCount": "too many values",
    "Datatype": "value of the wrong datatype",
    "Or": "value of the wrong datatype",
    "In": "value not among those allowed",
    "NodeKind": "value must be an IRI",
    "MinInclusive": "value below the minimum",
    "MaxInclusive": "value above the maximum",
    "MinLength": "value too short",
    "Pattern": "value does not match the pattern",
    "LessThanOrEquals": "value greater than its upper bound",
    "Xone": "exactly one of the alternatives must hold",
    "Class": "value of the wrong class",
}


PARALLEL_VALIDATION_QUADS = 2_000_000
"""Documents of this many quads or more are validated one query at a time, to bound memory."""


class ShapesValidator:
    """Evaluates ``ontology/shapes.ttl`` (or other shapes of the same SHACL subset) over a dataset.

    Parameters
    ----------
    shapes : path of a Turtle file of SHACL shapes.
    vocabulary : path of the vocabulary (``parley.ttl``): its subclass axioms decide which nodes
        a ``sh:targetClass`` reaches, and its terms are the only Parley terms allowed.

    Raises
    ------
    UnsupportedShapes
        If the shapes use a SHACL feature this validator does not evaluate.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> dataset = ox.Store()
    >>> dataset.load(b'<urn:p> a <https://w3id.org/parley#Position> .', ox.RdfFormat.TURTLE,
    ...              to_graph=ox.NamedNode("urn:g"))
    >>> problems = ShapesValidator().validate(dataset)
    >>> sorted({problem.constraint.split(",")[0] for problem in problems})
    ['sh:minCount 1', 'sh:xone']
    """

    def __init__(self, shapes: Path = ONTOLOGY_DIR / "shapes.ttl", vocabulary: Path = ONTOLOGY_DIR / "parley.ttl"):
        self._shapes = Path(shapes).read_bytes()
        self._vocabulary = Path(vocabulary).read_bytes()
        self._refuse_unsupported()

    @cached_property
    def defined_terms(self) -> list[str]:
        """Every term of the Parley namespace that the vocabulary defines."""
        dataset = ox.Store()
        dataset.load(self._vocabulary, ox.RdfFormat.TURTLE, to_graph=VOCABULARY_CONTEXT)
        rows = solutions(
            dataset.query(
                queries.DEFINED_PARLEY_TERMS,
                prefixes=PREFIXES,
                substitutions={ox.Variable("vocabulary"): VOCABULARY_CONTEXT},
            )
        )
        return sorted(row["term"].value for row in rows)

    def classes_within(self, class_: ox.NamedNode) -> frozenset[ox.NamedNode]:
        """Return ``class_`` and all its subclasses in the vocabulary (rdfs:subClassOf, transitively)."""
        return self._subclasses.get(class_, frozenset({class_}))

    def superclasses_of(self, class_: ox.NamedNode) -> tuple[ox.NamedNode, ...]:
        """Return the superclasses of a Parley class in the vocabulary (rdfs:subClassOf, transitively),
        sorted; none for a class outside the Parley namespace.

        Examples
        --------
        >>> import pyoxigraph as ox
        >>> [c.value for c in ShapesValidator().superclasses_of(ox.NamedNode("https://w3id.org/parley#State"))]
        ['http://www.w3.org/ns/prov#Agent', 'https://w3id.org/parley#Actor']
        """
        return self._superclasses.get(class_, ())

    @cached_property
    def classes_with_superclasses(self) -> list[ox.NamedNode]:
        """The Parley classes that have superclasses in the vocabulary (see :meth:`superclasses_of`), sorted."""
        return sorted(self._superclasses, key=lambda class_: class_.value)

    @cached_property
    def _subclass_axioms(self) -> list[tuple[object, object]]:
        """The vocabulary's ``rdfs:subClassOf`` triples, as (class, superclass) pairs."""
        return [
            (triple.subject, triple.object)
            for triple in ox.parse(self._vocabulary, ox.RdfFormat.TURTLE)
            if triple.predicate == RDFS_SUBCLASS_OF
        ]

    @cached_property
    def _superclasses(self) -> dict[ox.NamedNode, tuple[ox.NamedNode, ...]]:
        return parley_superclasses(self._subclass_axioms)

    @cached_property
    def _subclasses(self) -> dict[ox.NamedNode, frozenset[ox.NamedNode]]:
        within: dict[ox.NamedNode, set[ox.NamedNode]] = {}
        for class_, superclasses in superclass_closure(self._subclass_axioms).items():
            if isinstance(class_, ox.NamedNode):
                for superclass in superclasses:
                    if isinstance(superclass, ox.NamedNode):
                        within.setdefault(superclass, {superclass}).add(class_)
        return {class_: frozenset(subclasses) for class_, subclasses in within.items()}

    @property
    def checks(self) -> int:
        """How many queries :meth:`validate` runs over a document (what it tells a progress of)."""
        return len(_CHECKS) + len(self._patterns) + 3  # and the classes, the undefined terms, the lexical forms

    def validate(
        self,
        dataset: ox.Store,
        known: KnownInstances | None = None,
        stored: Sequence[ox.Quad] = (),
        progress: Progress | None = None,
        one_at_a_time: bool = False,
    ) -> list[Violation]:
        """Return every violation in ``dataset`` (all its graphs together), sorted.

        Parameters
        ----------
        dataset : an Oxigraph store holding only the document(s) to check. The validator adds its
            context graphs for the time of the call and removes them before returning.
        known : where a value's class is not stated in ``dataset``, ask this (the store the
            document will go into). Without it, such a value breaks its ``sh:class`` rule.
            It also suggests the nearest known instances for an unknown one.
        stored : what the store already holds about the nodes ``dataset`` describes. The shapes
            then apply to each node as it will be after the load: a document that adds a second
            holder to a stored position, or a ``parley:speaksFor`` to a stored actor, is checked.
        progress : told of each query done, :attr:`checks` in all.
        one_at_a_time : run one query at a time, as for a document of :data:`PARALLEL_VALIDATION_QUADS`
            quads or more (a caller that keeps the other core busy: a load writing meanwhile).
        """
        dataset.load(self._vocabulary, ox.RdfFormat.TURTLE, to_graph=VOCABULARY_CONTEXT)
        dataset.load(self._shapes, ox.RdfFormat.TURTLE, to_graph=SHAPES_CONTEXT)
        dataset.extend(ox.Quad(q.subject, q.predicate, q.object, STORED_CONTEXT) for q in stored)
        try:
            violations = self._run(dataset, known, progress or Progress(), one_at_a_time)
        finally:
            for context in (VOCABULARY_CONTEXT, SHAPES_CONTEXT, STORED_CONTEXT):
                dataset.remove_graph(context)
        # Two rules of a shape may fail alike (its two sh:xone, with one message): each is said once.
        return sorted(dict.fromkeys(violations), key=lambda v: (v.focus, v.path or "", v.constraint, v.value or ""))

    def _run(
        self, dataset: ox.Store, known: KnownInstances | None, progress: Progress, one_at_a_time: bool
    ) -> list[Violation]:
        messages = self._messages(dataset)

        def told(rows: list[ox.QuerySolution]) -> list[ox.QuerySolution]:
            progress.advance(1)
            return rows

        # Oxigraph evaluates without holding the GIL: two queries at a time use both cores. A large
        # document is checked one query at a time: two at once hold both their intermediate results
        # (measured at 100k positions: 1.4 GB over the parsed document, against 0.5 GB one at a time).
        workers = 1 if one_at_a_time or len(dataset) >= PARALLEL_VALIDATION_QUADS else 2
        with ThreadPoolExecutor(max_workers=workers) as pool:
            classes = pool.submit(lambda: told(list(self._select(dataset, queries.VALIDATE_CLASS))))
            undefined = pool.submit(lambda: told(self._select_in_document(dataset, queries.UNDEFINED_PARLEY_TERMS)))
            ill_formed = pool.submit(lambda: told(self._select_in_document(dataset, queries.VALIDATE_LEXICAL_FORMS)))
            patterns = pool.submit(
                lambda: [
                    row
                    for pattern in self._patterns
                    for row in told(
                        list(self._select(dataset, queries.with_pattern(_PATTERN_CHECK.query, pattern), bound=pattern))
                    )
                ]
            )
            answers = list(pool.map(lambda check: told(list(self._select(dataset, check.query))), _CHECKS))
            class_rows, undefined_rows = classes.result(), undefined.result()
            answers.append(patterns.result())
        violations = [
            self._violation(row, check.component, check.describe(row), messages)
            for check, rows in zip((*_CHECKS, _PATTERN_CHECK), answers, strict=True)
            for row in rows
        ]
        violations += self._class_violations(dataset, class_rows, known, messages)
        violations += self._undefined_terms(undefined_rows)
        violations += [_ill_formed(row) for row in ill_formed.result()]
        return violations

    @cached_property
    def _patterns(self) -> list[ox.Literal]:
        shapes = ox.Store()
        shapes.load(self._shapes, ox.RdfFormat.TURTLE)
        return [row["pattern"] for row in solutions(shapes.query(queries.SHAPE_PATTERNS, prefixes=PREFIXES))]

    def _select_in_document(self, dataset: ox.Store, query: str) -> list[ox.QuerySolution]:
        """The rows of a query over the document's own graphs, the validator's context graphs bound to be left out."""
        return list(
            self._select(dataset, query, vocabulary=VOCABULARY_CONTEXT, shapes=SHAPES_CONTEXT, stored=STORED_CONTEXT)
        )

    def _select(self, dataset: ox.Store, query: str, **bindings: ox.NamedNode | ox.Literal):
        return dataset.query(
            query,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(name): value for name, value in bindings.items()} or None,
        )

    def _messages(self, dataset: ox.Store) -> dict:
        rows = solutions(
            dataset.query(
                queries.SHAPE_MESSAGES, prefixes=PREFIXES, substitutions={ox.Variable("shapes"): SHAPES_CONTEXT}
            )
        )
        return {row["node"]: row["message"].value for row in rows}

    @staticmethod
    def _violation(row: ox.QuerySolution, component: str, constraint: str, messages: dict) -> Violation:
        property_shape = _get(row, "property")
        path = _get(row, "path")
        value = _get(row, "value")
        if component == "Closed":
            message = f"{compact(path)} is not a property {compact(row['shape'])} allows (the shape is closed)"
        else:
            message = messages.get(property_shape) or messages.get(row["shape"]) or _GENERIC_MESSAGES[component]
        return Violation(
            focus=compact(row["focus"]),
            message=message,
            constraint=constraint,
            component=SH + component + "ConstraintComponent",
            path=compact(path) if path is not None else None,
            value=compact(value) if value is not None else None,
            shape=compact(row["shape"]),
        )

    def _class_violations(
        self, dataset: ox.Store, rows: list, known: KnownInstances | None, messages: dict
    ) -> list[Violation]:
        answers: dict[tuple, bool] = {}
        candidates: dict[ox.NamedNode, list[str]] = {}
        violations = []
        for row in rows:
            value, class_ = row["value"], row["bound"]
            hint = ""
            if isinstance(value, ox.NamedNode) and known is not None:
                if (value, class_) not in answers:
                    answers[value, class_] = known.is_instance(value, class_)
                if answers[value, class_]:
                    continue
                if class_ not in candidates:
                    # The document is read as it was sent, without the supertypes a load adds: each subclass is asked.
                    in_document = [
                        row["instance"].value
                        for subclass in sorted(self.classes_within(class_), key=lambda c: c.value)
                        for row in self._select(dataset, queries.INSTANCES_OF, **{"class": subclass})
                    ]
                    candidates[class_] = list(dict.fromkeys(in_document)) + known.instances_of(class_)
                nearest = nearest_names(value.value, candidates[class_])
                hint = f" {compact(value)} is not a known {compact(class_)}" + (
                    f"; did you mean {' or '.join(compact(iri) for iri in nearest)}?" if nearest else "."
                )
            violation = self._violation(row, "Class", f"sh:class {compact(class_)}", messages)
            violations.append(replace(violation, message=violation.message + hint))
        return violations

    def _undefined_terms(self, rows: list) -> list[Violation]:
        violations = []
        for row in rows:
            term = row["term"].value
            nearest = difflib.get_close_matches(term, self.defined_terms, n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(compact(t) for t in nearest)}?" if nearest else ""
            violations.append(
                Violation(
                    focus=compact(row["example"]),
                    message=f"{compact(term)} is not a term of the Parley vocabulary{hint}",
                    constraint="undefined term",
                    component=PARLEY + "UndefinedTerm",
                    value=compact(term),
                )
            )
        return violations

    def _refuse_unsupported(self) -> None:
        dataset = ox.Store()
        dataset.load(self._shapes, ox.RdfFormat.TURTLE)
        for row in solutions(dataset.query(queries.SHAPE_VOCABULARY, prefixes=PREFIXES)):
            node, predicate, value = row["node"], row["predicate"].value, row["object"]
            if predicate in (RDF_TYPE, RDFS_COMMENT):
                continue
            word = predicate[len(SH) :] if predicate.startswith(SH) else None
            allowed = _NODE_SHAPE_WORDS if row["kind"].value == "node" else _PROPERTY_SHAPE_WORDS
            if word not in allowed:
                raise UnsupportedShapes(
                    f"{compact(node)} uses {compact(row['predicate'])}, which the fast validator does not evaluate"
                )
            if word == "path" and not isinstance(value, ox.NamedNode):
                raise UnsupportedShapes(f"{compact(node)}: only plain property paths (one IRI) are supported")
            if word == "nodeKind" and value.value != SH + "IRI":
                raise UnsupportedShapes(f"{compact(node)}: only sh:nodeKind sh:IRI is supported")
        for query, form in (
            (queries.UNSUPPORTED_DATATYPE_ALTERNATIVES, "sh:or on a property must list only [ sh:datatype ... ]"),
            (
                queries.UNSUPPORTED_XONE_BRANCHES,
                "sh:xone branches must be [ sh:path P ; sh:minCount 1 ] or an sh:or of those",
            ),
        ):
            for row in solutions(dataset.query(query, prefixes=PREFIXES)):
                raise UnsupportedShapes(f"{compact(row['node'])}: {form}")


def _ill_formed(row: ox.QuerySolution) -> Violation:
    """A literal whose text is no value of its datatype: a store would keep it, and no reader could use it."""
    datatype = compact(row["datatype"])
    return Violation(
        focus=compact(row["focus"]),
        message=f"{row['value'].value!r} is not a valid {datatype}",
        constraint=f"sh:datatype {datatype} (ill-formed literal)",
        component=SH + "DatatypeConstraintComponent",
        path=compact(row["path"]),
        value=row["value"].value,
    )


def _get(row: ox.QuerySolution, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None
