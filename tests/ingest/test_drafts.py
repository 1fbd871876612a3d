"""Drafting positions from an article (issue 19): each phenomenon on hand-written sentences, with the draft
worked out by hand beside it.

The actors and issues are made up here (Veldoria, Marenia...), so that nothing passes because a rule knows
the seed article's names: the extractor may know only what the store holds.
"""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from graph.analysis.model import QUANTITY, Actor, AnyOf, Condition, Issue, Negotiation
from graph.analysis.read import read_evidence, read_negotiation
from graph.errors import InvalidArgument, UnreadableDocument
from graph.ingest.drafts import (
    draft_article,
    draft_document,
    draft_json,
    draft_trig,
    parse_accept,
    read_article,
)
from graph.ingest.extract import resolve_date, sentences
from graph.ingest.load import load_documents, open_store, parse_document

FRIDAY = date(2025, 6, 6)

KNOWN = Negotiation(
    actors={
        "veldoria": Actor("veldoria", "Veldoria", "state", aliases=("Kessel",)),
        "marenia": Actor("marenia", "Marenia", "state", aliases=("Tovar",)),
        "anna-kovac": Actor("anna-kovac", "Anna Kovac", "person", speaks_for=("veldoria",)),
        "piet-lorne": Actor("piet-lorne", "Piet Lorne", "person", speaks_for=("marenia",)),
    },
    issues={
        "ceasefire": Issue("ceasefire", "Ceasefire", "Veldoria and Marenia stop fighting."),
        "withdrawal": Issue(
            "withdrawal", "Withdrawal from the border", "Marenia withdraws its forces from the border."
        ),
        "sanctions": Issue("sanctions", "Sanctions on Marenia", "Veldoria keeps its sanctions on Marenia."),
        "prisoner-exchange": Issue("prisoner-exchange", "Prisoner exchange", "The two sides exchange prisoners."),
        "army-size": Issue("army-size", "Army size", "The most troops Veldoria keeps.", QUANTITY, "troops"),
        "election-deadline": Issue(
            "election-deadline", "Election deadline", "Days until elections are held.", QUANTITY, "days"
        ),
    },
)


def drafted(text: str, published: date = FRIDAY) -> list[dict]:
    return draft_json(draft_article(text, published, KNOWN, "Test"))["positions"]


def brief(position: dict) -> tuple:
    return (position["holder"], position["group"], position["issue"], position["stance"])


def test_x_said_a_person_speaking_for_a_state():
    [position] = drafted("Anna Kovac said on Monday that Veldoria wants a ceasefire.")
    assert brief(position) == ("anna-kovac", "veldoria", "ceasefire", "supports")
    assert position["speaker"] == "anna-kovac"
    assert position["stated_on"] == position["valid_from"] == "2025-06-02"  # the Monday before Friday 6 June
    assert position["quote"] == "Anna Kovac said on Monday that Veldoria wants a ceasefire."
    assert position["rule"] == "said" and 0 < position["confidence"] <= 1


def test_according_to_x():
    [position] = drafted("Marenia will not accept a ceasefire, according to Piet Lorne.")
    assert brief(position) == ("piet-lorne", "marenia", "ceasefire", "opposes")
    assert position["rule"] == "according-to"


def test_trailing_attribution_and_an_alias():
    [position] = drafted("Tovar will never accept a withdrawal from the border, Piet Lorne warned.")
    assert brief(position) == ("piet-lorne", "marenia", "withdrawal", "opposes")
    assert position["red_line"] is True and position["salience"] == 0.9


def test_an_unknown_speaker_is_proposed_as_a_new_actor_of_the_state_in_his_title():
    [position] = drafted("Veldorian Foreign Minister Ivo Brandt said Kessel wants a prisoner exchange.")
    assert brief(position) == ("ivo-brandt", "veldoria", "prisoner-exchange", "supports")
    assert position["new_actors"] == [
        {"id": "ivo-brandt", "label": "Ivo Brandt", "kind": "person", "speaks_for": ["veldoria"]}
    ]


def test_reported_speech():
    [position] = drafted("Veldorian officials said last month that Anna Kovac hoped for a ceasefire.")
    assert brief(position) == ("anna-kovac", "veldoria", "ceasefire", "supports")
    assert position["reported_by"] == ["Veldorian officials"] and position["speaker"] is None
    assert position["stated_on"] == "2025-05"


