"""How the command line shows a long task's progress (:class:`graph.progress.Progress`).

On a terminal, each phase is a bar with what is done of how much, the rate and the time left; in
a log or a pipe, a line as each phase begins and one with its count and rate as it ends.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, Task, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from rich.text import Text

from graph.progress import Progress

__all__ = ["Bars", "Lines", "amount", "done_of", "for_terminal"]


def amount(count: float, unit: str) -> str:
    """A count of ``unit`` as people read it: bytes in MB, other units with thousands separated.

    Examples
    --------
    >>> amount(212_000_000, "bytes"), amount(1_250, "bytes"), amount(373_692, "stands"), amount(1, "stands")
    ('202.2 MB', '1.2 kB', '373,692 stands', '1 stand')
    >>> amount(0.73, "checks")
    '0.7 checks'
    """
    if unit == "bytes":
        return f"{count / 2**20:,.1f} MB" if count >= 2**20 else f"{count / 2**10:,.1f} kB"
    if count == 1 and unit.endswith("s"):
        unit = unit[:-1]  # 1 stand, 1 check
    return f"{count:,.0f} {unit}" if count >= 10 or count == int(count) else f"{count:.1f} {unit}"


def done_of(done: float, total: float, unit: str) -> str:
    """What is done of how much, both in the scale of the total.

    Examples
    --------
    >>> done_of(1_250, 212_000_000, "bytes"), done_of(40_000, 373_692, "stands")
    ('0.0/202.2 MB', '40,000/373,692 stands')
    """
    whole = amount(total, unit)
    if unit == "bytes":
        scale = 2**20 if whole.endswith("MB") else 2**10
        return f"{done / scale:,.1f}/{whole}"
    return f"{done:,.0f}/{whole}"


class _Done(ProgressColumn):
    """What is done of how much: ``120.4/202.2 MB``, ``40,000/373,692 stands``."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if task.total is None or not unit:
            return Text("")
        return Text(done_of(task.completed, task.total, unit))


class _Rate(ProgressColumn):
    """How fast it goes: ``25.1 MB/s``, ``31,000 stands/s``."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if task.total is None or not task.speed or not unit:
            return Text("")
        return Text(f"{amount(task.speed, unit)}/s")


class Bars(Progress):
    """Each phase a bar on ``console``, kept on screen once done: the command's account of where time went."""

    def __init__(self, console: Console):
        self._console = console
        self._bars = self._new_bars()
        self._task: TaskID | None = None

    def _new_bars(self) -> RichProgress:
        columns = (TextColumn("{task.description}"), BarColumn(), _Done(), _Rate(), TimeRemainingColumn())
        return RichProgress(*columns, TimeElapsedColumn(), console=self._console)

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        self._end_phase()
        self._bars.start()  # the first time: the bars are drawn from now on
        self._task = self._bars.add_task(name, total=total, unit=unit)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._bars.advance(self._task, amount)

    def finish(self) -> None:
        self._end_phase()
        self._bars.stop()
        self._bars = self._new_bars()  # a task told after this one (a load after the seed graph's) draws its own

    def _end_phase(self) -> None:
        if self._task is None:
            return
        (task,) = (task for task in self._bars.tasks if task.id == self._task)
        # A phase without a count shows a full bar once done; one with a count, the count it reached.
        reached = task.completed if task.total is not None else 1
        self._bars.update(self._task, total=task.total if task.total is not None else 1, completed=reached)
        self._bars.stop_task(self._task)
        self._task = None


class Lines(Progress):
    """A line on ``out`` as each phase begins, with the time since the first; one with its count and rate as it ends.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> lines = Lines(out)
    >>> lines.phase("working out and writing the stands", 3, "stands")
    >>> lines.advance(3)
    >>> lines.finish()
    >>> print(out.getvalue().replace(out.getvalue()[1:7], "   0.0"), end="")  # doctest: +ELLIPSIS
    [   0.0s] working out and writing the stands
    [   0.0s]   3 stands, ... stands/s
    """

    def __init__(self, out: TextIO):
        self._out = out
        self._started = time.perf_counter()
        self._lock = threading.Lock()
        self._current: tuple[float, int | None, str] | None = None
        self._done = 0

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        self._end_phase()
        self._say(name)
        self._current, self._done = (time.perf_counter(), total, unit), 0

    def advance(self, amount: int) -> None:
        with self._lock:
            self._done += amount

    def finish(self) -> None:
        self._end_phase()

    def _end_phase(self) -> None:
        if self._current is None:
            return
        began, total, unit = self._current
        self._current = None
        if total is not None and unit:
            seconds = max(time.perf_counter() - began, 1e-9)
            self._say(f"  {amount(self._done, unit)}, {amount(self._done / seconds, unit)}/s")

    def _say(self, message: str) -> None:
        print(f"[{time.perf_counter() - self._started:6.1f}s] {message}", file=self._out, flush=True)


def for_terminal(out: TextIO | None = None) -> Progress:
    """Bars if ``out`` (standard error) is an interactive terminal, else lines.

    rich judges: a terminal whose ``TERM`` is ``dumb`` gets lines, and ``FORCE_COLOR`` or ``TTY_COMPATIBLE=1``
    make anything a terminal (``TTY_INTERACTIVE=0`` then asks for lines).
    """
    out = out or sys.stderr
    console = Console(file=out)
    return Bars(console) if console.is_interactive else Lines(out)
