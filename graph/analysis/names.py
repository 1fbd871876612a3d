"""Names a person may type for an actor, an issue or a position, matched to the slugs that mean them.

A slug is one name of many: an actor also has its label and its aliases (``skos:altLabel``), and
someone who types ``united-states`` or ``the Kremlin`` means ``us`` or ``russia``. :func:`nearest`
finds the slugs whose names come closest to what was typed, to suggest them when a name is unknown.

Names are compared as words: letter case, accents and punctuation are not what tells two names
apart (:func:`words`). A name scores by spelling, as a whole (``teritory`` for ``territory``), and
by its words, so that a word typed alone finds the longer names that hold it (``nato`` finds
``ukraine-nato-membership``), each word forgiving a typo.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher

__all__ = ["nearest", "words", "CUTOFF"]

CUTOFF = 0.8
"""The least score a suggestion needs: below it a name is about something else (``usa`` for ``rusia``
spells three quarters alike, ``us`` for ``russia`` half)."""

WORD_CUTOFF = 0.8
"""The least spelling likeness for one word to stand for another (``zelenskyy`` for ``zelensky``, 0.94);
short words must be equal (``uk`` is not ``us``)."""

WHOLE_WORDS = 0.8
"""What a name scores when every typed word is one of its words, however many more it has; its share
of words matched adds the rest, so ``nato`` ranks ``nato`` (1.0) above ``ukraine-nato-membership`` (0.87)."""

_ARTICLES = frozenset({"the", "a", "an"})
_SEPARATORS = re.compile(r"['\u2019]s\b|[\W_]+")
"""What splits words: anything but a letter or a digit, and a possessive ``'s`` with it."""


def words(name: str) -> tuple[str, ...]:
    """The words of a name as they are compared: without case or accents, split at anything not a
    letter or digit, a possessive ``'s`` and a leading article dropped.

    Examples
    --------
    >>> words("The Kremlin"), words("Zélensky"), words("ukraine-nato_membership"), words("Ukraine's army")
    (('kremlin',), ('zelensky',), ('ukraine', 'nato', 'membership'), ('ukraine', 'army'))
    """
    text = name.casefold()
    if not text.isascii():
        # Casefold first, so that a capital's decomposition (İ to i and a dot) loses its mark too.
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    found = _SEPARATORS.sub(" ", text).split()
    start = 0
    while start < len(found) - 1 and found[start] in _ARTICLES:
        start += 1
    return tuple(found[start:])


def _bound(a: int, b: int) -> float:
    """The most that ``difflib``'s ratio of two texts can be, from their lengths alone (as it computes a ratio)."""
    return 2.0 * min(a, b) / (a + b)


_REMEMBERED = 100_000
"""How many candidate words a query remembers the likeness of: words recur across names (``russia`` in
many issues), but a million position ids hold a million numbers, each met once."""