def test_a_ceiling_with_its_unit():
    [position] = drafted("Piet Lorne said Veldoria must keep no more than 85,000 troops.")
    assert (position["issue"], position["stance"], position["min"], position["max"], position["unit"]) == (
        "army-size",
        None,
        None,
        85000.0,
        "troops",
    )


def test_a_deadline_in_days():
    [position] = drafted("Anna Kovac said the election deadline must be within 100 days.")
    assert (position["issue"], position["min"], position["max"], position["unit"]) == (
        "election-deadline",
        None,
        100.0,
        "days",
    )


def test_only_if():
    [position] = drafted(
        "Piet Lorne said Marenia will accept a ceasefire only if Veldoria agrees to a prisoner exchange."
    )
    assert brief(position) == ("piet-lorne", "marenia", "ceasefire", "supports")
    assert position["condition"] == [{"issue": "prisoner-exchange", "stance": "supports", "addressees": ["veldoria"]}]


def test_unless_turns_what_it_governs():
    [position] = drafted(
        "Marenia will walk away from the ceasefire unless there is a prisoner exchange, Piet Lorne has warned."
    )
    assert brief(position) == ("piet-lorne", "marenia", "ceasefire", "supports")
    assert position["kind"] == "threat"
    assert position["condition"] == [{"issue": "prisoner-exchange", "stance": "supports", "addressees": []}]


def test_either_or():
    [position] = drafted(
        "Piet Lorne said Marenia will accept a ceasefire if Veldoria lifts the sanctions or agrees to a prisoner exchange."
    )
    assert position["issue"] == "ceasefire"
    [either] = position["condition"]
    assert either == {
        "any_of": [
            {"issue": "prisoner-exchange", "stance": "supports", "addressees": ["veldoria"]},
            {"issue": "sanctions", "stance": "opposes", "addressees": ["veldoria"]},
        ]
    }
    text = "Piet Lorne said Marenia will accept a ceasefire if Veldoria lifts the sanctions or agrees to a prisoner exchange."
    document_conditions = draft_article(text, FRIDAY, KNOWN, "Test").positions[0].conditions
    either = AnyOf(
        (Condition("sanctions", "opposes", ("veldoria",)), Condition("prisoner-exchange", "supports", ("veldoria",)))
    )
    assert document_conditions == (either,)


def test_a_demand_and_its_rejection():
    positions = drafted(
        "Anna Kovac said she wants Marenia to withdraw from the border. Tovar says those demands are unacceptable."
    )
    assert [brief(p) for p in positions] == [
        ("anna-kovac", "veldoria", "withdrawal", "supports"),
        ("marenia", "marenia", "withdrawal", "opposes"),
    ]
    assert positions[0]["kind"] == "demand" and positions[0]["addressee"] == ["marenia"]
    assert positions[1]["rejects"] == [positions[0]["id"]] and positions[1]["rule"] == "rejection"


def test_relative_dates_and_the_following_day():
    positions = drafted(
        "Anna Kovac announced on Thursday that Veldoria backs a ceasefire, and Piet Lorne said the following day "
        "that Marenia opposes a ceasefire."
    )
    assert [(p["holder"], p["stance"], p["stated_on"]) for p in positions] == [
        ("anna-kovac", "supports", "2025-06-05"),
        ("piet-lorne", "opposes", "2025-06-06"),
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Friday", "2025-06-06"),
        ("last month", "2025-05"),
        ("yesterday", "2025-06-05"),
        ("in February", "2025-02"),
        ("in September", "2024-09"),
        ("3 May", "2025-05-03"),
        ("last year", "2024"),
        ("next week", None),
    ],
)
def test_dates_against_the_publication_date(expression, expected):
    assert resolve_date(expression, FRIDAY) == expected


def test_a_replacement():
    positions = drafted("Anna Kovac promised a ceasefire. She later softened that pledge.")
    assert [(p["holder"], p["issue"], p["stance"], p["kind"]) for p in positions] == [
        ("anna-kovac", "ceasefire", "supports", "commitment"),
        ("anna-kovac", "ceasefire", "neutral", "position"),
    ]
    assert positions[1]["supersedes"] == [positions[0]["id"]] and positions[1]["rule"] == "replacement"


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire was discussed at length in Geneva.",  # a mention of an issue
        "Shelling killed 12 people in Kessel on Tuesday, officials said.",  # a fact reported
        "Switzerland offered to host the talks on a ceasefire.",  # a mediator's offer to host
        "Piet Lorne called the talks constructive.",  # an opinion of the talks, no stance on an issue
    ],
)
def test_what_is_not_a_position(text):
    assert drafted(text) == []


