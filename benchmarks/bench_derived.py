"""The shapes a derived graph of stands could take, measured (issue 18): run `python benchmarks/bench_derived.py`.

For one generated graph (a copy of its built store, so the cached one stays as it is), each shape is
written in turn into the derived graph, from the same stands computed once, and measured:

- triples: how many the derived graph holds, and how many per stand;
- write: the N-Quads text made and bulk-written (what a rebuild costs once the stands are known);
- queries: the shipped conflicts and agreements joins over it, for the probe pair (median of 5) and for
  20 pairs of states (each once), which must answer the same rows in every shape.

The shapes:

- ``node5``: the shape before issue 18, a node per stand with its type, group, issue, position and
  whether it is inherited;
- ``node3``: the same node with the group, issue and position only (inherited is the position's issue
  not being the stand's);
- ``direct``: one triple per stand, the issue's stand property between the group and the position,
  and two triples per issue declaring the property (what Parley writes).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from common import built_store, machine, peak_rss_mb, timed

from graph.analysis.derived import all_pairs, stand_nquads
from graph.analysis.read import read_negotiation
from graph.analysis.rules import stand
from graph.store import Store, queries
from graph.store.namespaces import DERIVED_GRAPH, ID, PARLEY

# What the shipped queries say of a pair's stands, and what each other shape says instead.
_DIRECT_PAIR = "?a ?on ?aPosition . ?b ?on ?bPosition . ?on parley:onIssue ?issue ."
_DIRECT_OWN = {
    "?a ?aOn ?aPosition . ?aOn parley:onIssue ?aIssue .": "a",
    "?b ?bOn ?bPosition . ?bOn parley:onIssue ?bIssue .": "b",
    "?a ?aOtherOn ?aOther . ?aOtherOn parley:onIssue ?aOtherIssue .": "aOther",
    "?b ?bOtherOn ?bOther . ?bOtherOn parley:onIssue ?bOtherIssue .": "bOther",
}


def _node3_query(sparql: str) -> str:
    sparql = sparql.replace(
        _DIRECT_PAIR,
        "?aStand parley:group ?a ; parley:issue ?issue ; parley:position ?aPosition .\n"
        "        ?bStand parley:group ?b ; parley:issue ?issue ; parley:position ?bPosition .",
    )
    for text, side in _DIRECT_OWN.items():
        group, position = side[0], side if "Other" in side else f"{side}Position"
        issue = f"{side}Issue"
        sparql = sparql.replace(
            text, f"?{side}Node parley:group ?{group} ; parley:issue ?{issue} ; parley:position ?{position} ."
        )
    return sparql


def _node5_query(sparql: str) -> str:
    sparql = _node3_query(sparql).replace("parley:group", "a parley:Stand ; parley:group")
    sparql = sparql.replace(
        "parley:position ?aPosition .\n        ?bStand",
        "parley:position ?aPosition ; parley:inherited ?aInherited .\n        ?bStand",
    ).replace(
        "parley:position ?bPosition .\n        ?aPosition parley:issue ?aFrom",
        "parley:position ?bPosition ; parley:inherited ?bInherited .\n        ?aPosition parley:issue ?aFrom",
    )
    return sparql


SHAPES = {"direct": lambda sparql: sparql, "node3": _node3_query, "node5": _node5_query}


def shape_nquads(shape: str, stands: list, issues: list[str]) -> bytes:
    """The derived graph of ``stands`` in ``shape``, as N-Quads."""
    if shape == "direct":
        return stand_nquads(stands, issues)
    graph = f"<{DERIVED_GRAPH.value}> .\n"
    lines = []
    for found in stands:
        node = f"<{ID}stand/{found.group}/{found.issue}> "
        lines.append(
            f"{node}<{PARLEY}group> <{ID}actor/{found.group}> {graph}{node}<{PARLEY}issue> <{ID}issue/{found.issue}> {graph}"
            f"{node}<{PARLEY}position> <{ID}position/{found.position.id}> {graph}"
        )
        if shape == "node5":
            inherited = f'"{str(found.inherited).lower()}"^^<http://www.w3.org/2001/XMLSchema#boolean>'
            lines.append(
                f"{node}<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{PARLEY}Stand> {graph}"
                f"{node}<{PARLEY}inherited> {inherited} {graph}"
            )
    return "".join(lines).encode()


def _rows(store: Store, sparql: str, a: str, b: str) -> list[tuple]:
    bindings = {"a": _actor(a), "b": _actor(b)}
    return sorted(tuple(str(term) for term in row) for row in store.query(sparql, bindings))


def _actor(slug: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}actor/{slug}")


def measure(store: Store, shape: str, stands: list, issues: list[str], pairs: list[tuple[str, str]]) -> dict:
    store.rewrite(DERIVED_GRAPH, [])
    make_seconds, text = timed(shape_nquads, shape, stands, issues)
    started = time.perf_counter()
    store.bulk_update(DERIVED_GRAPH, [], [text])
    write_seconds = time.perf_counter() - started
    triples = len(list(store.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": DERIVED_GRAPH})))
    conflicts, agreements = SHAPES[shape](queries.STANDS_IN_CONFLICT), SHAPES[shape](queries.STANDS_IN_AGREEMENT)
    probe_conflicts, conflict_rows = timed(_rows, store, conflicts, "probe-a", "probe-b", repeat=5)
    probe_agreements, agreement_rows = timed(_rows, store, agreements, "probe-a", "probe-b", repeat=5)
    answers = [conflict_rows, agreement_rows]
    started = time.perf_counter()
    for a, b in pairs:
        answers += [_rows(store, conflicts, a, b), _rows(store, agreements, a, b)]
    return {
        "triples": triples,
        "per_stand": triples / len(stands),
        "make_s": make_seconds,
        "write_s": write_seconds,
        "probe_conflicts_ms": probe_conflicts * 1000,
        "probe_agreements_ms": probe_agreements * 1000,
        "pairs_s": time.perf_counter() - started,
        "rows": sum(len(rows) for rows in answers),
        "answers": answers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--shapes", default="direct,node3,node5")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path(built_store(arguments.size)).parent.parent) as scratch:
        copy = Path(scratch) / "store"
        shutil.copytree(built_store(arguments.size), copy)
        with Store(copy) as store:
            data = len(store) - len(
                list(store.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": DERIVED_GRAPH}))
            )
            negotiation = read_negotiation(store)
            started = time.perf_counter()
            stands = [
                found for group, issue in sorted(all_pairs(negotiation)) if (found := stand(negotiation, group, issue))
            ]
            stands_seconds = time.perf_counter() - started
            states = sorted(actor for actor in negotiation.actors if actor.startswith("state-"))
            pairs = [tuple(random.Random(number).sample(states, 2)) for number in range(20)]
            results = {}
            for shape in arguments.shapes.split(","):
                results[shape] = measure(store, shape, stands, sorted(negotiation.issues), pairs)
    answers = {shape: result.pop("answers") for shape, result in results.items()}
    report = {
        "machine": machine(),
        "size": arguments.size,
        "data_quads": data,
        "positions": len(negotiation.positions),
        "stands": len(stands),
        "stands_computed_s": stands_seconds,
        "same_answers_in_every_shape": all(found == next(iter(answers.values())) for found in answers.values()),
        "shapes": results,
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
