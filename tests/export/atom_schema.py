"""Checks of an Atom document: feedparser reads it without complaint, and it is valid against RFC 4287's schema.

The schema is the RFC's own (Appendix B, carried in ``tests/vendor/atom``), converted from its compact
syntax by rnc2rng for lxml, which reads RELAX NG in its XML syntax only; the README there says why one
namespace declaration of the conversion is dropped. The schema's three Schematron rules, which RELAX NG
validation ignores, are checked here by themselves.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import feedparser
import rnc2rng
from lxml import etree

SCHEMA = Path(__file__).resolve().parents[1] / "vendor" / "atom" / "atom.rnc"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
# rnc2rng writes the RFC's `namespace local = ""` as this declaration, which Namespaces in XML 1.0 forbids.
_EMPTY_PREFIX = re.compile(r'\s+xmlns:local=""')


@functools.cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287's schema for lxml, converted once a session."""
    converted = rnc2rng.dumps(rnc2rng.load(str(SCHEMA)))
    return etree.RelaxNG(etree.fromstring(_EMPTY_PREFIX.sub("", converted, count=1).encode("utf-8")))


def schema_errors(body: bytes) -> list[str]:
    """What RFC 4287's schema, its Schematron rules included, finds wrong with ``body`` (nothing: valid)."""
    document = etree.fromstring(body)
    schema = atom_schema()
    errors = [] if schema.validate(document) else [str(error) for error in schema.error_log]
    if document.xpath("boolean(self::atom:feed[not(atom:author) and atom:entry[not(atom:author)]])", namespaces=ATOM):
        errors.append("An atom:feed must have an atom:author unless all of its atom:entry children have one.")
    for entry in document.xpath("//atom:entry", namespaces=ATOM):
        if not entry.xpath("atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content", namespaces=ATOM):
            errors.append("An atom:entry must have an alternate atom:link or an atom:content.")
        if not entry.xpath("atom:author or ../atom:author or atom:source/atom:author", namespaces=ATOM):
            errors.append("An atom:entry must have an atom:author if its feed does not.")
    return errors


def valid_feed(body: bytes) -> feedparser.FeedParserDict:
    """``body`` read by feedparser, after checking it reads it as Atom 1.0 without complaint and the schema holds."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert schema_errors(body) == []
    return parsed