def test_a_new_issue_is_proposed_for_a_demand_on_nothing_known():
    [position] = drafted("Piet Lorne demanded that Veldoria reopen the grain corridor.")
    assert (position["kind"], position["addressee"], position["confidence"]) == ("demand", ["veldoria"], 0.4)
    assert position["new_issues"] == [
        {
            "id": "reopen-grain-corridor",
            "label": "Reopen grain corridor",
            "definition": "Veldoria reopen the grain corridor.",
            "scale": "binary",
            "unit": None,
        }
    ]


def test_sentences_keep_abbreviations_whole():
    text = "Mr. Lorne said no. He left."
    assert [text[s:e] for s, e, _ in sentences(text)] == ["Mr. Lorne said no.", "He left."]


def test_a_quote_that_goes_on_keeps_its_speaker():
    positions = drafted("“We will talk,” Anna Kovac said. “But we want a ceasefire first.”")
    assert [brief(p) for p in positions] == [("anna-kovac", "veldoria", "ceasefire", "supports")]
    assert positions[0]["rule"] == "quote-goes-on"


ARTICLE = (
    "Anna Kovac said on Monday that Veldoria wants a ceasefire. "
    "Veldorian Foreign Minister Ivo Brandt said Kessel wants a prisoner exchange. "
    "Anna Kovac said she wants Marenia to withdraw from the border. Tovar says those demands are unacceptable."
)


def test_the_draft_is_the_same_each_time_and_its_trig_loads_in_one_go():
    first, second = draft_article(ARTICLE, FRIDAY, KNOWN, "Test"), draft_article(ARTICLE, FRIDAY, KNOWN, "Test")
    assert draft_json(first) == draft_json(second) and draft_trig(first) == draft_trig(second)
    trig = draft_trig(first)
    assert "#  1. position:anna-kovac-ceasefire-2025-06-02  (rule said, confidence 0.8)" in trig
    assert "actor:ivo-brandt a parley:Person" in trig and 'dcterms:title "Test"' in trig


SEED_ARTICLE = "seeds/us-may-walk-away-2025-04-18.txt"


def test_the_seed_article_drafts_loads_and_accepts():

    store = open_store("memory")
    text = read_article(SEED_ARTICLE)
    draft = draft_article(text, date(2025, 4, 18), read_negotiation(store), source="walk-away")
    assert len(draft.positions) >= 20
    document = parse_document(draft_trig(draft).encode(), "walk-away.trig", "trig", None)
    report = load_documents(store, [document])
    assert report.loaded and report.negotiation is not None
    loaded = {p.id for p in report.negotiation.positions.values()}
    assert {p.id for p in draft.positions} <= loaded


def test_accept_loads_only_the_chosen_positions_with_the_source():

    store = open_store("memory")
    text = read_article(SEED_ARTICLE)
    draft = draft_article(text, date(2025, 4, 18), read_negotiation(store), source="walk-away")
    rejecting = next(n for n, p in enumerate(draft.positions, 1) if p.rejects)
    report = load_documents(store, [draft_document(draft, [1, rejecting])])
    loaded = {p.id for p in report.negotiation.positions.values()} - {
        p.id for p in read_negotiation(open_store("memory")).positions.values()
    }
    assert loaded == {draft.positions[0].id, draft.positions[rejecting - 1].id}
    assert report.negotiation.positions[draft.positions[rejecting - 1].id].rejects == ()  # its target was left out


def test_accept_numbers():
    assert parse_accept("1,3,5-7", 8) == [1, 3, 5, 6, 7]
    assert parse_accept(" 2 , 2-3 ", 3) == [2, 3]
    for wrong, message in [("0", "0 is not a position"), ("4-2", "runs backwards"), ("x", "'x' is not a number")]:
        with pytest.raises(InvalidArgument, match=message):
            parse_accept(wrong, 3)


def test_errors_say_what_and_where(tmp_path):
    with pytest.raises(InvalidArgument, match="the article is empty"):
        draft_article("  \n", FRIDAY, KNOWN)
    (tmp_path / "latin1.txt").write_bytes("Kovac said caf\xe9".encode("latin-1"))
    with pytest.raises(UnreadableDocument, match="latin1.txt: not UTF-8 text"):
        read_article(tmp_path / "latin1.txt")
    with pytest.raises(UnreadableDocument, match="missing.txt"):
        read_article(tmp_path / "missing.txt")


