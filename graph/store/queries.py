"""Every SPARQL text the library runs, each a named constant.

Values go in as bindings (pyoxigraph ``substitutions``, RDF-dev SEP-0007; for a remote store, a
``VALUES`` block that :func:`bind_values` opens the WHERE group with), never by formatting text into
a query. Oxigraph only substitutes variables a SELECT projects, so bound variables
appear in the projection (and in GROUP BY where there is one). Prefixes come from
:data:`graph.store.namespaces.PREFIXES`, passed with each query.

One exception, measured and deliberate: the updates that write many quads at once
(``INSERT DATA`` and per-subject ``DELETE WHERE``, built by ``graph.store.dataset.replacing_update``) carry their
terms as text, because an update takes no bindings and a ``VALUES`` block cannot feed ``INSERT
DATA``. Those terms are pyoxigraph term objects written by pyoxigraph itself (``str`` of a term is
its N-Triples form, escaped), never text from a client. The update that adds supertypes
(:func:`adding_supertypes`) binds its classes with :func:`bind_values`, on either store, for the same
reason.

No query here that runs over the store repeats a property path (``*``, ``+``): some servers answer
those wrongly (OpenLink Virtuoso 7.2). Only the validator's, which run over its own embedded
dataset, do (``tests/store/test_repeated_paths.py`` holds them to it).

The ``VALIDATE_*`` queries evaluate the SHACL Core constraints of ``ontology/shapes.ttl``
inside Oxigraph: each reads the shapes graph and the data together, so one query serves every
shape that uses its constraint component. Each returns the focus node, the shape, the property
shape (if any), the path and the offending value; ``graph/ingest/validate.py`` turns rows into
:class:`graph.errors.Violation`.
"""

import re

# The focus nodes of every node shape: instances of sh:targetClass (through rdfs:subClassOf*),
# subjects of sh:targetSubjectsOf and objects of sh:targetObjectsOf. A sub-select, so a node
# reached by two targets counts once.
_FOCUS_NODES = """
    {
        SELECT DISTINCT ?shape ?focus WHERE {
            { ?shape sh:targetClass ?targetClass . ?focus rdf:type/rdfs:subClassOf* ?targetClass . }
            UNION
            { ?shape sh:targetSubjectsOf ?targetPredicate . ?focus ?targetPredicate ?anything . }
            UNION
            { ?shape sh:targetObjectsOf ?targetPredicate . ?anything ?targetPredicate ?focus . }
        }
    }
"""

# A minCount of 1 can only be broken by a node without a value: only those are counted (3x faster).
VALIDATE_MIN_COUNT = (
    """
SELECT ?focus ?shape ?property ?path ?bound (COUNT(DISTINCT ?value) AS ?found) WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:minCount ?bound .
"""
    + _FOCUS_NODES
    + """
    OPTIONAL { ?focus ?path ?value }
    FILTER (?bound > 1 || !BOUND(?value))
}
GROUP BY ?focus ?shape ?property ?path ?bound
HAVING (COUNT(DISTINCT ?value) < ?bound)
"""
)

# A maxCount of 1 or more can only be broken by a node with two values or more: the self-join
# keeps only those (and every value for a maxCount of 0), so most nodes are never counted.
VALIDATE_MAX_COUNT = (
    """
SELECT ?focus ?shape ?property ?path ?bound (COUNT(DISTINCT ?value) AS ?found) WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:maxCount ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value , ?other .
    FILTER (?other != ?value || ?bound < 1)
}
GROUP BY ?focus ?shape ?property ?path ?bound
HAVING (COUNT(DISTINCT ?value) > ?bound)
"""
)

# Values whose class is not stated in the document itself. validate.py then looks each one up
# in the store, since a document may refer to actors and issues loaded before.
VALIDATE_CLASS = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:class ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    MINUS { ?value rdf:type/rdfs:subClassOf* ?bound }
}
"""
)

# sh:class on a node shape: the focus node itself must be an instance.
VALIDATE_NODE_CLASS = (
    """
SELECT DISTINCT ?focus ?shape ?bound WHERE {
    ?shape sh:class ?bound .
"""
    + _FOCUS_NODES
    + """
    FILTER NOT EXISTS { ?focus rdf:type/rdfs:subClassOf* ?bound }
}
"""
)

VALIDATE_DATATYPE = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:datatype ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER (!isLiteral(?value) || datatype(?value) != ?bound)
}
"""
)

# Typed literals whose text is not in their datatype's lexical space ("2025-13-01"^^xsd:date, "high"^^xsd:decimal):
# Oxigraph stores them as written, and the cast of their text fails, leaving ?read unbound. The datatypes
# are those the shapes allow.
_TYPED_VALUE = """
    VALUES ?datatype { xsd:date xsd:gYearMonth xsd:gYear xsd:dateTime xsd:integer xsd:decimal xsd:double xsd:boolean }
    FILTER (isLiteral(?value) && DATATYPE(?value) = ?datatype)
    BIND (STR(?value) AS ?text)
"""
_UNREADABLE_TEXT = """
    BIND (IF(?datatype = xsd:date, xsd:date(?text), IF(?datatype = xsd:gYearMonth, xsd:gYearMonth(?text),
          IF(?datatype = xsd:gYear, xsd:gYear(?text), IF(?datatype = xsd:dateTime, xsd:dateTime(?text),
          IF(?datatype = xsd:integer, xsd:integer(?text), IF(?datatype = xsd:decimal, xsd:decimal(?text),
          IF(?datatype = xsd:double, xsd:double(?text), xsd:boolean(?text)))))))) AS ?read)
    FILTER (!BOUND(?read))
"""
_ILL_FORMED = _TYPED_VALUE + _UNREADABLE_TEXT
# In a document being validated; bind ?vocabulary, ?shapes and ?stored to leave the validator's context out.
# Each literal's datatype is bound, then filtered (_TYPED_VALUE joins the eight datatypes to every quad instead:
# measured at 100k positions, 1.65 s against 3.03 s).
VALIDATE_LEXICAL_FORMS = (
    """
SELECT ?vocabulary ?shapes ?stored ?focus ?path ?value ?datatype WHERE {
    GRAPH ?graph { ?focus ?path ?value }
    FILTER (isLiteral(?value))
    BIND (DATATYPE(?value) AS ?datatype)
    FILTER (?datatype IN (xsd:date, xsd:gYearMonth, xsd:gYear, xsd:dateTime, xsd:integer, xsd:decimal, xsd:double, xsd:boolean))
    FILTER (?graph NOT IN (?vocabulary, ?shapes, ?stored))
    BIND (STR(?value) AS ?text)
"""
    + _UNREADABLE_TEXT
    + "}"
)
# In the store (written by something other than Parley's loads). The literals come from a subquery, so that no
# server casts an IRI: one that evaluates the casts before the filter (Virtuoso) fails the whole query on one.
ILL_FORMED_VALUES = (
    "SELECT ?node ?path ?value ?datatype WHERE {\n"
    "  { SELECT ?node ?path ?value ?datatype ?text WHERE { GRAPH ?graph { ?node ?path ?value }"
    + _TYPED_VALUE
    + "  } }"
    + _UNREADABLE_TEXT
    + "}"
)

