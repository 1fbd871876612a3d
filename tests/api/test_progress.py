"""How a long command shows its progress: the library tells each phase, the command line draws it."""

from __future__ import annotations

import io
import re
import threading
import time

from rich.console import Console

from api.progress import Bars, Lines, for_terminal
from graph.analysis.derived import all_pairs, refresh_derived
from graph.analysis.read import read_negotiation
from graph.ingest.load import _validator, load_files
from graph.progress import Progress
from graph.store.namespaces import DERIVED_GRAPH


class Recorder(Progress):
    """Every phase told, with the units its advances added up to."""

    def __init__(self):
        self.phases: list[list] = []  # [name, total, unit, done]
        self._lock = threading.Lock()  # validation tells of its checks from two threads

    def phase(self, name, total=None, unit=""):
        self.phases.append([name, total, unit, 0])

    def advance(self, amount):
        with self._lock:
            self.phases[-1][3] += amount

    def named(self, start: str) -> list:
        (found,) = [phase for phase in self.phases if phase[0].startswith(start)]
        return found


def test_a_load_tells_each_phase_and_each_counted_phase_ends_at_its_total(store, data):
    path = data / "valid-position.ttl"
    told = Recorder()
    load_files(store, [path], progress=told)
    names = [name.split(" ")[0] for name, *_ in told.phases]
    assert names == ["parsing", "checking", "validating", "writing", "reading", "recording", "working"]
    assert told.named("parsing")[1:] == [path.stat().st_size, "bytes", path.stat().st_size]
    assert told.named("validating")[1:] == [_validator().checks, "checks", _validator().checks]
    # Without the index at hand, the derived graph is rebuilt: every pair of group and issue is worked out.
    pairs = len(all_pairs(read_negotiation(store)))
    assert told.named("working out and writing the stands")[1:] == [pairs, "pairs", pairs]


def test_a_load_into_a_live_index_tells_the_pairs_it_refreshes(store, data):
    from graph.ingest.load import load_documents, read_document

    told = Recorder()
    load_documents(store, [read_document(data / "valid-position.ttl")], told, negotiation=read_negotiation(store))
    name, total, unit, done = told.phases[-1]
    assert name == "bringing the derived graph current" and unit == "pairs" and done == total > 0


def test_a_rebuild_tells_the_pairs_it_works_out_and_writes_the_stands_slice_by_slice(store, monkeypatch):
    import graph.analysis.derived

    monkeypatch.setattr(graph.analysis.derived, "STANDS_PER_WRITE", 4)
    monkeypatch.setattr(graph.analysis.derived, "_PAIRS_PER_TELLING", 3)
    slices: list[bytes] = []
    bulk_update = store.bulk_update

    def counted(graph, removed, texts):
        bulk_update(graph, removed, (slices.append(text) or text for text in texts))

    monkeypatch.setattr(store, "bulk_update", counted)
    store.rewrite(DERIVED_GRAPH, [])
    told = Recorder()
    written = refresh_derived(store, read_negotiation(store), progress=told)
    ((name, total, unit, done),) = told.phases
    assert name == "working out and writing the stands" and unit == "pairs" and total == done >= written > 4
    # Each slice holds four stands or more (the pairs worked out till then), the last what is left.
    stands = [text.count(b"/id/stand/") - text.count(b"#onIssue>") * 2 for text in slices]
    assert sum(stands) == written and all(count >= 4 for count in stands[:-1]) and len(slices) > 1


def test_lines_say_each_phase_then_its_count_and_rate():
    out = io.StringIO()
    lines = Lines(out)
    lines.phase("parsing big.nq", 3 * 2**20, "bytes")
    lines.advance(2**20)
    lines.advance(2 * 2**20)
    lines.phase("reading the analysis index")
    lines.finish()
    said = [re.sub(r"^\[ *[0-9.]+s\] ", "", line) for line in out.getvalue().splitlines()]
    assert said[0] == "parsing big.nq" and said[2] == "reading the analysis index" and len(said) == 3
    assert re.fullmatch(r"  3\.0 MB, [0-9,.]+ MB/s", said[1]), said[1]


def test_bars_draw_each_phase_with_what_is_done_of_how_much():
    out = io.StringIO()
    bars = Bars(Console(file=out, force_terminal=True, width=160))
    bars.phase("working out the stands", 40_000, "pairs")
    for _ in range(4):
        bars.advance(10_000)
        time.sleep(0.02)  # the rate is measured over time
    bars.phase("working out and writing the stands", 30_254, "stands")
    bars.advance(30_000)
    bars.finish()
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "40,000/40,000 pairs" in drawn
    assert "30,000/30,254 stands" in drawn, "a phase ends at the count it reached"
    assert re.search(r"[0-9,]+ pairs/s", drawn)


def test_bars_count_bytes_done_in_the_scale_of_the_total():
    out = io.StringIO()
    bars = Bars(Console(file=out, force_terminal=True, width=160))
    bars.phase("parsing big.nq", 3 * 2**20, "bytes")
    bars.advance(512)
    bars.finish()
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "0.0/3.0 MB" in drawn, "half a kilobyte done is no 0.5 MB"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_bars_and_a_log_or_a_dumb_terminal_gets_lines(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    for forcing in ("TTY_INTERACTIVE", "TTY_COMPATIBLE", "FORCE_COLOR"):  # rich's overrides, which a CI may set
        monkeypatch.delenv(forcing, raising=False)
    assert isinstance(for_terminal(_Terminal()), Bars)
    assert isinstance(for_terminal(io.StringIO()), Lines)
    monkeypatch.setenv("TERM", "dumb")
    assert isinstance(for_terminal(_Terminal()), Lines)