def test_a_thousand_words_draft_in_under_a_second():

    negotiation = read_negotiation(open_store("memory"))
    text = read_article(SEED_ARTICLE)
    article = " ".join([text] * 2)[: len(text) * 1400 // 756]  # some 1,000+ words
    started = time.perf_counter()
    draft = draft_article(article, date(2025, 4, 18), negotiation)
    assert time.perf_counter() - started < 1.0
    json.dumps(draft_json(draft))


def test_the_source_record_carries_the_text_and_the_loaded_quotes_are_verified_against_it():
    store = open_store("memory")
    text = "Talks resumed.\nRussia said it wants a ceasefire."
    draft = draft_article(text, FRIDAY, read_negotiation(store), "Test")
    document = draft_document(draft)
    assert [q.object.value for q in document.staged if q.predicate.value.endswith("#text")] == [text]
    load_documents(store, [document])
    evidence = read_evidence(store, draft.positions[0].id)
    assert [(e.quote, e.verified) for e in evidence] == [("Russia said it wants a ceasefire.", True)]


# --- Hostile input: numbers, dates at the calendar's ends, run-on text, binary data ----------------------


def test_a_number_too_large_to_be_finite_is_no_quantity():
    # 10^400 is infinity as a float, which neither JSON nor RDF can carry: it is read as no number at all, so
    # the position keeps its issue and stance, without a range.
    text = f"Anna Kovac said Veldoria will keep no more than 1{'0' * 400} troops."
    draft = draft_article(text, FRIDAY, KNOWN, "Test")
    positions = draft_json(draft)["positions"]
    assert [(brief(p), p["min"], p["max"]) for p in positions] == [
        (("anna-kovac", "veldoria", "army-size", "supports"), None, None)
    ]
    json.dumps(draft_json(draft), allow_nan=False)
    parse_document(draft_trig(draft).encode(), "huge.trig", "trig", None)


def test_a_quantity_up_to_a_thousand_million_million_is_read():
    positions = drafted("Anna Kovac said Veldoria will keep no more than 900 billion troops.")
    assert [(p["min"], p["max"]) for p in positions] == [(None, 9e11)]


@pytest.mark.parametrize(
    ("expression", "published", "previous"),
    [
        ("last month", date(1, 1, 1), None),
        ("yesterday", date(1, 1, 1), None),
        ("on Sunday", date(1, 1, 1), None),  # 0001-01-01 is a Monday
        ("last year", date(1, 6, 1), None),
        ("in December", date(1, 6, 1), None),
        ("the following day", date(9999, 12, 31), "9999-12-31"),
    ],
)
def test_a_relative_date_outside_the_calendar_is_not_resolved(expression, published, previous):
    assert resolve_date(expression, published, previous) is None


def test_a_publication_date_at_the_calendars_ends_drafts():
    early = drafted("Anna Kovac said last month that Veldoria backs a ceasefire.", date(1, 1, 1))
    assert [(brief(p), p["stated_on"]) for p in early] == [(("anna-kovac", "veldoria", "ceasefire", "supports"), None)]
    late = drafted(
        "Anna Kovac said on Friday that Veldoria backs a ceasefire, and Piet Lorne said the following day "
        "that Marenia opposes a ceasefire.",
        date(9999, 12, 31),
    )
    assert [p["stated_on"] for p in late] == ["9999-12-31", None]


def test_a_run_on_text_of_ten_thousand_words_drafts_in_seconds():
    # No full stop and a speech verb every few words: the reading of each verb looks back a bounded window,
    # so the time grows with the length, not with its square.
    text = "Veldoria said Marenia wants a ceasefire and " * 1250  # 10,000 words, one sentence
    started = time.perf_counter()
    draft_article(text, FRIDAY, KNOWN, "Test")
    assert time.perf_counter() - started < 5.0


def test_a_million_characters_of_short_quotations_draft_in_seconds():
    text = ("\u201cWe want a ceasefire.\u201d Anna Kovac said. " * 30000)[:1_000_000]
    started = time.perf_counter()
    draft_article(text, FRIDAY, KNOWN, "Test")
    assert time.perf_counter() - started < 10.0


def test_nul_bytes_are_not_text(tmp_path):
    with pytest.raises(InvalidArgument, match="not text: a NUL byte at character 4"):
        draft_article("Anna\x00 Kovac said so.", FRIDAY, KNOWN)
    (tmp_path / "binary.txt").write_bytes(b"Anna Kovac\x00\x01 said so.")
    with pytest.raises(UnreadableDocument, match="binary.txt: not text: a NUL byte"):
        read_article(tmp_path / "binary.txt")


# --- Phenomena of unseen articles ----------------------------------------------------------------------------


def test_a_clause_between_the_subject_and_its_verb():
    positions = drafted("Anna Kovac, who had flown to Kessel on Monday, said Veldoria backs a ceasefire.")
    assert [brief(p) for p in positions] == [("anna-kovac", "veldoria", "ceasefire", "supports")]


def test_a_holder_that_is_no_name():
    positions = drafted(
        "Marenia's delegation said it rejects a ceasefire. The Veldorian side wants a prisoner exchange."
    )
    assert [brief(p) for p in positions] == [
        ("marenia", "marenia", "ceasefire", "opposes"),
        ("veldoria", "veldoria", "prisoner-exchange", "supports"),
    ]


def test_an_attribution_that_is_not_the_last_words():
    positions = drafted("A prisoner exchange must come first, Anna Kovac told reporters on Monday.")
    assert [(brief(p), p["rule"]) for p in positions] == [
        (("anna-kovac", "veldoria", "prisoner-exchange", "supports"), "trailing-attribution")
    ]


def test_what_is_rejected_or_ruled_out_is_opposed():
    positions = drafted("Piet Lorne rejected a ceasefire. Anna Kovac said a prisoner exchange was not on the table.")
    assert [brief(p) for p in positions] == [
        ("piet-lorne", "marenia", "ceasefire", "opposes"),
        ("anna-kovac", "veldoria", "prisoner-exchange", "opposes"),
    ]


def test_rejected_that_demand_is_a_rejection():
    positions = drafted("Anna Kovac demanded that Marenia withdraw from the border. Piet Lorne rejected that demand.")
    assert positions[1]["rule"] == "rejection" and positions[1]["rejects"] == [positions[0]["id"]]


def test_a_number_in_words():
    positions = drafted("Anna Kovac said Veldoria wants elections within six days.")
    assert [(p["issue"], p["min"], p["max"], p["unit"]) for p in positions] == [("election-deadline", None, 6, "days")]


def test_an_adverb_between_the_auxiliary_and_the_verb():
    positions = drafted(
        "Marenia had earlier demanded a prisoner exchange. Veldoria is also seeking a prisoner exchange."
    )
    assert [brief(p) for p in positions] == [
        ("marenia", "marenia", "prisoner-exchange", "supports"),
        ("veldoria", "veldoria", "prisoner-exchange", "supports"),
    ]


def test_either_or_outside_a_condition_keeps_the_first_alternative():
    # "either A or B" said of what someone wants: A is the position, B what follows if not (no second position).
    positions = drafted("Anna Kovac said Marenia must either agree to a ceasefire or face new sanctions.")
    assert [(brief(p), p["addressee"], p["condition"]) for p in positions] == [
        (("anna-kovac", "veldoria", "ceasefire", "supports"), ["marenia"], [])
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Piet Lorne said Veldoria's army of 120,000 troops must be cut to no more than 85,000 troops.",
        "Piet Lorne said Veldoria's army should go from 120,000 to no more than 85,000 troops.",
    ],
)
def test_the_bound_applies_to_the_number_after_it(text):
    # The bare number is where things stand; the bound and the number it governs are the position.
    [position] = drafted(text)
    assert (position["issue"], position["min"], position["max"], position["unit"]) == (
        "army-size",
        None,
        85000.0,
        "troops",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a participle phrase after a body of a state: the delegation speaks for it
        (
            "The Marenian delegation, headed by Piet Lorne, rejected a ceasefire.",
            [("marenia", "marenia", "ceasefire", "opposes")],
        ),
        # a relative clause with a number in it ("60,000": a comma inside a number ends nothing)
        (
            "The Marenian Farmers Union, which represents some 60,000 farmers, said a prisoner exchange was "
            "non-negotiable.",
            [("farmers-union", "marenia", "prisoner-exchange", "supports")],
        ),
    ],
)
def test_a_subject_followed_by_a_relative_clause_or_a_participle(text, expected):
    positions = drafted(text)
    assert [brief(p) for p in positions] == expected
    assert positions[0]["quote"] == text


