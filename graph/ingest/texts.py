"""Sources that hold their text, and every quote taken from them checked against it.

A source may hold its full text (``parley:text``, in the reference graph with the source's record),
stored with its SHA-256 (``parley:sha256``). Where it does, every write of evidence from it checks
each quote against the text (:mod:`graph.ingest.quotes`: white space, typographic quotes and
apostrophes, dashes and soft hyphens aside), and a quote that is not there refuses the whole write,
naming the quote, the source and the closest passage of the text. For each quote found, Parley
writes where it stands, as the W3C Web Annotation model places a segment of a text::

    evidence:e1 prov:wasQuotedFrom evidence:e1#passage .
    evidence:e1#passage a oa:SpecificResource ; oa:hasSource source:s ;
        oa:hasSelector evidence:e1#quote, evidence:e1#position .
    evidence:e1#quote a oa:TextQuoteSelector ; oa:exact "..." ; oa:prefix "..." ; oa:suffix "..." .
    evidence:e1#position a oa:TextPositionSelector ; oa:start 120 ; oa:end 188 .

in the evidence's graph. Evidence without it is unverified: its source holds no text.

:func:`verify_quotes` does this for a batch of documents being loaded (files, uploads, posted
positions: every write goes through :func:`graph.ingest.load.load_documents`); :func:`set_text`
gives a source its text, or replaces it, provided every quote already taken from it is in the new one.
Each text is prepared once per write (:class:`graph.ingest.quotes.SourceText`), and the last few
are kept, so that positions posted one by one from one source do not prepare it again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.analysis.model import Negotiation
from graph.analysis.names import nearest
from graph.analysis.read import read_sources
from graph.analysis.shifts import PositionChanges
from graph.errors import (
    DocumentSyntaxError,
    EmptyDocument,
    QuoteMiss,
    QuoteNotFound,
    TextConflict,
    TextMismatch,
    UnknownSource,
)
from graph.ingest.changelog import change_record
from graph.ingest.quotes import Selector, SourceText
from graph.store import Dataset, queries
from graph.store.namespaces import PARLEY, REFERENCE_GRAPH, compact, instance, slug_of

if TYPE_CHECKING:
    from graph.ingest.load import Document

__all__ = [
    "TextReport",
    "decode_text",
    "sha256_of",
    "passage_nodes",
    "passage_quads",
    "passage_nquads",
    "PASSAGE_QUADS",
    "verify_quotes",
    "set_text",
    "source_text",
]

OA = "http://www.w3.org/ns/oa#"
# The Web Annotation model types offsets xsd:nonNegativeInteger; Oxigraph stores every integer type as xsd:integer.
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
WAS_QUOTED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasQuotedFrom")
HAS_SELECTOR = ox.NamedNode(OA + "hasSelector")
TEXT = ox.NamedNode(PARLEY + "text")
SHA256 = ox.NamedNode(PARLEY + "sha256")
_SHA256 = f"<{SHA256.value}>"
QUOTE = ox.NamedNode(PARLEY + "quote")
SOURCE = ox.NamedNode(PARLEY + "source")
EVIDENCE = ox.NamedNode(PARLEY + "Evidence")

Subject = ox.NamedNode | ox.BlankNode


def decode_text(content: bytes, name: str) -> str:
    """A source's text from its bytes, exactly (no line ending changed), refusing what is not text.

    Raises
    ------
    EmptyDocument
        If there is no text, or only white space.
    DocumentSyntaxError
        If it is not UTF-8, or holds a NUL byte (binary data).

    Examples
    --------
    >>> decode_text("Kyiv\\r\\nsaid".encode(), "report.txt")
    'Kyiv\\r\\nsaid'
    >>> decode_text(b"\\xff", "report.txt")
    Traceback (most recent call last):
    ...
    graph.errors.DocumentSyntaxError: report.txt: syntax error at line 1, column 1: not UTF-8 text (byte 0xff)
    """
    if not content.strip():
        raise EmptyDocument(name, "the text is empty")
    if b"\x00" in content:
        raise DocumentSyntaxError(
            name, "binary data (a NUL byte), not a text", *line_and_column(content, content.index(b"\0"))
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentSyntaxError(
            name, f"not UTF-8 text (byte 0x{content[error.start]:02x})", *line_and_column(content, error.start)
        ) from None


def line_and_column(content: bytes, offset: int) -> tuple[int, int]:
    """Where byte ``offset`` of ``content`` is: its line and column, both from 1."""
    line = content.count(b"\n", 0, offset) + 1
    return line, offset - (content.rfind(b"\n", 0, offset) + 1) + 1


def sha256_of(text: str) -> str:
    """The SHA-256 of a text in UTF-8, as ``parley:sha256`` holds it.

    Examples
    --------
    >>> sha256_of("")
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _prepared(text: str) -> SourceText:
    """A text prepared to find quotes in; the last few are kept (a text changes rarely, quotes come often)."""
    return SourceText(text)