# sh:or whose every member is a bare sh:datatype: the value must have one of the datatypes.
# A non-literal gets rdf:nil as its "datatype", which no shape lists: left unbound, it would be
# compatible with every row of the MINUS and wrongly removed.
VALIDATE_DATATYPE_ALTERNATIVES = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:or ?alternatives .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    BIND (IF(isLiteral(?value), datatype(?value), rdf:nil) AS ?valueDatatype)
    MINUS { ?alternatives rdf:rest*/rdf:first/sh:datatype ?valueDatatype }
}
"""
)

VALIDATE_IN = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:in ?members .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER NOT EXISTS { ?members rdf:rest*/rdf:first ?value }
}
"""
)

VALIDATE_NODE_KIND_IRI = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:nodeKind sh:IRI .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER (!isIRI(?value))
}
"""
)

# A value that cannot be compared with the bound (a string against a number) breaks the rule too.
VALIDATE_MIN_INCLUSIVE = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:minInclusive ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER (!COALESCE(?value >= ?bound, false))
}
"""
)

VALIDATE_MAX_INCLUSIVE = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:maxInclusive ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER (!COALESCE(?value <= ?bound, false))
}
"""
)

VALIDATE_MIN_LENGTH = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:minLength ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER (isBlank(?value) || STRLEN(STR(?value)) < ?bound)
}
"""
)

# Run once per pattern of the shapes, ?bound bound to it and the REGEX's $pattern replaced by it
# (:func:`with_pattern`): Oxigraph compiles a pattern written in the text once, one that comes from a
# variable once per row (40 times slower over 10,000 quotes).
VALIDATE_PATTERN = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:pattern ?bound .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    FILTER (isBlank(?value) || !REGEX(STR(?value), $pattern))
}
"""
)

# Every sh:pattern the shapes use.
SHAPE_PATTERNS = "SELECT DISTINCT ?pattern WHERE { ?property sh:pattern ?pattern }"


def with_pattern(sparql: str, pattern) -> str:
    r"""``sparql`` with its ``$pattern`` placeholder replaced by ``pattern`` (a literal of the shapes),
    written by Oxigraph (its N-Triples form, escaped), as :func:`bind_values` writes terms.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> print(with_pattern('FILTER (REGEX(?v, $pattern))', ox.Literal('\\S"')))
    FILTER (REGEX(?v, "\\S\""))
    """
    return sparql.replace("$pattern", str(pattern))


VALIDATE_LESS_THAN_OR_EQUALS = (
    """
SELECT DISTINCT ?focus ?shape ?property ?path ?value ?bound WHERE {
    ?shape sh:property ?property .
    ?property sh:path ?path ; sh:lessThanOrEquals ?other .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    ?focus ?other ?bound .
    FILTER (!COALESCE(?value <= ?bound, false))
}
"""
)

# MINUS rather than FILTER NOT EXISTS: the same answer here (both sides share ?shape and ?path),
# and Oxigraph evaluates it as an anti-join instead of one probe per triple (500x faster on the seed).
VALIDATE_CLOSED = (
    """
SELECT DISTINCT ?focus ?shape ?path ?value WHERE {
    ?shape sh:closed true .
"""
    + _FOCUS_NODES
    + """
    ?focus ?path ?value .
    MINUS { ?shape sh:property/sh:path ?path }
    MINUS { ?shape sh:ignoredProperties/rdf:rest*/rdf:first ?path }
}
"""
)

# sh:xone whose branches each ask for a value of one path (or of any path of an sh:or):
# the focus node must satisfy exactly one branch of each sh:xone of its shape.
VALIDATE_XONE = (
    """
