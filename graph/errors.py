"""The errors the library raises. Each is a noun; ``api`` maps them to HTTP status codes in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ParleyError",
    "DocumentError",
    "UnsupportedFormat",
    "UnsafeDocument",
    "ForbiddenGraph",
    "EmptyDocument",
    "UnreadableDocument",
    "DocumentSyntaxError",
    "InvalidDocument",
    "Violation",
    "QuoteMiss",
    "QuoteNotFound",
    "TextMismatch",
    "TextConflict",
    "InvalidTable",
    "CellProblem",
    "StoreUnavailable",
    "UnknownActor",
    "UnknownIssue",
    "UnknownSource",
    "SourceExists",
    "FieldProblem",
    "InvalidEntries",
    "Clash",
    "DuplicateNames",
    "IssueCycle",
]


class ParleyError(Exception):
    """Base of every error Parley raises on purpose."""


class DocumentError(ParleyError):
    """A document (a file or an upload) cannot be loaded. Nothing was written."""

    def __init__(self, document: str, message: str):
        self.document = document
        self.message = message
        super().__init__(f"{document}: {message}")


class UnsupportedFormat(DocumentError):
    """The document's format is not one Parley reads."""


class UnsafeDocument(DocumentError):
    """The document would make the parser reach outside it (a remote JSON-LD context, an XML entity)."""


class ForbiddenGraph(DocumentError):
    """The document names a graph other than a source graph (Parley's own graphs are closed to documents)."""


class EmptyDocument(DocumentError):
    """The document holds no triples."""


class UnreadableDocument(DocumentError):
    """The file cannot be read (missing, a directory, no permission)."""


class DocumentSyntaxError(DocumentError):
    """The document is not well-formed in its format; ``line`` and ``column`` say where (1-based)."""

    def __init__(self, document: str, message: str, line: int | None = None, column: int | None = None):
        self.line = line
        self.column = column
        where = f"line {line}" + (f", column {column}" if column else "") if line else "unknown position"
        super().__init__(document, f"syntax error at {where}: {message}")


@dataclass(frozen=True)
class Violation:
    """One broken rule: which node, which property, which value, which constraint, and what it means."""

    focus: str
    """The node that breaks the rule, written compactly (``position:p1``)."""
    message: str
    """What is wrong, in words."""
    constraint: str
    """The SHACL constraint that failed, in words (``sh:minCount 1, found 0``), or the Parley check."""
    component: str = ""
    """The IRI of the SHACL constraint component (``sh:MinCountConstraintComponent``), for machines."""
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    document: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        detail = [self.constraint]
        if self.path:
            detail.append(f"path {self.path}")
        if self.value is not None:
            detail.append(f"value {self.value}")
        if self.shape:
            detail.append(self.shape)
        return f"{self.focus}: {self.message} [{'; '.join(detail)}]"


class InvalidDocument(DocumentError):
    """The document parsed but breaks the shapes of ``ontology/shapes.ttl`` or uses unknown Parley terms."""

    shown = 20

    def __init__(self, document: str, violations: list[Violation]):
        self.violations = violations
        lines = [f"{len(violations)} problem{'s' if len(violations) != 1 else ''} found"]
        lines += [f"  - {violation}" for violation in violations[: self.shown]]
        if len(violations) > self.shown:
            lines.append(f"  ... and {len(violations) - self.shown} more")
        super().__init__(document, "\n".join(lines))


@dataclass(frozen=True)
class QuoteMiss:
    """A quote not found in the text its source holds, with the passage of the text nearest to it."""

    evidence: str
    """The evidence holding the quote, written compactly (``evidence:zelensky-energy``)."""
    source: str
    """The source's slug."""
    quote: str
    closest: str
    """The passage of the source's text most like the quote (empty if the text has none)."""

    @property
    def said(self) -> str:
        """What is wrong with the quote, the evidence unnamed (a spreadsheet names its row instead)."""
        nearest = f"; the closest passage is “{self.closest}”" if self.closest else ""
        return f"“{self.quote}” is not in the text of source {self.source}{nearest}"

    def __str__(self) -> str:
        return f"{self.evidence}: {self.said}"