def test_a_trailing_attribution_with_a_title_before_the_name():
    # Nothing before the speaker's name but its role: what is said ends at the comma before the role.
    [position] = drafted("A prisoner exchange must come first, its chief negotiator Piet Lorne said.")
    assert brief(position) == ("piet-lorne", "marenia", "prisoner-exchange", "supports")
    assert position["rule"] == "trailing-attribution"


def test_a_trailing_attribution_after_a_state_is_the_persons():
    # "Veldoria is seeking A, X said": what the state seeks is drafted once, as its person's position.
    [position] = drafted(
        "Veldoria is also seeking a prisoner exchange, Veldoria's spokesman, Anna Kovac, told reporters on Monday."
    )
    assert brief(position) == ("anna-kovac", "veldoria", "prisoner-exchange", "supports")
    assert (position["speaker"], position["stated_on"], position["kind"]) == ("anna-kovac", "2025-06-02", "position")


def test_a_trailing_attribution_followed_by_a_participle():
    # The titles before the name stop at the comma ("as Veldorian, Foreign Minister ..."); a red line said in
    # the participle after the attribution counts.
    [position] = drafted(
        "Marenia will not accept a ceasefire as Veldorian, Foreign Minister Piet Lorne said in a statement, "
        "calling this a red line."
    )
    assert brief(position) == ("piet-lorne", "marenia", "ceasefire", "opposes")
    assert position["red_line"] is True
    [adding] = drafted(
        "Marenia is ready for a prisoner exchange, Lorne told reporters after the session, adding that talks go on."
    )
    assert brief(adding) == ("piet-lorne", "marenia", "prisoner-exchange", "supports")
    assert adding["quote"].startswith("Marenia is ready") and adding["rule"] == "trailing-attribution"