class _Query:
    """What was typed, ready to be scored against many names: its words, and what it learnt of theirs."""

    def __init__(self, name: str):
        self.words = words(name)
        self.text = " ".join(self.words)
        self._whole = SequenceMatcher(None, "", self.text)  # difflib analyses the second text once
        self._letters = [Counter(word) for word in self.words]
        longest = max(map(len, self.words), default=0)
        self._lengths = frozenset(
            size
            for size in range(1, 2 * longest + 1)
            if any(_bound(len(word), size) >= WORD_CUTOFF for word in self.words)
        )
        """The lengths a word must have to be like a typed word: any other is refused at a glance."""
        self._rows: dict[str, tuple[float, ...] | None] = {}
        """For each candidate word met, its likeness to each typed word (None: like none of them)."""

    def score(self, name: str, floor: float = CUTOFF) -> float:
        """How well ``name`` matches, from 0 to 1 (1: the same words); a score below ``floor`` may be
        given as less than it is (it will not be suggested)."""
        theirs = words(name)
        if not theirs:
            return 0.0
        text = " ".join(theirs)
        if text == self.text:
            return 1.0
        by_words = self._by_words(theirs)
        return max(by_words, self._spelling(text, max(floor, by_words)))

    def _spelling(self, text: str, floor: float) -> float:
        """The likeness of the whole names, letter by letter, or 0 if it cannot reach ``floor``.

        difflib's cheap bounds come first: the full ratio costs the product of the lengths.
        """
        if _bound(len(text), len(self.text)) < floor:
            return 0.0
        self._whole.set_seq1(text)
        if self._whole.quick_ratio() < floor:
            return 0.0
        return self._whole.ratio()

    def _by_words(self, theirs: tuple[str, ...]) -> float:
        """The typed words the name holds (each counted by its likeness), weighed by the share of its words matched."""
        found = [(index, row) for index, row in enumerate(map(self._row, theirs)) if row is not None]
        if not found:
            return 0.0
        matched, total = set(), 0.0
        for position in range(len(self.words)):
            likeness, index = max((row[position], index) for index, row in found)
            if likeness > 0:
                matched.add(index)
                total += likeness
        return total / len(self.words) * (WHOLE_WORDS + (1 - WHOLE_WORDS) * len(matched) / len(theirs))

    def _row(self, their: str) -> tuple[float, ...] | None:
        """The likeness of one candidate word to each typed word, or None if it is like none of them."""
        if len(their) not in self._lengths:
            return None
        if their in self._rows:
            return self._rows[their]
        pairs = zip(self.words, self._letters, strict=True)
        their_letters = set(their)
        row = tuple(self._likeness(word, letters, their, their_letters) for word, letters in pairs)
        found = row if any(row) else None
        if len(self._rows) < _REMEMBERED:
            self._rows[their] = found
        return found

    @staticmethod
    def _likeness(word: str, letters: Counter[str], their: str, their_letters: set[str]) -> float:
        """The spelling likeness of two words, or 0 below :data:`WORD_CUTOFF`."""
        if word == their:
            return 1.0
        # Cheap refusals first, as difflib's own bounds: lengths too far apart, then too few letters in
        # common (a number against a word); the full ratio costs twenty times more.
        size = len(word) + len(their)
        if _bound(len(word), len(their)) < WORD_CUTOFF:
            return 0.0
        common = sum(min(letters[c], their.count(c)) for c in their_letters.intersection(letters))
        if 2.0 * common / size < WORD_CUTOFF:
            return 0.0
        ratio = SequenceMatcher(None, word, their).ratio()
        return ratio if ratio >= WORD_CUTOFF else 0.0


def nearest(name: str, candidates: Mapping[str, Iterable[str]], limit: int = 5) -> list[str]:
    """The slugs whose names come nearest to ``name``, best first (ties by slug), at most ``limit``.

    ``candidates`` maps each slug to its other names (a label, aliases); the slug is always one of
    its names. A slug is suggested only if one of its names scores :data:`CUTOFF` or more.

    Examples
    --------
    >>> actors = {"us": ["United States", "Washington"], "uk": ["United Kingdom"], "russia": ["the Kremlin"]}
    >>> nearest("united-states", actors), nearest("kremlin", actors), nearest("Rusia", actors)
    (['us'], ['russia'], ['russia'])
    >>> nearest("nato", {"ukraine-nato-membership": ["Ukraine's NATO membership"], "ceasefire": []})
    ['ukraine-nato-membership']
    >>> nearest("france", actors)
    []
    """
    query = _Query(name)
    if not query.words:
        return []
    best: list[tuple[float, str]] = []
    """The best so far as (-score, slug), in order; a name must beat the last to matter."""
    floor = CUTOFF
    for slug, names in candidates.items():
        score = query.score(slug, floor)
        for other in names:
            if score == 1.0:
                break
            score = max(score, query.score(other, floor))
        if score >= floor and (len(best) < limit or (-score, slug) < best[-1]):
            bisect.insort(best, (-score, slug))
            del best[limit:]
            if len(best) == limit:
                floor = -best[-1][0]
    return [slug for _, slug in best]
