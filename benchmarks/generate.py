"""Generate a synthetic Parley graph in N-Quads: same vocabulary as the seed graph, seeded, repeatable.

    python benchmarks/generate.py --positions 1000000 --actors 10000 -o benchmarks/out/1m.nq
    python benchmarks/generate.py --positions 100000 --actors 1000 --issues 2000 --texts -o benchmarks/out/100k-texts.nq

Actors are states, with a share of people speaking for them; issues form a forest (a share of
the trees measured as Quantity issues); positions have dates, evidence, and shares of conditions,
rejections, supersessions and red lines. Two probe actors, ``probe-a`` and ``probe-b``, always
hold exactly ``--probe-positions`` positions each on the same issues, so a question about them
does the same work whatever the size of the graph.

With ``--texts``, every source holds its text (``parley:text``, at the end of the file): its quotes one
after another, so that a load checks every quote against its source's text and places it there.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

PARLEY = "https://w3id.org/parley#"
ID = "https://w3id.org/parley/id/"
# Everything goes to one source graph, as a document must; Parley places the actors and issues in the
# reference graph when it loads the file (a bulk_load of the file for comparison keeps them where they are).
POSITIONS = "<https://w3id.org/parley/graph/source/generated>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def term(name: str) -> str:
    return f"<{PARLEY}{name}>"


def node(kind: str, slug: str) -> str:
    return f"<{ID}{kind}/{slug}>"


def literal(value, datatype: str | None = None) -> str:
    if datatype:
        return f'"{value}"^^<{XSD}{datatype}>'
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_issues(write, rng: random.Random, issues: int, quantity_share: float) -> list[str]:
    """The issues, a fifth of the first twenty and more of the rest narrower than an earlier one; their scales."""
    scales: list[str] = []
    for number in range(issues):
        slug = f"issue-{number}"
        parent = rng.randrange(number) if number >= 20 and rng.random() < 0.8 else None
        scale = scales[parent] if parent is not None else ("Quantity" if rng.random() < quantity_share else "Binary")
        scales.append(scale)
        write(f"{node('issue', slug)} {TYPE} {term('Issue')} {POSITIONS} .\n")
        write(f"{node('issue', slug)} <http://www.w3.org/2004/02/skos/core#prefLabel> {literal(slug)} {POSITIONS} .\n")
        write(f"{node('issue', slug)} {term('scale')} {term(scale)} {POSITIONS} .\n")
        if parent is not None:
            broader = node("issue", f"issue-{parent}")
            write(f"{node('issue', slug)} <http://www.w3.org/2004/02/skos/core#broader> {broader} {POSITIONS} .\n")
    return scales


def _write_actors(write, rng: random.Random, actors: int, states: int) -> list[str]:
    """States, people who speak for one of them, and the two probe states; the slugs of all but the probes."""
    actor_slugs = [f"state-{n}" for n in range(states)] + [f"person-{n}" for n in range(actors - states)]
    for slug in actor_slugs:
        kind = "State" if slug.startswith("state") else "Person"
        write(f"{node('actor', slug)} {TYPE} {term(kind)} {POSITIONS} .\n")
        write(f"{node('actor', slug)} <http://www.w3.org/2000/01/rdf-schema#label> {literal(slug)} {POSITIONS} .\n")
        if kind == "Person":
            state = node("actor", f"state-{rng.randrange(states)}")
            write(f"{node('actor', slug)} {term('speaksFor')} {state} {POSITIONS} .\n")
    for probe in ("probe-a", "probe-b"):
        write(f"{node('actor', probe)} {TYPE} {term('State')} {POSITIONS} .\n")
        write(f"{node('actor', probe)} <http://www.w3.org/2000/01/rdf-schema#label> {literal(probe)} {POSITIONS} .\n")
    return actor_slugs


def _write_sources(write) -> list[str]:
    sources = [f"generated-{n}" for n in range(100)]
    for slug in sources:
        title = literal("Generated source " + slug)
        write(f"{node('source', slug)} {TYPE} {term('Source')} {POSITIONS} .\n")
        write(f"{node('source', slug)} <http://purl.org/dc/terms/title> {title} {POSITIONS} .\n")
    return sources


def generate(
    out,
    positions: int,
    actors: int,
    issues: int,
    seed: int = 7,
    people_share: float = 0.3,
    quantity_share: float = 0.2,
    condition_share: float = 0.1,
    reject_share: float = 0.02,
    supersede_share: float = 0.05,
    red_line_share: float = 0.05,
    probe_positions: int = 50,
    days: int = 1500,
    texts: bool = False,
) -> None:
    """Write the graph to ``out`` (a text file) as N-Quads, one line at a time; with ``texts``, each source's text."""
    rng = random.Random(seed)
    write = out.write
    start = date(2021, 1, 1)

    # Issues first: their forest then depends on the seed only, so the probes' issues are the same at every size.
    scales = _write_issues(write, rng, issues, quantity_share)
    states = max(2, int(actors * (1 - people_share)))
    actor_slugs = _write_actors(write, rng, actors, states)
    sources = _write_sources(write)

    stances = [term("Supports"), term("Opposes"), term("Neutral")]
    quoted: dict[str, list[str]] = {slug: [] for slug in sources}

    def position(rng: random.Random, slug: str, holder: str, issue: int, made: list[str]) -> None:
        """One position with its evidence; sometimes a condition, a red line, a rejection or a supersession."""
        subject, evidence = node("position", slug), node("evidence", slug)
        day = (start + timedelta(days=rng.randrange(days))).isoformat()
        write(f"{subject} {TYPE} {term('Position')} {POSITIONS} .\n")
        write(f"{subject} {term('holder')} {node('actor', holder)} {POSITIONS} .\n")
        write(f"{subject} {term('issue')} {node('issue', f'issue-{issue}')} {POSITIONS} .\n")
        if scales[issue] == "Quantity":
            low = rng.randrange(0, 100_000, 1000)
            if rng.random() < 0.8:
                write(f"{subject} {term('minValue')} {literal(low, 'integer')} {POSITIONS} .\n")
            write(
                f"{subject} {term('maxValue')} {literal(low + rng.randrange(0, 100_000, 1000), 'integer')} {POSITIONS} .\n"
            )
        else:
            write(f"{subject} {term('stance')} {rng.choice(stances)} {POSITIONS} .\n")
        write(f"{subject} {term('salience')} {literal(round(rng.random(), 2), 'decimal')} {POSITIONS} .\n")
        write(f"{subject} {term('validFrom')} {literal(day, 'date')} {POSITIONS} .\n")
        if rng.random() < red_line_share:
            write(f"{subject} {term('redLine')} {literal('true', 'boolean')} {POSITIONS} .\n")
        if rng.random() < condition_share:
            condition = node("condition", slug)
            write(f"{subject} {term('condition')} {condition} {POSITIONS} .\n")
            write(f"{condition} {TYPE} {term('Condition')} {POSITIONS} .\n")
            write(f"{condition} {term('issue')} {node('issue', f'issue-{rng.randrange(issues)}')} {POSITIONS} .\n")
            write(f"{condition} {term('stance')} {rng.choice(stances[:2])} {POSITIONS} .\n")
        if made and rng.random() < reject_share:
            write(f"{subject} {term('rejects')} {node('position', rng.choice(made))} {POSITIONS} .\n")
        if made and rng.random() < supersede_share:
            write(f"{subject} {term('supersedes')} {node('position', rng.choice(made))} {POSITIONS} .\n")
        write(f"{subject} <http://www.w3.org/ns/prov#wasDerivedFrom> {evidence} {POSITIONS} .\n")
        write(f"{evidence} {TYPE} {term('Evidence')} {POSITIONS} .\n")
        quote, source = f"Generated statement {slug} on issue {issue}.", rng.choice(sources)
        write(f"{evidence} {term('quote')} {literal(quote)} {POSITIONS} .\n")
        write(f"{evidence} {term('source')} {node('source', source)} {POSITIONS} .\n")
        quoted[source].append(quote)
        write(f"{evidence} {term('statedOn')} {literal(day, 'date')} {POSITIONS} .\n")

    made: list[str] = []
    for number in range(positions - 2 * probe_positions):
        position(rng, f"p{number}", actor_slugs[rng.randrange(len(actor_slugs))], rng.randrange(issues), made)
        if len(made) < 10_000 or rng.random() < 0.01:
            made.append(f"p{number}")
    # The probes come last, from their own random stream: nothing supersedes or rejects them, and
    # they are the same positions on the same issues at every size.
    probe_rng = random.Random(seed + 1)
    probe_issues = probe_rng.sample(range(min(issues, 100)), min(probe_positions, issues, 100))
    for side in "ab":
        for number, issue in enumerate(probe_issues):
            position(probe_rng, f"probe-{side}-{number}", f"probe-{side}", issue, [])
    _write_texts(write, quoted if texts else {})