SELECT ?focus ?shape ?branches (COUNT(DISTINCT ?branch) AS ?found) WHERE {
    ?shape sh:xone ?branches .
"""
    + _FOCUS_NODES
    + """
    OPTIONAL {
        ?branches rdf:rest*/rdf:first ?branch .
        { ?branch sh:path ?path } UNION { ?branch sh:or/rdf:rest*/rdf:first/sh:path ?path }
        ?focus ?path ?value .
    }
}
GROUP BY ?focus ?shape ?branches
HAVING (COUNT(DISTINCT ?branch) != 1)
"""
)

# Parley terms a document uses as a property or a class that the vocabulary does not define
# (a misspelling), each with one subject that uses it. A misspelt value such as parley:Suports
# breaks sh:in instead. Bind ?vocabulary to the graph holding ontology/parley.ttl, ?shapes to
# the shapes graph and ?stored to what the store holds already. Each term is grouped before it is filtered (a
# filter on every quad took 1.91 s at 100k positions, against 1.11 s).
UNDEFINED_PARLEY_TERMS = """
SELECT ?vocabulary ?shapes ?stored ?term (SAMPLE(?subject) AS ?example) WHERE {
    { SELECT ?vocabulary ?shapes ?stored ?term (SAMPLE(?used) AS ?subject) WHERE {
        GRAPH ?graph { ?used ?term ?object }
        FILTER (?graph != ?vocabulary && ?graph != ?shapes && ?graph != ?stored)
    } GROUP BY ?vocabulary ?shapes ?stored ?term }
    UNION
    { SELECT ?vocabulary ?shapes ?stored ?term (SAMPLE(?used) AS ?subject) WHERE {
        GRAPH ?graph { ?used a ?term }
        FILTER (?graph != ?vocabulary && ?graph != ?shapes && ?graph != ?stored)
    } GROUP BY ?vocabulary ?shapes ?stored ?term }
    FILTER (isIRI(?term) && STRSTARTS(STR(?term), STR(parley:)))
    FILTER NOT EXISTS { GRAPH ?vocabulary { ?term ?anyPredicate ?anyObject } }
}
GROUP BY ?vocabulary ?shapes ?stored ?term
"""

# The terms parley.ttl defines, to suggest the nearest one for a misspelling.
DEFINED_PARLEY_TERMS = """
SELECT DISTINCT ?vocabulary ?term WHERE {
    GRAPH ?vocabulary { ?term ?predicate ?object }
    FILTER (isIRI(?term) && STRSTARTS(STR(?term), STR(parley:)))
}
"""

# The nodes a parsed document describes, each once (its dataset holds only named graphs).
DOCUMENT_SUBJECTS = "SELECT DISTINCT ?subject WHERE { GRAPH ?graph { ?subject ?predicate ?object } }"

# Bind ?class: the IRIs typed ?class. In the store, an instance of a subclass is typed by its superclasses too
# (see SUPERTYPES_HELD): a parley:Demand is found as a parley:Position. DISTINCT: a node typed in two graphs.
INSTANCES_OF = "SELECT DISTINCT ?class ?instance WHERE { ?instance rdf:type ?class . FILTER isIRI(?instance) }"

# Bind ?value and ?class: is ?value typed ?class in the store (a subclass included, as INSTANCES_OF says)?
IS_INSTANCE_OF = "ASK { ?value rdf:type ?class }"

# The SHACL words each shape uses, so validate.py can refuse shapes it cannot evaluate.
SHAPE_VOCABULARY = """
SELECT DISTINCT ?node ?kind ?predicate ?object WHERE {
    { ?node a sh:NodeShape . BIND("node" AS ?kind) } UNION { ?shape sh:property ?node . BIND("property" AS ?kind) }
    ?node ?predicate ?object .
}
"""

# Property-level sh:or members that are anything but a bare sh:datatype.
UNSUPPORTED_DATATYPE_ALTERNATIVES = """
SELECT DISTINCT ?node WHERE {
    ?shape sh:property ?node .
    ?node sh:or/rdf:rest*/rdf:first ?member .
    ?member ?predicate ?object .
    FILTER (?predicate != sh:datatype)
}
"""

# sh:xone branches other than [ sh:path P ; sh:minCount 1 ] or an sh:or of such.
UNSUPPORTED_XONE_BRANCHES = """
SELECT DISTINCT ?node WHERE {
    ?node sh:xone/rdf:rest*/rdf:first ?branch .
    { ?branch sh:or/rdf:rest*/rdf:first ?leaf } UNION { ?branch sh:path ?path . BIND(?branch AS ?leaf) }
    ?leaf ?predicate ?object .
    FILTER (?predicate NOT IN (sh:path, sh:minCount) || (?predicate = sh:minCount && ?object != 1))
}
"""

# Bind ?shapes: the human message of each shape and property shape.
SHAPE_MESSAGES = "SELECT ?shapes ?node ?message WHERE { GRAPH ?shapes { ?node sh:message ?message } }"

#
# The store
#

# Has a document with this SHA-256 been loaded? Bind ?sha256.
DOCUMENT_LOADED = "ASK { GRAPH ?log { ?load a parley:Load ; parley:sha256 ?sha256 } }"

# Also lists the graphs a server holds: grouped and counted rather than DISTINCT, since Virtuoso answers this
# form from its index (0.07 s at 120k triples, against 0.9 s).
GRAPH_TRIPLE_COUNTS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?subject ?predicate ?object } }
GROUP BY ?graph
ORDER BY ?graph
"""

# An instance of a subclass counts, by the supertype the store holds beside its type, in the same graph.
GRAPH_INSTANCE_COUNTS = """
SELECT ?graph ?class (COUNT(DISTINCT ?instance) AS ?instances) WHERE {
    VALUES ?class { parley:Actor parley:Issue parley:Position parley:Evidence parley:Source }
    GRAPH ?graph { ?instance rdf:type ?class }
}
GROUP BY ?graph ?class
"""

# Evidence per graph whose quote was never found in a source's text: its source holds none (Parley writes
# prov:wasQuotedFrom only for a quote it found), for `parley stats`.
GRAPH_UNVERIFIED_COUNTS = """
SELECT ?graph (COUNT(DISTINCT ?evidence) AS ?unverified) WHERE {
    GRAPH ?graph { ?evidence rdf:type parley:Evidence }
    FILTER NOT EXISTS { ?evidence prov:wasQuotedFrom ?passage }
}
GROUP BY ?graph
"""

#
# Sources' texts (graph/ingest/texts.py).
#

# Every source that holds a text (the text itself is not read).
SOURCES_WITH_TEXT = "SELECT DISTINCT ?source WHERE { ?source parley:text ?text }"

# Bind ?source: one row per text it holds (none, or one), with its record's SHA-256; no row if it is no source.
SOURCE_TEXT = """
SELECT ?source ?text ?sha256 WHERE {
    ?source a parley:Source .
    OPTIONAL { ?source parley:text ?text }
    OPTIONAL { ?source parley:sha256 ?sha256 }
}
"""

# Bind ?source: every quote of the evidence taken from it, with the graph the quote is in.
EVIDENCE_FROM_SOURCE = """
SELECT ?source ?evidence ?quote ?graph WHERE {
    ?evidence parley:source ?source .
    GRAPH ?graph { ?evidence parley:quote ?quote }
}
ORDER BY ?evidence
"""

# Bind ?source: every position quoting it, with each piece of its evidence from it and, where the quote was
# found in the source's text, where it stands (oa:start and oa:end count characters into the text).
READ_SOURCE_QUOTES = """
SELECT ?source ?position ?evidence ?quote ?speaker ?statedOn ?start ?end WHERE {
    ?evidence parley:source ?source ; parley:quote ?quote .
    ?position prov:wasDerivedFrom ?evidence .
    OPTIONAL { ?evidence parley:speaker ?speaker }
    OPTIONAL { ?evidence parley:statedOn ?statedOn }
    OPTIONAL { ?evidence prov:wasQuotedFrom/oa:hasSelector ?selector . ?selector oa:start ?start ; oa:end ?end }
}
"""

# How many positions quote each source.
COUNT_POSITIONS_BY_SOURCE = """
SELECT ?source (COUNT(DISTINCT ?position) AS ?positions) WHERE {
    ?position prov:wasDerivedFrom ?evidence .
    ?evidence parley:source ?source .
}
GROUP BY ?source
"""

# Over a document being loaded: how many quotes it holds.
COUNT_QUOTES = "SELECT (COUNT(*) AS ?quotes) WHERE { GRAPH ?graph { ?evidence parley:quote ?quote } }"

#
# Reading the model (graph/analysis/read.py). Multi-valued properties come from separate queries so
# that no query multiplies rows. The READ_POSITION* queries read every position, or one when
# ?position is bound. An actor is found by its type parley:Actor and a position by parley:Position,
# which the store holds beside a subclass's (see SUPERTYPES_HELD), not through rdfs:subClassOf*.
#

