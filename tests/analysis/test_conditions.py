"""Conditions that combine (rules 6 and 7): a position's conditions all hold, and an either/or condition
(``parley:anyOf``) holds when one of its alternatives does. Small graphs worked out by hand, the same
read from TriG, and invariants on generated negotiations."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.model import AnyOf, Condition, Issue, Negotiation, Position
from graph.analysis.read import read_negotiation
from graph.ingest.load import load_documents, open_store, parse_document
from graph.report import answers
from tests.analysis.test_rules import DAY, negotiation, pos
from tests.analysis.test_rules_properties import AS_OF, BINARY_ISSUES, positions
from tests.ingest.documents import PREFIXES

ISSUES = [Issue(name, name.title()) for name in ("x", "y", "z", "w")]


def needs(issue: str, stance: str = "supports") -> Condition:
    return Condition(issue, stance)


def either(*alternatives: Condition) -> AnyOf:
    return AnyOf(alternatives)


def cycles(n: Negotiation) -> list[tuple]:
    return [(d.propositions, d.groups) for d in rules.deadlocks(n, DAY)]


def blocked(n: Negotiation) -> list[tuple]:
    return [
        (b.position.id, b.condition, [s.position.id for s in b.blocked_by]) for b in rules.blocked_conditions(n, DAY)
    ]


X, Y, Z, W = (("x", "supports"), ("y", "supports"), ("z", "supports"), ("w", "supports"))


# Rule 7: deadlocks


def test_a_plain_condition_that_leads_back_is_a_deadlock():
    n = negotiation(
        pos("1", "a", "x", conditions=(needs("y"),)), pos("2", "b", "y", conditions=(needs("x"),)), issues=ISSUES
    )
    assert cycles(n) == [((X, Y), ("a", "b"))]


def test_an_either_or_position_with_one_alternative_free_is_not_deadlocked():
    # a takes x once y or z holds; b takes y once x holds; nobody waits for anything to bring about z.
    n = negotiation(
        pos("1", "a", "x", conditions=(either(needs("y"), needs("z")),)),
        pos("2", "b", "y", conditions=(needs("x"),)),
        issues=ISSUES,
    )
    assert cycles(n) == []


def test_an_either_or_position_whose_every_alternative_leads_back_is_deadlocked_on_each():
    # b waits for x before y, c waits for x before z: whichever a takes, it waits for itself.
    n = negotiation(
        pos("1", "a", "x", conditions=(either(needs("y"), needs("z")),)),
        pos("2", "b", "y", conditions=(needs("x"),)),
        pos("3", "c", "z", conditions=(needs("x"),)),
        issues=ISSUES,
    )
    assert cycles(n) == [((X, Y), ("a", "b")), ((X, Z), ("a", "c"))]
    assert [[p.id for p in d.positions] for d in rules.deadlocks(n, DAY)] == [["1", "2"], ["1", "3"]]


def test_an_alternative_that_leads_back_only_through_a_free_either_or_is_free():
    # y leads back to x only through c's z, and c can go ahead on w, which waits for nothing:
    # c is not held up, so z does not lead back, so a is not held up either.
    n = negotiation(
        pos("1", "a", "x", conditions=(either(needs("y"), needs("z")),)),
        pos("2", "b", "y", conditions=(needs("z"),)),
        pos("3", "c", "z", conditions=(either(needs("x"), needs("w")),)),
        issues=ISSUES,
    )
    assert cycles(n) == []
    # Once w waits for x too, every alternative leads back, and z goes back to x directly or through w:
    # x -> y -> z -> x, x -> z -> x, x -> y -> z -> w -> x and x -> z -> w -> x, each read from its
    # smallest proposition (w before x).
    n.add([pos("4", "d", "w", conditions=(needs("x"),))])
    assert cycles(n) == [
        ((W, X, Y, Z), ("a", "b", "c", "d")),
        ((W, X, Z), ("a", "c", "d")),
        ((X, Y, Z), ("a", "b", "c")),
        ((X, Z), ("a", "c")),
    ]


def test_a_position_with_several_plain_conditions_still_waits_for_all_of_them():
    # a needs y and z (plain conditions, "and"): y waits for x, so a is deadlocked with b although z is free.
    n = negotiation(
        pos("1", "a", "x", conditions=(needs("y"), needs("z"))),
        pos("2", "b", "y", conditions=(needs("x"),)),
        issues=ISSUES,
    )
    assert cycles(n) == [((X, Y), ("a", "b"))]


def test_an_either_or_condition_beside_a_plain_one_is_judged_on_its_own():
    # a needs w, and y or z. Its plain w leads back (c), its either/or does not (z is free).
    n = negotiation(
        pos("1", "a", "x", conditions=(needs("w"), either(needs("y"), needs("z")))),
        pos("2", "b", "y", conditions=(needs("x"),)),
        pos("3", "c", "w", conditions=(needs("x"),)),
        issues=ISSUES,
    )
    assert cycles(n) == [((W, X), ("a", "c"))]


# Rule 7: blocked conditions


def test_an_either_or_condition_with_one_alternative_free_is_not_blocked():
    n = negotiation(
        pos("1", "a", "x", conditions=(either(needs("y"), needs("z")),)),
        pos("2", "b", "y", "opposes", red_line=True),
        issues=ISSUES,
    )
    assert blocked(n) == []


def test_an_either_or_condition_whose_every_alternative_is_blocked_names_each_blocker():
    condition = either(needs("y"), needs("z"))
    n = negotiation(
        pos("1", "a", "x", conditions=(condition,)),
        pos("2", "b", "y", "opposes", red_line=True),
        pos("3", "c", "z", "opposes", red_line=True),
        pos("4", "d", "z", "opposes"),  # not a red line: it blocks nothing
        issues=ISSUES,
    )
    assert blocked(n) == [("1", condition, ["2", "3"])]
    (found,) = rules.blocked_conditions(n, DAY)
    assert [s.group for s in found.blocked_by] == ["b", "c"]


def test_a_red_line_of_the_holders_own_group_does_not_block_an_alternative():
    # p speaks for a: its red line against z is a's own, so z is still open to a.
    n = negotiation(
        pos("1", "a", "x", conditions=(either(needs("y"), needs("z")),)),
        pos("2", "b", "y", "opposes", red_line=True),
        pos("3", "p", "z", "opposes", red_line=True),
        issues=ISSUES,
    )
    assert blocked(n) == []


def test_plain_conditions_are_blocked_one_by_one_as_before():
    n = negotiation(
        pos("1", "a", "x", conditions=(needs("y"), needs("z"))),
        pos("2", "b", "y", "opposes", red_line=True),
        issues=ISSUES,
    )
    assert blocked(n) == [("1", needs("y"), ["2"])]


def test_a_neutral_alternative_cannot_be_blocked_so_neither_can_its_either_or():
    n = negotiation(
        pos("1", "a", "x", conditions=(either(needs("y"), needs("z", "neutral")),)),
        pos("2", "b", "y", "opposes", red_line=True),
        pos("3", "c", "z", "opposes", red_line=True),
        issues=ISSUES,
    )
    assert blocked(n) == []


# Read from the store, and answered as JSON

TRIG = (
    PREFIXES
    + """
