"""A store and its analysis index, kept in step across writes, for a long-running service.

Readers hold the index shared; a write holds it alone, so a reader sees the state before a
write or after it, never half of it. Every write bumps :attr:`Workspace.generation`, which
tells snapshots and caches that the state moved on.

Over a shared (remote) store, other replicas write too: before answering, a workspace compares
the store's version counter with the one its index was read at (one small query, at most once per
``check_interval`` seconds), and reads the index again when another process has written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from graph.analysis import rules
from graph.analysis.derived import affected_pairs, derived_is_current, refresh_derived, stand_changes
from graph.analysis.model import LeftOut, Negotiation, Position
from graph.analysis.read import read_negotiation
from graph.errors import ParleyError
from graph.ingest.batch import Batch, IssueChange, change_issue, write_batch
from graph.ingest.changelog import write_record
from graph.ingest.documents import position_document
from graph.ingest.load import Document, LoadReport, load_documents
from graph.ingest.tables import ImportReport, Known, Table
from graph.ingest.texts import TextReport, set_text
from graph.sparql.grammar import ParsedSparql
from graph.sparql.sandbox import QueryRefused, check_update
from graph.store import Dataset, queries
from graph.store.namespaces import DERIVED_GRAPH, instance

__all__ = ["Workspace", "ReadWriteLock", "PositionExists", "PositionInUse"]


class PositionExists(ParleyError):
    """A new position was given the id of one that exists."""

    def __init__(self, position: str):
        self.position = position
        super().__init__(f"position {position!r} exists; choose another id, or leave it out to have one made")


class PositionInUse(ParleyError):
    """A position cannot be deleted while others reject or supersede it."""

    def __init__(self, position: str, referrers: list[str]):
        self.position = position
        self.referrers = referrers
        super().__init__(
            f"position {position!r} is rejected or superseded by {', '.join(referrers)}; delete or change those first"
        )


class ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before readers that come after it.

    Examples
    --------
    >>> lock = ReadWriteLock()
    >>> with lock.shared(), lock.shared():
    ...     pass
    >>> with lock.exclusive():
    ...     pass
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            self._condition.wait_for(lambda: not self._writing and self._readers == 0)
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


class Workspace:
    """The store, its analysis index and the derived graph, changed together.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> workspace = Workspace(open_store("memory"))
    >>> with workspace.reading() as negotiation:
    ...     "russia" in negotiation.actors
    True
    """

    def __init__(self, store: Dataset, check_interval: float = 0.0):
        self.store = store
        self.generation = 0
        self.check_interval = check_interval
        """Over a shared store: how stale an answer may be, in seconds, to save asking the store every time."""
        self._checked = time.monotonic()
        self._lock = ReadWriteLock()
        self._version = store.version()
        self._negotiation = read_negotiation(store)
        self._day = date.today()
        self._derived_current: tuple[int, date] | None = None
        """The version and day for which the store said its derived graph was current."""

    @property
    def left_out(self) -> list[LeftOut]:
        """Positions of the store the analysis leaves out: a value of theirs cannot be read."""
        return list(self._negotiation.left_out)

    @contextmanager
    def reading(self) -> Iterator[Negotiation]:
        """Hold the current state still and yield its index (evidence is read from the store meanwhile)."""
        self.catch_up()
        with self._lock.shared():
            yield self._negotiation

    def catch_up(self, now: bool = False) -> None:
        """On a new day, rebuild the derived graph ("as of today"); over a shared store, read the
        index again if another process wrote since it was read (asking the store ``now``, or if
        :attr:`check_interval` has passed since the last time)."""
        if date.today() != self._day:
            with self._lock.exclusive():
                if date.today() != self._day:
                    refresh_derived(self.store, self._negotiation)
                    self._day = date.today()
                    self._written(self.store.raise_version())
        if self.store.shared and (now or time.monotonic() - self._checked >= self.check_interval):
            self._checked = time.monotonic()
            if self.store.version() == self._version:
                return
            with self._lock.exclusive():
                version = self.store.version()
                if version != self._version:
                    self._negotiation = read_negotiation(self.store)
                    self._version = version
                    self.generation += 1

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the workspace alone for a write; one that fails may have left the derived graph stale."""
        with self._lock.exclusive():
            try:
                yield
            except BaseException:
                self._derived_current = None
                raise

    def derived_current(self) -> bool:
        """Does the store's derived graph answer for today and reflect every load?

        Asked of the store once per version and day while it is current; while it is not (a large
        load brings it current after its data), on every call, so the answer turns as soon as it does.

        Examples
        --------
        >>> from graph.ingest.load import open_store
        >>> Workspace(open_store("memory")).derived_current()
        True
        """
        known = (self._version, date.today())
        if self._derived_current == known:
            return True
        current = derived_is_current(self.store)
        self._derived_current = known if current else None
        return current

    def _written(self, version: int) -> None:
        """After a write of ours raised the version to ``version`` (the caller holds the lock alone)."""
        if version != self._version + 1:
            # Another process wrote too, between our last look and our write: read it all again.
            self._negotiation = read_negotiation(self.store)
        self._version = version
        self.generation += 1

    @contextmanager
    def holding_still(self) -> Iterator[None]:
        """Keep writers out, for a caller that reads the store directly (a snapshot)."""
        self.catch_up()
        with self._lock.shared():
            yield

    def load(self, documents: list[Document], deduplicate: bool = True) -> LoadReport:
        """Validate and write ``documents``, all or none, and bring the index and derived graph up to date.

        See :func:`graph.ingest.load.load_documents` for ``deduplicate``.
        """
        self.catch_up(now=True)
        with self._writing():
            return self._load(documents, deduplicate)

    def _load(self, documents: list[Document], deduplicate: bool, operation: str = "load") -> LoadReport:
        return self._took(
            load_documents(
                self.store, documents, negotiation=self._negotiation, deduplicate=deduplicate, operation=operation
            )
        )

    def _took(self, report: LoadReport) -> LoadReport:
        """After a write of ours (the caller holds the lock alone): its index becomes ours."""
        if report.loaded and report.negotiation is not None and report.version is not None:
            self._negotiation = report.negotiation
            self._written(report.version)
        return report

    def ingest(self, batch: Batch) -> LoadReport:
        """Write new actors, issues, a source and positions, all or nothing, checked against what is known
        under the same lock as the write (see :func:`graph.ingest.batch.write_batch`).

        Raises
        ------
        DuplicateNames, InvalidEntries, IssueCycle
            As :func:`graph.ingest.batch.check_batch`; nothing is written.

        Examples
        --------
        >>> from graph.analysis.model import Actor
        >>> from graph.ingest.load import open_store
        >>> workspace = Workspace(open_store("memory"))
        >>> _ = workspace.ingest(Batch(actors=(Actor("vladimir-medinsky", "Vladimir Medinsky", "person",
        ...                                          speaks_for=("russia",)),)))
        >>> with workspace.reading() as negotiation:
        ...     sorted(negotiation.members("russia"))
        ['dmitry-peskov', 'russia', 'vladimir-medinsky', 'vladimir-putin']
        """
        self.catch_up(now=True)
        with self._writing():
            return self._took(write_batch(self.store, batch, self._negotiation))

    def change_issue(self, issue: str, change: IssueChange, root: str = "") -> LoadReport:
        """Move or rename an issue in one validated write (see :func:`graph.ingest.batch.change_issue`).

        ``root`` is where the change stands in what was sent (``body``), for the paths errors name.
        """
        self.catch_up(now=True)
        with self._writing():
            return self._took(change_issue(self.store, issue, change, self._negotiation, root))

    def create_position(self, position: Position) -> Position:
        """Record a new position (with its evidence and conditions) as one validated write.

        Raises
        ------
        PositionExists
            If a position has this id already (checked under the same lock as the write).
        InvalidDocument
            If it breaks the shapes (an unknown actor, issue or source among them).
        """
        self.catch_up(now=True)
        with self._writing():
            if position.id in self._negotiation.positions:
                raise PositionExists(position.id)
            self._load([position_document(position)], deduplicate=False, operation="post")
            return self._negotiation.positions[position.id]

    def set_source_text(self, source: str, text: str) -> TextReport:
        """Give a source its text, or replace it, every quote already taken from it checked against the new one.

        See :func:`graph.ingest.texts.set_text`, which raises what this raises. The answers then say
        each piece of evidence from the source is verified.
        """
        self.catch_up(now=True)
        with self._writing():
            report = set_text(self.store, source, text)
            if report.version is not None:
                self._negotiation.memo.clear()  # the evidence kept there says whether each quote is verified
                self._written(report.version)
            return report

    def import_table(self, read: Callable[[Known], Table]) -> ImportReport:
        """Read a spreadsheet against the current state and write its new positions, all or none.

        ``read`` turns what is known into the table's positions (a reader of
        :mod:`graph.ingest.spreadsheets`); it runs under the same lock as the write, so no other
        write comes between the check of a position id and the write of that position.

        Raises
        ------
        InvalidTable
            For any problem of any row, the shapes' findings included (nothing is written).
        """
        self.catch_up(now=True)
        with self._writing():
            table = read(Known.from_negotiation(self._negotiation, self.store))
            return table.write(lambda documents: self._load(documents, deduplicate=False, operation="import"))

    def delete_position(self, position_id: str) -> Position:
        """Delete a position with the evidence and conditions only it uses; one transaction with its stands.

        Raises
        ------
        UnknownPosition
            If no position has this id (with the nearest ids).
        PositionInUse
            If another position rejects or supersedes it.
        """
        self.catch_up(now=True)
        with self._writing():
            negotiation = self._negotiation
            rules.require_position(negotiation, position_id)
            referrers = sorted(
                other.id
                for other in negotiation.positions.values()
                if position_id in other.rejects or position_id in other.supersedes
            )
            if referrers:
                raise PositionInUse(position_id, referrers)
            node = instance("position", position_id)
            rows = self.store.query(queries.POSITION_OWN_PARTS, {"position": node})
            parts = list(dict.fromkeys(row[name] for row in rows for name in ("part", "passage", "selector")))
            parts = [part for part in parts if part is not None]
            pairs = affected_pairs(negotiation, [negotiation.positions[position_id]])
            record = write_record(
                "delete",
                f"deleted position {position_id}",
                negotiation,
                negotiation.without_positions([position_id]),
                [position_id],
            )
            (removed,) = negotiation.remove([position_id])
            try:
                stand_subjects, stand_quads = stand_changes(self.store, negotiation, pairs)
                self.store.replace({None: [node, *parts], DERIVED_GRAPH: stand_subjects}, stand_quads)
            except BaseException:
                negotiation.add([removed])
                raise
            self._written(self.store.raise_version(record))
            return removed

    def update(self, update: ParsedSparql | str) -> None:
        """Run a SPARQL Update (never ``LOAD`` or ``SERVICE``), then read the index again and rebuild the derived graph.

        ``update`` is the text, or its parse by :func:`graph.sparql.sandbox.check_update` (which the
        service makes in a worker, so that the server process never parses client text). An
        update may change anything, so nothing less than a full re-read is safe. It is not
        checked against the shapes: it is the tool of whoever holds the write token. What it types
        with a Parley class is typed with the class's superclasses too, as a load would write it
        (``INSERT DATA { ?d a parley:Demand }`` makes ``?d`` a ``parley:Position``).

        Examples
        --------
        >>> from graph.ingest.load import open_store
        >>> workspace = Workspace(open_store("memory"))
        >>> workspace.update("INSERT DATA { GRAPH <urn:example:g> { <urn:example:d> a parley:Demand } }")
        >>> bool(workspace.store.query("ASK { GRAPH <urn:example:g> { <urn:example:d> a parley:Position } }"))
        True
        """
        parsed = check_update(update) if isinstance(update, str) else update
        if parsed.kind != "update" or parsed.reaches_out:
            raise QueryRefused("only an update checked by check_update can be applied")
        self.catch_up(now=True)
        with self._writing():
            # The supertypes of what it types: an update of Parley's own after the client's (in one text, a
            # PREFIX of theirs would carry over into ours). Until it is done the store is not marked as holding
            # them all, so that, should the process die between the two, the next open adds them.
            self.store.update(queries.FORGET_SUPERTYPES_HELD)
            self.store.update(parsed.text)
            self.store.add_supertypes()
            before, self._negotiation = self._negotiation, read_negotiation(self.store)
            record = write_record("update", "SPARQL update", before, self._negotiation)
            refresh_derived(self.store, self._negotiation)
            self._version = self.store.raise_version(record)
            self.generation += 1
