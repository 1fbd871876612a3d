"""Quotes found in their source's text, with the selectors that place them, and the nearest passage when not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.ingest.quotes import CONTEXT, SourceText, normalise

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = (SEEDS / "us-may-walk-away-2025-04-18.txt").read_text(encoding="utf-8")


def seed_quotes() -> list[str]:
    trig = (SEEDS / "us-may-walk-away-2025-04-18.trig").read_text(encoding="utf-8")
    return [quote.replace('\\"', '"') for quote in re.findall(r'parley:quote "((?:[^"\\]|\\.)*)"', trig)]


def test_every_quote_of_the_seed_graph_is_in_the_seed_article():
    text = SourceText(ARTICLE)
    quotes = seed_quotes()
    assert len(quotes) == 18
    for quote in quotes:
        selector = text.find(quote)
        assert selector is not None, quote
        assert ARTICLE[selector.start : selector.end] == selector.exact
        assert normalise(selector.exact) == normalise(quote)


def test_the_selector_of_a_quote_with_typographic_marks_typed_plain():
    """The article writes Mr Rubio’s and “well, we're done” with typographic marks; the analyst typed plain ones."""
    text = SourceText(ARTICLE)
    quote = 'Mr Rubio said Mr Trump is prepared to just declare "well, we\'re done"'
    selector = text.find(quote)
    assert selector is not None
    assert selector.exact == "Mr Rubio said Mr Trump is prepared to just declare “well, we're done”"
    assert selector.start == ARTICLE.index("Mr Rubio said Mr Trump") and selector.end - selector.start == 69
    assert ARTICLE[selector.start - CONTEXT : selector.start] == selector.prefix and len(selector.prefix) == CONTEXT
    assert ARTICLE[selector.end : selector.end + CONTEXT] == selector.suffix


@pytest.mark.parametrize(
    ("text", "quote", "exact"),
    [
        ("a\u00a0b\n\n  c", "a b c", "a\u00a0b\n\n  c"),  # white space of any kind and length
        ("one \u2013 two \u2014 three", "one - two - three", "one \u2013 two \u2014 three"),  # dashes
        ("negoti\u00adations", "negotiations", "negoti\u00adations"),  # a soft hyphen
        (
            "\u201equoted\u201c and \u2018single\u2019",
            "\"quoted\" and 'single'",
            "\u201equoted\u201c and \u2018single\u2019",
        ),
        ("Zelenske\u0301 said", "Zelensk\u00e9 said", "Zelenske\u0301 said"),  # e and an accent, é composed
        ("x Zelenske\u0301", "Zelensk\u00e9", "Zelenske\u0301"),  # the accent is part of the quote's end
    ],
)
def test_what_copying_text_changes_is_smoothed_out(text, quote, exact):
    selector = SourceText(text).find(quote)
    assert selector is not None and selector.exact == exact
    assert text[selector.start : selector.end] == exact


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("We are done.", "we are done"),  # letter case is the speaker's
        ("We are done.", "We're done"),  # words are the speaker's
        ("ceasefire by 20 April", "ceasefire by 21 April"),
        ("anything", ""),
    ],
)
def test_a_quote_that_differs_in_words_letters_or_digits_is_not_found(text, quote):
    assert SourceText(text).find(quote) is None


def test_a_quote_not_in_the_text_gets_the_nearest_passage():
    """An invented ending: the nearest passage is the sentence the analyst misremembered."""
    text = SourceText(ARTICLE)
    quote = "We need to figure out here now, within a matter of weeks, whether this is doable"
    assert text.find(quote) is None
    closest = text.closest(quote)
    assert closest.startswith("We need to figure out here now, within a matter of days, whether this is doable")


def test_the_nearest_passage_is_given_as_the_text_writes_it_on_one_line():
    """The analyst is shown what to copy: the text's own marks and dash, not the plain ones the search compares."""
    text = SourceText(
        "Peskov said \u201cthere will be no\n ceasefire for now\u201d \u2013 and Moscow\u2019s terms stand."
    )
    assert text.closest('"there will be a ceasefire for now" - and Moscow\'s terms stand') == (
        "\u201cthere will be no ceasefire for now\u201d \u2013 and Moscow\u2019s terms stand."
    )


def test_a_quote_longer_than_the_text_gets_the_whole_text():
    assert (
        SourceText("Talks \u2013 soon.").closest("Talks - soon, said both delegations at length.")
        == "Talks \u2013 soon."
    )


def test_an_invented_quote_finds_a_passage_and_no_selector():
    text = SourceText(ARTICLE)
    assert text.find("Russia agreed to withdraw from every occupied region.") is None
    assert text.closest("Russia agreed to withdraw from every occupied region.") != ""


TEXT_CHARACTERS = st.sampled_from(list("ab c.\u2019'\u201c\"\u2013-\u00ad\n\u00a0x"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(TEXT_CHARACTERS, max_size=60), cut=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_any_passage_of_a_text_is_found_where_it_reads_the_same(text, cut):
    start, end = sorted(cut)
    passage = text[start:end]
    selector = SourceText(text).find(passage)
    if not normalise(passage):
        assert selector is None
        return
    assert selector is not None
    assert text[selector.start : selector.end] == selector.exact
    assert normalise(selector.exact) == normalise(passage)
    # The first place, never a later one: at or before the passage's first character that counts (white space
    # and soft hyphens before it count for nothing).
    assert selector.start <= start + re.match(r"[\s\u00ad]*", passage).end()


@settings(max_examples=300, deadline=None)
@given(text=st.text(TEXT_CHARACTERS, max_size=60), quote=st.text(TEXT_CHARACTERS, max_size=80))
def test_the_nearest_passage_of_any_quote_is_a_passage_of_the_text_on_one_line(text, quote):
    """Whatever the quote (longer than the text, all white space...), the passage named is the text's own."""
    closest = SourceText(text).closest(quote)
    assert "\n" not in closest and "\u00ad" not in closest
    if closest:
        assert SourceText(text).find(closest) is not None
