"""Quotes checked against their source's text, and the Web Annotation selectors that place them in it.

A quote is found in a text when the two agree after the differences a copy and paste brings are
smoothed out: runs of white space (non-breaking spaces and line breaks included) count as one space,
typographic quotation marks and apostrophes as plain ones, every dash and the minus sign as a hyphen,
and soft hyphens as nothing. Letters, digits and the rest of the punctuation must be as they are.

Where a quote is found, :class:`Selector` gives what the W3C Web Annotation model's
``TextQuoteSelector`` (the exact text, with a prefix and a suffix) and ``TextPositionSelector``
(start and end, counted in characters of the original text) say of it. Where it is not,
:meth:`SourceText.closest` gives the passage of the text nearest to it, for the error message.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["SourceText", "Selector", "normalise", "CONTEXT"]

CONTEXT = 32
"""Characters of prefix and suffix a selector carries: enough to tell apart two occurrences of a quote."""

_SAME_AS = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u00ad": None,  # soft hyphen
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as quotes are compared: NFC, one space for any white space, plain quotes and hyphens.

    Examples
    --------
    >>> normalise("Mr Rubio\u2019s  threats \u2013 and\\n\u201cwell, we\u2019re done\u201d")
    'Mr Rubio\\'s threats - and "well, we\\'re done"'
    """
    if not text.isascii():  # ASCII is its own NFC, and holds nothing to replace
        text = unicodedata.normalize("NFC", text).translate(_SAME_AS)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Selector:
    """Where a quote stands in its source's text (Web Annotation ``TextQuoteSelector`` and ``TextPositionSelector``).

    ``exact`` is the quoted passage as the text has it (its own quotation marks and spaces), ``start``
    and ``end`` are character offsets into the text, ``prefix`` and ``suffix`` the characters around it.
    """

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class SourceText:
    """A source's text, prepared once to find many quotes in it.

    Examples
    --------
    >>> text = SourceText("He said: \u201cwe\u2019re done\u201d, and left.")
    >>> text.find('"we\\'re done"')
    Selector(exact='\u201cwe\u2019re done\u201d', prefix='He said: ', suffix=', and left.', start=9, end=21)
    >>> text.find("we are done") is None
    True
    """

    def __init__(self, text: str):
        self.text = text
        self._normal, self._starts, self._ends = _normalised_with_origins(text)

    def find(self, quote: str) -> Selector | None:
        """The first place of ``quote`` in the text, or None if it is not there."""
        wanted = normalise(quote)
        at = self._normal.find(wanted) if wanted else -1
        if at < 0:
            return None
        start, end = self._starts[at], self._ends[at + len(wanted) - 1]
        return Selector(
            self.text[start:end], self.text[max(0, start - CONTEXT) : start], self.text[end : end + CONTEXT], start, end
        )

    def closest(self, quote: str) -> str:
        """The passage of the text most like ``quote``, as long as it, for a message that says what the text has.

        The passage is placed on the longest run the two share, then judged by difflib's ratio
        among the placements around it; words are kept whole. It is given as the text writes it (its
        own quotation marks, apostrophes and dashes), on one line.

        Examples
        --------
        >>> SourceText("He said: \u201cwe\u2019re done\u201d, and left.").closest("we're nearly done")
        'said: \u201cwe\u2019re done\u201d,'
        """
        wanted = normalise(quote)
        if not wanted or not self._normal:
            return ""
        matcher = difflib.SequenceMatcher(None, self._normal, wanted, autojunk=False)
        anchor = matcher.find_longest_match(0, len(self._normal), 0, len(wanted))
        start = max(0, min(anchor.a - anchor.b, len(self._normal) - len(wanted)))
        candidates = {max(0, start + shift) for shift in range(-len(wanted) // 2, len(wanted) // 2 + 1, 4)}

        def likeness(begin: int) -> tuple[float, int]:
            window = self._normal[begin : begin + len(wanted)]
            return difflib.SequenceMatcher(None, window, wanted, autojunk=False).ratio(), -begin

        best = max(candidates, key=likeness)
        start, end = _whole_words(self._normal, best, best + len(wanted))
        if start >= end:
            return ""
        passage = self.text[self._starts[start] : self._ends[end - 1]]
        return " ".join(passage.replace("\u00ad", "").split())


_RUNS = re.compile(r"([!-~]+(?: [!-~]+)*)|(\s+)|(.)", re.DOTALL)
"""A text read in runs: printable ASCII words one space apart (compared as they are), other white space,
and any other character on its own."""


def _normalised_with_origins(text: str) -> tuple[str, list[int], list[int]]:
    """The normalised text, and for each of its characters where it starts and ends in ``text``.

    A combining mark is composed with the character before it where NFC composes them (a text may
    write é as e and an accent), so that the offsets stay those of ``text`` itself. Runs of printable
    ASCII, most of a text, need none of that and are taken whole (a character at a time, a text of
    100,000 characters took a quarter of a second to prepare).
    """
    runs: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space = False
    for run in _RUNS.finditer(text):
        plain, space, other = run.groups()
        offset = run.start()
        if space is not None:
            pending_space = bool(runs)
            continue
        if plain is None:
            replaced = other.translate(_SAME_AS)
            if not replaced:
                continue
            if unicodedata.combining(replaced) and runs and not pending_space:
                composed = unicodedata.normalize("NFC", runs[-1][-1] + replaced)
                if len(composed) == 1:
                    runs[-1], ends[-1] = runs[-1][:-1] + composed, offset + 1
                    continue
            plain = unicodedata.normalize("NFC", replaced)
        if pending_space:
            runs.append(" ")
            starts.append(offset - 1)
            ends.append(offset)
            pending_space = False
        runs.append(plain)
        if other is None:
            starts.extend(range(offset, offset + len(plain)))
            ends.extend(range(offset + 1, offset + len(plain) + 1))
        else:  # one character of the text, which NFC may write as several
            starts.extend([offset] * len(plain))
            ends.extend([offset + 1] * len(plain))
    return "".join(runs), starts, ends


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` widened to whole words of ``text`` at both ends, the white space around left out."""
    end = min(end, len(text))  # a quote longer than the text reaches past its end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