# Every type of each actor (a parley:State is a parley:Actor and a prov:Agent too): read.py keeps the most specific.
READ_ACTORS = """
SELECT ?actor ?type ?label WHERE {
    ?actor a parley:Actor ; a ?type .
    OPTIONAL { ?actor rdfs:label ?label }
}
"""

READ_ACTOR_LINKS = """
SELECT ?actor ?relation ?other WHERE {
    VALUES ?relation { parley:speaksFor parley:memberOf parley:hasLeverageOver }
    ?actor ?relation ?other .
}
"""

# What else an actor may carry: its power (one number) and the same actor elsewhere (IRIs).
READ_ACTOR_DETAILS = """
SELECT ?actor ?property ?value WHERE {
    VALUES ?property { parley:power owl:sameAs }
    ?actor ?property ?value .
    ?actor a parley:Actor .
}
"""

READ_ISSUES = """
SELECT ?issue ?label ?definition ?scale ?unit WHERE {
    ?issue a parley:Issue .
    OPTIONAL { ?issue skos:prefLabel ?label }
    OPTIONAL { ?issue skos:definition ?definition }
    OPTIONAL { ?issue parley:scale ?scale }
    OPTIONAL { ?issue parley:unit ?unit }
}
"""

READ_ISSUE_BROADER = "SELECT ?issue ?broader WHERE { ?issue a parley:Issue ; skos:broader ?broader }"

# Other names of actors and of issues (skos:altLabel). The alias comes first: aliases are few, whatever
# the number of positions, and only their subjects are checked for a type.
READ_ACTOR_ALIASES = """
SELECT DISTINCT ?actor ?alias WHERE { ?actor skos:altLabel ?alias . ?actor a parley:Actor . }
"""

READ_ISSUE_ALIASES = "SELECT DISTINCT ?issue ?alias WHERE { ?issue skos:altLabel ?alias . ?issue a parley:Issue . }"

# The earliest date of each position's evidence: when it was stated, else when its source was issued.
READ_POSITION_FIRST_STATED = """
SELECT ?position (MIN(STR(?day)) AS ?first) WHERE {
    ?position prov:wasDerivedFrom ?evidence .
    { ?evidence parley:statedOn ?day }
    UNION
    { ?evidence parley:source/dcterms:issued ?day . FILTER NOT EXISTS { ?evidence parley:statedOn ?stated } }
}
GROUP BY ?position
"""

# Bind ?position: its evidence with the source record, one row per piece of evidence; ?verified when its
# quote was found in its source's text (Parley then wrote where, with prov:wasQuotedFrom).
READ_EVIDENCE_OF = """
SELECT ?position ?evidence ?quote ?source ?speaker ?statedOn ?title ?issued ?publisher ?url ?verified WHERE {
    ?position prov:wasDerivedFrom ?evidence .
    ?evidence parley:quote ?quote .
    BIND (EXISTS { ?evidence prov:wasQuotedFrom/oa:hasSelector ?selector } AS ?verified)
    OPTIONAL { ?evidence parley:speaker ?speaker }
    OPTIONAL { ?evidence parley:statedOn ?statedOn }
    OPTIONAL {
        ?evidence parley:source ?source .
        OPTIONAL { ?source dcterms:title ?title }
        OPTIONAL { ?source dcterms:issued ?issued }
        OPTIONAL { ?source dcterms:publisher ?publisher }
        OPTIONAL { ?source dcterms:source ?url }
    }
}
"""

# Bind ?position: who relayed each piece of its evidence.
READ_EVIDENCE_REPORTERS_OF = """
SELECT ?position ?evidence ?reportedBy WHERE { ?position prov:wasDerivedFrom ?evidence . ?evidence parley:reportedBy ?reportedBy }
"""

# Each position's conditions; bind ?position to read one position's.
READ_POSITION_CONDITIONS = """
SELECT ?position ?condition ?issue ?stance ?note WHERE {
    ?position parley:condition ?condition .
    ?condition parley:issue ?issue ; parley:stance ?stance .
    OPTIONAL { ?condition rdfs:comment ?note }
}
"""

# Each position's either/or conditions, a row per alternative; bind ?position to read one position's.
READ_POSITION_ANY_OF = """
SELECT ?position ?condition ?note ?alternative ?issue ?stance ?alternativeNote WHERE {
    ?position parley:condition ?condition .
    ?condition parley:anyOf ?alternative .
    ?alternative parley:issue ?issue ; parley:stance ?stance .
    OPTIONAL { ?condition rdfs:comment ?note }
    OPTIONAL { ?alternative rdfs:comment ?alternativeNote }
}
"""

# Who must meet each condition, or each alternative of an either/or condition.
READ_CONDITION_ADDRESSEES = """
SELECT ?position ?condition ?addressee WHERE {
    ?position parley:condition/parley:anyOf? ?condition . ?condition parley:addressee ?addressee
}
"""

# A position's types and values are read one pattern at a time, and put together in Python (graph/analysis/read.py):
# a server may plan the join of a position's optional values badly. Virtuoso 7 answered that join (seven
# OPTIONALs) in 38 s over 100k positions written by its bulk loader, and had not answered after 9 minutes over
# the same positions written through Parley, where it guessed one property's triples at 5e-05 and scanned every
# stance once per position. One pattern has no plan to get wrong.

# Each position with its kinds (a parley:Demand is a parley:Position too): read.py keeps the most specific.
READ_POSITION_TYPES = """
SELECT ?position ?type WHERE {
    VALUES ?type { parley:Position parley:Demand parley:Offer parley:Threat parley:Commitment }
    ?position a ?type
}
"""

# Every subject's value of each property a position may hold, one property per query (the positions among
# the subjects are picked out in Python: a condition, for one, has a stance and an issue too).
READ_POSITION_VALUES = {
    "holder": "SELECT ?position ?value WHERE { ?position parley:holder ?value }",
    "issue": "SELECT ?position ?value WHERE { ?position parley:issue ?value }",
    "stance": "SELECT ?position ?value WHERE { ?position parley:stance ?value }",
    "minimum": "SELECT ?position ?value WHERE { ?position parley:minValue ?value }",
    "maximum": "SELECT ?position ?value WHERE { ?position parley:maxValue ?value }",
    "salience": "SELECT ?position ?value WHERE { ?position parley:salience ?value }",
    "redLine": "SELECT ?position ?value WHERE { ?position parley:redLine ?value }",
    "validFrom": "SELECT ?position ?value WHERE { ?position parley:validFrom ?value }",
    "validUntil": "SELECT ?position ?value WHERE { ?position parley:validUntil ?value }",
}