def passage_nodes(evidence: Subject) -> tuple[Subject, Subject, Subject]:
    """The nodes that say where a piece of evidence's quote stands: the passage and its two selectors.

    They are named after the evidence (``#passage``, ``#quote``, ``#position``), so that finding a
    quote again writes the same nodes; a blank node of evidence gets blank nodes.

    Examples
    --------
    >>> [node.value for node in passage_nodes(ox.NamedNode("https://w3id.org/parley/id/evidence/e1"))]
    ['https://w3id.org/parley/id/evidence/e1#passage', 'https://w3id.org/parley/id/evidence/e1#quote', \
'https://w3id.org/parley/id/evidence/e1#position']
    """
    if isinstance(evidence, ox.BlankNode):
        return ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    passage, quote, position = (ox.NamedNode(iri) for iri in _passage_iris(evidence.value))
    return passage, quote, position


def _passage_iris(evidence: str) -> tuple[str, str, str]:
    joint = "-" if "#" in evidence else "#"  # an IRI holds one fragment at most
    return f"{evidence}{joint}passage", f"{evidence}{joint}quote", f"{evidence}{joint}position"


def _passage_terms(evidence: Subject) -> tuple[str, str, str]:
    """:func:`passage_nodes` as N-Quads terms, written without term objects."""
    if isinstance(evidence, ox.BlankNode):
        return tuple(f"_:{uuid.uuid4().hex}" for _ in range(3))  # type: ignore[return-value]
    passage, quote, position = _passage_iris(evidence.value)
    return f"<{passage}>", f"<{quote}>", f"<{position}>"


def passage_nquads(evidence: Subject, source: ox.NamedNode, selector: Selector, graph: ox.NamedNode) -> str:
    """Where ``evidence``'s quote stands in ``source``'s text, in Web Annotation terms, as N-Quads in ``graph``.

    Written as text rather than as term objects: a load places every quote of its documents (100,000
    and more), and building twelve pyoxigraph quads for each took ten times as long.

    Examples
    --------
    >>> selector = Selector('we\u2019re "done"', "said: ", ".", 6, 20)
    >>> text = passage_nquads(ox.NamedNode("urn:e"), ox.NamedNode("urn:s"), selector, ox.NamedNode("urn:g"))
    >>> lines = text.splitlines()
    >>> len(lines), lines[0]
    (12, '<urn:e> <http://www.w3.org/ns/prov#wasQuotedFrom> <urn:e#passage> <urn:g> .')
    >>> print(lines[6])
    <urn:e#quote> <http://www.w3.org/ns/oa#exact> "we\u2019re \\"done\\"" <urn:g> .
    >>> print(lines[10])
    <urn:e#position> <http://www.w3.org/ns/oa#start> "6"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .
    """
    e, g = str(evidence), str(graph)
    passage, quote, position = _passage_terms(evidence)
    return (
        f"{e} {_WAS_QUOTED_FROM} {passage} {g} .\n"
        f"{passage} {_TYPE} <{OA}SpecificResource> {g} .\n"
        f"{passage} <{OA}hasSource> {source} {g} .\n"
        f"{passage} {_HAS_SELECTOR} {quote} {g} .\n"
        f"{passage} {_HAS_SELECTOR} {position} {g} .\n"
        f"{quote} {_TYPE} <{OA}TextQuoteSelector> {g} .\n"
        f"{quote} <{OA}exact> {_string(selector.exact)} {g} .\n"
        f"{quote} <{OA}prefix> {_string(selector.prefix)} {g} .\n"
        f"{quote} <{OA}suffix> {_string(selector.suffix)} {g} .\n"
        f"{position} {_TYPE} <{OA}TextPositionSelector> {g} .\n"
        f'{position} <{OA}start> "{selector.start}"^^{_INTEGER} {g} .\n'
        f'{position} <{OA}end> "{selector.end}"^^{_INTEGER} {g} .\n'
    )


