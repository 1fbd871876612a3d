"""How far a long task has gone: its phases, and of each, how much is done out of how much.

The library tells a :class:`Progress` what it does; the command line shows it (a bar per phase,
with rate and time left), a benchmark times it, and anyone else passes nothing and is told nothing.
A plain function of one message is accepted too (:func:`as_progress`), and told each phase's name.
"""

from __future__ import annotations

import io
from collections.abc import Callable

__all__ = ["CountingReader", "Messages", "Progress", "as_progress"]


class Progress:
    """Whoever watches a long task; this one ignores what it is told.

    Examples
    --------
    >>> class Counter(Progress):
    ...     def phase(self, name, total=None, unit=""):
    ...         print(name, total, unit)
    >>> Counter().phase("working out and writing the stands", 373_692, "stands")
    working out and writing the stands 373692 stands
    """

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        """A phase begins (the last one ends): ``name`` says what it does, ``total`` how many ``unit`` it will do."""

    def advance(self, amount: int) -> None:
        """``amount`` more units of the current phase are done (called from any thread)."""

    def finish(self) -> None:
        """The last phase has ended."""


class Messages(Progress):
    """Tell ``say`` the name of each phase, as it begins.

    Examples
    --------
    >>> progress = Messages(print)
    >>> progress.phase("reading the analysis index")
    reading the analysis index
    """

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        self.say(name)


def as_progress(progress: Progress | Callable[[str], None] | None) -> Progress:
    """The :class:`Progress` to tell: ``progress`` itself, a function of one message told each phase, or none.

    Examples
    --------
    >>> as_progress(None).phase("parsing")  # told no one
    >>> as_progress(print).phase("parsing")
    parsing
    """
    if progress is None:
        return Progress()
    if isinstance(progress, Progress):
        return progress
    return Messages(progress)


class CountingReader(io.RawIOBase):
    """Read ``content`` and tell ``progress`` how many bytes each read took (a parser reads it in pieces).

    Examples
    --------
    >>> class Total(Progress):
    ...     done = 0
    ...     def advance(self, amount):
    ...         self.done += amount
    >>> total = Total()
    >>> _ = io.BufferedReader(CountingReader(b"<urn:a> <urn:b> <urn:c> .", total)).read()
    >>> total.done
    25
    """

    def __init__(self, content: bytes, progress: Progress):
        self._content = memoryview(content)
        self._at = 0
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), len(self._content) - self._at)
        buffer[:size] = self._content[self._at : self._at + size]
        self._at += size
        self._progress.advance(size)
        return size