def test_a_speaker_named_in_an_apposition():
    [position] = drafted(
        "Veldoria's mediator, former foreign minister Anna Kovac, told reporters she wanted a ceasefire by June."
    )
    assert brief(position) == ("anna-kovac", "veldoria", "ceasefire", "supports")
    assert position["quote"].startswith("former foreign minister Anna Kovac, told reporters")


def test_a_speech_verb_in_a_relative_clause():
    # "X, who had insisted A, now says B": A is X's earlier position, cut where the clause ends; B the new one.
    positions = drafted(
        "Anna Kovac, who had insisted in May that a ceasefire was off limits, now says Veldoria backs a ceasefire."
    )
    assert [(brief(p), p["stated_on"]) for p in positions] == [
        (("anna-kovac", "veldoria", "ceasefire", "opposes"), "2025-05"),
        (("anna-kovac", "veldoria", "ceasefire", "supports"), None),
    ]
    assert positions[0]["quote"] == "Anna Kovac, who had insisted in May that a ceasefire was off limits"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a known speaker after the verb
        (
            "“Marenia will never accept a ceasefire,” said Piet Lorne.",
            [("piet-lorne", "marenia", "ceasefire", "opposes")],
        ),
        # a new one whose role gives a side
        (
            "“Marenia will never accept a ceasefire,” said Ivo Brandt, a spokesman for the Marenian government.",
            [("ivo-brandt", "marenia", "ceasefire", "opposes")],
        ),
        # a commentator (no role of a side): no position, and not the earlier speaker's quotation going on
        ("“A prisoner exchange would come first,” said Ivo Brandt, an economist at Kessel University.", []),
    ],
)
def test_a_quotation_whose_speaker_follows_the_verb(text, expected):
    positions = drafted("Officials said Veldoria wants a ceasefire. " + text)
    assert [brief(p) for p in positions][1:] == expected
    assert all(p["rule"] != "quote-goes-on" for p in positions)


def test_not_before_is_a_precondition():
    [position] = drafted("Piet Lorne said Marenia will withdraw from the border, but not before a prisoner exchange.")
    assert brief(position) == ("piet-lorne", "marenia", "withdrawal", "supports")
    assert position["condition"] == [{"issue": "prisoner-exchange", "stance": "supports", "addressees": []}]


def test_to_bar_is_to_oppose():
    [position] = drafted(
        "Anna Kovac said Veldoria wants a settlement that would bar Marenia from any prisoner exchange."
    )
    assert brief(position) == ("anna-kovac", "veldoria", "prisoner-exchange", "opposes")


def test_a_generic_speaker_opening_the_sentence_is_no_name():
    [position] = drafted("Analysts said Veldoria wants a ceasefire.")
    assert brief(position) == ("veldoria", "veldoria", "ceasefire", "supports")
    assert position["reported_by"] == ["Analysts"] and position["new_actors"] == []