# FILTER EXISTS, not a join on the type: a position typed parley:Position in two graphs would give each
# of its links twice.
READ_POSITION_LINKS = """
SELECT ?position ?relation ?target WHERE {
    VALUES ?relation { parley:addressee parley:rejects parley:supersedes }
    ?position ?relation ?target .
    FILTER EXISTS { ?position a parley:Position }
}
"""

#
# The derived graph (graph/analysis/derived.py).
#

# Bind ?log: loads written with the bulk loader that never finished, and the graphs they created.
PENDING_LOADS = """
SELECT ?log ?load ?graph ?loadedBy ?defaultGraph WHERE {
    GRAPH ?log {
        ?load a parley:PendingLoad .
        OPTIONAL { ?load parley:pendingGraph ?graph }
        OPTIONAL { ?load parley:loadedBy ?loadedBy }
        OPTIONAL { ?load parley:pendingDefaultGraph ?defaultGraph }
    }
}
"""

# Bind ?derived and ?log: the date and load count the derived graph reflects, and the loads there are.
# Every source with its bibliographic record, its SHA-256 and whether it holds its text.
READ_SOURCES = """
SELECT ?source ?title ?issued ?publisher ?url ?sha256 ?hasText WHERE {
    ?source a parley:Source .
    OPTIONAL { ?source dcterms:title ?title }
    OPTIONAL { ?source dcterms:issued ?issued }
    OPTIONAL { ?source dcterms:publisher ?publisher }
    OPTIONAL { ?source dcterms:source ?url }
    OPTIONAL { ?source parley:sha256 ?sha256 }
    BIND (EXISTS { ?source parley:text ?text } AS ?hasText)
}
ORDER BY ?source
"""

# Positions with a piece of evidence whose quote was not found in a source's text (its source holds none).
UNVERIFIED_POSITIONS = """
SELECT DISTINCT ?position WHERE {
    ?position prov:wasDerivedFrom ?evidence .
    FILTER NOT EXISTS { ?evidence prov:wasQuotedFrom ?passage }
}
"""

# Bind ?position: its evidence and conditions that no other position shares (deleted with it), the
# alternatives of those of its either/or conditions that nothing else uses, and where each of its quotes
# stands in its source's text (?passage and its ?selector s, deleted with the evidence).
POSITION_OWN_PARTS = """
SELECT ?position ?part ?passage ?selector WHERE {
    {
        ?position prov:wasDerivedFrom|parley:condition ?part .
        FILTER NOT EXISTS { ?other prov:wasDerivedFrom|parley:condition ?part . FILTER(?other != ?position) }
    } UNION {
        ?position parley:condition ?either .
        ?either parley:anyOf ?part .
        FILTER NOT EXISTS { ?other parley:condition ?either . FILTER(?other != ?position) }
        FILTER NOT EXISTS { ?user parley:condition|parley:anyOf ?part . FILTER(?user != ?either) }
    }
    OPTIONAL { ?part prov:wasQuotedFrom ?passage . OPTIONAL { ?passage oa:hasSelector ?selector } }
}
"""

DERIVED_STATE = """
SELECT ?derived ?log ?asOf ?reflected ?shape (COUNT(?load) AS ?loads) WHERE {
    OPTIONAL { GRAPH ?derived { ?derived parley:asOf ?asOf ; parley:loadCount ?reflected } }
    OPTIONAL { GRAPH ?derived { ?derived parley:derivedShape ?shape } }
    OPTIONAL { GRAPH ?log { ?load a parley:Load } }
}
GROUP BY ?derived ?log ?asOf ?reflected ?shape
"""

# Bind ?derived: every triple it holds (stands, the declarations of their predicates, its own record).
DERIVED_TRIPLES = "SELECT ?derived ?subject ?predicate ?object WHERE { GRAPH ?derived { ?subject ?predicate ?object } }"

# The stands of groups ?a and ?b (actor IRIs) on one issue, with their positions, for the two queries below. A
# stand is one triple of the derived graph, its predicate the issue's (stand:{issue} parley:onIssue ?issue); it is
# inherited where its position is on another issue. Two inherited stands conflict or agree on the broader issue.
_STAND_PAIR = """
        ?a ?on ?aPosition . ?b ?on ?bPosition . ?on parley:onIssue ?issue .
        ?aPosition parley:issue ?aFrom . ?bPosition parley:issue ?bFrom .
        FILTER (?aFrom = ?issue || ?bFrom = ?issue)
"""
_RANGES = """        FILTER NOT EXISTS { ?aPosition parley:stance ?aAny } FILTER NOT EXISTS { ?bPosition parley:stance ?bAny }
        OPTIONAL { ?aPosition parley:minValue ?aMin } OPTIONAL { ?aPosition parley:maxValue ?aMax }
        OPTIONAL { ?bPosition parley:minValue ?bMin } OPTIONAL { ?bPosition parley:maxValue ?bMax }
"""


def _own_stands(a: str = "aPosition", b: str = "bPosition") -> str:
    """The own (not inherited) stands of groups ?a and ?b, on any issues, resting on positions ``?{a}`` and ``?{b}``."""
    return f"""        ?a ?{a}On ?{a} . ?{a}On parley:onIssue ?{a}Issue . ?{a} parley:issue ?{a}Issue .
        ?b ?{b}On ?{b} . ?{b}On parley:onIssue ?{b}Issue . ?{b} parley:issue ?{b}Issue .
"""


def _union(*branches: str) -> str:
    return "\n    {\n" + "\n    } UNION {\n".join(branch.strip("\n") for branch in branches) + "\n    }\n"


# The ways groups ?a and ?b conflict on an issue (docs/meaning.md, rule 4), from the derived graph: ?kind
# (stance, range, inherited, explicit) with the two positions, and ?gap on range conflicts. A pair has one
# stand each per issue, so an issue has one row of stance, range or inherited at most, besides its
# explicit rejections (one row each). Each way to conflict is a branch of its own that starts from the pair's
# stands, and each position's values are its own variables, compared in a FILTER: a planner then looks up the
# two positions of each issue the pair shares. Joined otherwise (the stances as constants, or one ?stance for
# both), Oxigraph first paired every position of one stance with every position of the other: 10 s and more
# for one pair of a 10k graph, against 0.03 s so. A range gap is one range's maximum below the other's
# minimum, either way round: four OPTIONALs and a test of which are bound took Virtuoso 7 past 60 s.
_CONFLICT_ROWS = _union(
    _STAND_PAIR
    + """        ?aPosition parley:stance ?aStance . ?bPosition parley:stance ?bStance .
        FILTER ((?aStance = parley:Supports && ?bStance = parley:Opposes)
            || (?aStance = parley:Opposes && ?bStance = parley:Supports))
        BIND (IF(?aFrom != ?bFrom, "inherited", "stance") AS ?kind)""",
    _STAND_PAIR
    + """        ?aPosition parley:maxValue ?aMax . ?bPosition parley:minValue ?bMin . FILTER (?aMax < ?bMin)
        BIND (?bMin - ?aMax AS ?gap) BIND (IF(?aFrom != ?bFrom, "inherited", "range") AS ?kind)""",
    _STAND_PAIR
    + """        ?bPosition parley:maxValue ?bMax . ?aPosition parley:minValue ?aMin . FILTER (?bMax < ?aMin)
        BIND (?aMin - ?bMax AS ?gap) BIND (IF(?aFrom != ?bFrom, "inherited", "range") AS ?kind)""",
    _own_stands()
    + """        ?aPosition parley:rejects ?bPosition . ?bPosition parley:issue ?issue . BIND ("explicit" AS ?kind)""",
    _own_stands()
    + """        ?bPosition parley:rejects ?aPosition . ?aPosition parley:issue ?issue . BIND ("explicit" AS ?kind)""",
)

