"""The matcher of names (graph.analysis.names): hand-worked cases, and a property of every candidate's own names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.model import Actor, Issue, Negotiation
from graph.analysis.names import nearest, words
from graph.errors import UnknownActor, UnknownIssue

# The seed's actors and issues with their labels and aliases, as the raisers pass them.
ACTORS = {
    "us": ["United States", "United States of America", "USA", "America", "Washington", "the White House"],
    "russia": ["Russia", "Russian Federation", "Moscow", "the Kremlin"],
    "ukraine": ["Ukraine", "Kyiv", "Kiev"],
    "uk": ["United Kingdom", "UK", "Britain", "Great Britain", "London"],
    "eu": ["European Union", "EU", "Brussels"],
    "saudi-arabia": ["Saudi Arabia", "Kingdom of Saudi Arabia", "Riyadh"],
    "vladimir-putin": ["Vladimir Putin"],
    "volodymyr-zelensky": ["Volodymyr Zelensky"],
    "ukraine-economy-minister": ["Ukraine's economy minister"],
}
ISSUES = {
    "ukraine-nato-membership": ["Ukraine's NATO membership"],
    "alliances": ["Alliances"],
    "territory": ["The four regions Russia claims"],
    "territory-donetsk": ["Donetsk region"],
    "territory-kherson": ["Kherson region"],
    "territory-luhansk": ["Luhansk region"],
    "territory-zaporizhzhia": ["Zaporizhzhia region"],
    "ukraine-army-size": ["Limit on the size of Ukraine's army"],
    "ceasefire": ["Ceasefire"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin", ("kremlin",)),
        ("ZÉLENSKY", ("zelensky",)),
        ("ukraine-nato_membership", ("ukraine", "nato", "membership")),
        ("Ukraine's  army!", ("ukraine", "army")),
        ("Ukraine\u2019s army", ("ukraine", "army")),
        ("the", ("the",)),  # an article alone is the name
        ("İstanbul", ("istanbul",)),  # casefolded before the marks are dropped
        ("---", ()),
    ],
)
def test_words_are_compared_without_case_accents_punctuation_or_a_leading_article(text, expected):
    assert words(text) == expected


def test_a_label_with_other_words_finds_its_slug():
    # "United States" is us's label, word for word (1.0); uk's holds one of the two words (0.45).
    assert nearest("united-states", ACTORS) == ["us"]


def test_a_name_that_spells_half_like_another_suggests_only_its_own():
    # "Russia" is russia's slug in other letters; "us" spells half like it (0.5), below the cutoff.
    assert nearest("Russia", ACTORS) == ["russia"]


def test_an_alias_finds_its_slug_whatever_the_case_and_article():
    assert nearest("kremlin", ACTORS) == ["russia"]
    assert nearest("KIEV", ACTORS) == ["ukraine"]
    assert nearest("The United Kingdom", ACTORS) == ["uk"]


def test_a_word_inside_a_longer_slug_finds_it():
    # Every typed word is a word of the name: 0.8, and a third of its words matched adds 0.067.
    assert nearest("nato", ISSUES) == ["ukraine-nato-membership"]
    assert nearest("army", ISSUES) == ["ukraine-army-size"]


def test_a_whole_name_ranks_before_names_that_hold_it():
    candidates = {"ukraine-nato-membership": ["Ukraine's NATO membership"], "nato": ["North Atlantic Treaty"]}
    assert nearest("NATO", candidates) == ["nato", "ukraine-nato-membership"]


def test_a_typo_finds_the_name_first_then_the_names_holding_the_word_by_slug():
    # "teritory" spells 16/17 like "territory" (0.94); as a word of a two-word slug, 0.94 * 0.9 = 0.85.
    assert nearest("teritory", ISSUES) == [
        "territory",
        "territory-donetsk",
        "territory-kherson",
        "territory-luhansk",
        "territory-zaporizhzhia",
    ]


def test_a_typo_in_one_word_of_several_is_forgiven():
    assert nearest("vladimir putn", ACTORS) == ["vladimir-putin"]
    assert nearest("Saudi_Arabiya", ACTORS) == ["saudi-arabia"]


@pytest.mark.parametrize("typed", ["Zelenskyy", "Zélensky", "ZELENSKIY", "volodymyr zelenskyy"])
def test_other_spellings_and_accents_find_the_person(typed):
    assert nearest(typed, ACTORS) == ["volodymyr-zelensky"]


@pytest.mark.parametrize("typed", ["france", "xyzzy", "putinism-and-more-words", "", "---", "ua-uk-us-eu"])
def test_an_unrelated_name_suggests_nothing(typed):
    assert nearest(typed, ACTORS) == []


def test_equal_scores_are_ordered_by_slug_and_at_most_the_limit_are_given():
    candidates = {f"territory-{number}": [] for number in (7, 3, 9, 1, 5, 2, 8)}
    assert nearest("territory", candidates) == [f"territory-{number}" for number in (1, 2, 3, 5, 7)]
    assert nearest("territory", candidates, limit=2) == ["territory-1", "territory-2"]


def test_the_slug_counts_as_a_name_without_being_listed():
    assert nearest("saudi arabia", {"saudi-arabia": []}) == ["saudi-arabia"]


def test_an_unknown_actor_is_matched_against_labels_and_aliases():
    seed = Negotiation(
        actors={
            "us": Actor("us", "United States", "state", aliases=("Washington",)),
            "russia": Actor("russia", "Russia", "state", aliases=("Moscow", "the Kremlin")),
        }
    )
    with pytest.raises(UnknownActor) as raised:
        rules.require_actor(seed, "united-states")
    assert raised.value.nearest == ["us"]
    assert str(raised.value) == "unknown actor 'united-states'; did you mean us?"
    with pytest.raises(UnknownActor, match=r"^unknown actor 'the-kremlin'; did you mean russia\?$"):
        rules.require_actor(seed, "the-kremlin")
    with pytest.raises(UnknownActor) as raised:
        rules.require_actor(seed, "zzz")
    assert raised.value.nearest == [] and str(raised.value) == "unknown actor 'zzz'"


def test_an_unknown_issue_is_matched_against_labels_and_aliases():
    seed = Negotiation(
        issues={
            "ukraine-nato-membership": Issue("ukraine-nato-membership", "Ukraine's NATO membership"),
            "peace-settlement": Issue("peace-settlement", "Peace settlement", aliases=("Peace deal",)),
        }
    )
    with pytest.raises(UnknownIssue) as raised:
        rules.require_issue(seed, "nato")
    assert raised.value.nearest == ["ukraine-nato-membership"]
    with pytest.raises(UnknownIssue) as raised:
        rules.require_issue(seed, "deal")
    assert raised.value.nearest == ["peace-settlement"]


#
# Every candidate's own names find it first.
#

ACCENTED = {"a": "àáâä", "c": "ç", "e": "èéêë", "i": "ìíîï", "n": "ñ", "o": "òóôö", "u": "ùúûü", "y": "ý"}
word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=9).filter(
    lambda text: text not in ("the", "a", "an")
)
# Names as their words; no two alike as sets of words (those would be one name to the matcher).
distinct_names = st.lists(st.lists(word, min_size=1, max_size=4), min_size=1, max_size=24, unique_by=frozenset)


@st.composite
def written(draw, name: list[str]) -> str:
    """The name as someone may write it: any letter case, accents or not, any separators."""
    letters = []
    for letter in draw(st.sampled_from([" ", "-", "_", " - ", ", "])).join(name):
        if letter in ACCENTED and draw(st.booleans()):
            letter = draw(st.sampled_from(ACCENTED[letter]))
        letters.append(letter.upper() if draw(st.booleans()) else letter)
    return "".join(letters)


@st.composite
def candidates_and_a_name(draw) -> tuple[dict[str, list[str]], str, str]:
    """Candidates (a slug, then its label and aliases as written), one of them, and one of its names as typed."""
    names = draw(distinct_names)
    candidates: dict[str, list[str]] = {}
    owners: list[tuple[str, list[str]]] = []
    while names:
        count = draw(st.integers(1, min(4, len(names))))
        own, names = names[:count], names[count:]
        slug = "-".join(own[0])
        candidates[slug] = [draw(written(other)) for other in own[1:]]
        owners += [(slug, name) for name in own]
    slug, name = draw(st.sampled_from(owners))
    return candidates, slug, draw(written(name))


@settings(max_examples=300, deadline=None)
@given(candidates_and_a_name())
def test_every_slug_label_and_alias_in_any_case_finds_its_candidate_first(case):
    candidates, slug, typed = case
    assert nearest(typed, candidates)[:1] == [slug]
