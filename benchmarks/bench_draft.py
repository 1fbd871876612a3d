"""Benchmark of drafting (issue 19): `python benchmarks/bench_draft.py [--show]`.

Drafts the seed article (seeds/us-may-walk-away-2025-04-18.txt) against the seed graph, as
`parley draft` does, and compares the draft with the positions the analysts recorded from it (the seed
graph's source graph). A drafted position matches a recorded one when

- they count for the same group (a person's positions count for the state it speaks for),
- they have the same stance, or a range with the same bounds,
- and the drafted quote overlaps one of the recorded position's quotes by at least half of the shorter
  of the two (spans in the text; a quote not found in the text overlaps nothing).

Each recorded position is matched once and each drafted one once (greedily: pairs on the same issue
first, then the largest overlap first). Precision is matched / drafted, recall matched / recorded; the issue share is the part of
the matches whose issue is the recorded one. The time is that of drafting (the store already open,
its index read), median of 20, and the size of the article scaled to 1,000 words.
``--show`` lists what was missed and what was drafted without a match.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path

from common import machine

from graph.analysis.read import read_negotiation
from graph.ingest.drafts import draft_article, draft_json
from graph.ingest.load import open_store
from graph.ingest.quotes import SourceText
from graph.store.namespaces import SEEDS_DIR

ARTICLE = SEEDS_DIR / "us-may-walk-away-2025-04-18.txt"
SOURCE = "us-may-walk-away-2025-04-18"
PUBLISHED = date(2025, 4, 18)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """How much two spans share, over the shorter of the two."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return max(shared, 0) / shorter if shorter > 0 else 0.0


def recorded(negotiation, text: SourceText) -> list[dict]:
    """The positions the seed graph records from the article, each with the spans of its quotes."""
    found = []
    for position in negotiation.positions.values():
        evidence = negotiation.evidence_of(position)
        if not any(e.source is not None and e.source.id == SOURCE for e in evidence):
            continue
        spans = []
        for piece in evidence:
            selector = text.find(piece.quote)
            if selector is not None:
                spans.append((selector.start, selector.end))
        group = sorted(negotiation.groups_of(position.holder) - {position.holder}) or [position.holder]
        found.append(
            {
                "id": position.id,
                "group": group[0],
                "issue": position.issue,
                "stance": position.stance,
                "range": (position.minimum, position.maximum),
                "spans": spans,
            }
        )
    return found


def same_value(drafted: dict, gold: dict) -> bool:
    if drafted["stance"] is not None and drafted["stance"] == gold["stance"]:
        return True
    bounds = (drafted["min"], drafted["max"])
    return bounds != (None, None) and bounds == gold["range"]


def match(drafts: list[dict], golds: list[dict]) -> list[tuple[dict, dict]]:
    candidates = []
    for d in drafts:
        for g in golds:
            if d["group"] != g["group"] or not same_value(d, g):
                continue
            best = max((overlap((d["start"], d["end"]), span) for span in g["spans"]), default=0.0)
            if best >= 0.5:
                candidates.append((d["issue"] == g["issue"], best, d["number"], g["id"], d, g))
    candidates.sort(key=lambda c: (not c[0], -c[1], c[2], c[3]))
    used_d: set[int] = set()
    used_g: set[str] = set()
    pairs = []
    for _, _, number, gold_id, d, g in candidates:
        if number in used_d or gold_id in used_g:
            continue
        used_d.add(number)
        used_g.add(gold_id)
        pairs.append((d, g))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list the misses and the unmatched drafts")
    show = parser.parse_args().show
    store = open_store("memory")
    negotiation = read_negotiation(store)
    article = Path(ARTICLE).read_text(encoding="utf-8")
    golds = recorded(negotiation, SourceText(article))
    times = []
    for _ in range(20):
        started = time.perf_counter()
        draft = draft_article(article, PUBLISHED, negotiation, source="bench")
        times.append(time.perf_counter() - started)
    drafts = draft_json(draft)["positions"]
    pairs = match(drafts, golds)
    words = len(article.split())
    right_issue = sum(1 for d, g in pairs if d["issue"] == g["issue"])
    result = {
        "recorded": len(golds),
        "drafted": len(drafts),
        "matched": len(pairs),
        "precision": round(len(pairs) / len(drafts), 3) if drafts else 0.0,
        "recall": round(len(pairs) / len(golds), 3) if golds else 0.0,
        "issue_share": round(right_issue / len(pairs), 3) if pairs else 0.0,
        "words": words,
        "draft_ms_median": round(statistics.median(times) * 1000, 1),
        "draft_ms_per_1000_words": round(statistics.median(times) * 1000 * 1000 / words, 1),
    }
    print(f"machine: {machine()}")
    print(json.dumps(result, indent=2))
    if show:
        matched_g = {g["id"] for _, g in pairs}
        matched_d = {d["number"] for d, _ in pairs}
        for g in golds:
            if g["id"] not in matched_g:
                print(f"missed   {g['id']} ({g['group']}, {g['issue']}, {g['stance']})")
        for d in drafts:
            if d["number"] not in matched_d:
                print(
                    f"unmatched #{d['number']} {d['holder']} {d['issue']} {d['stance']} ({d['rule']}): {d['quote'][:90]}"
                )
        for d, g in pairs:
            if d["issue"] != g["issue"]:
                print(f"issue    #{d['number']} drafted {d['issue']}, recorded {g['issue']} ({g['id']})")


if __name__ == "__main__":
    main()