# Where groups ?a and ?b conflict: one row per issue and kind, with ?gap on range conflicts. Bind ?a and ?b.
STANDS_IN_CONFLICT = (
    "\nSELECT ?a ?b ?issue ?kind ?aPosition ?bPosition ?gap WHERE {" + _CONFLICT_ROWS + "}\nORDER BY ?issue ?kind\n"
)


def _conflicts_by_issue(pair: str) -> str:
    """Where groups ?a and ?b conflict as ``GET /conflicts`` says it: one row per issue, with its kinds.

    ``pair`` is constant text that opens the rows' group (a VALUES block naming the two groups), so
    that the rows are found for that pair only, not for every pair and then filtered.
    """
    # Each aggregate takes a value every row has: an aggregate over a value some rows lack is an
    # error in SPARQL (unbound), so a gap beside an explicit rejection would be lost.
    return (
        """
# One row per issue, as GET /conflicts answers: ?kinds in its order, ?kind the first of them. An issue
# has one stand conflict (stance, range or inherited) at most, besides its explicit rejections, and
# "explicit" sorts first: so the least and the greatest kind are the kinds, in order. The positions are
# the stands' where they conflict ("1" ranks a stand's row first), else, on each side, one in the
# issue's rejections: on the issue before elsewhere ("1" again), then the greatest.
SELECT ?a ?b ?issue ?kind ?kinds ?gap ?aPosition ?bPosition WHERE {
  {
    SELECT ?a ?b ?issue (MIN(?kind) AS ?first) (MAX(?kind) AS ?last)
           (MAX(COALESCE(STR(?gap), "")) AS ?gapText) (MAX(COALESCE(STR(DATATYPE(?gap)), "")) AS ?gapType)
           (MAX(CONCAT(IF(?kind = "explicit", "0", "1"), COALESCE(IF(?aPositionIssue = ?issue, "1", "0"), "1"),
                       STR(?aPosition))) AS ?aRanked)
           (MAX(CONCAT(IF(?kind = "explicit", "0", "1"), COALESCE(IF(?bPositionIssue = ?issue, "1", "0"), "1"),
                       STR(?bPosition))) AS ?bRanked)
    WHERE {
"""
        + pair
        + _CONFLICT_ROWS
        + """
    }
    GROUP BY ?a ?b ?issue
  }
  BIND (?first AS ?kind)
  BIND (IF(?first = ?last, ?first, CONCAT(?first, " ", ?last)) AS ?kinds)
  BIND (IF(?gapText = "", ?noGap, STRDT(?gapText, IRI(?gapType))) AS ?gap)
  BIND (IRI(SUBSTR(?aRanked, 3)) AS ?aPosition)
  BIND (IRI(SUBSTR(?bRanked, 3)) AS ?bPosition)
}
ORDER BY ?issue
"""
    )


# Where groups ?a and ?b agree (docs/meaning.md, rule 5), one row per issue, with the zone of possible agreement on
# ranges; an issue where one rejects a position of the other's on it is a conflict, not an agreement.
def _agreement_rows(pair: str = "") -> str:
    """The rows of agreement; ``pair`` (a VALUES block naming the two groups, or nothing where ?a and ?b are
    bound) opens the rows' group and each MINUS's, so a server finds the rejections of that pair only."""
    # An issue where one rejects a position the other holds on it is a conflict, not an agreement, whatever
    # issue the rejecting position is on. The rejections' variables are apart from the agreeing stands', so
    # only the pair and the issue are compared (Virtuoso 7 answered the MINUS of a subquery wrongly).
    minus = "".join(
        "    MINUS {\n"
        + pair.replace("    VALUES", "        VALUES")
        + _own_stands("aOther", "bOther")
        + f"        ?{rejecting} parley:rejects ?{rejected} . ?{rejected} parley:issue ?issue .\n    }}\n"
        for rejecting, rejected in (("aOther", "bOther"), ("bOther", "aOther"))
    )
    return (
        pair
        + _union(
            _STAND_PAIR
            + """        ?aPosition parley:stance ?aStance . ?bPosition parley:stance ?bStance .
        FILTER (?aStance = ?bStance && ?aStance != parley:Neutral)""",
            _STAND_PAIR
            + _RANGES
            + """        BIND (IF(!BOUND(?aMin), ?bMin, IF(!BOUND(?bMin), ?aMin, IF(?aMin > ?bMin, ?aMin, ?bMin))) AS ?zoneMin)
        BIND (IF(!BOUND(?aMax), ?bMax, IF(!BOUND(?bMax), ?aMax, IF(?aMax < ?bMax, ?aMax, ?bMax))) AS ?zoneMax)
        FILTER (!(BOUND(?zoneMin) && BOUND(?zoneMax) && ?zoneMin > ?zoneMax))""",
        )
        + minus
    )


_AGREEMENT_SELECT = "\nSELECT ?a ?b ?issue ?aPosition ?bPosition ?zoneMin ?zoneMax WHERE {"

# Where groups ?a and ?b agree. Bind ?a and ?b.
STANDS_IN_AGREEMENT = _AGREEMENT_SELECT + _agreement_rows() + "}\nORDER BY ?issue\n"