PASSAGE_QUADS = 12
"""How many quads :func:`passage_nquads` writes to place one quote."""


def passage_quads(evidence: Subject, source: ox.NamedNode, selector: Selector, graph: ox.NamedNode) -> list[ox.Quad]:
    """The quads of :func:`passage_nquads`."""
    return list(ox.parse(passage_nquads(evidence, source, selector, graph).encode(), format=ox.RdfFormat.N_QUADS))


_TYPE = f"<{RDF_TYPE.value}>"
_WAS_QUOTED_FROM = f"<{WAS_QUOTED_FROM.value}>"
_HAS_SELECTOR = f"<{HAS_SELECTOR.value}>"
_INTEGER = f"<{XSD_INTEGER.value}>"


def _string(text: str) -> str:
    """A string literal in N-Quads: the four characters it may not hold as they are escaped, the rest as it is.

    Examples
    --------
    >>> print(_string('say "no"'))
    "say \\"no\\""
    """
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:  # rare: most passages are one line
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


#
# A batch of documents being loaded.
#


@dataclass
class _Text:
    """A source's text as a write sees it: held by the store, or given by a document of the batch."""

    source: ox.NamedNode
    text: str
    given_by: Document | None = None
    """The document of the batch that gives the text; None for a text the store holds."""
    new: bool = False
    """Given to a source that holds none yet: the evidence the store holds from it is checked too."""

    @cached_property
    def prepared(self) -> SourceText:
        """The text prepared to find quotes in: once per write (and kept for the next few)."""
        return _prepared(self.text)


def verify_quotes(documents: list[Document], store: Dataset) -> QuoteNotFound | None:
    """Check every quote of ``documents`` whose source holds a text (in the store or given by the batch).

    A document's own ``prov:wasQuotedFrom`` statements are dropped first (Parley writes them); then
    where every quote is found, the N-Quads that place each one go to ``document.computed`` (written
    with the document, in the evidence's graph), as does the SHA-256 of a text the batch gives
    without one, and ``document.verified`` counts the quotes found. A text given to a source whose
    evidence the store holds has those quotes checked and placed too.

    Returns
    -------
    QuoteNotFound or None
        The refusal of the batch, for the caller to raise, if a quote is not in its source's text:
        for the first document with one, naming each and the passage of the text closest to it. The
        caller may first report what else is wrong with the documents.

    Raises
    ------
    TextMismatch
        If a text's SHA-256 is not the one its source's record declares (in the batch or the store).
    TextConflict
        If a document gives a source a text other than the one it holds, or two texts.
    """
    for document in documents:
        _drop_given_passages(document, store)
    texts = _given_texts(documents, store)
    held = {row["source"] for row in store.query(queries.SOURCES_WITH_TEXT)}
    if not texts and not held:
        return None  # nothing to check against: every quote of the batch stays unverified
    for document in documents:
        misses = _place_quotes(document, texts, held, store)
        if misses:
            return QuoteNotFound(document.name, misses)
    for text in texts.values():
        if text.new and text.given_by is not None:
            placed, _, misses = _check_stored_evidence(store, text.source, text.prepared)
            if misses:
                return QuoteNotFound(text.given_by.name, misses, _breaks(text.source, len(misses), "given to"))
            for _, graph, nquads in placed:
                text.given_by.add_computed(graph, nquads)
    return None


