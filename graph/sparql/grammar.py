"""A parser for the SPARQL 1.1 grammar, to know what a client's text asks before a store sees it.

Parley refuses ``SERVICE`` and ``LOAD`` in client SPARQL, and it must find them as a SPARQL
parser does, not as a text pattern would: a keyword hidden by a prefixed name, an escape or a
comment is still a keyword to the store. So this module follows the W3C SPARQL 1.1 grammar (Query
Language, section 19.8) production by production: tokens are cut by the grammar's own terminals
with the longest match winning (``SERVICE:x`` is one prefixed name, never the keyword), and only
a text the whole grammar accepts is passed on. Anything else is a :class:`SparqlSyntaxError` that
says where and what, so a store's more lenient reading of a malformed text never runs.

Where engines read the same text differently, the text is refused, so that whatever engine runs
it reads it as this parser does:

- codepoint escapes (``\\u0022``): the grammar decodes them before parsing, anywhere; Oxigraph
  only inside strings and IRIs. They are accepted inside strings and IRIs only (elsewhere the
  backslash is a syntax error), and never for a character that ends a string, an IRI or a comment
  (quotes, backslash, angle brackets, line breaks), so both readings cut the same tokens; Java's
  ``\\uu0041`` form, which JavaCC-built engines decode everywhere, is refused;
- prefixed names: Oxigraph cuts a local name at its second dot (``ex:a.b.c``), and reads a keyword
  glued to a name (``GRAPHg:log`` as ``GRAPH g:log``), backtracking to other readings when a name
  is no valid IRI; so a local name holds one dot at most, a prefix none, no prefix begins with a
  keyword, every prefix must be declared (or predefined) and every name be a valid IRI;
- relative IRIs: implementations resolve them against BASE differently in corner cases (a
  fragment, dot segments), and a name resolved differently can be read into a SERVICE; so BASE is
  refused, and every IRI must be absolute.

The nesting of brackets is bounded (:data:`MAX_NESTING`): a text nested thousands deep crashed
the store's own recursive parser, and this one would exhaust Python's stack.

The parser is pure and needs no store. :func:`parse_query` and :func:`parse_update` return a
:class:`ParsedSparql` saying the form, where ``SERVICE`` and ``LOAD`` occur, and the graphs a query's
``FROM`` and ``FROM NAMED`` name (its own dataset).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, NoReturn

import pyoxigraph as ox

__all__ = ["MAX_NESTING", "ParsedSparql", "SparqlSyntaxError", "parse_query", "parse_update"]

MAX_NESTING = 64
"""The deepest nesting of ``{``, ``(`` and ``[`` a text may have."""

MAX_IRI_LENGTH = 4096
"""The longest IRI a text may name (a prefixed name's expansion included)."""


class SparqlSyntaxError(ValueError):
    """The text is not SPARQL 1.1: ``message`` says what, ``line`` and ``column`` (from 1) say where."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class ParsedSparql:
    """What a SPARQL text asks, from its parse."""

    kind: str
    """``query`` or ``update``."""
    form: str | None
    """``select``, ``ask``, ``construct`` or ``describe`` for a query; None for an update."""
    reaches_out: tuple[tuple[str, int, int], ...] = field(default=())
    """Each ``SERVICE`` or ``LOAD`` with its line and column: what would make a store fetch."""
    writes: tuple[tuple[str, int, int], ...] = field(default=())
    """For an update, each graph an operation writes or clears, with its line and column: the IRI
    (prefixed names and relative IRIs resolved), ``?name`` for a variable, ``ALL`` or ``NAMED``."""
    from_graphs: tuple[str, ...] = field(default=())
    """For a query, the IRI of each ``FROM``, in order: the graphs whose merge is its default graph."""
    from_named_graphs: tuple[str, ...] = field(default=())
    """For a query, the IRI of each ``FROM NAMED``, in order: the only graphs its ``GRAPH`` may match."""
    repeated_paths: tuple[tuple[str, int, int], ...] = field(default=())
    """Each ``*`` or ``+`` of a property path (``rdfs:subClassOf*``), with its line and column: a path that
    some servers answer wrongly (OpenLink Virtuoso 7.2, joined to other patterns), so Parley's own
    queries over a store do without."""
    text: str = field(default="", repr=False)
    """The text as it was given."""
    dataset_spans: tuple[tuple[int, int], ...] = field(default=(), repr=False)
    """Where each ``FROM`` and ``FROM NAMED`` clause of a query is in the text: start and end offsets."""

    def without_dataset_clauses(self) -> str:
        """The text with its ``FROM`` and ``FROM NAMED`` clauses blanked, for a store given the dataset apart
        (as the Protocol's ``default-graph-uri`` and ``named-graph-uri``, which a server should prefer to the
        text's clauses, and Virtuoso does not). Blanks keep every line and column where they were.

        Examples
        --------
        >>> parse_query("SELECT * FROM <urn:a> FROM NAMED <urn:b> { ?s ?p ?o }").without_dataset_clauses()
        'SELECT *                                 { ?s ?p ?o }'
        """
        text = self.text
        for start, end in reversed(self.dataset_spans):
            text = text[:start] + " " * (end - start) + text[end:]
        return text


# Terminals of the grammar (section 19.8), as regular expressions.
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
# Stricter than the grammar where engines differ (see above), and possessive, so that a long run of
# name characters is read once: a prefix has no dot, a local name one at most.
_PN_PREFIX = f"[{_PN_CHARS_BASE}][{_PN_CHARS}]*+"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:[{_PN_CHARS}:]|{_PLX})*+(?:[.](?:[{_PN_CHARS}:]|{_PLX})++)?+"
_LOCAL_GOES_ON = re.compile(f"[.](?:[{_PN_CHARS}:%]|[\\\\])")
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']|" + _UCHAR
_EXPONENT = r"[eE][+-]?[0-9]+"

# Alternatives are tried in order, so each comes before any that could match a prefix of it:
# this is the grammar's longest match. Possessive repeats keep a long unclosed string linear.
_SPACE = re.compile(r"(?:[ \t\r\n]++|#[^\r\n]*+)*+")
_TERMINALS = [
    ("end", r"\Z"),
    ("iri", r"<(?:[^<>\"{}|^`\\\x00-\x20]++|" + _UCHAR + ")*+>"),
    (
        "string",
        rf'"""(?:"{{0,2}}(?:[^"\\]++|{_ECHAR}))*+"""'
        rf"|'''(?:'{{0,2}}(?:[^'\\]++|{_ECHAR}))*+'''"
        rf'|"(?:[^"\\\r\n]++|{_ECHAR})*+"'
        rf"|'(?:[^'\\\r\n]++|{_ECHAR})*+'",
    ),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("bnode", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("var", f"[?$]{_VARNAME}"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    (
        "number",
        rf"[+-]?(?:[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}|[0-9]*\.[0-9]+|[0-9]+)",
    ),
    ("word", r"[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*/|^!?+\-=<>]"),
]


def _token_pattern(names_with_prefix: bool) -> re.Pattern:
    """One regular expression for every terminal (the prefixed name left out if told to), matched where
    the white space and comments before a token end."""
    chosen = [(name, pattern) for name, pattern in _TERMINALS if names_with_prefix or name != "pname"]
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in chosen))


_TOKEN = _token_pattern(True)
# Where a run of name characters is not followed by ':', no prefixed name starts inside it: the
# tokenizer then matches without trying one, instead of scanning the run again at every token.
_TOKEN_NO_PNAME = _token_pattern(False)
_NAME_RUN = re.compile(f"[{_PN_CHARS_BASE}][{_PN_CHARS}]*+")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_JAVA_ESCAPE = re.compile(r"\\u{2,}[0-9A-Fa-f]{4}")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPENING, _CLOSING = "{([", "})]"

# Built-in functions by how they take their arguments: a number is that many expressions.
_BUILTINS: dict[str, int | str] = {
    **dict.fromkeys(
        [
            "STR",
            "LANG",
            "DATATYPE",
            "IRI",
            "URI",
            "ABS",
            "CEIL",
            "FLOOR",
            "ROUND",
            "STRLEN",
            "UCASE",
            "LCASE",
            "ENCODE_FOR_URI",
            "YEAR",
            "MONTH",
            "DAY",
            "HOURS",
            "MINUTES",
            "SECONDS",
            "TIMEZONE",
            "TZ",
            "MD5",
            "SHA1",
            "SHA256",
            "SHA384",
            "SHA512",
            "ISIRI",
            "ISURI",
            "ISBLANK",
            "ISLITERAL",
            "ISNUMERIC",
        ],
        1,
    ),
    **dict.fromkeys(
        ["LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "STRLANG", "STRDT", "SAMETERM"], 2
    ),
    "IF": 3,
    "REGEX": "2-3",
    "SUBSTR": "2-3",
    "REPLACE": "3-4",
    **dict.fromkeys(["RAND", "NOW", "UUID", "STRUUID"], "nil"),
    "BNODE": "nil-or-1",
    "BOUND": "var",
    "CONCAT": "list",
    "COALESCE": "list",
}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
_GRAMMAR_WORDS = """
BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK FROM NAMED WHERE ORDER BY ASC DESC LIMIT OFFSET DISTINCT REDUCED
OPTIONAL GRAPH UNION FILTER SERVICE SILENT BIND VALUES UNDEF MINUS EXISTS NOT IN AS GROUP HAVING
LOAD CLEAR DROP CREATE ADD MOVE COPY TO INTO DEFAULT ALL INSERT DELETE DATA WITH USING SEPARATOR TRUE FALSE
"""
_KEYWORDS = sorted({*_GRAMMAR_WORDS.split(), *_BUILTINS, *_AGGREGATES})
"""Every keyword but ``a``: a prefix may not begin with one."""
_RELATIONAL = {"=", "!=", "<", ">", "<=", ">="}
_QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_GRAPH_PATTERN_KEYWORDS = ("OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES")


class _Token(NamedTuple):
    kind: str
    key: str
    """What the grammar matches: a punctuation mark, or a keyword upper-cased (``a`` alone is
    case-sensitive and stays as it is); empty for other tokens."""
    start: int
    text: str

    @property
    def keyword(self) -> str | None:
        return self.key if self.kind == "word" else None


# What a codepoint escape may not stand for: a character that ends a string, an IRI or a comment
# when escapes are decoded before parsing (as the grammar says) but not when they are decoded
# inside their token (as Oxigraph does), so that both readings cut the same tokens.
_DELIMITERS = frozenset("\"'\\<>\n\r")


def _check_codepoint_escapes(text: str) -> None:
    """Refuse an escape of no character, or of a delimiter (see :data:`_DELIMITERS`), or in Java's form."""
    if "\\" not in text:
        return
    java = _JAVA_ESCAPE.search(text)
    if java is not None:
        # Engines built with JavaCC decode \\uu0041 (any number of u) before parsing, anywhere.
        raise SparqlSyntaxError(f"the escape {java.group(0)} is not SPARQL's", *_where(text, java.start()))
    for found in _CODEPOINT.finditer(text):
        value = int(found.group(1) or found.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise SparqlSyntaxError(
                f"the escape {found.group(0)} is not a Unicode character", *_where(text, found.start())
            )
        if chr(value) in _DELIMITERS:
            raise SparqlSyntaxError(
                f"the escape {found.group(0)} stands for {chr(value)!r}, which SPARQL engines read in different "
                "places: in a string write the character with a backslash escape instead",
                *_where(text, found.start()),
            )


def _decode_uchar(text: str) -> str:
    """An IRI's text with its codepoint escapes decoded, as stores read it."""
    return _CODEPOINT.sub(lambda found: chr(int(found.group(1) or found.group(2), 16)), text)


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text``, with the nesting of brackets checked as they come."""
    found: list[_Token] = []
    depth, position, no_prefixed_name_before = 0, 0, 0
    while True:
        start = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if start >= no_prefixed_name_before:
            run = _NAME_RUN.match(text, start)
            if run is not None and not text.startswith(":", run.end()):
                no_prefixed_name_before = run.end()
        pattern = _TOKEN if start >= no_prefixed_name_before else _TOKEN_NO_PNAME
        token = pattern.match(text, start)
        if token is None:
            line, column = _where(text, start)
            raise SparqlSyntaxError(f"unexpected character {text[start]!r}", line, column)
        kind, value = token.lastgroup or "", token.group()
        position = token.end()
        if kind == "word":
            found.append(_Token(kind, "a" if value == "a" else value.upper(), start, value))
        elif kind == "pname" and _LOCAL_GOES_ON.match(text, position):
            line, column = _where(text, start)
            raise SparqlSyntaxError("a prefixed name may hold one dot at most after its prefix", line, column)
        elif kind == "punct":
            if value in _OPENING:
                depth += 1
                if depth > MAX_NESTING:
                    line, column = _where(text, start)
                    raise SparqlSyntaxError(f"brackets nest more than {MAX_NESTING} deep", line, column)
            elif value in _CLOSING:
                depth -= 1
            found.append(_Token(kind, value, start, value))
        elif kind == "end":
            found.append(_Token(kind, "", start, ""))
            return found
        else:
            found.append(_Token(kind, "", start, value))


class _Parser:
    """Recursive descent over the grammar's productions; each method is named after one."""

    def __init__(self, text: str, prefixes: Mapping[str, str]):
        self.given = text
        self.prefixes = dict(prefixes)
        self.resolved: dict[tuple[str, str], str] = {}
        self.writes: list[tuple[str, int, int]] = []
        self.text = text
        _check_codepoint_escapes(text)
        self.tokens = _tokens(text)
        self.line_starts = [0] + [found.end() for found in re.finditer("\n", text)]
        self.at = 0
        self.reaches_out: list[tuple[str, int, int]] = []
        self.from_graphs: list[str] = []
        self.from_named_graphs: list[str] = []
        self.dataset_spans: list[tuple[int, int]] = []
        self.repeated_paths: list[tuple[str, int, int]] = []

    # Looking and taking.

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def peek(self, ahead: int = 1) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def is_(self, *keys: str) -> bool:
        return self.tokens[self.at].key in keys

    def take(self) -> _Token:
        token = self.tokens[self.at]
        if token.kind in ("pname", "iri"):
            self.resolve(token)  # every name must be a valid IRI, or a store might read the text otherwise
        self.at += 1
        return token

    def accept(self, *keys: str) -> bool:
        if self.tokens[self.at].key in keys:
            self.at += 1
            return True
        return False

    def expect(self, *texts: str) -> _Token:
        if not self.is_(*texts):
            self.fail(" or ".join(repr(text) for text in texts))
        return self.take()

    def expect_kind(self, kind: str, what: str) -> _Token:
        if self.token.kind != kind:
            self.fail(what)
        return self.take()

    def where(self, offset: int) -> tuple[int, int]:
        """The line and column (from 1) of an offset in the text, found in the lines' starts."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def fail(self, expected: str) -> NoReturn:
        token = self.token
        line, column = self.where(token.start)
        found = "the end of the text" if token.kind == "end" else repr(token.text[:40])
        raise SparqlSyntaxError(f"expected {expected}, found {found}", line, column)

    def note_reaching_out(self, token: _Token) -> None:
        line, column = self.where(token.start)
        self.reaches_out.append((token.keyword or token.text, line, column))

    # Units.

    def query_unit(self) -> ParsedSparql:
        self.prologue()
        form = self.expect(*_QUERY_FORMS).keyword or ""
        {
            "SELECT": self.select_query,
            "CONSTRUCT": self.construct_query,
            "DESCRIBE": self.describe_query,
            "ASK": self.ask_query,
        }[form]()
        self.values_clause()
        self.expect_kind("end", "the end of the query")
        return ParsedSparql(
            "query",
            form.lower(),
            tuple(self.reaches_out),
            from_graphs=tuple(self.from_graphs),
            from_named_graphs=tuple(self.from_named_graphs),
            repeated_paths=tuple(self.repeated_paths),
            text=self.given,
            dataset_spans=tuple(self.dataset_spans),
        )

    def update_unit(self) -> ParsedSparql:
        # Update ::= Prologue ( Update1 ( ';' Update )? )?, taken as a loop: a long chain must not recurse.
        while True:
            self.prologue()
            if self.token.kind == "end":
                break
            self.update1()
            if not self.accept(";"):
                break
        self.expect_kind("end", "';' or the end of the update")
        return ParsedSparql(
            "update",
            None,
            tuple(self.reaches_out),
            tuple(self.writes),
            repeated_paths=tuple(self.repeated_paths),
            text=self.given,
        )

    def prologue(self) -> None:
        while True:
            if self.is_("BASE"):
                # Stores resolve relative IRIs against BASE in ways that differ in corner cases (a fragment,
                # dot segments), and a name read differently can be read into a SERVICE: IRIs come whole.
                self.fail("no BASE (write absolute IRIs)")
            elif self.accept("PREFIX"):
                if self.token.kind != "pname" or not self.token.text.endswith(":"):
                    self.fail("a prefix such as ex:")
                name = self.tokens[self.at].text[:-1]
                keyword = next((word for word in _KEYWORDS if name.upper().startswith(word)), None)
                if keyword is not None:
                    # Oxigraph reads a keyword glued to a name ("GRAPHg:log" as GRAPH g:log).
                    self.fail(f"a prefix that does not begin with the keyword {keyword}")
                self.at += 1
                self.prefixes[name] = self.resolve(self.expect_kind("iri", "an IRI in <...>"))
            else:
                return

    # Queries.

    def select_clause(self) -> None:
        self.accept("DISTINCT", "REDUCED")
        if self.accept("*"):
            return
        count = 0
        while self.token.kind == "var" or self.is_("("):
            if self.accept("("):
                self.expression()
                self.expect("AS")
                self.var()
                self.expect(")")
            else:
                self.take()
            count += 1
        if not count:
            self.fail("'*' or the variables to select")

    def select_query(self) -> None:
        self.select_clause()
        self.dataset_clauses()
        self.where_clause()
        self.solution_modifier()

    def construct_query(self) -> None:
        if self.is_("{"):
            self.triples_template_group(paths=False)
            self.dataset_clauses()
            self.where_clause()
        else:
            self.dataset_clauses()
            self.expect("WHERE")
            self.triples_template_group(paths=False)
        self.solution_modifier()

    def describe_query(self) -> None:
        if not self.accept("*"):
            self.var_or_iri()
            while self.token.kind in ("var", "iri", "pname"):
                self.take()
        self.dataset_clauses()
        if self.is_("WHERE", "{"):
            self.where_clause()
        self.solution_modifier()

    def ask_query(self) -> None:
        self.dataset_clauses()
        self.where_clause()
        self.solution_modifier()

    def dataset_clauses(self) -> None:
        # Only a query's own clauses come here: a subquery has none, and an update's USING is its own.
        while self.is_("FROM"):
            start = self.take().start
            graphs = self.from_named_graphs if self.accept("NAMED") else self.from_graphs
            named = self.token
            graphs.append(self.iri())
            self.dataset_spans.append((start, named.start + len(named.text)))

    def where_clause(self) -> None:
        self.accept("WHERE")
        self.group_graph_pattern()

    def solution_modifier(self) -> None:
        if self.accept("GROUP"):
            self.expect("BY")
            self.repeated(self.group_condition, self.starts_condition, "a grouping condition")
        if self.accept("HAVING"):
            self.repeated(self.constraint, self.starts_constraint, "a HAVING condition")
        if self.accept("ORDER"):
            self.expect("BY")
            self.repeated(
                self.order_condition,
                lambda: self.starts_condition() or self.is_("ASC", "DESC"),
                "an ordering condition",
            )
        for first, second in (("LIMIT", "OFFSET"), ("OFFSET", "LIMIT")):
            if self.accept(first):
                self.integer()
                if self.accept(second):
                    self.integer()
                break

    def separated(self, production, separator: str) -> None:
        """``production ( separator production )*``: a list, taken in a loop."""
        production()
        while self.accept(separator):
            production()

    def repeated(self, production, starts, what: str) -> None:
        if not starts():
            self.fail(what)
        while starts():
            production()

    def starts_constraint(self) -> bool:
        token = self.token
        return self.is_("(") or token.kind in ("iri", "pname") or self.is_builtin()

    def starts_condition(self) -> bool:
        return self.starts_constraint() or self.token.kind == "var"

    def group_condition(self) -> None:
        if self.accept("("):
            self.expression()
            if self.accept("AS"):
                self.var()
            self.expect(")")
        elif self.token.kind == "var":
            self.take()
        else:
            self.constraint()

    def order_condition(self) -> None:
        if self.accept("ASC", "DESC"):
            self.bracketted_expression()
        elif self.token.kind == "var":
            self.take()
        else:
            self.constraint()

    def integer(self) -> None:
        if self.token.kind != "number" or not self.token.text.isdigit():
            self.fail("a whole number")
        self.take()

    def values_clause(self) -> None:
        if self.accept("VALUES"):
            self.data_block()

    def data_block(self) -> None:
        if self.token.kind == "var":
            self.take()
            self.expect("{")
            while not self.accept("}"):
                self.data_block_value()
            return
        self.expect("(")
        width = 0
        while self.token.kind == "var":
            self.take()
            width += 1
        self.expect(")")
        self.expect("{")
        while not self.accept("}"):
            row = self.expect("(")
            values = 0
            while not self.accept(")"):
                self.data_block_value()
                values += 1
            if values != width:  # the grammar's note: as many values in each row as variables
                line, column = self.where(row.start)
                raise SparqlSyntaxError(f"a row of {values} values for {width} variables", line, column)

    def data_block_value(self) -> None:
        if not self.accept("UNDEF"):
            self.constant("a value or UNDEF")

    # Graph patterns.

    def group_graph_pattern(self) -> None:
        self.expect("{")
        if self.accept("SELECT"):
            self.select_clause()
            self.where_clause()
            self.solution_modifier()
            self.values_clause()
        else:
            self.group_graph_pattern_sub()
        self.expect("}")

    def group_graph_pattern_sub(self) -> None:
        while not self.is_("}"):
            if self.is_(*_GRAPH_PATTERN_KEYWORDS) or self.is_("{"):
                self.graph_pattern_not_triples()
                self.accept(".")
            else:
                self.triples_same_subject(paths=True)
                ends = self.is_("}") or self.is_(*_GRAPH_PATTERN_KEYWORDS) or self.is_("{")
                if not self.accept(".") and not ends:
                    self.fail("'.', '}' or a graph pattern")

    def graph_pattern_not_triples(self) -> None:
        token = self.token
        keyword = token.keyword if token.kind == "word" else None
        if self.is_("{"):
            self.group_graph_pattern()
            while self.accept("UNION"):
                self.group_graph_pattern()
            return
        self.take()
        if keyword in ("OPTIONAL", "MINUS"):
            self.group_graph_pattern()
        elif keyword == "GRAPH":
            self.var_or_iri()
            self.group_graph_pattern()
        elif keyword == "SERVICE":
            self.note_reaching_out(token)
            self.accept("SILENT")
            self.var_or_iri()
            self.group_graph_pattern()
        elif keyword == "FILTER":
            self.constraint()
        elif keyword == "BIND":
            self.expect("(")
            self.expression()
            self.expect("AS")
            self.var()
            self.expect(")")
        else:  # VALUES
            self.data_block()

    def triples_template_group(self, paths: bool) -> None:
        """``'{' TriplesTemplate? '}'``: triples only (CONSTRUCT templates, GRAPH inside quads)."""
        self.expect("{")
        self.triples_template(paths)
        self.expect("}")

    def triples_template(self, paths: bool) -> None:
        while not self.is_("}") and not self.is_("GRAPH"):
            self.triples_same_subject(paths)
            if not self.accept("."):
                return

    def triples_same_subject(self, paths: bool) -> None:
        if self.is_("[") and self.peek().text != "]" or self.is_("(") and self.peek().text != ")":
            self.triples_node(paths)
            if self.starts_verb(paths):
                self.property_list_not_empty(paths)
        else:
            self.var_or_term()
            self.property_list_not_empty(paths)

    def starts_verb(self, paths: bool) -> bool:
        token = self.token
        if token.kind in ("var", "iri", "pname") or token.keyword == "a":
            return True
        return paths and self.is_("^", "!", "(")

    def property_list_not_empty(self, paths: bool) -> None:
        self.verb(paths)
        self.object_list(paths)
        while self.accept(";"):
            if self.starts_verb(paths):
                self.verb(paths)
                self.object_list(paths)

    def verb(self, paths: bool) -> None:
        if self.token.kind == "var":
            self.take()
        elif paths:
            self.path()
        elif not self.accept("a"):
            self.iri()

    def object_list(self, paths: bool) -> None:
        self.separated(lambda: self.graph_node(paths), ",")

    def graph_node(self, paths: bool) -> None:
        if self.is_("[") and self.peek().text != "]" or self.is_("(") and self.peek().text != ")":
            self.triples_node(paths)
        else:
            self.var_or_term()

    def triples_node(self, paths: bool) -> None:
        if self.accept("["):
            self.property_list_not_empty(paths)
            self.expect("]")
            return
        self.expect("(")
        self.graph_node(paths)
        while not self.accept(")"):
            self.graph_node(paths)

    # Property paths.

    def path(self) -> None:
        self.separated(self.path_sequence, "|")

    def path_sequence(self) -> None:
        self.separated(self.path_elt_or_inverse, "/")

    def path_elt_or_inverse(self) -> None:
        self.accept("^")
        self.path_primary()
        # '?' alone is the modifier; '?x' is a variable, which the tokens already tell apart.
        if self.is_("*", "+"):
            self.repeated_paths.append((self.token.text, *self.where(self.token.start)))
        self.accept("?", "*", "+")

    def path_primary(self) -> None:
        if self.accept("a"):
            return
        if self.accept("!"):
            if self.accept("("):
                if not self.accept(")"):
                    self.path_one_in_property_set()
                    while self.accept("|"):
                        self.path_one_in_property_set()
                    self.expect(")")
            else:
                self.path_one_in_property_set()
        elif self.accept("("):
            self.path()
            self.expect(")")
        else:
            self.iri()

    def path_one_in_property_set(self) -> None:
        self.accept("^")
        if not self.accept("a"):
            self.iri()

    # Terms.

    def var(self) -> None:
        self.expect_kind("var", "a variable")

    def iri(self) -> str:
        if self.token.kind not in ("iri", "pname"):
            self.fail("an IRI")
        return self.resolve(self.take())

    def var_or_iri(self) -> str:
        if self.token.kind not in ("var", "iri", "pname"):
            self.fail("a variable or an IRI")
        token = self.take()
        return "?" + token.text[1:] if token.kind == "var" else self.resolve(token)

    def resolve(self, token: _Token) -> str:
        """The absolute IRI a token names (prefixed names expanded, escapes decoded), checked as the store checks.

        Each distinct name is checked once, and IRIs are bounded (:data:`MAX_IRI_LENGTH`), so that a
        long namespace used many times costs no more than the text.
        """
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                self.fail(f"a declared prefix ({prefix}: is not declared)")
            key = (self.prefixes[prefix], local)  # what the name means, whatever a later PREFIX says
        else:
            key = ("", token.text)
        known = self.resolved.get(key)
        if known is not None:
            return known
        iri = key[0] + _LOCAL_ESCAPE.sub(r"\1", key[1]) if token.kind == "pname" else _decode_uchar(token.text[1:-1])
        if len(iri) > MAX_IRI_LENGTH:
            self.fail(f"an IRI of at most {MAX_IRI_LENGTH:,} characters")
        try:
            ox.NamedNode(iri)  # the store's own check: an absolute IRI
        except ValueError:
            self.fail(f"a valid absolute IRI ({iri[:80]!r} is not one)")
        self.resolved[key] = iri
        return iri

    def var_or_term(self) -> None:
        token = self.token
        if token.kind in ("var", "bnode"):
            self.take()
        elif self.is_("[", "("):
            self.take()
            self.expect("]" if token.text == "[" else ")")
        else:
            self.constant("a variable or an RDF term")

    def constant(self, what: str) -> None:
        """An IRI, a literal (with its language or datatype), a number or a boolean."""
        token = self.token
        if token.kind in ("iri", "pname", "number") or token.keyword in ("TRUE", "FALSE"):
            self.take()
        elif token.kind == "string":
            self.take()
            if self.token.kind == "langtag":
                self.take()
            elif self.accept("^^"):
                self.iri()
        else:
            self.fail(what)

    # Expressions.

    def constraint(self) -> None:
        if self.is_("("):
            self.bracketted_expression()
        elif self.is_builtin():
            self.builtin_call()
        elif self.token.kind in ("iri", "pname"):
            self.take()
            self.arg_list()
        else:
            self.fail("a bracketed expression or a function call")

    def bracketted_expression(self) -> None:
        self.expect("(")
        self.expression()
        self.expect(")")

    def expression(self) -> None:
        self.separated(self.and_expression, "||")

    def and_expression(self) -> None:
        self.separated(self.relational_expression, "&&")

    def relational_expression(self) -> None:
        self.additive_expression()
        if self.token.kind == "punct" and self.token.text in _RELATIONAL:
            self.take()
            self.additive_expression()
        elif self.accept("IN"):
            self.expression_list()
        elif self.is_("NOT") and self.peek().keyword == "IN":
            self.at += 2
            self.expression_list()

    def additive_expression(self) -> None:
        self.multiplicative_expression()
        while True:
            if self.accept("+", "-"):
                self.multiplicative_expression()
            elif self.token.kind == "number" and self.token.text[0] in "+-":
                # '?a +1' is a signed number to the tokens, and an addition to the grammar.
                self.take()
                while self.accept("*", "/"):
                    self.unary_expression()
            else:
                return

    def multiplicative_expression(self) -> None:
        self.unary_expression()
        while self.accept("*", "/"):
            self.unary_expression()

    def unary_expression(self) -> None:
        self.accept("!", "+", "-")
        self.primary_expression()

    def primary_expression(self) -> None:
        token = self.token
        if self.is_("("):
            self.bracketted_expression()
        elif self.is_builtin():
            self.builtin_call()
        elif token.kind in ("iri", "pname"):
            self.take()
            if self.is_("("):
                self.arg_list()
        elif token.kind == "var":
            self.take()
        else:
            self.constant("an expression")

    def is_builtin(self) -> bool:
        keyword = self.token.keyword
        return keyword is not None and (
            keyword in _BUILTINS
            or keyword in _AGGREGATES
            or keyword == "EXISTS"
            or (keyword == "NOT" and self.peek().keyword == "EXISTS")
        )

    def builtin_call(self) -> None:
        keyword = self.take().keyword or ""
        if keyword == "NOT":
            self.take()
            keyword = "EXISTS"
        if keyword == "EXISTS":
            self.group_graph_pattern()
        elif keyword in _AGGREGATES:
            self.aggregate(keyword)
        else:
            self.builtin_arguments(_BUILTINS[keyword])

    def builtin_arguments(self, shape: int | str) -> None:
        if shape == "nil":
            self.nil()
        elif shape == "nil-or-1":
            if not (self.is_("(") and self.peek().text == ")" and self.peek().kind == "punct"):
                self.bracketted_expression()
            else:
                self.nil()
        elif shape == "var":
            self.expect("(")
            self.var()
            self.expect(")")
        elif shape == "list":
            self.expression_list()
        else:
            fewest, most = (shape, shape) if isinstance(shape, int) else map(int, shape.split("-"))
            self.expect("(")
            self.expression()
            given = 1
            while given < most and (given < fewest or self.is_(",")):
                self.expect(",")
                self.expression()
                given += 1
            self.expect(")")

    def aggregate(self, keyword: str) -> None:
        self.expect("(")
        self.accept("DISTINCT")
        if keyword == "COUNT" and self.accept("*"):
            self.expect(")")
            return
        self.expression()
        if keyword == "GROUP_CONCAT" and self.accept(";"):
            self.expect("SEPARATOR")
            self.expect("=")
            self.expect_kind("string", "a string")
        self.expect(")")

    def nil(self) -> None:
        self.expect("(")
        self.expect(")")

    def arg_list(self) -> None:
        self.expect("(")
        if self.accept(")"):
            return
        self.accept("DISTINCT")
        self.expression()
        while self.accept(","):
            self.expression()
        self.expect(")")

    def expression_list(self) -> None:
        self.expect("(")
        if self.accept(")"):
            return
        self.expression()
        while self.accept(","):
            self.expression()
        self.expect(")")

    # Updates.

    def update1(self) -> None:
        token = self.token
        keyword = token.keyword if token.kind == "word" else None
        if keyword == "LOAD":
            self.take()
            self.note_reaching_out(token)
            self.accept("SILENT")
            self.iri()
            if self.accept("INTO"):
                self.graph_ref()
        elif keyword in ("CLEAR", "DROP"):
            self.take()
            self.accept("SILENT")
            if self.is_("NAMED", "ALL"):
                self.note_write(self.token.key, self.take())
            elif not self.accept("DEFAULT"):
                self.note_write(self.graph_ref(), token)
        elif keyword == "CREATE":
            self.take()
            self.accept("SILENT")
            self.note_write(self.graph_ref(), token)
        elif keyword in ("ADD", "MOVE", "COPY"):
            self.take()
            self.accept("SILENT")
            source = self.graph_or_default()
            self.expect("TO")
            if keyword == "MOVE" and source:  # MOVE empties its source
                self.note_write(source, token)
            target = self.graph_or_default()
            if target:
                self.note_write(target, token)
        elif keyword in ("INSERT", "DELETE") and self.peek().keyword in ("DATA", "WHERE"):
            self.take()
            self.take()
            self.quads()
        elif keyword in ("WITH", "INSERT", "DELETE"):
            self.modify()
        else:
            self.fail("an update operation (INSERT, DELETE, CLEAR, ...)")

    def modify(self) -> None:
        if self.is_("WITH"):
            token = self.take()
            self.note_write(self.iri(), token)
        if self.accept("DELETE"):
            self.quads()
            if self.accept("INSERT"):
                self.quads()
        else:
            self.expect("INSERT")
            self.quads()
        while self.accept("USING"):
            self.accept("NAMED")
            self.iri()
        self.expect("WHERE")
        self.group_graph_pattern()

    def graph_ref(self) -> str:
        self.expect("GRAPH")
        return self.iri()

    def graph_or_default(self) -> str | None:
        """The graph named, or None for DEFAULT."""
        if self.accept("DEFAULT"):
            return None
        self.accept("GRAPH")
        return self.iri()

    def note_write(self, graph: str, token: _Token) -> None:
        line, column = self.where(token.start)
        self.writes.append((graph, line, column))

    def quads(self) -> None:
        """``'{' Quads '}'``: triples, and GRAPH blocks of triples."""
        self.expect("{")
        while not self.accept("}"):
            if self.is_("GRAPH"):
                token = self.take()
                self.note_write(self.var_or_iri(), token)
                self.triples_template_group(paths=False)
                self.accept(".")
            else:
                self.triples_template(paths=False)
                if not self.is_("}", "GRAPH"):
                    self.fail("'.', '}' or GRAPH")


def parse_query(text: str, prefixes: Mapping[str, str] | None = None) -> ParsedSparql:
    """Parse a SPARQL 1.1 query.

    Raises
    ------
    SparqlSyntaxError
        If the text is not a query by the grammar, or nests deeper than :data:`MAX_NESTING`.

    Examples
    --------
    >>> parse_query("PREFIX ex: <http://example.org/> ASK { ?s ex:p 'SERVICE' }")  # doctest: +NORMALIZE_WHITESPACE
    ParsedSparql(kind='query', form='ask', reaches_out=(), writes=(), from_graphs=(), from_named_graphs=(),
                 repeated_paths=())
    >>> parse_query("PREFIX ex: <http://example.org/> SELECT * FROM ex:a FROM NAMED ex:b { ?s ?p ?o }").from_graphs
    ('http://example.org/a',)
    >>> parse_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").reaches_out
    (('SERVICE', 1, 12),)
    >>> parse_query("SELECT (COUNT(*) AS ?n) { ?s <urn:p>+ ?o ; <urn:q>? ?v }").repeated_paths
    (('+', 1, 37),)
    >>> parse_query("PREFIX SERVICE: <urn:x:> SELECT * { SERVICE:x { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.sparql.grammar.SparqlSyntaxError: expected a prefix that does not begin with the keyword SERVICE, ...
    """
    return _Parser(text, prefixes or {}).query_unit()


def parse_update(text: str, prefixes: Mapping[str, str] | None = None) -> ParsedSparql:
    """Parse a SPARQL 1.1 update (a sequence of operations separated by ``;``).

    Examples
    --------
    >>> parse_update("INSERT DATA { <urn:a> <urn:b> 'c' } ; LOAD <http://example.org/x.ttl>").reaches_out
    (('LOAD', 1, 39),)
    >>> parse_update("PREFIX e: <http://e.org/> CLEAR GRAPH e:g ; DELETE WHERE { GRAPH ?g { ?s ?p ?o } }").writes
    (('http://e.org/g', 1, 27), ('?g', 1, 60))
    """
    return _Parser(text, prefixes or {}).update_unit()