# The query page's examples (what a user would type; the library never runs these). Those that
# mirror a REST route answer as it does (tests/api/test_example_queries.py holds them to it).
_PAIR = "    VALUES (?a ?b) { (actor:russia actor:ukraine) }\n"
EXAMPLE_QUERIES = {
    "Where Russia and Ukraine conflict (as GET /conflicts, from the derived stands)": _conflicts_by_issue(
        _PAIR
    ).strip(),
    "Where Russia and Ukraine agree (as GET /overlap)": (
        _AGREEMENT_SELECT + "\n" + _agreement_rows(_PAIR) + "}\nORDER BY ?issue"
    ).strip(),
    "Positions with their quotes (as GET /positions)": """SELECT ?position ?holder ?issue ?stance ?quote WHERE {
    ?position parley:holder ?holder ; parley:issue ?issue ; prov:wasDerivedFrom ?evidence .
    ?evidence parley:quote ?quote .
    FILTER EXISTS { ?position a parley:Position }  # demands, commitments, threats too: each is typed so
    OPTIONAL { ?position parley:stance ?stance }
}
ORDER BY ?issue ?holder ?position ?quote
LIMIT 100""",
    "Who speaks for whom (as GET /actors)": (
        "SELECT ?person ?group WHERE { ?person parley:speaksFor ?group } ORDER BY ?group ?person"
    ),
    "Named graphs and their sizes": """SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph""",
}


#
# The store itself (graph/store/), embedded or remote.
#

# The log graph's version counter, which every write through Parley raises; replicas compare it.
STORE_VERSION = "SELECT ?log ?version WHERE { GRAPH ?log { ?log parley:version ?version } }"
# A change written just before in the same request (typed parley:UnnumberedChange) takes the new version as its
# sequence number, in the same transaction as the raise: two replicas writing at once never share a number.
# Three operations, none with a variable its WHERE may leave unbound in a template (Virtuoso then inserts
# nothing at all): start the counter at 0 if there is none, raise it, number the change by it. "If there is
# none" is a count of 0: Virtuoso answers a FILTER NOT EXISTS that stands alone in its group as true, and
# inserts nothing over OPTIONAL and !BOUND.
RAISE_STORE_VERSION = """
INSERT { GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:version ?zero } }
WHERE {
    {
        SELECT (COUNT(?version) AS ?held) WHERE {
            GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:version ?version }
        }
    }
    FILTER (?held = 0)
    BIND (0 AS ?zero)
} ;
DELETE { GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:version ?version } }
INSERT { GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:version ?next } }
WHERE {
    GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:version ?version }
    BIND (?version + 1 AS ?next)
} ;
DELETE { GRAPH <https://w3id.org/parley/graph/log> { ?change a parley:UnnumberedChange } }
INSERT { GRAPH <https://w3id.org/parley/graph/log> { ?change parley:sequence ?version } }
WHERE {
    GRAPH <https://w3id.org/parley/graph/log> {
        ?change a parley:UnnumberedChange . <https://w3id.org/parley/graph/log> parley:version ?version
    }
}
"""

# Supertypes. Beside each type of a Parley class the store holds the types of the class's superclasses
# (rdfs:subClassOf, transitively, in the ontology graph), in the graph of the type they follow from, so that
# `?p a parley:Position` finds every position, a parley:Demand included, and `?a a parley:Actor` every
# actor: no query over the store needs a repeated path (rdfs:subClassOf*), which some servers answer
# wrongly (OpenLink Virtuoso 7.2, joined to other patterns). Loads write them with each document
# (graph/ingest/load.py); these find and add those a store lacks: one an earlier version wrote, or what
# a SPARQL update wrote. The log graph's parley:holdsSupertypes marks a store that lacks none, so that
# opening it need not look.
SUPERTYPES_HELD = """
ASK { GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:holdsSupertypes true } }
"""
FORGET_SUPERTYPES_HELD = """
DELETE DATA { GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:holdsSupertypes true } }
"""
MARK_SUPERTYPES_HELD = """
INSERT DATA { GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:holdsSupertypes true } }
"""
# Bind ?graph: its rdfs:subClassOf axioms, a class and a superclass each, for Python to close transitively
# (graph.store.vocabulary.superclass_closure).
SUBCLASS_AXIOMS = "SELECT ?graph ?class ?superclass WHERE { GRAPH ?graph { ?class rdfs:subClassOf ?superclass } }"
# Bind rows of ?class and ?superclass, each Parley class with each of its superclasses
# (graph.store.vocabulary.parley_superclasses): the type a store lacks beside one it holds, in its graph.
ADD_SUPERTYPES_IN_GRAPHS = """
INSERT { GRAPH ?graph { ?instance a ?superclass } }
WHERE {
    GRAPH ?graph { ?instance a ?class }
    FILTER NOT EXISTS { GRAPH ?graph { ?instance a ?superclass } }
}
"""
# Outside the named graphs, where a SPARQL update without GRAPH writes: the store's default graph in an update
# over the embedded store; over a server whose default graph is the union of all, a type without its supertype
# in any graph (those of the named graphs are added first). Bind ?class and ?superclass as above.
ADD_SUPERTYPES_OUTSIDE = """
INSERT { ?instance a ?superclass }
WHERE {
    ?instance a ?class .
    FILTER NOT EXISTS { ?instance a ?superclass }
}
"""


def adding_supertypes(pairs: list[tuple], outside: bool = True) -> str:
    """The update that adds the supertypes a store lacks and marks it as lacking none, in one transaction.

    ``pairs`` are (class, superclass) terms, bound in :data:`ADD_SUPERTYPES_IN_GRAPHS` and, where
    ``outside`` (a store with a default graph of its own: a server with none refuses a template without
    ``GRAPH``), then in :data:`ADD_SUPERTYPES_OUTSIDE`, as :func:`bind_values` writes them (an update takes
    no bindings). One
    pass over the instances of those classes (0.6 s at 100k positions in memory, against 1.1 s for the
    ``rdfs:subClassOf+`` join it replaces), which the mark spares a store's every open.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> update = adding_supertypes([(ox.NamedNode("urn:Demand"), ox.NamedNode("urn:Position"))])
    >>> update.count("VALUES (?class ?superclass) { (<urn:Demand> <urn:Position>) }"), update.count("INSERT")
    (2, 3)
    >>> adding_supertypes([]) == MARK_SUPERTYPES_HELD
    True
    """
    if not pairs:
        return MARK_SUPERTYPES_HELD
    steps = [
        bind_values(update, ["class", "superclass"], pairs)
        for update in ((ADD_SUPERTYPES_IN_GRAPHS, ADD_SUPERTYPES_OUTSIDE) if outside else (ADD_SUPERTYPES_IN_GRAPHS,))
    ]
    return " ;\n".join([*steps, MARK_SUPERTYPES_HELD])


# The graphs the server held before Parley first wrote (Virtuoso's system graphs): the server's, not the
# store's, which its counts, dumps and statistics leave out (RemoteStore.claim_server_graphs).
SERVER_GRAPHS = """
SELECT ?graph WHERE {
    GRAPH <https://w3id.org/parley/graph/log> { <https://w3id.org/parley/graph/log> parley:serverGraph ?graph }
}
"""

