"""Fixtures shared by every test: fresh stores, and the seed documents' folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.load import open_store
from graph.store import Store

DATA = Path(__file__).parent / "data"
SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture
def store() -> Store:
    """A fresh in-memory store holding the ontology and the seed graph."""
    with open_store("memory") as opened:
        yield opened


@pytest.fixture
def data() -> Path:
    """The folder of small hand-written test documents."""
    return DATA


def snapshot(store: Store) -> set[bytes]:
    """Every quad of the store as an N-Quads line, to check that a failed write changed nothing."""
    return set(store.dump().splitlines())
