"""The store behind one interface: :class:`Dataset`, embedded (:class:`Store`) or remote (:class:`RemoteStore`).

The SPARQL default graph is the union of all named graphs, unless a query is given graphs of its
own (:meth:`Dataset.query`). :func:`open_dataset` picks a store by
the location's form. The SPARQL texts the library runs are in :mod:`graph.store.queries`, the
vocabulary's names in :mod:`graph.store.namespaces`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.store.dataset import MEMORY, BulkWrite, Dataset, FileParts, GraphStatistics, is_remote, nquads, solutions
from graph.store.embedded import Store
from graph.store.remote import RemoteStore

__all__ = [
    "BulkWrite",
    "FileParts",
    "Dataset",
    "Store",
    "RemoteStore",
    "nquads",
    "solutions",
    "open_dataset",
    "is_remote",
    "GraphStatistics",
    "MEMORY",
]


def open_dataset(location: str | Path, told: Callable[[str], None] | None = None, **remote) -> Dataset:
    """The store at ``location``: a :class:`RemoteStore` for an ``http(s)://`` URL (``remote``: its
    options), else an embedded :class:`Store` (``memory`` or a directory). ``told`` is told what opening
    does that takes a while, if it does.

    Examples
    --------
    >>> type(open_dataset("memory")).__name__
    'Store'
    """
    if is_remote(location):
        return RemoteStore(str(location), told=told, **remote)
    return Store(location, told)