actor:north a parley:State ; rdfs:label "North" .
actor:south a parley:State ; rdfs:label "South" .
issue:withdrawal a parley:Issue ; skos:prefLabel "Withdrawal" .
issue:package a parley:Issue ; skos:prefLabel "Package" .
issue:sanctions a parley:Issue ; skos:prefLabel "Sanctions" .
issue:talks a parley:Issue ; skos:prefLabel "Talks" .
source:day-one a parley:Source ; dcterms:title "Day one" ; dcterms:issued "2024-03-01"^^<http://www.w3.org/2001/XMLSchema#date> .

position:north-sanctions a parley:Position ; parley:holder actor:north ; parley:issue issue:sanctions ;
    parley:stance parley:Opposes ; parley:condition condition:withdraw-or-package, condition:talks ;
    prov:wasDerivedFrom evidence:north-sanctions .
condition:withdraw-or-package a parley:Condition ; rdfs:comment "either will do" ;
    parley:anyOf condition:withdraw, condition:package .
condition:withdraw a parley:Condition ; parley:issue issue:withdrawal ; parley:stance parley:Supports ;
    parley:addressee actor:south .
condition:package a parley:Condition ; parley:issue issue:package ; parley:stance parley:Supports ;
    parley:addressee actor:south ; rdfs:comment "the whole package" .
