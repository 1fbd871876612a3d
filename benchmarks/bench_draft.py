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

``--heldout`` also drafts the articles of ``benchmarks/heldout/`` (written by a reviewer, the rules never tuned
on them) against the seed graph plus the actors and issues an analyst would have entered for them
(``benchmarks/heldout/reference.ttl``), and compares each draft with its hand-annotated gold
(``gold-*.json``) the same way; a gold position may name another stance or range an analyst could equally
have coded (``also``, ``also_range``), which matches too. The seed's figures come first, from the seed graph
alone, as before. A gold file marked ``"split": "test"`` is the test set: it is drafted only with ``--test``
(the others are the development set the rules are tuned on).
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
from graph.ingest.load import load_documents, open_store, read_document
from graph.ingest.quotes import SourceText
from graph.store.namespaces import SEEDS_DIR

ARTICLE = SEEDS_DIR / "us-may-walk-away-2025-04-18.txt"
SOURCE = "us-may-walk-away-2025-04-18"
PUBLISHED = date(2025, 4, 18)
HELDOUT = Path(__file__).resolve().parent / "heldout"


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
                "values": [(position.stance, (position.minimum, position.maximum))],
                "spans": spans,
            }
        )
    return found


def annotated(gold: dict, negotiation, text: SourceText) -> list[dict]:
    """The positions of a held-out gold file, in the form of :func:`recorded`."""
    found = []
    for entry in gold["positions"]:
        spans = []
        for quote in entry["quotes"]:
            selector = text.find(quote)
            if selector is None:
                raise SystemExit(f"{gold['article']}: gold {entry['id']}: quote not in the text: {quote[:60]}")
            spans.append((selector.start, selector.end))
        holder = entry["holder"]
        group = sorted(negotiation.groups_of(holder) - {holder}) or [holder]
        stance = entry.get("stance")
        bounds = (entry.get("min"), entry.get("max"))
        values = [(stance, bounds)]
        values += [(other["stance"], (None, None)) for other in entry.get("also", [])]
        values += [(None, tuple(other)) for other in entry.get("also_range", [])]
        found.append(
            {
                "id": entry["id"],
                "group": group[0],
                "issue": entry["issue"],
                "stance": stance,
                "range": bounds,
                "values": values,
                "spans": spans,
            }
        )
    return found


def same_value(drafted: dict, gold: dict) -> bool:
    bounds = (drafted["min"], drafted["max"])
    for stance, gold_bounds in gold["values"]:
        if drafted["stance"] is not None and drafted["stance"] == stance:
            return True
        if bounds != (None, None) and bounds == gold_bounds:
            return True
    return False


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


def measure(article: str, published: date, negotiation, golds: list[dict], runs: int = 20) -> tuple[dict, list, list]:
    """Draft ``article`` ``runs`` times; its figures against ``golds``, the drafts and the matched pairs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        draft = draft_article(article, published, negotiation, source="bench")
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
    return result, drafts, pairs


def show(golds: list[dict], drafts: list[dict], pairs: list) -> None:
    matched_g = {g["id"] for _, g in pairs}
    matched_d = {d["number"] for d, _ in pairs}
    for g in golds:
        if g["id"] not in matched_g:
            value = g["stance"] if g["stance"] is not None else g["range"]
            print(f"missed   {g['id']} ({g['group']}, {g['issue']}, {value})")
    for d in drafts:
        if d["number"] not in matched_d:
            value = d["stance"] if d["stance"] is not None else (d["min"], d["max"], d["unit"])
            print(f"unmatched #{d['number']} {d['holder']} {d['issue']} {value} ({d['rule']}): {d['quote'][:90]}")
    for d, g in pairs:
        if d["issue"] != g["issue"]:
            print(f"issue    #{d['number']} drafted {d['issue']}, recorded {g['issue']} ({g['id']})")


def heldout(show_misses: bool, test: bool = False) -> None:
    """The held-out articles, against the seed graph plus their reference actors and issues."""
    store = open_store("memory")
    load_documents(store, [read_document(HELDOUT / "reference.ttl")])
    negotiation = read_negotiation(store)
    totals = {"recorded": 0, "drafted": 0, "matched": 0, "right_issue": 0}
    for path in sorted(HELDOUT.glob("gold-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("split") == "test" and not test:
            continue  # the test article is not drafted while the rules are tuned
        article = (HELDOUT / gold["article"]).read_text(encoding="utf-8")
        golds = annotated(gold, negotiation, SourceText(article))
        result, drafts, pairs = measure(article, date.fromisoformat(gold["published"]), negotiation, golds)
        print(f"held-out: {gold['article']}")
        print(json.dumps(result, indent=2))
        if show_misses:
            show(golds, drafts, pairs)
        for key in ("recorded", "drafted", "matched"):
            totals[key] += result[key]
        totals["right_issue"] += sum(1 for d, g in pairs if d["issue"] == g["issue"])
    matched = totals["matched"]
    print("held-out, all articles")
    print(
        json.dumps(
            {
                "recorded": totals["recorded"],
                "drafted": totals["drafted"],
                "matched": matched,
                "precision": round(matched / totals["drafted"], 3) if totals["drafted"] else 0.0,
                "recall": round(matched / totals["recorded"], 3) if totals["recorded"] else 0.0,
                "issue_share": round(totals["right_issue"] / matched, 3) if matched else 0.0,
            },
            indent=2,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list the misses and the unmatched drafts")
    parser.add_argument(
        "--heldout", action="store_true", help="also measure the reviewer's held-out articles (benchmarks/heldout/)"
    )
    parser.add_argument("--test", action="store_true", help="with --heldout, also the test article(s)")
    options = parser.parse_args()
    store = open_store("memory")
    negotiation = read_negotiation(store)
    article = Path(ARTICLE).read_text(encoding="utf-8")
    golds = recorded(negotiation, SourceText(article))
    result, drafts, pairs = measure(article, PUBLISHED, negotiation, golds)
    print(f"machine: {machine()}")
    print(json.dumps(result, indent=2))
    if options.show:
        show(golds, drafts, pairs)
    if options.heldout:
        heldout(options.show, options.test)


if __name__ == "__main__":
    main()
