"""Answers worked out ahead of the question: the workbench's network picture, after the start and after each write.

On a large graph the picture behind the Network view (the heaviest conflict and agreement edges of every
pair of parties) takes seconds to work out, and it depends on nothing but the state: it is worked out
before the server takes its first request, and then by a background thread as soon as the state is new
(after each write, on a new day), into the answer cache, so that the page's request is a lookup. A request
that comes while it is being worked out waits for that answer (:meth:`api.responses.AnswerCache.computed`)
rather than working it out again.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from api.responses import AnswerCache
from graph.analysis import rules
from graph.export import gephi
from graph.workspace import Workspace

NETWORK_EDGES = 2000
"""What the workbench's Network view asks for by default (``web/src/pages/network.js``): the 2,000 heaviest
conflict and agreement edges, without each edge's list of issues (``edge_issues=false``)."""

PREFETCH_PARTIES = 2000
"""Up to how many parties the picture is worked out ahead: its count of every pair holds a few matrices of
parties x parties (0.2 GB at 2,000); past that, only a page that asks for it pays for it."""

_log = logging.getLogger(__name__)


def network_picture(cache: AnswerCache, workspace: Workspace, as_of: date, strongest: int, edge_issues: bool) -> bytes:
    """The actors view's GEXF cut to its ``strongest`` edges, kept in ``cache`` until the next write.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> picture = network_picture(AnswerCache(), Workspace(open_store("memory")), date(2025, 5, 1), 3, False)
    >>> picture.count(b'kind="conflict"') + picture.count(b'kind="agreement"')
    3
    """
    with workspace.reading() as negotiation:
        key = picture_key(workspace.generation, as_of, strongest, edge_issues)

        def compute() -> bytes:
            pieces = gephi.generate_gexf(
                negotiation, view="actors", as_of=as_of, strongest=strongest, edge_issues=edge_issues
            )
            return "".join(pieces).encode()

        return cache.computed(key, compute)


def picture_key(generation: int, as_of: date, strongest: int, edge_issues: bool) -> tuple:
    """Where :func:`network_picture` keeps a picture of the state ``generation`` in the answer cache."""
    return (generation, "gexf", "actors", as_of, strongest, edge_issues)


class Prefetcher:
    """A background thread that keeps the Network view's default picture (:data:`NETWORK_EDGES`, as of
    today) in the answer cache: it looks every ``interval`` seconds whether the workspace's generation or
    the day changed, and works the picture out again when either did (if there are at most ``parties``)."""

    def __init__(
        self, workspace: Workspace, cache: AnswerCache, interval: float = 0.2, parties: int = PREFETCH_PARTIES
    ):
        self.workspace = workspace
        self.cache = cache
        self.interval = interval
        self.parties = parties
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="parley-prefetch", daemon=True)
        self._started = threading.Event()

    def start(self, wait: bool = True) -> Prefetcher:
        """Start the thread; with ``wait``, return once the first picture is worked out (the first visit
        after a start is then a lookup too, at the price of a longer start on a large graph)."""
        self._thread.start()
        if wait:
            self._started.wait()
        return self

    def close(self, wait: float = 2.0) -> None:
        """Stop looking; a picture being worked out is left to finish (the thread is a daemon)."""
        self._stop.set()
        self._thread.join(timeout=wait)

    def _run(self) -> None:
        done = None
        while not self._stop.is_set():
            state = (self.workspace.generation, date.today())
            if state != done:
                self._work_out(state[1])
                done = state
            self._started.set()
            self._stop.wait(self.interval)

    def _work_out(self, today: date) -> None:
        try:
            with self.workspace.reading() as negotiation:
                parties = len(rules.top_groups(negotiation))
            if parties <= self.parties:
                network_picture(self.cache, self.workspace, today, NETWORK_EDGES, edge_issues=False)
        except Exception:  # a store that is down now: the page's own request will say so
            if not self._stop.is_set():
                _log.warning("could not work out the network picture ahead", exc_info=True)