condition:talks a parley:Condition ; parley:issue issue:talks ; parley:stance parley:Supports .
evidence:north-sanctions a parley:Evidence ; parley:source source:day-one ;
    parley:quote "Sanctions stay until South withdraws or accepts the package, and the talks go on." .
"""
)


def test_an_either_or_condition_read_from_trig_answers_as_any_beside_the_plain_ones():
    store = open_store("memory")
    load_documents(store, [parse_document(TRIG.encode(), "either.ttl")])
    n = read_negotiation(store)
    position = n.positions["north-sanctions"]
    withdraw, package = Condition("withdrawal", "supports", ("south",)), Condition("package", "supports", ("south",))
    package = replace(package, note="the whole package")
    assert position.conditions == (needs("talks"), AnyOf((withdraw, package), "either will do"))
    assert answers.position_json(n, position)["conditions"] == [
        {"issue": "talks", "stance": "supports", "addressees": [], "note": None},
        {
            "any": [
                {"issue": "package", "stance": "supports", "addressees": ["south"], "note": "the whole package"},
                {"issue": "withdrawal", "stance": "supports", "addressees": ["south"], "note": None},
            ],
            "note": "either will do",
        },
    ]


# Invariants on generated negotiations


def one_alternative_each(made: list[Position]) -> list[Position]:
    """The same positions, each plain condition written as an either/or of that condition alone."""
    return [
        replace(p, conditions=tuple(AnyOf((c,)) if isinstance(c, Condition) else c for c in p.conditions)) for p in made
    ]


@settings(max_examples=150, deadline=None)
@given(made=positions(), as_of=st.sampled_from(AS_OF))
def test_an_either_or_of_one_alternative_means_what_that_condition_means(made, as_of):
    plain, alone = negotiation(*made), negotiation(*one_alternative_each(made))

    def found(n):
        return (
            [(d.propositions, [p.id for p in d.positions], d.groups) for d in rules.deadlocks(n, as_of)],
            [
                (b.position.id, b.condition.alternatives, [s.position.id for s in b.blocked_by])
                for b in rules.blocked_conditions(n, as_of)
            ],
        )

    assert found(plain) == found(alone)


@st.composite
def an_added_alternative(draw):
    """Generated positions, one of which has a condition, and an alternative to add to that condition."""
    made = draw(positions())
    conditional = [number for number, p in enumerate(made) if p.conditions]
    number = draw(st.sampled_from(conditional)) if conditional else None
    added = Condition(
        draw(st.sampled_from([*BINARY_ISSUES, "elsewhere"])), draw(st.sampled_from(["supports", "opposes"]))
    )
    return made, number, added


def with_alternative(made: list[Position], number: int, added: Condition) -> list[Position]:
    position = made[number]
    (condition, *others) = position.conditions
    widened = AnyOf((*condition.alternatives, added), condition.note if isinstance(condition, AnyOf) else None)
    return [*made[:number], replace(position, conditions=(widened, *others)), *made[number + 1 :]]


@settings(max_examples=200, deadline=None)
@given(case=an_added_alternative(), as_of=st.sampled_from(AS_OF))
def test_adding_an_alternative_never_blocks_a_condition_that_was_not_blocked(case, as_of):
    made, number, added = case
    if number is None:
        return
    before = {b.position.id for b in rules.blocked_conditions(negotiation(*made), as_of)}
    after = {
        b.position.id for b in rules.blocked_conditions(negotiation(*with_alternative(made, number, added)), as_of)
    }
    assert after <= before


@settings(max_examples=200, deadline=None)
@given(case=an_added_alternative(), as_of=st.sampled_from(AS_OF))
def test_adding_an_alternative_that_waits_for_nothing_never_makes_a_deadlock_and_frees_its_position(case, as_of):
    made, number, _ = case
    if number is None:
        return
    free = Condition("elsewhere", "supports")  # no position takes it, so it waits for nothing
    widened = with_alternative(made, number, free)
    before = {d.propositions for d in rules.deadlocks(negotiation(*made), as_of)}
    after = rules.deadlocks(negotiation(*widened), as_of)
    assert {d.propositions for d in after} <= before
    assert all(p.id != made[number].id for d in after for p in d.positions)