def _drop_given_passages(document: Document, store: Dataset) -> None:
    """Drop where a document says evidence's quotes stand, its own or the store's: Parley finds them itself, or
    leaves them unverified (a document may not make verified a quote nothing checked)."""
    staged = document.staged
    dropped = False
    for link in list(staged.quads_for_pattern(None, WAS_QUOTED_FROM, None)):
        if not _is_evidence(link.subject, staged, store):
            continue  # another entity's quotation, which PROV allows
        staged.remove(link)
        dropped = True
        passage = link.object
        if isinstance(passage, ox.NamedNode | ox.BlankNode):
            selectors = [quad.object for quad in staged.quads_for_pattern(passage, HAS_SELECTOR, None)]
            for node in (passage, *selectors):
                if isinstance(node, ox.NamedNode | ox.BlankNode):
                    for quad in list(staged.quads_for_pattern(node, None, None)):
                        staged.remove(quad)
    if dropped:
        for cached in ("quads", "graphs", "subjects"):
            document.__dict__.pop(cached, None)


def _is_evidence(subject: ox.NamedNode | ox.BlankNode | ox.Triple, staged: ox.Store, store: Dataset) -> bool:
    """Whether ``subject`` is evidence: with a quote in the document, or known as evidence to the store."""
    if next(iter(staged.quads_for_pattern(subject, QUOTE, None)), None) is not None:
        return True
    return isinstance(subject, ox.NamedNode) and store.is_instance(subject, EVIDENCE)


def _given_texts(documents: list[Document], store: Dataset) -> dict[ox.NamedNode, _Text]:
    """The texts the batch gives sources, each checked against the source's record and what the store holds."""
    texts: dict[ox.NamedNode, _Text] = {}
    for document in documents:
        for quad in document.staged.quads_for_pattern(None, TEXT, None):
            source, given = quad.subject, quad.object
            if not isinstance(source, ox.NamedNode) or not isinstance(given, ox.Literal):
                continue  # left to the shapes: a source is named, and its text is a string
            if source in texts and texts[source].text != given.value:
                raise TextConflict(document.name, slug_of(source.value), f"gives source {compact(source)} two texts")
            texts[source] = _Text(source, given.value, document)
    declared = _declared_sha256(documents)
    for text in texts.values():
        _check_given_text(text, declared.get(text.source, set()), store)
    return texts


