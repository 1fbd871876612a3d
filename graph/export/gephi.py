"""Export the negotiation for Gephi: GEXF 1.3, written piece by piece.

:func:`generate_gexf` yields the document as strings (the shape of networkx's ``generate_gexf``),
:func:`write_gexf` writes them to a path or an open file, so a large graph streams out without
being held twice. Two views:

- ``actors``: the parties as nodes: every actor that holds positions or relates to another (the
  people who speak for a group, the members of an organisation, who has leverage over whom),
  leaving out only those that relate to nobody; conflict and agreement between groups as typed,
  weighted, coloured edges (GEXF 1.3 ``kind``), as of one date, beside speaks-for, member-of and
  leverage-over edges;
- ``full``: actors, issues, positions and propositions as nodes. A proposition is one side of an
  issue, (issue, supports) or (issue, opposes), as in the deadlock rule: each position that takes a
  side ``agrees-with`` its proposition, and the two sides of an issue are joined by one
  ``conflicts-with`` edge. Two positions on an issue agree when they reach the same proposition and
  conflict when theirs are joined, so the view grows with the positions, never with the pairs of
  them (at 50 holders an issue, a pair-wise view has 25 times the edges, and Gephi cannot open it).
  The pairs themselves, ranges and inheritance included, are the ``actors`` view and ``/conflicts``.
  Conditions point at the proposition they wait for (``conditional-on``; the edges of an either/or
  condition list all its alternatives, ``issue:stance``, in ``any_of``); the other edges are holds,
  on-issue, speaks-for, member-of, leverage-over, rejects, supersedes and broader.
  A position node says whether it is ``verified``: every quote it rests on was found in its source's
  text (none is, from a source that holds no text).

With ``dynamic=True`` (full view) each position, and the edges that hang on it, carries a spell
from its start to its effective end (a superseded position ends the day before its successor
starts), with ``timeformat="date"``; Gephi's timeline then shows positions as they change, and who
agrees and conflicts at any moment can be read off the positions shown then. With
``dynamic=False`` the export is a snapshot as of ``as_of``, with dates as plain attributes (Gephi
Lite ignores dynamics).

Both views are produced as generators twice over (a first pass counts degrees for the node sizes),
so memory holds a count per node, not the graph.

GEXF 1.3 has no ``date`` attribute type (``gexf.rng``), so dates are ISO 8601 ``string`` values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from graph.analysis import rules
from graph.analysis.model import AnyOf, Condition, Negotiation, Position

__all__ = [
    "generate_gexf",
    "write_gexf",
    "to_networkx",
    "write_graphml",
    "VIEWS",
    "GEXF_NAMESPACE",
]

VIEWS = ("actors", "full")
GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"

# XML 1.0 allows tab, newline and carriage return below 0x20, and nothing in the surrogate range or
# U+FFFE/U+FFFF; anything else of that kind is dropped rather than written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_COLOURS = {
    "conflict": (214, 39, 40),
    "agreement": (44, 160, 44),
    "actor": (31, 119, 180),
    "issue": (127, 127, 127),
    "supports": (44, 160, 44),
    "opposes": (214, 39, 40),
    "neutral": (188, 189, 34),
    "range": (148, 103, 189),
}

# (id, title, GEXF type) of every attribute, declared once per class.
_ACTOR_VIEW_NODE = [
    ("kind", "kind", "string"),
    ("positions", "positions", "integer"),
    ("members", "members", "liststring"),
]
_ACTOR_VIEW_EDGE = [("count", "count", "integer"), ("issues", "issues", "liststring")]
_FULL_NODE = [
    ("type", "type", "string"),
    ("kind", "kind", "string"),
    ("stance", "stance", "string"),
    ("min", "min", "double"),
    ("max", "max", "double"),
    ("min_date", "min (date)", "string"),
    ("max_date", "max (date)", "string"),
    ("salience", "salience", "double"),
    ("red_line", "red line", "boolean"),
    ("verified", "verified", "boolean"),
    ("holder", "holder", "string"),
    ("issue", "issue", "string"),
    ("starts", "starts", "string"),
    ("ends", "ends", "string"),
    ("scale", "scale", "string"),
    ("unit", "unit", "string"),
    ("definition", "definition", "string"),
    ("addressees", "addressees", "liststring"),
]
_FULL_EDGE = [("issues", "issues", "liststring"), ("stance", "stance", "string"), ("any_of", "any of", "liststring")]


_NODE_PREFIXES = {
    "group": "",
    "actor": "actor:",
    "issue": "issue:",
    "position": "position:",
    "proposition": "proposition:",
}
"""Node references are (class, key) pairs; a node's GEXF id is its class's prefix and its key."""


@dataclass(slots=True)
class _Node:
    reference: tuple[str, str]
    label: str
    values: dict
    colour: str | None = None
    spell: tuple[date | None, date | None] | None = None


@dataclass(slots=True)
class _Edge:
    source: tuple[str, str]
    target: tuple[str, str]
    kind: str
    weight: float = 1.0
    colour: str | None = None
    attributes: dict = field(default_factory=dict)
    spell: tuple[date | None, date | None] | None = None


@dataclass
class _View:
    """What a view exports; ``nodes`` and ``edges`` make fresh iterators, so a large view is never held whole."""

    nodes: Callable[[], Iterator[_Node]]
    edges: Callable[[], Iterator[_Edge]]
    node_count: int
    node_attributes: list[tuple[str, str, str]]
    edge_attributes: list[tuple[str, str, str]]


def _identifier(reference: tuple[str, str]) -> str:
    return _NODE_PREFIXES[reference[0]] + reference[1]


_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _attribute(value: object) -> str:
    """A double-quoted XML attribute value (one translate pass: this runs for every attribute written)."""
    return '"' + _text(value).translate(_ESCAPES) + '"'


def _value(value: Any, kind: str) -> str | None:
    """An attribute value as GEXF writes it, or None to leave it out."""
    if value is None or value == () or value == []:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "liststring":
        # GEXF 1.3 lists: [a, b]; commas and brackets inside items cannot be escaped, so they are replaced.
        items = [re.sub(r"[\[\],]", " ", _text(item)).strip() for item in value]
        return "[" + ", ".join(items) + "]"
    if kind == "double":
        return _decimal(value) if not isinstance(value, date) else None
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def _decimal(value: float) -> str:
    """A number as GEXF writes it: sums of saliences come out as 2.0999999999999996, which means 2.1.

    Examples
    --------
    >>> _decimal(0.7 + 0.7 + 0.7), _decimal(1)
    ('2.1', '1.0')
    """
    return repr(round(float(value), 9))


def _attvalues(values: dict, declared: list[tuple[str, str, str]], indent: str) -> Iterator[str]:
    written = [(name, text) for name, _, kind in declared if (text := _value(values.get(name), kind)) is not None]
    if written:
        yield f"{indent}<attvalues>\n"
        for name, text in written:
            yield f"{indent}  <attvalue for={_attribute(name)} value={_attribute(text)}/>\n"
        yield f"{indent}</attvalues>\n"


def _spell(spell: tuple[date | None, date | None] | None) -> str:
    if spell is None:
        return ""
    start, end = spell
    parts = ([f'start="{start.isoformat()}"'] if start else []) + ([f'end="{end.isoformat()}"'] if end else [])
    return ("<spells><spell " + " ".join(parts) + "/></spells>") if parts else ""


def _colour(name: str | None, indent: str) -> str:
    if name is None:
        return ""
    red, green, blue = _COLOURS[name]
    return f'{indent}<viz:color r="{red}" g="{green}" b="{blue}"/>\n'


def _declarations(class_: str, declared: list[tuple[str, str, str]]) -> Iterator[str]:
    yield f'    <attributes class="{class_}" mode="static">\n'
    for identifier, title, kind in declared:
        yield f'      <attribute id={_attribute(identifier)} title={_attribute(title)} type="{kind}"/>\n'
    yield "    </attributes>\n"


def _degrees(view: _View) -> tuple[dict[str, Counter], int]:
    """Each node's degree, by class and key (the keys are the index's own strings), and the number of edges."""
    degree: dict[str, Counter[str]] = {name: Counter() for name in _NODE_PREFIXES}
    count = 0
    for edge in view.edges():
        degree[edge.source[0]][edge.source[1]] += 1
        degree[edge.target[0]][edge.target[1]] += 1
        count += 1
    return degree, count


def _document(view: _View, dynamic: bool, description: str, as_of: date) -> Iterator[str]:
    # Sizes come from degrees, and nodes come before edges in GEXF: one pass over the edges counts them first.
    degree, edge_count = _degrees(view)
    node_attributes, edge_attributes = view.node_attributes, view.edge_attributes
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<gexf xmlns="{GEXF_NAMESPACE}" xmlns:viz="{VIZ_NAMESPACE}" version="1.3">\n'
        f'  <meta lastmodifieddate="{as_of.isoformat()}">\n    <creator>Parley</creator>\n'
        f"    <description>{escape(_text(description))}</description>\n  </meta>\n"
    )
    mode = ' mode="dynamic" timeformat="date"' if dynamic else ' mode="static"'
    yield f'  <graph defaultedgetype="directed"{mode}>\n'
    yield from _declarations("node", node_attributes)
    yield from _declarations("edge", edge_attributes)
    yield f'    <nodes count="{view.node_count}">\n'
    for node in view.nodes():
        yield f"      <node id={_attribute(_identifier(node.reference))} label={_attribute(node.label)}>\n"
        yield from _attvalues(node.values, node_attributes, "        ")
        if node.spell is not None and (spell := _spell(node.spell)):
            yield f"        {spell}\n"
        yield _colour(node.colour, "        ")
        yield f'        <viz:size value="{1.0 + degree[node.reference[0]][node.reference[1]]:.1f}"/>\n'
        yield "      </node>\n"
    yield "    </nodes>\n"
    yield f'    <edges count="{edge_count}">\n'
    for number, edge in enumerate(view.edges()):
        yield (
            f'      <edge id="e{number}" source={_attribute(_identifier(edge.source))} '
            f'target={_attribute(_identifier(edge.target))} kind="{edge.kind}" label="{edge.kind}" '
            f'weight="{_decimal(edge.weight)}">\n'
        )
        yield from _attvalues(edge.attributes, edge_attributes, "        ")
        if edge.spell is not None and (spell := _spell(edge.spell)):
            yield f"        {spell}\n"
        yield _colour(edge.colour, "        ")
        yield "      </edge>\n"
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _actors_view(
    negotiation: Negotiation, as_of: date, dynamic: bool, strongest: int | None = None, edge_issues: bool = True
) -> _View:
    """The parties: every actor that holds positions or relates to another (speaks for, is a member of,
    has leverage over), with conflict and agreement between groups and those relations as edges; with
    ``strongest``, only that many conflict and agreement edges, the heaviest (every party stays); without
    ``edge_issues``, those edges give the count of their issues but not the list."""
    groups = rules.top_groups(negotiation)
    relations = list(_actor_relations(negotiation))
    shown = set(groups) | {end for edge in relations for end in (edge.source[1], edge.target[1])}
    nodes = [_actor_node(negotiation, actor, dynamic) for actor in sorted(shown)]
    edges = relations + _between_groups(negotiation, groups, as_of, strongest, edge_issues)
    declared = (
        _ACTOR_VIEW_EDGE if edge_issues else [attribute for attribute in _ACTOR_VIEW_EDGE if attribute[0] != "issues"]
    )
    return _View(lambda: iter(nodes), lambda: iter(edges), len(nodes), _ACTOR_VIEW_NODE, declared)


def _actor_node(negotiation: Negotiation, actor: str, dynamic: bool) -> _Node:
    positions = [p for by_issue in negotiation.positions_of(actor).values() for p in by_issue]
    first = min((p.starts for p in positions if p.starts is not None), default=None)
    values = {
        "kind": negotiation.actors[actor].kind,
        "positions": len(positions),
        "members": sorted(negotiation.members(actor)),
    }
    label = negotiation.actors[actor].label
    return _Node(("group", actor), label, values, "actor", (first, None) if dynamic else None)


def _actor_relations(negotiation: Negotiation, node_class: str = "group") -> Iterator[_Edge]:
    """Who speaks for whom, who is a member of what, who has leverage over whom: the ties that are not positions."""
    for actor in sorted(negotiation.actors.values(), key=lambda a: a.id):
        for kind, others in (
            ("speaks-for", actor.speaks_for),
            ("member-of", actor.member_of),
            ("leverage-over", actor.leverage_over),
        ):
            for other in sorted(others):
                if other in negotiation.actors and other != actor.id:
                    yield _Edge((node_class, actor.id), (node_class, other), kind)


def _between_groups(
    negotiation: Negotiation, groups: list[str], as_of: date, strongest: int | None, edge_issues: bool
) -> list[_Edge]:
    """The conflict and agreement edges: all of them, or the ``strongest`` heaviest (ties to the earlier, kept in
    the order they come), whose issues are worked out only if they are to be listed."""
    if strongest is not None and not edge_issues:
        return [
            _Edge(("group", e.a), ("group", e.b), e.kind, e.weight, e.kind, {"count": e.count})
            for e in rules.heaviest_edges(negotiation, groups, strongest, as_of)
        ]
    found = (
        rules.all_relations(negotiation, groups, as_of)
        if strongest is None
        else rules.strongest_relations(negotiation, groups, strongest, as_of)
    )
    return [
        edge for a, b, conflicts, agreements in found for edge in _group_edges(a, b, conflicts, agreements, edge_issues)
    ]


def _group_edges(
    a: str, b: str, conflicts: list[rules.Conflict], agreements: list[rules.Agreement], issues: bool = True
) -> list[_Edge]:
    edges = []
    conflict_weight, agreement_weight = rules.relation_weights(conflicts, agreements)
    sides: list[tuple[str, list[rules.Conflict] | list[rules.Agreement], float]] = [
        ("conflict", conflicts, conflict_weight),
        ("agreement", agreements, agreement_weight),
    ]
    for kind, found, weight in sides:
        if found:
            attributes = {"count": len(found), "issues": [item.issue for item in found] if issues else None}
            edges.append(_Edge(("group", a), ("group", b), kind, weight, kind, attributes))
    return edges


def _position_values(negotiation: Negotiation, position: Position, dynamic: bool) -> dict:
    return {
        "type": "position",
        "kind": position.kind,
        "stance": position.stance,
        # A range of dates cannot be a double: its ends go to the date attributes instead.
        "min": position.minimum,
        "max": position.maximum,
        "min_date": position.minimum if isinstance(position.minimum, date) else None,
        "max_date": position.maximum if isinstance(position.maximum, date) else None,
        "salience": position.salience,
        "red_line": position.red_line,
        # Whether every quote it rests on was found in its source's text (none is, from a source without one).
        "verified": position.id not in negotiation.unverified_positions(),
        "holder": position.holder,
        "issue": position.issue,
        "addressees": list(position.addressees),
        "starts": None if dynamic else position.starts,
        "ends": None if dynamic else rules.effective_end(negotiation, position),
    }


_TAKES_SIDES = ("supports", "opposes")


def _proposition(issue: str, stance: str) -> tuple[str, str]:
    return ("proposition", f"{issue}:{stance}")


def _full_view(negotiation: Negotiation, as_of: date, dynamic: bool) -> _View:
    # A snapshot holds the positions that hold on its date; a dynamic export holds them all, each with its spell.
    chosen = negotiation.positions.values() if dynamic else rules.find_positions(negotiation, as_of=as_of)
    full = _FullView(negotiation, sorted(chosen, key=lambda position: position.id), dynamic)
    node_count = len(negotiation.actors) + len(negotiation.issues) + len(full.propositions) + len(full.positions)
    return _View(full.nodes, full.edges, node_count, _FULL_NODE, _FULL_EDGE)


@dataclass
class _FullView:
    """Actors, issues, the sides of each issue (propositions) and the positions that take them."""

    negotiation: Negotiation
    positions: list[Position]
    dynamic: bool

    @cached_property
    def shown(self) -> Container[str]:
        """The positions an edge may point to."""
        return self.negotiation.positions if self.dynamic else {position.id for position in self.positions}

    @cached_property
    def propositions(self) -> list[tuple[str, str]]:
        """Every (issue, side) a position or a condition takes, sorted."""
        taken = {
            (issue, stance)
            for position in self.positions
            for issue, stance in [
                (position.issue, position.stance),
                *((c.issue, c.stance) for condition in position.conditions for c in condition.alternatives),
            ]
            if stance in _TAKES_SIDES and issue in self.negotiation.issues
        }
        return sorted(taken)

    def spell_of(self, position: Position):
        return (position.starts, rules.effective_end(self.negotiation, position)) if self.dynamic else None

    def nodes(self) -> Iterator[_Node]:
        negotiation = self.negotiation
        for actor in sorted(negotiation.actors.values(), key=lambda a: a.id):
            yield _Node(("actor", actor.id), actor.label, {"type": "actor", "kind": actor.kind}, "actor")
        for described in sorted(negotiation.issues.values(), key=lambda i: i.id):
            values = {
                "type": "issue",
                "scale": described.scale,
                "unit": described.unit,
                "definition": described.definition,
            }
            yield _Node(("issue", described.id), described.label, values, "issue")
        for issue, stance in self.propositions:
            values = {"type": "proposition", "stance": stance, "issue": issue}
            yield _Node(_proposition(issue, stance), f"{stance}: {negotiation.issues[issue].label}", values, stance)
        for position in self.positions:
            label = f"{position.holder}: {position.stance or 'range'} {position.issue}"
            colour = position.stance if position.stance in _COLOURS else "range"
            values = _position_values(negotiation, position, self.dynamic)
            yield _Node(("position", position.id), label, values, colour, self.spell_of(position))

    def edges(self) -> Iterator[_Edge]:
        yield from self._structure_edges()
        yield from self._proposition_edges()
        for position in self.positions:
            yield from self._position_edges(position)

    def _structure_edges(self) -> Iterator[_Edge]:
        """Who speaks for whom, who is a member of what, which issue is narrower than which."""
        negotiation = self.negotiation
        yield from _actor_relations(negotiation, "actor")
        for issue in sorted(negotiation.issues.values(), key=lambda i: i.id):
            for broader in issue.broader:
                if broader in negotiation.issues:
                    yield _Edge(("issue", issue.id), ("issue", broader), "broader")

    def _proposition_edges(self) -> Iterator[_Edge]:
        """One conflict per issue, between its two sides: every position that takes a side agrees with
        the others on that side and conflicts with those on the other side."""
        previous = None
        for issue, stance in self.propositions:
            yield _Edge(_proposition(issue, stance), ("issue", issue), "on-issue")
            if previous == (issue, "opposes") and stance == "supports":
                yield _Edge(
                    _proposition(issue, "supports"),
                    _proposition(issue, "opposes"),
                    "conflicts-with",
                    colour="conflict",
                    attributes={"issues": [issue]},
                )
            previous = (issue, stance)

    def _position_edges(self, position: Position) -> Iterator[_Edge]:
        spell = self.spell_of(position)
        me = ("position", position.id)
        yield _Edge(("actor", position.holder), me, "holds", spell=spell)
        yield _Edge(me, ("issue", position.issue), "on-issue", spell=spell)
        if position.stance in _TAKES_SIDES:
            side = _proposition(position.issue, position.stance)
            attributes = {"issues": [position.issue]}
            yield _Edge(me, side, "agrees-with", position.weight, "agreement", attributes, spell)
        for condition in position.conditions:
            yield from self._condition_edges(me, condition, spell)
        for kind, others, colour in (
            ("rejects", position.rejects, "conflict"),
            ("supersedes", position.supersedes, None),
        ):
            for other in others:
                if other in self.shown:
                    yield _Edge(me, ("position", other), kind, colour=colour, spell=spell)

    def _condition_edges(self, me: tuple[str, str], condition: Condition | AnyOf, spell) -> Iterator[_Edge]:
        """A ``conditional-on`` edge to what each alternative waits for; those of an either/or condition
        carry its alternatives (``any_of``), any one of which is enough."""
        any_of = [f"{c.issue}:{c.stance}" for c in condition.alternatives] if isinstance(condition, AnyOf) else None
        for alternative in condition.alternatives:
            if alternative.issue in self.negotiation.issues:
                issue, stance = alternative.issue, alternative.stance
                target = _proposition(issue, stance) if stance in _TAKES_SIDES else ("issue", issue)
                attributes = {"stance": stance, "any_of": any_of}
                yield _Edge(me, target, "conditional-on", attributes=attributes, spell=spell)


def _view(
    negotiation: Negotiation,
    view: str,
    as_of: date,
    dynamic: bool,
    strongest: int | None = None,
    edge_issues: bool = True,
) -> _View:
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    if view == "actors":
        return _actors_view(negotiation, as_of, dynamic, strongest, edge_issues)
    return _full_view(negotiation, as_of, dynamic)


def generate_gexf(
    negotiation: Negotiation,
    view: str = "actors",
    dynamic: bool = False,
    as_of: date | None = None,
    strongest: int | None = None,
    edge_issues: bool = True,
) -> Iterator[str]:
    """Yield a GEXF 1.3 document of the negotiation, piece by piece.

    Parameters
    ----------
    negotiation : the analysis index.
    view : ``actors`` (parties and the conflicts and agreements between them) or ``full``.
    dynamic : spells from each position's validity (``timeformat="date"``) instead of a snapshot.
    as_of : the date of a snapshot, and of the actors view's conflicts and agreements (default: today).
    strongest : actors view: at most this many conflict and agreement edges, the heaviest (a large graph's
        picture; every party is still a node). None: all of them.
    edge_issues : actors view: each conflict and agreement edge lists its issues (``issues``); False leaves
        the lists out and keeps their length (``count``), a lighter document for a picture.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A & Co"), "b": Actor("b", "B")}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports"), "q": Position("q", "b", "i", "opposes")})
    >>> document = "".join(generate_gexf(negotiation))
    >>> 'label="A &amp; Co"' in document, 'kind="conflict"' in document
    (True, True)
    >>> 'kind="conflict"' in "".join(generate_gexf(negotiation, strongest=0))
    False
    >>> 'for="issues"' in "".join(generate_gexf(negotiation, edge_issues=False))
    False
    """
    as_of = as_of or date.today()
    chosen = _view(negotiation, view, as_of, dynamic, strongest, edge_issues)
    description = f"Parley negotiation graph, {view} view, " + (
        "positions over time" if dynamic else f"as of {as_of.isoformat()}"
    )
    yield from _document(chosen, dynamic, description, as_of)


def write_gexf(negotiation: Negotiation, path: str | Path | IO[bytes], **options) -> None:
    """Write :func:`generate_gexf` to a path or a binary file, UTF-8 encoded; ``options`` as there."""
    if isinstance(path, (str, Path)):
        with open(path, "wb") as out:
            _write(generate_gexf(negotiation, **options), out)
    else:
        _write(generate_gexf(negotiation, **options), path)


def _write(pieces: Iterable[str], out: IO[bytes]) -> None:
    buffer = []
    for piece in pieces:
        buffer.append(piece)
        if len(buffer) >= 4096:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
    out.write("".join(buffer).encode("utf-8"))


def to_networkx(negotiation: Negotiation, view: str = "actors", as_of: date | None = None):
    """The same nodes, edges and attributes as a networkx ``MultiDiGraph`` (for GraphML, or for analysis).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports"), "q": Position("q", "b", "i", "opposes")})
    >>> graph = to_networkx(negotiation)
    >>> sorted(graph.nodes), [kind for _, _, kind in graph.edges(data="kind")]
    (['a', 'b'], ['conflict'])
    """
    import networkx as nx

    chosen = _view(negotiation, view, as_of or date.today(), False)
    graph = nx.MultiDiGraph()
    for node in chosen.nodes():
        graph.add_node(
            _identifier(node.reference), label=_text(node.label), **_plain(node.values, chosen.node_attributes)
        )
    for number, edge in enumerate(chosen.edges()):
        graph.add_edge(
            _identifier(edge.source),
            _identifier(edge.target),
            key=f"e{number}",
            kind=edge.kind,
            weight=float(_decimal(edge.weight)),
            **_plain(edge.attributes, chosen.edge_attributes),
        )
    return graph


def _plain(values: dict, declared: list[tuple[str, str, str]]) -> dict:
    """Attribute values GraphML can carry: lists joined with '; ', dates as ISO text, no None."""
    plain: dict[str, Any] = {}
    for name, _, kind in declared:
        value = values.get(name)
        if value is None or value == () or value == []:
            continue
        if kind == "liststring":
            plain[name] = "; ".join(_text(item) for item in value)
        elif kind == "double":
            if not isinstance(value, date):
                plain[name] = float(value)
        elif kind in ("integer", "boolean"):
            plain[name] = value
        else:
            plain[name] = _text(value.isoformat() if isinstance(value, date) else value)
    return plain


def write_graphml(
    negotiation: Negotiation, path: str | Path | IO[bytes], view: str = "actors", as_of: date | None = None
) -> None:
    """Write GraphML with keys named after the attributes (``named_key_ids``), so Gephi does not take one
    for the label."""
    import networkx as nx

    nx.write_graphml(to_networkx(negotiation, view, as_of), path, named_key_ids=True)