# Does any of Parley's graphs hold a quad, beside the record of the server's own graphs?
ANY_PARLEY_QUAD = """
ASK {
    GRAPH ?graph { ?subject ?predicate ?object }
    FILTER (STRSTARTS(STR(?graph), "https://w3id.org/parley/graph/") && ?predicate != parley:serverGraph)
}
"""
# Bind rows of ?graph: how many triples each holds (a graph that holds none is left out).
TRIPLES_IN_GRAPHS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?subject ?predicate ?object } } GROUP BY ?graph
"""
# Bind ?graph to ask about one graph.
ANY_QUAD = "ASK { GRAPH ?graph { ?subject ?predicate ?object } }"
ANY_DEFAULT_TRIPLE = "ASK { ?subject ?predicate ?object }"
# Bind rows of ?subject and ?derived: every triple of those subjects outside the derived graph.
QUADS_OF_SUBJECTS = """
SELECT ?subject ?predicate ?object ?graph ?derived WHERE {
    GRAPH ?graph { ?subject ?predicate ?object } FILTER (?graph != ?derived)
}
"""
# Every quad, or (bind ?graph) the triples of one graph.
TRIPLES_OF_GRAPH = "SELECT ?graph ?subject ?predicate ?object WHERE { GRAPH ?graph { ?subject ?predicate ?object } }"


# Strings, IRIs and comments: text in which SPARQL keywords and braces mean nothing. Long
# strings come first so that '''...''' is not read as three short ones.
INERT_TEXT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_WHERE = re.compile(r"(?<![\w:?$\-])WHERE(?![\w:\-])", re.IGNORECASE)


_FORM = re.compile(r"(?<![\w:?$\-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:\-])", re.IGNORECASE)


def form_of(sparql: str) -> str:
    r"""The query's form, lower case: ``select``, ``ask``, ``construct`` or ``describe`` (its first keyword
    of the four outside strings, IRIs and comments; ``select`` if none, as a server would fail it anyway).

    Examples
    --------
    >>> form_of("PREFIX ask: <urn:select#> # CONSTRUCT\nask { ?s ?p 'DESCRIBE' }")
    'ask'
    """
    found = _FORM.search(INERT_TEXT.sub(lambda text: " " * len(text.group(0)), sparql))
    return found.group(1).lower() if found else "select"


def bind_values(sparql: str, variables: list[str], rows: list[tuple]) -> str:
    r"""The query or update with a ``VALUES`` block for ``rows`` opening its WHERE group.

    This is how values are bound for a SPARQL server, which takes no substitutions: each term is
    written by Oxigraph (``str`` of a pyoxigraph term is its N-Triples form, escaped), and None is
    ``UNDEF``. The WHERE group is the first ``{`` after the keyword WHERE, or the query's first
    ``{`` when WHERE is left out (``ASK {``, ``SELECT * {``); braces in strings, IRIs and comments
    do not count.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> bind_values('ASK { ?s ?p "{" }', ["s"], [(ox.NamedNode("urn:a"),)])
    'ASK { VALUES (?s) { (<urn:a>) }\n ?s ?p "{" }'
    """
    if not rows:
        return sparql
    blanked = INERT_TEXT.sub(lambda found: " " * len(found.group(0)), sparql)
    where = _WHERE.search(blanked)
    opening = blanked.find("{", where.end() if where else 0)
    if opening < 0:
        raise ValueError("no WHERE group to bind values in")
    header = " ".join(f"?{name}" for name in variables)
    body = " ".join("(" + " ".join("UNDEF" if term is None else str(term) for term in row) + ")" for row in rows)
    return f"{sparql[: opening + 1]} VALUES ({header}) {{ {body} }}\n{sparql[opening + 1 :]}"


#
# The change log (graph/report/changes.py): every write's record, numbered by the store's version.
#

# (Each SELECT projects the variables it is given, as the embedded store binds only those.)
# The changes numbered above ?after (and, for a time, ended at or after ?since), with what each said;
# ORDER BY sequence, ascending or descending as the constant's name says.
_CHANGES = """
SELECT ?change ?sequence ?time ?operation ?summary ?shifts ?after ?since WHERE {
    GRAPH <https://w3id.org/parley/graph/log> {
        ?change parley:sequence ?sequence ; prov:endedAtTime ?time ; parley:operation ?operation ;
            rdfs:comment ?summary ; parley:shiftCount ?shifts
    }
    FILTER (?sequence > ?after && ?time >= ?since)
}
"""
CHANGES_OLDEST_FIRST = _CHANGES + "ORDER BY ?sequence"
CHANGES_NEWEST_FIRST = _CHANGES + "ORDER BY DESC(?sequence)"

# The positions each change numbered from ?low to ?high added, removed, changed or superseded.
CHANGE_POSITIONS = """
SELECT ?sequence ?role ?position ?low ?high WHERE {
    VALUES ?role { parley:added parley:removed parley:changed parley:superseded }
    GRAPH <https://w3id.org/parley/graph/log> { ?change parley:sequence ?sequence ; ?role ?position }
    FILTER (?sequence >= ?low && ?sequence <= ?high)
}
"""

# The shifts of the changes numbered from ?low to ?high.
CHANGE_SHIFTS = """
SELECT ?sequence ?index ?party ?issue ?from ?to ?summary ?low ?high WHERE {
    GRAPH <https://w3id.org/parley/graph/log> {
        ?change parley:sequence ?sequence ; parley:shift ?shift .
        ?shift parley:shiftIndex ?index ; parley:party ?party ; parley:onIssue ?issue ; rdfs:comment ?summary .
        OPTIONAL { ?shift parley:from ?from }
        OPTIONAL { ?shift parley:to ?to }
    }
    FILTER (?sequence >= ?low && ?sequence <= ?high)
}
"""

# The shifts of one party, newest write first (a write's own shifts in their order), with its number and time.
PARTY_SHIFTS = """
SELECT ?change ?sequence ?time ?index ?issue ?from ?to ?summary ?party WHERE {
    GRAPH <https://w3id.org/parley/graph/log> {
        ?shift parley:party ?party ; parley:shiftIndex ?index ; parley:onIssue ?issue ; rdfs:comment ?summary .
        ?change parley:shift ?shift ; parley:sequence ?sequence ; prov:endedAtTime ?time .
        OPTIONAL { ?shift parley:from ?from }
        OPTIONAL { ?shift parley:to ?to }
    }
}
ORDER BY DESC(?sequence) ?index
"""