def _declared_sha256(documents: list[Document]) -> dict[ox.NamedNode, set[str]]:
    declared: dict[ox.NamedNode, set[str]] = {}
    for document in documents:
        for quad in document.staged.quads_for_pattern(None, SHA256, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                declared.setdefault(quad.subject, set()).add(quad.object.value)
    return declared


def _check_given_text(text: _Text, declared: set[str], store: Dataset) -> None:
    """Refuse a text that is not the one the source's record describes, or not the one it holds."""
    assert text.given_by is not None
    name, slug = text.given_by.name, slug_of(text.source.value)
    held, stored_sha256 = _stored_text(store, text.source)
    if held is not None and held != text.text:
        raise TextConflict(
            name,
            slug,
            f"gives source {slug} a text other than the one it holds (SHA-256 {sha256_of(held)}); a document may "
            f"give a source its text, not change it: replace it with POST /sources/{slug}/text or "
            f"`parley source text {slug} FILE`, which check the quotes already taken from it",
        )
    computed = sha256_of(text.text)
    for sha256 in sorted(declared | ({stored_sha256} if stored_sha256 else set())):
        if sha256 != computed:
            raise TextMismatch(name, slug, sha256, computed)
    if not declared and not stored_sha256:
        graph = next(iter(text.given_by.staged.quads_for_pattern(text.source, TEXT, None))).graph_name
        if isinstance(graph, ox.NamedNode):
            text.given_by.add_computed(graph, f"{text.source} {_SHA256} {_string(computed)} {graph} .\n")
    text.new = held is None


def _stored_text(store: Dataset, source: ox.NamedNode) -> tuple[str | None, str | None]:
    """The text a source holds in the store and its record's SHA-256 (None for what it lacks)."""
    text = sha256 = None
    for row in store.query(queries.SOURCE_TEXT, {"source": source}):
        text = row["text"].value if row["text"] is not None else text
        sha256 = row["sha256"].value if row["sha256"] is not None else sha256
    return text, sha256


def _place_quotes(document: Document, texts: dict[ox.NamedNode, _Text], held: set, store: Dataset) -> list[QuoteMiss]:
    """Find each quote of ``document`` whose source holds a text; place those found, return those not.

    ``texts`` gains the text of each source the store holds that the document cites, read once.
    """
    misses: list[QuoteMiss] = []
    for source in set(texts) | held:
        for evidence, quote, graph in _quotes_citing(document.staged, source):
            if source not in texts:
                texts[source] = _Text(source, _stored_text(store, source)[0] or "")
            text = texts[source].prepared
            found = text.find(quote)
            if found is None:
                misses.append(_miss(evidence, source, quote, text))
            else:
                document.add_computed(graph, passage_nquads(evidence, source, found, graph))
                document.verified += 1
    return misses


def _quotes_citing(staged: ox.Store, source: ox.NamedNode) -> Iterator[tuple[Subject, str, ox.NamedNode]]:
    """Each quote of the evidence that cites ``source`` in a document, with the evidence and the quote's graph.

    Quotes that are no text are left to the shapes, which refuse them.
    """
    for cited in staged.quads_for_pattern(None, SOURCE, source):
        if isinstance(cited.subject, ox.NamedNode | ox.BlankNode):
            for quoted in staged.quads_for_pattern(cited.subject, QUOTE, None):
                if isinstance(quoted.object, ox.Literal) and isinstance(quoted.graph_name, ox.NamedNode):
                    yield cited.subject, quoted.object.value, quoted.graph_name


def _miss(evidence: Subject, source: ox.NamedNode, quote: str, text: SourceText) -> QuoteMiss:
    return QuoteMiss(compact(evidence), slug_of(source.value), quote, text.closest(quote))


def _check_stored_evidence(
    store: Dataset, source: ox.NamedNode, text: SourceText
) -> tuple[list[tuple[ox.NamedNode, ox.NamedNode, str]], int, list[QuoteMiss]]:
    """Find every quote the store holds from ``source`` in ``text``: for each found, the evidence, its
    graph and the N-Quads that place it; how many were found; and those that were not."""
    placed: list[tuple[ox.NamedNode, ox.NamedNode, str]] = []
    misses: list[QuoteMiss] = []
    verified = 0
    for row in store.query(queries.EVIDENCE_FROM_SOURCE, {"source": source}):
        evidence, quote, graph = row["evidence"], row["quote"].value, row["graph"]
        selector = text.find(quote)
        if selector is None:
            misses.append(_miss(evidence, source, quote, text))
            continue
        verified += 1
        # A blank node read back is not the stored one (a remote store names it anew): it cannot be placed.
        if isinstance(evidence, ox.NamedNode):
            placed.append((evidence, graph, passage_nquads(evidence, source, selector, graph)))
    return placed, verified, misses


def _breaks(source: ox.NamedNode, count: int, how: str) -> str:
    """The first line of the refusal of a text that lacks quotes already taken from its source."""
    quotes = "1 quote" if count == 1 else f"{count} quotes"
    return (
        f"the text {how} source {slug_of(source.value)} lacks {quotes} of the evidence already taken from it, "
        "which would no longer be verified"
    )


#
# A source's text, given or replaced on its own.
#


@dataclass(frozen=True)
class TextReport:
    """What :func:`set_text` did."""

    source: str
    sha256: str
    characters: int
    verified: int
    """How many quotes of the evidence taken from the source were found in the text (all of them)."""
    replaced: bool
    """Whether the source held another text, which this one replaced."""
    changed: bool
    """False when the source held this very text already: nothing was written."""
    version: int | None = None
    """The store's version counter after the write (None when nothing was written)."""


def set_text(store: Dataset, source: str, text: str, name: str | None = None) -> TextReport:
    """Give ``source`` its text, or replace the one it holds, in one transaction, and raise the store's version.

    Every quote already taken from the source must be found in the new text; each is placed in it
    again. A source whose record declares a SHA-256 but holds no text yet takes only the text of that
    SHA-256; once it holds one, its SHA-256 is that text's, and a replacement brings its own.

    Parameters
    ----------
    store : the store.
    source : the source's slug.
    text : the text, as :func:`decode_text` reads it.
    name : how to name the text in messages (a file name); by default ``text of source <slug>``.

    Raises
    ------
    UnknownSource
        If no source has this slug (with the nearest ones).
    TextMismatch
        If the source holds no text and its record declares another SHA-256.
    QuoteNotFound
        If a quote of its evidence is not in the new text (each named, with the closest passage).

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> set_text(store, "us-may-walk-away-2025-04-18", "Nothing anybody said.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.QuoteNotFound: text of source us-may-walk-away-2025-04-18: the text that would replace that of ...
    """
    node = instance("source", source)
    name = name or f"text of source {source}"
    _require_source(store, node)
    held, declared = _stored_text(store, node)
    computed = sha256_of(text)
    if held is None and declared is not None and declared != computed:
        raise TextMismatch(name, source, declared, computed)
    placed, verified, misses = _check_stored_evidence(store, node, _prepared(text))
    if misses:
        how = "given to" if held is None else "that would replace that of"
        raise QuoteNotFound(name, misses, _breaks(node, len(misses), how))
    if held == text:
        return TextReport(source, computed, len(text), verified, replaced=False, changed=False)
    store.replace(*_text_replacement(store, node, text, computed, placed))
    said = f"{'replaced the' if held is not None else 'gave'} text of source {source} ({len(text):,} characters)"
    version = store.raise_version(change_record("text", said, PositionChanges(), Negotiation()))
    return TextReport(source, computed, len(text), verified, replaced=held is not None, changed=True, version=version)


def source_text(store: Dataset, source: str) -> str | None:
    """The text ``source`` holds, or None if it holds none.

    Raises
    ------
    UnknownSource
        If no source has this slug (with the nearest ones).

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> source_text(open_store("memory"), "us-may-walk-away-2025-04-18")[:29]
    'The US will walk away from ta'
    """
    node = instance("source", source)
    _require_source(store, node)
    return _stored_text(store, node)[0]


def _require_source(store: Dataset, source: ox.NamedNode) -> None:
    """Raise :class:`UnknownSource` unless the store knows ``source``, naming the nearest sources by slug or title."""
    if store.is_instance(source, ox.NamedNode(PARLEY + "Source")):
        return
    known = {found.id: (found.title,) for found in read_sources(store)}
    raise UnknownSource(slug_of(source.value), nearest(slug_of(source.value), known))


def _text_replacement(
    store: Dataset,
    source: ox.NamedNode,
    text: str,
    sha256: str,
    placed: list[tuple[ox.NamedNode, ox.NamedNode, str]],
) -> tuple[dict, list[ox.Quad]]:
    """The removals and quads of :meth:`Dataset.replace` that give ``source`` its text and place its quotes.

    The source's own statements are removed graph by graph and written again without its former text
    and SHA-256; the passages of its evidence are removed wherever they are, and written anew.
    """
    record = store.descriptions([source])
    graphs = {quad.graph_name for quad in record if isinstance(quad.graph_name, ox.NamedNode)}
    removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None] = {graph: [source] for graph in graphs}
    removals[None] = [
        node for evidence, _, _ in placed for node in passage_nodes(evidence) if isinstance(node, ox.NamedNode)
    ]
    kept = [quad for quad in record if quad.predicate not in (TEXT, SHA256)]
    written = [
        ox.Quad(source, TEXT, ox.Literal(text), REFERENCE_GRAPH),
        ox.Quad(source, SHA256, ox.Literal(sha256), REFERENCE_GRAPH),
    ]
    passages = list(ox.parse("".join(nquads for _, _, nquads in placed).encode(), format=ox.RdfFormat.N_QUADS))
    return removals, kept + written + passages