def _write_texts(write, quoted: dict[str, list[str]]) -> None:
    """Each source's text: its quotes one after another, on one line (N-Quads escapes no line break here)."""
    for slug, quotes in quoted.items():
        if quotes:  # a text is never empty
            write(f"{node('source', slug)} {term('text')} {literal(' '.join(quotes))} {POSITIONS} .\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--positions", type=int, default=10_000)
    parser.add_argument("--actors", type=int, default=100)
    parser.add_argument("--issues", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quantity-share", type=float, default=0.2)
    parser.add_argument("--condition-share", type=float, default=0.1)
    parser.add_argument("--people-share", type=float, default=0.3)
    parser.add_argument("--probe-positions", type=int, default=50)
    parser.add_argument("--texts", action="store_true", help="give every source its text, holding its quotes")
    parser.add_argument("-o", "--output", type=Path, help="N-Quads file to write (default: standard output)")
    arguments = parser.parse_args(argv)
    options = dict(
        positions=arguments.positions,
        actors=arguments.actors,
        issues=arguments.issues,
        seed=arguments.seed,
        quantity_share=arguments.quantity_share,
        condition_share=arguments.condition_share,
        people_share=arguments.people_share,
        probe_positions=arguments.probe_positions,
        texts=arguments.texts,
    )
    if arguments.output:
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        with arguments.output.open("w", encoding="utf-8", buffering=1 << 20) as out:
            generate(out, **options)
    else:
        generate(sys.stdout, **options)


if __name__ == "__main__":
    main()