class QuoteNotFound(DocumentError):
    """Quotes that are not in the text their source holds: the write is refused, all of it.

    ``document`` names what was refused (a file, an upload, a posted position, or the text that
    would replace a source's own, whose ``misses`` are then the quotes already stored that it lacks).

    Examples
    --------
    >>> print(QuoteNotFound("note.ttl", [QuoteMiss("evidence:e1", "talks", "We won.", "We lost.")]))
    note.ttl: 1 quote is not in its source's text
      - evidence:e1: “We won.” is not in the text of source talks; the closest passage is “We lost.”
    """

    shown = 20

    def __init__(self, document: str, misses: list[QuoteMiss], lead: str | None = None):
        self.misses = misses
        count = len(misses)
        one = count == 1
        lines = [lead or f"{count} quote{' is' if one else 's are'} not in {'its' if one else 'their'} source's text"]
        lines += [f"  - {miss}" for miss in misses[: self.shown]]
        if count > self.shown:
            lines.append(f"  ... and {count - self.shown} more")
        super().__init__(document, "\n".join(lines))


class TextMismatch(DocumentError):
    """A source's text whose SHA-256 is not the one its record declares."""

    def __init__(self, document: str, source: str, declared: str, computed: str):
        self.source = source
        self.declared = declared
        self.computed = computed
        super().__init__(
            document,
            f"the text given for source {source} has the SHA-256 {computed}, but the source's record declares "
            f"{declared}: it is not the text the record describes",
        )


class TextConflict(DocumentError):
    """A document gives a source a text other than the one it holds (or two texts at once)."""

    def __init__(self, document: str, source: str, message: str):
        self.source = source
        super().__init__(document, message)


@dataclass(frozen=True)
class CellProblem:
    """What is wrong with one cell (or row) of a spreadsheet, named as a person finds it there."""

    row: int
    """The row as the spreadsheet numbers it: the header is row 1."""
    column: str | None
    """The column's header (``issue``), or None for the row as a whole."""
    message: str
    value: str | None = None
    letter: str | None = None
    """The column's letter in the spreadsheet (``C``)."""
    nearest: tuple[str, ...] = ()
    """For an unknown name: the known ones nearest to it, best first."""

    def __str__(self) -> str:
        where = f"row {self.row}"
        if self.column:
            where += f", {self.column}" + (f" (column {self.letter})" if self.letter else "")
        return f"{where}: {self.message}"


class InvalidTable(DocumentError):
    """A spreadsheet whose cells cannot become positions (or whose positions break the shapes), row by row."""

    shown = 20

    def __init__(self, document: str, problems: list[CellProblem], more: bool = False):
        self.problems = problems
        count = f"{len(problems)}{' or more' if more else ''}"
        lines = [f"{count} problem{'s' if len(problems) != 1 or more else ''} found"]
        lines += [f"  - {problem}" for problem in problems[: self.shown]]
        if len(problems) > self.shown:
            lines.append(f"  ... and {len(problems) - self.shown} more")
        super().__init__(document, "\n".join(lines))


class StoreUnavailable(ParleyError):
    """The store cannot be opened, reached or written (locked by another process, a bad path, a remote store down,
    a full disk)."""


class StoreFailed(ParleyError):
    """A remote store answered a request with an error (``status``: the HTTP status it answered)."""

    def __init__(self, message: str, status: int):
        self.status = status
        super().__init__(message)


class UnknownName(ParleyError):
    """A slug names nothing of its kind; ``nearest`` holds the closest known slugs, best first.

    The raiser finds them (:func:`graph.analysis.names.nearest`, which knows labels and aliases).

    Examples
    --------
    >>> str(UnknownActor("united-states", ["us"]))
    "unknown actor 'united-states'; did you mean us?"
    """

    kind = "name"

    def __init__(self, name: str, nearest: list[str]):
        self.name = name
        self.nearest = list(nearest)
        hint = f"; did you mean {', '.join(self.nearest)}?" if self.nearest else ""
        super().__init__(f"unknown {self.kind} {name!r}{hint}")


class UnknownActor(UnknownName):
    """No actor has this slug."""

    kind = "actor"


class UnknownIssue(UnknownName):
    """No issue has this slug."""

    kind = "issue"


class UnknownSource(UnknownName):
    """No source has this slug."""

    kind = "source"


class SourceExists(ParleyError):
    """A new source was given the slug of one that exists."""

    def __init__(self, source: str):
        self.source = source
        super().__init__(
            f"source {source!r} exists; give it a text with `parley source text` or POST /sources/{source}/text, "
            "or choose another id"
        )


class UnknownPosition(UnknownName):
    """No position has this id."""

    kind = "position"


class InvalidArgument(ParleyError):
    """A question asked with an argument it cannot take (``parameter`` names which)."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class SameGroup(InvalidArgument):
    """Two actors asked about against each other who are one group (rule 10): ``group`` is the one they share."""

    def __init__(self, a: str, b: str, group: str, parameter: str = "b"):
        self.group = group
        same = f"{a} is" if a == b else f"{a} and {b} are both"
        super().__init__(parameter, f"{same} the group {group}: ask about different groups")


def _listed(lines: list[str], what: str) -> str:
    """One line alone; several under a count (``2 problems found``), as :class:`InvalidDocument` lists them."""
    if len(lines) == 1:
        return lines[0]
    return "\n".join([f"{len(lines)} {what}", *(f"  - {line}" for line in lines)])


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of a JSON entry (an actor, an issue, a position), and where it is.

    Examples
    --------
    >>> str(FieldProblem("positions[2].issue", "unknown issue 'ceasfire'; did you mean ceasefire?", "ceasfire"))
    "positions[2].issue: unknown issue 'ceasfire'; did you mean ceasefire?"
    """

    where: str
    """The JSON path of the field (``positions[2].issue``, ``body.broader[0]``)."""
    message: str
    value: str | None = None
    """The value at fault (an unknown name, a number out of range), where there is one."""
    nearest: tuple[str, ...] = ()
    """For an unknown name: the known slugs nearest to it, best first."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InvalidEntries(ParleyError):
    """JSON entries refer to what does not exist, or break a rule; ``problems`` say where. Nothing was written."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = list(problems)
        super().__init__(_listed([str(problem) for problem in self.problems], "problems found"))


@dataclass(frozen=True)
class Clash:
    """A new name that is already another's: ``existing`` (a slug) of ``kind`` has it as ``their_name``."""

    where: str
    kind: str
    """actor, issue, position or source."""
    name: str
    existing: str
    their_name: str

    def __str__(self) -> str:
        if self.name == self.existing == self.their_name:
            said = f"the {self.kind} {self.existing} exists"
        else:
            said = f"{self.name!r} is already a name of the {self.kind} {self.existing} ({self.their_name!r})"
        return f"{self.where}: {said}" if self.where else said


class DuplicateNames(ParleyError):
    """New actors, issues, positions or sources named as others are (the same slug, or a label or alias
    that reads the same, case and accents aside). Nothing was written.

    Examples
    --------
    >>> str(DuplicateNames([Clash("aliases[0]", "actor", "the kremlin", "russia", "the Kremlin")]))
    "aliases[0]: 'the kremlin' is already a name of the actor russia ('the Kremlin')"
    """

    def __init__(self, clashes: list[Clash]):
        self.clashes = list(clashes)
        super().__init__(_listed([str(clash) for clash in self.clashes], "duplicate names"))


class IssueCycle(ParleyError):
    """A write would make an issue broader than itself (``skos:broader`` in a loop); ``cycle`` goes round it.

    Examples
    --------
    >>> str(IssueCycle("broader[0]", ["ceasefire", "partial-ceasefire", "ceasefire"]))  # doctest: +ELLIPSIS
    'broader[0]: skos:broader would go round in a loop, ceasefire -> partial-ceasefire -> ceasefire; an issue ...'
    """

    def __init__(self, where: str, cycle: list[str]):
        self.where = where
        self.cycle = list(cycle)
        message = (
            f"skos:broader would go round in a loop, {' -> '.join(self.cycle)}; an issue cannot be narrower than itself"
        )
        super().__init__(f"{where}: {message}" if where else message)
