"""Positions found in a news article by rules over a light parse: the default extractor of
:mod:`graph.ingest.drafts`.

The parse is made of regular expressions and the store's own names, so nothing is fetched at run
time and a 1,000-word article is read in milliseconds. It works sentence by sentence:

1. *Who speaks.* A speech verb (``said``, ``warned``, ``wants``...) with the mention just before it
   (a known actor by label or alias, a demonym, a pronoun, a capitalised name proposed as a new actor,
   or a plural like "US officials" whose speech is reported), past a relative clause, a participle or an
   apposition naming the speaker ("X, headed by Y, rejected", "X's mediator, Z, told"; "X, who had
   insisted ..." is X's), a trailing attribution ("..., X has warned.", "..., its chief negotiator X said
   in a statement, calling ..."), "“...,” said X", ``according to X``, or a quotation going on from an
   earlier sentence.
2. *What is said.* The words the verb introduces, split into items at commas, dashes, ``or`` and
   ``;``; each item is matched to the known issue whose label, aliases and definition share the most
   (rare) words with it. An item that matches no issue is a position only when the verb says what
   kind it is (a demand, offer, threat or commitment): a new issue is then proposed.
3. *How.* A stance from the negations and reversals in the item ("drop", "an end to", "walk away"),
   conditions after ``if``, ``only if``, ``unless`` (which turns the stance of what it governs), with
   ``or`` between alternatives making an either/or condition; numbers with units as a range; red-line
   words; the date of the statement from "on Friday", "last month", "the following day"...
4. *Answers to earlier positions.* "X says those demands are tantamount to capitulation" rejects the
   demands of another group drafted just before; "X then moderated that claim" replaces X's last one.

Every rule is about English news style, not about one article: the only names it knows are those
of the store (labels, aliases, definitions).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from graph.analysis.model import NEUTRAL, OPPOSES, QUANTITY, SUPPORTS, Actor, AnyOf, Condition, Issue, Negotiation

__all__ = ["Proposal", "Extraction", "Lexicon", "extract_positions", "resolve_date"]


@dataclass(frozen=True)
class Proposal:
    """One drafted position, with where it stands in the text and which rule found it.

    ``rejects`` and ``supersedes`` hold the index of another proposal of the same extraction (an
    ``int``) or the id of a position the store holds (a ``str``).
    """

    holder: str
    group: str
    issue: str
    quote: str
    start: int
    end: int
    rule: str
    confidence: float
    speaker: str | None = None
    stance: str | None = SUPPORTS
    minimum: float | None = None
    maximum: float | None = None
    unit: str | None = None
    conditions: tuple[Condition | AnyOf, ...] = ()
    red_line: bool = False
    kind: str = "position"
    addressees: tuple[str, ...] = ()
    rejects: tuple[int | str, ...] = ()
    supersedes: tuple[int | str, ...] = ()
    reported_by: tuple[str, ...] = ()
    stated_on: str | None = None
    salience: float = 0.5


@dataclass
class Extraction:
    """What an extractor found: the proposals, and the actors and issues they need that the store lacks."""

    proposals: list[Proposal] = field(default_factory=list)
    new_actors: dict[str, Actor] = field(default_factory=dict)
    new_issues: dict[str, Issue] = field(default_factory=dict)


# --- Words ------------------------------------------------------------------------------------------------


def _vocabulary(text: str) -> frozenset[str]:
    """A set of words written as a block of text."""
    return frozenset(text.split())


_STOP = _vocabulary(
    """
    a an the of to in on at by for from with and or but as is are was were be been being it its this that these
    those their there they them he she his her him we our you your i my me not no any some all both which who
    whom whose what when where will would can could should shall may might must has have had do does did into
    over under than then so if unless only also just very more most much such own out up about after before
    during while between said says say within whether how far here now
    """
)
_SYNONYMS = {
    "pact": "deal",
    "accord": "deal",
    "agreement": "deal",
    "settlement": "deal",
    "conflict": "war",
    "fighting": "war",
    "hostilities": "war",
    "close": "end",
    "resolve": "end",
    "assistance": "aid",
    "support": "aid",
    "truce": "ceasefire",
    "armistice": "ceasefire",
    "troops": "army",
    "forces": "army",
    "military": "army",
}
"""Words a negotiation says several ways, folded to one for matching issues (not names: those come from the store)."""

_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*[A-Za-z]|[A-Za-z]|\d[\d,.]*")
_US = re.compile(r"\bU\.?S\.?(?=\W|$)")


def _key(word: str) -> str:
    """A word as issues are matched: lower case, synonyms folded, common endings off, six letters at most."""
    word = word.lower().strip(".'’").replace("’", "'")
    word = word.removesuffix("'s")
    word = _SYNONYMS.get(word, word)
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    word = _SYNONYMS.get(word, word)
    # Six letters, not five: "parties" and "partial" share five, "partie" and "partia" differ.
    return word[:6] if len(word) > 6 else word


def keys(text: str) -> list[str]:
    """The content words of ``text``, as issues are matched (see :func:`_key`).

    Examples
    --------
    >>> keys("The US will walk away from talks on Ukraine's membership")
    ['unit', 'stat', 'walk', 'away', 'talk', 'ukrain', 'member']
    """
    text = _US.sub("United States", text)
    found = []
    for word in _WORD.findall(text.replace("-", " ").replace("–", " ")):
        if word.lower() in _STOP:
            continue
        found.append(_key(word.replace(",", "")))
    return [key for key in found if key and key not in _STOP]


# --- Speech -----------------------------------------------------------------------------------------------

_SAY = (
    r"said|says|say|added|adds|add|told|tells|stated|states|responded|replied|insisted|insists|argued|"
    r"argues|claimed|claims|stressed|stresses|noted|declared|declares|announced|announces|confirmed|"
    r"reiterated|signalled|signaled|indicated|explained|wrote|acknowledged|believes|believed|hoped|hopes|"
    r"expects|expected|reported"
)
_ADVERB = (
    r"also|then|later|again|now|earlier|already|since|once|first|still|even|long|"
    r"(?!(?:ally|family|rally|supply|assembly|anomaly|monopoly|july|italy)\b)[a-z]+ly"
)
"""Words between an auxiliary and its verb ("had earlier demanded", "has repeatedly ruled out", "firmly rejected")."""
_DEMAND = (
    r"demanded|demands|wants|wanted|urged|urges|called for|calls for|insisted on|pressed for|pressured|"
    rf"pressed|(?:(?:is|are|was|were)\s+(?:(?:{_ADVERB})\s+)*)?seeking|seeks|sought"
)
_THREAT = r"warned|warns|threatened|threatens|threatening"
_OFFER = r"offered|offers|proposed|proposes"
_COMMIT = r"promised|promises|pledged|pledges|vowed|vows|agreed to|agreed|agrees|committed to|signed|signs"
_REJECT = r"rejected|rejects|dismissed|dismisses|refused|refuses|ruled out|rules out|denounced"
_DEED = (
    r"showed up for|showed up at|took part in|takes part in|attended|joined|accepted|accepts|backed|backs|"
    r"endorsed|endorses|boycotted|walked out of"
)
_VERB = re.compile(
    rf"\b(?:(?:has|have|had|did|does|do|will|would|{_ADVERB})\s+)*"
    rf"(?P<verb>{_DEMAND}|{_THREAT}|{_OFFER}|{_COMMIT}|{_REJECT}|{_DEED}|{_SAY})\b"
)
_KIND_OF = [
    (re.compile(rf"^(?:{_DEMAND})$"), "demand"),
    (re.compile(rf"^(?:{_THREAT})$"), "threat"),
    (re.compile(rf"^(?:{_OFFER})$"), "offer"),
    (re.compile(rf"^(?:{_COMMIT})$"), "commitment"),
    (re.compile(rf"^(?:{_REJECT})$"), "reject"),
    (re.compile(rf"^(?:{_DEED})$"), "deed"),
]
_INNER = re.compile(
    r"^(?:(?P<who>he|she|they|we|it)\s+)?(?:(?:is|are|was|were|remains?|remained)\s+)?"
    r"(?P<verb>wants?|wanted|hoped?|hopes|expected|expects|is ready to|was ready to|ready to|willing to|prepared to|"
    r"insisted on|demanded|demands|will|would)\b",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(
    r",\s+(?P<verb>insisting|saying|adding|warning|threatening|demanding|arguing|stressing|noting|urging|offering|"
    r"promising|vowing|calling for)\s+(?:that\s+)?"
)
_PARTICIPLE_KINDS = {
    "warning": "threat",
    "threatening": "threat",
    "demanding": "demand",
    "urging": "demand",
    "calling for": "demand",
    "offering": "offer",
    "promising": "commitment",
    "vowing": "commitment",
}
_SERVICE = re.compile(r"to\s+(?:host|mediate|facilitate|convene|organise|organize|help broker)\b", re.IGNORECASE)
_AUXILIARY = re.compile(rf"(?:\s+(?:has|have|had|did|does|do|will|would|{_ADVERB}))+\s*$")
_PRONOUN = re.compile(r"(?:^|\s)(?P<pronoun>[Hh]e|[Ss]he)\s*$")
_GENERIC = re.compile(
    r"(?P<phrase>(?:(?:[\w'’-]+)\s+){0,4}?(?:officials?|sources?|diplomats|aides|advisers|advisors|analysts|"
    r"people|a spokesman|a spokeswoman|a spokesperson|the ministry|the government|"
    r"observers|negotiators|lawmakers|ministers)"
    r"(?:\s+(?:familiar with|close to|briefed on|involved in|with knowledge of)\s+[\w\s'’-]{1,40}?)?)"
    r"(?:\s+there)?\s*$",
    re.IGNORECASE,  # "Analysts said" opens a sentence: no name
)
_BODY = re.compile(
    r"(?:['’]s)?\s+(?:delegation|side|government|team|negotiating team|negotiators|leadership|administration|camp)\s*$"
)
"""What speaks for a state without being named: "Velmark's delegation", "the Russian side" (the state's name or
demonym just before)."""
_APPOSITION = re.compile(
    r",\s+(?:who|which|whose|where|the|a|an|its|his|her|their|headed|led|former|then|now|chief|[a-z]+ing|[a-z]+ed)\b"
    r"(?:[^,;“”\"]|(?<=\d),(?=\d)){1,160},\s*$"
)
"""A clause between a subject and its verb ("X, the regional bloc to which both belong, said"; "X, headed by Y,
rejected"; "X, which represents some 60,000 producers, said": a comma inside a number is no end)."""
_RELATIVE = re.compile(r",\s+(?:who|which)\s*$")
"""A speech verb in a relative clause: "Dunn, who had insisted ..." is Dunn's."""
_NAMED_APPOSITION = re.compile(
    r"\S,\s+(?:(?!(?:by|of|for|with|to|from|in|at|on|who|which|whose|and|or)\s)(?![a-z]+(?:ed|ing)\s)[a-z][\w'’-]*\s+){0,4}"
    r"(?P<name>(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+),\s*$"
)
"""A speaker named in an apposition: "Norland's mediator, former foreign minister Ingrid Halvorsen, told"."""
_NAME = re.compile(r"(?P<name>(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)\s*$")
_TITLES = _vocabulary(
    """
    mr mrs ms dr president vice prime minister foreign defence defense secretary of state chancellor spokesman
    spokeswoman spokesperson envoy ambassador general gen minister's king queen prince premier leader deputy
    chief senator senior special the kremlin mayor governor commander official former acting
    """
)
_NOT_NAMES = _vocabulary(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december the but and he she it they we this that there officials
    """
)
_ACCORDING = re.compile(r"\baccording to (?P<who>[^,.;]+)", re.IGNORECASE)
_TOLD = re.compile(r"^\s*(?:[A-Z][\w'’-]*\s*)+(?=\s|,|$)")
_OPEN_QUOTES = '“"'
_CLOSE_QUOTES = '”"'

# --- Meaning ----------------------------------------------------------------------------------------------

_NEGATIONS = re.compile(
    r"\b(?:not on the table|off the table|off limits|out of the question|ruled? out|rules out|"
    r"not|n't|no|never|without|against|oppose[sd]?|opposing|reject(?:s|ed)?|refuse[sd]?|drop(?:s|ped)?|"
    r"an end to|end to|ending|lift(?:s|ed|ing)?|abandon(?:s|ed)?|scrap(?:s|ped)?|halt(?:s|ed)?|stop(?:s|ped)?|"
    r"cancel(?:s|led)?|walk(?:s|ed)? away|pull(?:s|ed)? out|quit(?:s)?|withdraw(?:s|n)? from|intransigence|"
    r"refusal|failure|unwilling|unacceptable|bar(?:s|red|ring)?|prevent(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)
_RED_LINE = re.compile(
    r"red line|non-negotiable|not negotiable|not up for negotiation|under no circumstances|never accept|"
    r"will never|would never|no compromise",
    re.IGNORECASE,
)
_STRONG = re.compile(r"capitulation|surrender|unacceptable|red line|never|existential|non-negotiable", re.IGNORECASE)
_CONDITION = re.compile(
    r"\b(?P<word>only if|unless|if|provided(?: that)?|on condition that|as long as|so long as|not before|not until)\s+",
    re.IGNORECASE,
)
_ITEMS = re.compile(
    r",\s+(?:and\s+|or\s+)?|\s+or\s+|\s+[–—-]\s+|;\s+|\s+but\s+(?:that\s+)?"
    # "to bar X and to cap Y", "would not sign ... and ruled out Z": two positions joined by "and".
    r"|\s+and\s+(?=to\s|ruled\s|rules\s|rejected\s|rejects\s|refused\s|dismissed\s)"
)
_ANAPHORA_NOUNS = r"(?:demands?|proposals?|offers?|terms|conditions|plan|ultimatum|claims?|idea|requests?|position)\b"
"""What "that" names when it is a determiner, not a conjunction ("rejected that demand")."""
_ANAPHORA = re.compile(
    r"\b(?:those|these|the|such|that|this|their|his|her|its)\s+(?P<noun>demands?|proposals?|offers?|terms|conditions|"
    r"plan|ultimatum|claims?|idea|requests?|position)\b",
    re.IGNORECASE,
)
_DISMISSAL = re.compile(
    rf"\b(?:{_REJECT}|tantamount|capitulation|surrender|unacceptable|absurd|non-starter|ultimatum|"
    r"out of the question|not acceptable|never)\b",
    re.IGNORECASE,
)
_REPLACE = re.compile(
    r"\b(?P<verb>moderated|softened|revised|toned down|changed|reversed|dropped|abandoned|withdrew|retracted|"
    r"walked back|backtracked on|hardened)\s+(?:that|the|this|his|her|its|their)\s+"
    r"(?:claim|promise|pledge|demand|offer|position|stance|proposal|threat|plan|commitment|vow)s?\b",
    re.IGNORECASE,
)
_NEUTRAL_REPLACE = frozenset({"moderated", "softened", "revised", "toned down", "changed"})
_QUANTITY = re.compile(
    r"(?P<bound>at least|at most|no more than|no fewer than|no less than|up to|more than|fewer than|less than|"
    r"within|between|capped at|cap of|limit of|a maximum of|a minimum of)?\s*"
    r"(?P<low>\d[\d,]*(?:\.\d+)?)(?:\s*(?:and|to|-|–)\s*(?P<high>\d[\d,]*(?:\.\d+)?))?\s*"
    r"(?P<scale>thousand|million|billion)?\s*(?P<unit>%|per cent|percent|[a-z]+)",
    re.IGNORECASE,
)
_UNITS_NOT = frozenset({"of", "and", "to", "a", "the", "in", "on", "at", "or", "for", "by", "as", "is", "was"})
_LOWER_BOUNDS = ("at least", "no fewer than", "no less than", "more than", "a minimum of")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}

# --- Dates ------------------------------------------------------------------------------------------------

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DATE = re.compile(
    r"\b(?:(?P<weekday>(?:on |last |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
    r"|(?P<relative>today|yesterday|this week|last week|last month|this month|earlier this month|last year|this year)"
    r"|(?P<next>the next day|the following day|a day later|the day after|the previous day|the day before)"
    r"|(?P<day>\d{1,2}) (?P<month>" + "|".join(_MONTHS) + r")(?: (?P<year>\d{4}))?"
    r"|(?P<month2>" + "|".join(_MONTHS) + r") (?P<day2>\d{1,2})(?:,? (?P<year2>\d{4}))?"
    r"|in (?P<month3>" + "|".join(_MONTHS) + r")(?: (?P<year3>\d{4}))?)\b",
    re.IGNORECASE,
)


def resolve_date(expression: str, published: date, previous: str | None = None) -> str | None:
    """The day (or month, or year) a date expression of a news report names, as xsd text.

    Weekdays and months are taken as the last ones on or before publication; "the following day"
    counts from ``previous``, the date the text spoke of last.

    Examples
    --------
    >>> friday = date(2025, 4, 18)
    >>> resolve_date("on Thursday", friday), resolve_date("last month", friday)
    ('2025-04-17', '2025-03')
    >>> resolve_date("the following day", friday, "2025-04-17"), resolve_date("in February", friday)
    ('2025-04-18', '2025-02')
    >>> resolve_date("20 April", friday), resolve_date("next week", friday) is None
    ('2025-04-20', True)
    """
    match = _DATE.search(expression)
    if match is None:
        return None
    groups = {name: value.lower() for name, value in match.groupdict().items() if value}
    if "weekday" in groups:
        wanted = _WEEKDAYS.index(groups["weekday"].split()[-1])
        back = (published.weekday() - wanted) % 7 or (7 if groups["weekday"].startswith("last") else 0)
        return _shifted(published, -back)
    if "relative" in groups:
        return _relative(groups["relative"], published)
    if "next" in groups:
        if previous is None or len(previous) != 10:
            return None
        step = -1 if groups["next"] in ("the previous day", "the day before") else 1
        return _shifted(date.fromisoformat(previous), step)
    return _calendar(groups, published)


def _relative(word: str, published: date) -> str | None:
    if word == "today":
        return published.isoformat()
    if word == "yesterday":
        return _shifted(published, -1)
    if word in ("this month", "earlier this month"):
        return published.isoformat()[:7]
    if word == "last month":
        last = _shifted(published.replace(day=1), -1)
        return last[:7] if last else None
    if word == "last year":
        return f"{published.year - 1:04d}" if published.year > 1 else None
    if word == "this year":
        return f"{published.year:04d}"
    return None  # a week is no xsd date


def _shifted(day: date, days: int) -> str | None:
    """``day`` moved by ``days``, or None where that falls outside the calendar (before year 1, after 9999)."""
    try:
        return (day + timedelta(days=days)).isoformat()
    except OverflowError:
        return None


def _calendar(groups: dict[str, str], published: date) -> str | None:
    month_name = groups.get("month") or groups.get("month2") or groups.get("month3")
    if month_name is None:
        return None
    month = _MONTHS.index(month_name) + 1
    year_text = groups.get("year") or groups.get("year2") or groups.get("year3")
    day_text = groups.get("day") or groups.get("day2")
    year = int(year_text) if year_text else published.year
    if day_text is None:
        if not year_text and month > published.month:
            year -= 1
        return f"{year:04d}-{month:02d}" if year >= 1 else None
    try:
        return date(year, month, int(day_text)).isoformat()
    except ValueError:
        return None


# --- The store's names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    demonym: bool = False


def _demonyms(name: str) -> set[str]:
    """Adjectives a place name commonly takes (Russia -> Russian, Ukraine -> Ukrainian, Europe -> European)."""
    forms = {name + "n", name + "ian", name + "ese", name + "i"}
    if name.endswith(("e", "a", "o")):
        forms |= {name[:-1] + "ian", name[:-1] + "ean", name + "an", name[:-1] + "ese"}
    if name.endswith("y"):
        forms.add(name[:-1] + "ian")
    if name.endswith("land"):
        forms.add(name[:-4] + "lish")
    return forms


class Lexicon:
    """The store's actors and issues, prepared for the extractor: a pattern of every name, the words of
    every issue with how rare each is.

    Examples
    --------
    >>> from graph.analysis.model import Issue
    >>> lexicon = Lexicon(Negotiation(actors={"russia": Actor("russia", "Russia", "state", aliases=("Moscow",))},
    ...                               issues={"ceasefire": Issue("ceasefire", "Ceasefire")}))
    >>> [(m.actor, m.demonym) for m in lexicon.mentions("Moscow and the Russian army")]
    [('russia', False), ('russia', True)]
    >>> lexicon.issue_for(keys("a ceasefire by Easter"))[0]
    'ceasefire'
    """

    def __init__(self, negotiation: Negotiation):
        self.actors = negotiation.actors
        self.issues = negotiation.issues
        self.positions = negotiation.positions
        names: dict[str, tuple[str, bool]] = {}
        for actor in self.actors.values():
            for name in (actor.label, *actor.aliases):
                bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE).strip()
                if len(bare) < 2:
                    continue
                names.setdefault(bare, (actor.id, False))
                if actor.kind in ("state", "organization", "coalition") and " " not in bare and bare[0].isupper():
                    for demonym in _demonyms(bare):
                        names.setdefault(demonym, (actor.id, True))
            initials = "".join(word[0] for word in actor.label.split())
            if actor.kind != "person" and 2 <= len(initials) <= 4 and initials.isupper() and " " in actor.label:
                names.setdefault(initials, (actor.id, False))  # United States -> US, European Union -> EU
            if actor.kind == "person" and " " in actor.label:
                surname = actor.label.split()[-1]
                if len(surname) > 3 and surname[0].isupper():
                    names.setdefault(surname, (actor.id, False))
        self._names = names
        ordered = sorted(names, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w-])(?:" + "|".join(re.escape(name) + r"(?:s(?!\w))?" for name in ordered) + r")(?![\w])"
            )
            if ordered
            else None
        )
        self._issue_names: dict[str, list[list[str]]] = {}
        self._issue_definitions: dict[str, list[str]] = {}
        counts: Counter[str] = Counter()
        for issue in self.issues.values():
            named = [keys(name) for name in (issue.label, *issue.aliases)]
            defined = keys(issue.definition or "")
            self._issue_names[issue.id] = [name for name in named if name]
            self._issue_definitions[issue.id] = defined
            counts.update(set(key for name in named for key in name) | set(defined))
        self._headings = {broader for issue in self.issues.values() for broader in issue.broader}
        total = max(len(self.issues), 1)
        self._rarity = {key: math.log(1 + total / count) for key, count in counts.items()}

    def mentions(self, text: str) -> list[Mention]:
        """Every mention of a known actor in ``text``, longest names first, none overlapping."""
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            name = match.group(0)
            entry = self._names.get(name) or self._names.get(name[:-1])
            if entry is not None:
                found.append(Mention(match.start(), match.end(), entry[0], entry[1]))
        return found

    def group_of(self, actor: str) -> str:
        """Whom an actor's positions count for: the state it speaks for, or itself."""
        known = self.actors.get(actor)
        return known.speaks_for[0] if known is not None and known.speaks_for else actor

    def is_person(self, actor: str) -> bool:
        known = self.actors.get(actor)
        return known is not None and known.kind == "person"

    def _covered(self, words: list[str], present: set[str]) -> float:
        weight = sum(self._rarity.get(key, 1.0) for key in words)
        if not weight:
            return 0.0
        return sum(self._rarity.get(key, 1.0) for key in words if key in present) / weight

    def issue_for(self, words: list[str], names: frozenset[str] = frozenset()) -> tuple[str | None, float]:
        """The issue whose label, aliases and definition best cover ``words`` (keys), and how well (0 to 1.5).

        ``names`` are the keys that come from naming actors ("Kyiv" gives ``ukrai``): they count towards an
        issue's words only beside at least one word of the issue's own. An issue that has narrower issues is
        a heading more than a question, and scores lower.
        """
        present = set(words)
        best: tuple[float, float, str | None] = (0.0, 0.0, None)
        for issue, labels in self._issue_names.items():
            definition = self._issue_definitions[issue]
            own = present - names
            if not own & (set(definition) | {key for label in labels for key in label}):
                continue
            named = max((self._covered(label, present) for label in labels), default=0.0)
            score = (named + 0.5 * self._covered(definition, present)) * (0.6 if issue in self._headings else 1.0)
            mass = sum(self._rarity.get(key, 1.0) for key in own if key in definition)
            if (score, mass) > best[:2]:
                best = (score, mass, issue)
        return best[2], best[0]


# --- Sentences --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?]+[”\"’')]*(?=\s+[“\"A-Z0-9‘]|\s*$)|\n+")
_ABBREVIATIONS = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sen|Rep|Gov|No|U\.S|U\.K|Jr|Sr|vs)|\b[A-Z])\.$")


def sentences(text: str) -> list[tuple[int, int, int]]:
    """The sentences of ``text`` as (start, end, paragraph number), abbreviations ("Mr.", "U.S.") kept whole.

    Examples
    --------
    >>> text = "Mr. Smith said no. He left.\\nThen rain."
    >>> [text[s:e] for s, e, _ in sentences(text)]
    ['Mr. Smith said no.', 'He left.', 'Then rain.']
    """
    found, start, paragraph = [], 0, 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group(0).strip() else match.start()
        if match.group(0).strip() and _ABBREVIATIONS.search(text, max(start, match.start() - 6), match.start() + 1):
            continue
        if text[start:end].strip():
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            found.append((start + lead, end, paragraph))
        if "\n" in match.group(0):
            paragraph += 1
        start = match.end()
    if text[start:].strip():
        lead = len(text[start:]) - len(text[start:].lstrip())
        found.append((start + lead, len(text), paragraph))
    return found


# --- The extractor ----------------------------------------------------------------------------------------


@dataclass
class _Statement:
    """Who says what in one sentence: the speaker's actors, the span of what is said, the verb's kind."""

    holders: list[str]
    speaker: str | None
    content: tuple[int, int]
    span: tuple[int, int]
    kind: str
    rule: str
    reported_by: tuple[str, ...] = ()
    date_zone: tuple[int, int] = (0, 0)
    pronoun: bool = False


@dataclass
class _Reader:
    """The state of one extraction: the text, the lexicon, what has been found so far."""

    text: str
    published: date
    lexicon: Lexicon
    extraction: Extraction = field(default_factory=Extraction)
    mentions: list[Mention] = field(default_factory=list)
    last_person: str | None = None
    last_speaker: dict[int, _Statement] = field(default_factory=dict)
    last_date: str | None = None
    sentence_of: list[int] = field(default_factory=list)
    """For each proposal, the number of the sentence it was found in."""
    quotes_open: int = 0
    """How many quotations are open (“ less ”) before ``quotes_counted``: counted once, sentence by sentence."""
    quotes_counted: int = 0
    _starts: list[int] = field(default_factory=list)
    _ending: dict[int, list[Mention]] = field(default_factory=dict)

    def set_mentions(self, mentions: list[Mention]) -> None:
        """Keep the mentions with an index by start and by end, so that each look-up costs a search, not a scan
        of the whole text's mentions (a long text has thousands)."""
        self.mentions = mentions
        self._starts = [mention.start for mention in mentions]
        self._ending = {}
        for mention in mentions:
            self._ending.setdefault(mention.end, []).append(mention)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        found = []
        for index in range(bisect.bisect_left(self._starts, start), len(self.mentions)):
            mention = self.mentions[index]
            if mention.start >= end:
                break
            if mention.end <= end:
                found.append(mention)
        return found

    def mention_ending(self, at: int, start: int) -> list[Mention]:
        """The mentions ending at ``at`` (before spaces), with any coordinated before it ("Ukraine and Russia")."""
        chosen = [m for m in self._ending.get(at, ()) if m.start >= start]
        if not chosen:
            return []
        first = chosen[0]
        # Only the few words before the name are read, so that a long sentence costs no more per verb.
        joined = _JOINED.search(self.text, max(start, first.start - 12), first.start)
        if joined:
            previous = [m for m in self._ending.get(joined.start() + 1, ()) if m.start >= start]
            if previous:
                return [previous[0], first]
        return [first]

    def quote_open_before(self, at: int) -> bool:
        """Whether a quotation opened before ``at`` is still open; ``at`` only grows, so the text is counted once."""
        if at < self.quotes_counted:
            self.quotes_open, self.quotes_counted = 0, 0
        chunk = self.text[self.quotes_counted : at]
        self.quotes_open += chunk.count("“") - chunk.count("”")
        self.quotes_counted = at
        return self.quotes_open > 0


_JOINED = re.compile(r"\S\s+and\s+$")


def extract_positions(text: str, published: date, negotiation: Negotiation) -> Extraction:
    """The positions an analyst would record from ``text``, published on ``published``, by rules.

    ``negotiation`` is what the store holds: its actors, issues and positions name what the text
    speaks of. The result lists the positions in the order of the text, with the actors and issues to
    create; :mod:`graph.ingest.drafts` numbers them and writes the draft.

    Examples
    --------
    >>> from graph.analysis.model import Issue
    >>> negotiation = Negotiation(
    ...     actors={"russia": Actor("russia", "Russia", "state", aliases=("Moscow",))},
    ...     issues={"ceasefire": Issue("ceasefire", "Ceasefire", "The parties agree a ceasefire.")})
    >>> found = extract_positions("Moscow said on Monday it rejects a ceasefire.", date(2025, 4, 18), negotiation)
    >>> [(p.holder, p.issue, p.stance, p.stated_on) for p in found.proposals]
    [('russia', 'ceasefire', 'opposes', '2025-04-14')]
    """
    reader = _Reader(text, published, Lexicon(negotiation))
    reader.set_mentions(reader.lexicon.mentions(text))
    for number, (start, end, paragraph) in enumerate(sentences(text)):
        _read_sentence(reader, number, start, end, paragraph)
    return _used(reader.extraction)


def _used(extraction: Extraction) -> Extraction:
    """The extraction with only the new actors and issues its proposals refer to."""
    actors = {a for p in extraction.proposals for a in (p.holder, p.speaker, *p.addressees) if a}
    issues = {p.issue for p in extraction.proposals}
    for proposal in extraction.proposals:
        for condition in proposal.conditions:
            for alternative in condition.alternatives:
                issues.add(alternative.issue)
                actors.update(alternative.addressees)
    extraction.new_actors = {k: v for k, v in extraction.new_actors.items() if k in actors}
    extraction.new_issues = {k: v for k, v in extraction.new_issues.items() if k in issues}
    return extraction


def _read_sentence(reader: _Reader, number: int, start: int, end: int, paragraph: int) -> None:
    sentence = reader.text[start:end]
    for match in _DATE.finditer(sentence):
        if match.group("next") is None:
            resolved = resolve_date(match.group(0), reader.published, reader.last_date)
            reader.last_date = resolved or reader.last_date
    if _replacement(reader, number, start, end):
        return
    statements = _statements(reader, start, end, paragraph)
    for statement in statements:
        stated_on = _stated_on(reader, statement)
        if _rejection(reader, number, statement, stated_on):
            continue
        for proposal in _propose(reader, statement, stated_on):
            reader.extraction.proposals.append(proposal)
            reader.sentence_of.append(number)
    for mention in reader.mentions_in(start, end):
        if reader.lexicon.is_person(mention.actor):
            reader.last_person = mention.actor
    if statements:
        reader.last_speaker[paragraph] = statements[-1]


def _stated_on(reader: _Reader, statement: _Statement) -> str | None:
    zone = reader.text[statement.date_zone[0] : statement.date_zone[1]]
    match = _DATE.search(zone)
    if match is None:
        return None
    resolved = resolve_date(match.group(0), reader.published, reader.last_date)
    if resolved:
        reader.last_date = resolved
    return resolved


def _statements(reader: _Reader, start: int, end: int, paragraph: int) -> list[_Statement]:
    """Who speaks in the sentence, and what each says."""
    text = reader.text
    found: list[_Statement] = []
    for match in _VERB.finditer(text, start, end):
        statement = _statement_at(reader, match, start, end)
        if statement is None:
            continue
        if found and _nested(reader, found[-1], statement, match.start()):
            found.append(statement)
            continue
        if found and statement.span[0] < found[-1].content[1] and not _coordinated(text, start, statement.span[0]):
            # A verb inside what an earlier speaker says ("he said he wants..."): the earlier one goes on.
            continue
        found.append(statement)
    inverted = None if found else _INVERTED.search(text, start, end)
    if inverted:
        found += _inverted(reader, inverted, start, end)
    according = _ACCORDING.search(text, start, end)
    if not found and according:
        found += _according(reader, according, start, end)
    if not found and not inverted:
        # A quotation whose own speaker follows its verb ("..., said X") does not go on from an earlier speaker.
        found += _continued_quote(reader, start, end, paragraph)
    for previous, following in zip(found, found[1:], strict=False):
        # What one says ends where the next speaker starts ("..., and X said the following day that ...").
        if following.span[0] <= previous.content[0]:
            continue  # already cut by _nested
        cut = following.span[0]
        while cut > previous.content[0] and text[cut - 1] in " ,;":
            cut -= 1
        cut = _strip_connective(text, previous.content[0], cut)
        previous.content = (previous.content[0], min(previous.content[1], cut))
        previous.span = (previous.span[0], min(previous.span[1], cut))
    return [statement for statement in found if statement.content[1] > statement.content[0]]


def _nested(reader: _Reader, earlier: _Statement, statement: _Statement, verb_start: int) -> bool:
    """Whether ``earlier`` stands inside the subject of ``statement`` or inside what a trailing attribution
    reports, and if so cut what it says where that ends.

    "Dunn, who had insisted that A, now says B": what Dunn had insisted ends before "now says". "Velmark is seeking
    A, its negotiator Zoran said": what Velmark seeks ends before the attribution, and Zoran is who said it.
    """
    text = reader.text
    if (
        statement.rule != "trailing-attribution"
        and statement.span[0] <= earlier.span[0] < earlier.content[0] < verb_start
    ):
        cut = verb_start
        while cut > earlier.content[0] and text[cut - 1] in " ,;":
            cut -= 1
        earlier.content = (earlier.content[0], min(earlier.content[1], cut))
        earlier.span = (earlier.span[0], min(earlier.span[1], cut))
        return True
    if statement.rule == "trailing-attribution" and earlier.content[0] < statement.content[1] < earlier.content[1]:
        earlier.content = (earlier.content[0], statement.content[1])
        _attributed(reader, earlier, statement)
        if not _DATE.search(text, *earlier.date_zone):
            earlier.date_zone = statement.date_zone  # "..., X told reporters on Monday"
        return False  # the attribution itself drafts nothing more
    return False


def _attributed(reader: _Reader, earlier: _Statement, attribution: _Statement) -> None:
    """The person of a trailing attribution speaks for what the state before it is said to want: "Aldoria is
    seeking A, its chief negotiator Zoran said" is Zoran's position (as "Zoran said Aldoria is seeking A" is)."""
    person = attribution.speaker
    if person is None or attribution.pronoun or not reader.lexicon.is_person(person) or earlier.reported_by:
        return
    group = reader.lexicon.group_of(person)
    if earlier.holders and all(reader.lexicon.group_of(holder) == group for holder in earlier.holders):
        earlier.holders, earlier.speaker = [person], person


def _coordinated(text: str, start: int, at: int) -> bool:
    """Whether a speaker starts a clause of its own (", and X said ...", "; X said"), not one inside a quote."""
    return _CLAUSE_START.search(text, max(start, at - 20), at) is not None


_CLAUSE_START = re.compile(r"(?:,[”\"’]?\s+(?:and|but|while|although|whereas)|;)\s+$")


def _strip_connective(text: str, start: int, end: int) -> int:
    trimmed = _CONNECTIVE.search(text, max(start, end - 40), end)
    return trimmed.start() if trimmed else end


_CONNECTIVE = re.compile(r"(?:,?\s+(?:and|but|although|while|whereas))+\s*$")


_TRAILING = re.compile(r"[\s.!?”\"’')]*")
_LATE_ATTRIBUTION = re.compile(
    r"(?:\s+(?:reporters|journalists|parliament|lawmakers|state\s+\w+|a\s+(?:news|press)\s+conference)"
    r"|\s+(?:in|on|at|after|to|during|before|late|earlier|later|last|this|from)\b(?:\s+(?!that\b)[\w'’-]+){1,5}?)+"
    r"(?:[\s.!?”\"’')]*|,\s+(?:calling|adding|saying|describing|noting|warning|stressing|citing|insisting)\b.*)",
    re.DOTALL,
)
"""An attribution that is not the sentence's last words: "..., X said in a statement, calling it ...", "..., X told
reporters on Monday"."""
_SUBJECT_WINDOW = 200
"""How far before a verb its subject is looked for, in characters: titles, a name and a clause fit in it, and a
run-on sentence costs no more per verb than a short one."""


def _statement_at(reader: _Reader, match: re.Match, start: int, end: int) -> _Statement | None:
    text = reader.text
    verb = match.group("verb")
    kind = next((kind for pattern, kind in _KIND_OF if pattern.match(verb)), "said")
    before_end = match.start()
    holders, speaker, reported, pronoun, subject_start = _subject(reader, start, before_end)
    if not holders and not reported:
        return None
    after = match.end()
    trailing = _TRAILING.fullmatch(text, after, end) is not None
    if not trailing and _LATE_ATTRIBUTION.fullmatch(text, after, end):
        trailing = text[start:subject_start].rstrip().endswith((",", "”", '"'))
    if trailing:
        head = _attribution_head(text, start, subject_start)
        if head is None:
            return None
        content = (start, head)
        return _Statement(
            holders, speaker, content, (start, end), kind, "trailing-attribution", reported, (after, end), pronoun
        )
    if verb in ("told", "tells"):
        told = _TOLD.match(text, after, end)
        after = told.end() if told else after
    zone = re.match(
        r"(?:\s+(?:later\s+)?(?:on\s+\w+(?:\s+(?:morning|afternoon|evening|night))?|last\s+\w+|the\s+(?:following|next|previous)"
        r"\s+day|in\s+\w+|this\s+\w+|today|yesterday))?\s*(?:that\s+(?!" + _ANAPHORA_NOUNS + r")|,\s*|:\s*)?",
        text[after:end],
    )
    content_start = after + (zone.end() if zone else 0)
    if _SERVICE.match(text, content_start, end):
        return None  # an offer to host or mediate talks is a mediator's service, not a stance on an issue
    rule = "reported" if reported and not speaker else ("deed" if kind == "deed" else "said")
    return _Statement(
        holders,
        speaker,
        (content_start, end),
        (subject_start, end),
        kind,
        rule,
        reported,
        (after, content_start + 1),
        pronoun,
    )


_ROLE_NOUNS = (
    r"(?:negotiators?|mediators?|envoys?|spokes(?:man|woman|person)|ministers?|president|premier|aides?|advisers?|"
    r"advisors?|ambassadors?|officials?|representatives?|chairman|chairwoman|chair|head|chief|secretary|"
    r"commissioner|director|leader|deputy|counterpart)"
)
"""Nouns that say someone speaks for a side (not "analyst", "economist": commentators are no party)."""
_ROLE = re.compile(
    r",\s+(?:(?:its|his|her|their|the|a|an|[A-Z][\w-]*['’]s)\s+)?(?:[\w-]+\s+){0,3}" + _ROLE_NOUNS + r"\s*,?\s*$",
    re.IGNORECASE,
)
"""A role set off before a trailing speaker's name: "..., its chief negotiator Mikel Zoran said", "..., Quell's
spokesman, Arvo Teller, told reporters"."""


def _attribution_head(text: str, start: int, subject_start: int) -> int | None:
    """Where what a trailing attribution reports ends, or None where the words before its speaker are no
    finished clause (no comma or closing quotation mark before the speaker and the role it is given)."""
    head = text[start:subject_start].rstrip()
    role = _ROLE.search(head, max(0, len(head) - 80))
    if role:
        head = head[: role.start() + 1]
    if not head.endswith((",", "”", '"')):
        return None
    return start + len(head.rstrip(","))


def _subject(reader: _Reader, start: int, at: int) -> tuple[list[str], str | None, tuple[str, ...], bool, int]:
    """Who is just before a verb: (holders, speaker, reported by, a pronoun?, where the subject starts)."""
    text = reader.text
    start = max(start, at - _SUBJECT_WINDOW)
    before = text[start:at]
    auxiliary = _AUXILIARY.search(before)
    stop = start + (auxiliary.start() if auxiliary else len(before.rstrip()))
    while stop > start and text[stop - 1] == " ":
        stop -= 1
    stop = _subject_end(reader, start, stop)
    body = _BODY.search(text, start, stop)
    if body:
        named = reader.mention_ending(body.start(), start)
        if named:  # "Velmark's delegation", "the Russian side": the state speaks
            return [named[-1].actor], None, (), False, _title_start(text, start, named[0].start)
    mentions = reader.mention_ending(stop, start)
    if mentions and not all(m.demonym for m in mentions):
        actors = [m.actor for m in mentions if not m.demonym]
        speaker = actors[0] if len(actors) == 1 else None
        return actors, speaker, (), False, _title_start(text, start, mentions[0].start)
    generic = _GENERIC.search(text[start:stop])
    if generic:
        lead = re.match(r"(?:(?:and|but|although|while|whereas|as|after|when)\s+)*", generic.group("phrase"))
        phrase_start = start + generic.start() + (lead.end() if lead else 0)
        state = next((m.actor for m in reader.mentions_in(phrase_start, stop)), None)
        return ([state] if state else []), None, (text[phrase_start:stop].strip(),), False, phrase_start
    pronoun = _PRONOUN.search(text[start:stop])
    if pronoun and reader.last_person:
        return [reader.last_person], reader.last_person, (), True, start + pronoun.start("pronoun")
    return _new_speaker(reader, start, stop)


def _subject_end(reader: _Reader, start: int, stop: int) -> int:
    """Where the subject of a verb ends, before a clause or an apposition that stands between it and the verb."""
    text = reader.text
    relative = _RELATIVE.search(text, start, stop)
    if relative and _names_something(reader, start, relative.start()):
        return relative.start()  # "Dunn, who had insisted ...": Dunn speaks
    named = _NAMED_APPOSITION.search(text, start, stop)
    if named:
        name = named.group("name")
        known = [m for m in reader.mention_ending(named.end("name"), start) if not m.demonym]
        if known or (" " in name and name.split()[0].lower() not in _NOT_NAMES):
            return named.end("name")  # "X's spokesman, Arvo Teller, told": the name speaks
    apposition = _APPOSITION.search(text, start, stop)
    if apposition and _names_something(reader, start, apposition.start()):
        return apposition.start()  # "X, the bloc to which both belong, said": X speaks
    return stop


def _names_something(reader: _Reader, start: int, at: int) -> bool:
    """Whether the words before ``at`` end with an actor: a name, or a body of a state ("the Russian delegation")."""
    if reader.mention_ending(at, start):
        return True
    body = _BODY.search(reader.text, start, at)
    if body and reader.mention_ending(body.start(), start):
        return True
    named = _NAME.search(reader.text, max(start, at - 80), at)
    return bool(named and named.end() == at and named.group("name").split()[-1].lower() not in _NOT_NAMES)


def _title_start(text: str, start: int, at: int) -> int:
    """Where the titles before a name begin ("US Secretary of State Marco Rubio" starts at "US")."""
    words = list(re.finditer(r"[\w'’.-]+", text[start:at]))
    begin = at
    for word in reversed(words):
        if text[start + word.end() : begin].strip():
            break  # a comma or a quotation mark ends the titles ("... as Russian, Foreign Minister X said")
        if word.group(0).lower() in _TITLES or (
            word.group(0)[:1].isupper() and word.group(0).lower() not in _NOT_NAMES
        ):
            begin = start + word.start()
        else:
            break
    return begin


def _new_speaker(reader: _Reader, start: int, stop: int) -> tuple[list[str], str | None, tuple[str, ...], bool, int]:
    """A capitalised name nobody knows, just before the verb: proposed as a new actor."""
    text = reader.text
    named = _NAME.search(text[start:stop])
    nothing: tuple[list[str], str | None, tuple[str, ...], bool, int] = ([], None, (), False, stop)
    if named is None:
        return nothing
    words = named.group("name").split()
    while words and (words[0].lower() in _TITLES or any(m.demonym for m in reader.lexicon.mentions(words[0]))):
        words.pop(0)
    known = reader.lexicon.mentions(" ".join(words))
    if not words or words[0].lower() in _NOT_NAMES or known:
        return nothing
    label = " ".join(words).strip("’'")
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    if not slug:
        return nothing
    title_start = start + named.start()
    group = next((m.actor for m in reader.mentions_in(max(start, title_start - 40), stop)), None)
    kind = "person" if len(words) >= 2 else "actor"
    reader.extraction.new_actors.setdefault(
        slug, Actor(slug, label, kind, speaks_for=(reader.lexicon.group_of(group),) if group else ())
    )
    return [slug], slug, (), False, _title_start(text, start, start + named.start())


_INVERTED = re.compile(
    rf"[,”\"’]\s*(?P<verb>{_SAY}|{_THREAT})\s+(?P<name>(?:[A-Z][\w'’-]+\s+){{0,3}}[A-Z][\w'’-]+)"
    r"(?P<role>,[^.;“”\"]{0,100})?"
)
"""An attribution with its speaker after the verb: "“...,” said Elena Rusk, an economist at ..."."""


def _inverted(reader: _Reader, match: re.Match, start: int, end: int) -> list[_Statement]:
    """What "“...,” said X" reports, as X's: a known actor, or a new one whose side the words after the name give
    ("said Ivo Brandt, Veldoria's foreign minister"). A speaker of no known side (an analyst, an economist) is no
    party, and drafts nothing."""
    text = reader.text
    name_start, name_end = match.span("name")
    known = [m for m in reader.mentions_in(name_start, name_end) if not m.demonym]
    if known:
        actor = known[-1].actor
    else:
        role_start, role_end = match.span("role") if match.group("role") else (name_end, name_end)
        role = re.search(rf"\b{_ROLE_NOUNS}\b", text[role_start:role_end], re.IGNORECASE)
        side = next((m.actor for m in reader.mentions_in(role_start, role_end)), None) if role else None
        words = match.group("name").split()
        while words and words[0].lower() in _TITLES:
            words.pop(0)
        label = " ".join(words)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        if side is None or not slug or words[0].lower() in _NOT_NAMES:
            return []
        actor = slug
        kind = "person" if len(words) >= 2 else "actor"
        group = reader.lexicon.group_of(side)
        reader.extraction.new_actors.setdefault(slug, Actor(slug, label, kind, speaks_for=(group,)))
    head = text[start : match.start()].rstrip()
    content_end = start + len(head.rstrip(',”"’'))
    kind_of = next((kind for pattern, kind in _KIND_OF if pattern.match(match.group("verb"))), "said")
    person = actor if actor not in reader.lexicon.actors or reader.lexicon.is_person(actor) else None
    return [
        _Statement(
            [actor], person, (start, content_end), (start, end), kind_of, "trailing-attribution", (), (name_end, end)
        )
    ]


def _according(reader: _Reader, match: re.Match, start: int, end: int) -> list[_Statement]:
    who = match.group("who")
    mentions = reader.mentions_in(match.start("who"), match.end("who"))
    generic = _GENERIC.search(who)
    if not mentions:
        return []
    actor = mentions[0].actor
    reported = (who.strip(),) if generic else ()
    rest_start = start if match.start() > start + 3 else match.end()
    content_end = match.start() if match.start() > start + 3 else end
    return [
        _Statement(
            [actor],
            None if generic else actor,
            (rest_start, content_end),
            (start, end),
            "said",
            "according-to",
            reported,
            (start, end),
        )
    ]


def _continued_quote(reader: _Reader, start: int, end: int, paragraph: int) -> list[_Statement]:
    """A sentence that is all quotation, going on from a speaker of the same paragraph."""
    text = reader.text
    opened = reader.quote_open_before(start)
    if not (text[start] in _OPEN_QUOTES or opened):
        return []
    earlier = reader.last_speaker.get(paragraph)
    if earlier is None:
        return []
    return [
        _Statement(
            earlier.holders,
            earlier.speaker,
            (start, end),
            (start, end),
            earlier.kind,
            "quote-goes-on",
            earlier.reported_by,
            (start, start),
            earlier.pronoun,
        )
    ]


def _holder_inside(reader: _Reader, statement: _Statement, content: str, offset: int) -> tuple[list[str], str | None]:
    """Whose position a statement reports: "X said Y wants..." is Y's where Y is a person; where the speaker is
    unnamed ("officials said"), that of the first actor the words name, else of the officials' state."""
    if statement.reported_by:
        inner = [m for m in reader.mentions_in(offset, offset + len(content)) if not m.demonym]
        return ([inner[0].actor] if inner else statement.holders), None
    if statement.speaker:
        lead = reader.mentions_in(offset, offset + min(len(content), 40))
        if lead and lead[0].start - offset < 6 and reader.lexicon.is_person(lead[0].actor):
            return [lead[0].actor], statement.speaker
    return statement.holders, statement.speaker


def _propose(reader: _Reader, statement: _Statement, stated_on: str | None) -> list[Proposal]:
    """The positions of one statement: one per item that names an issue (or a new one, for a kind)."""
    text = reader.text
    start, end = statement.content
    content = text[start:end]
    holders, speaker = _holder_inside(reader, statement, content, start)
    if not holders:
        return []
    kind = statement.kind
    inner = _INNER.match(content.lstrip(' “"'))
    if inner:
        kind = _inner_kind(inner.group("verb").lower(), kind)
    clauses = _clauses(content)
    quote_start, quote_end = _trim(text, *statement.span)
    proposals: list[Proposal] = []
    seen: set[str] = set()
    red_line = bool(_RED_LINE.search(content)) or _red_line_after(reader, statement)
    for clause_start, clause_end in clauses:
        clause = content[clause_start:clause_end]
        participle = _PARTICIPLE.match(clause)
        clause_kind = _PARTICIPLE_KINDS.get(participle.group("verb"), kind) if participle else kind
        for item in _items(reader, clause, start + clause_start, clause_kind, kind == "reject"):
            issue, stance, quantity, conditions, addressees, score, new = item
            if issue in seen:
                continue
            seen.add(issue)
            for holder in holders:
                confidence = _confidence(statement, score, new)
                proposals.append(
                    Proposal(
                        holder=holder,
                        group=reader.lexicon.group_of(holder)
                        if holder in reader.lexicon.actors
                        else _new_group(reader, holder),
                        issue=issue,
                        quote=text[quote_start:quote_end],
                        start=quote_start,
                        end=quote_end,
                        rule=statement.rule + ("+new-issue" if new else ""),
                        confidence=confidence,
                        speaker=speaker,
                        stance=None if quantity else stance,
                        minimum=quantity[0] if quantity else None,
                        maximum=quantity[1] if quantity else None,
                        unit=quantity[2] if quantity else None,
                        conditions=conditions,
                        red_line=red_line,
                        kind=_final_kind(clause_kind, addressees, reader.lexicon.group_of(holder)),
                        addressees=tuple(
                            a for a in addressees if reader.lexicon.group_of(a) != reader.lexicon.group_of(holder)
                        ),
                        reported_by=statement.reported_by,
                        stated_on=stated_on,
                        salience=0.9 if red_line else 0.5,
                    )
                )
    return _share_addressees(proposals)


def _red_line_after(reader: _Reader, statement: _Statement) -> bool:
    """A red line said in the participle after a trailing attribution ("..., X said, calling this 'a red line'")."""
    if statement.rule != "trailing-attribution":
        return False
    return bool(_RED_LINE.search(reader.text, statement.content[1], statement.span[1]))


def _new_group(reader: _Reader, holder: str) -> str:
    actor = reader.extraction.new_actors.get(holder)
    return actor.speaks_for[0] if actor is not None and actor.speaks_for else holder


def _share_addressees(proposals: list[Proposal]) -> list[Proposal]:
    """Items of one list of demands share whom they address ("wants Ukraine to X, Russia to Y")."""
    shared = tuple(sorted({a for p in proposals for a in p.addressees}))
    return [
        replace(p, addressees=shared, kind="demand")
        if p.kind == "position" and p.rule.startswith("said") and shared and any(q.kind == "demand" for q in proposals)
        else p
        for p in proposals
    ]


def _inner_kind(verb: str, kind: str) -> str:
    if verb.startswith(("want", "demand", "insisted")):
        return "demand"
    if verb.startswith(("ready", "willing", "is ready", "was ready")):
        return "offer"
    return kind


def _final_kind(kind: str, addressees: list[str], group: str) -> str:
    if kind in ("said", "deed", "reject"):
        return "commitment" if kind == "deed" else "position"
    if kind == "demand" and not [a for a in addressees if a != group]:
        return "position"
    return kind


def _confidence(statement: _Statement, score: float, new: bool) -> float:
    base = {"said": 0.7, "trailing-attribution": 0.7, "according-to": 0.6, "reported": 0.5, "deed": 0.5}
    value = base.get(statement.rule, 0.5) + (0.1 if score >= 0.9 else 0.0)
    value -= 0.3 if new else 0.0
    value -= 0.1 if statement.pronoun else 0.0
    return round(min(max(value, 0.05), 0.95), 2)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;":
        start += 1
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return start, end


def _clauses(content: str) -> list[tuple[int, int]]:
    """Clauses with a speech verb of their own start anew (", insisting that ...")."""
    cuts = [0] + [m.start() for m in _PARTICIPLE.finditer(content)] + [len(content)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


_Item = tuple[str, str | None, tuple | None, tuple, list[str], float, bool]


def _items(reader: _Reader, clause: str, offset: int, kind: str, rejected: bool = False) -> list[_Item]:
    """The (issue, stance, quantity, conditions, addressees, score, new?) of each item of a clause; what a verb
    rejects ("rejected a ceasefire") is opposed."""
    main, conditions, flip = _conditions(reader, clause, offset)
    flip = flip != rejected
    main = _first_alternative(main)
    parts = _split_items(main)
    lexicon = reader.lexicon
    found: list[_Item] = []
    for part_start, part_end in parts:
        part = main[part_start:part_end]
        issue, score = lexicon.issue_for(*_words_with_actors(reader, part, offset + part_start))
        if issue is None or score < (0.6 if len(parts) > 1 else 0.5):
            continue
        stance = _stance(part, lexicon.issues[issue], flip)
        quantity = _quantity(part) if lexicon.issues[issue].scale == QUANTITY else None
        addressees = _addressees(reader, part, offset + part_start, kind)
        found.append((issue, stance, quantity, conditions, addressees, score, False))
    if not found and kind in ("demand", "threat", "offer", "commitment"):
        proposed = _new_issue(reader, main)
        if proposed is not None:
            issue_id, quantity = proposed
            stance = SUPPORTS if flip is False else OPPOSES
            found.append((issue_id, stance, quantity, conditions, _addressees(reader, main, offset, kind), 0.0, True))
    return found


_EITHER = re.compile(r"\beither\b[^;]{0,300}?(?P<or>,?\s+or\b)", re.IGNORECASE)


def _first_alternative(main: str) -> str:
    """ "Either A or B" outside a condition: A is what is wanted, B what follows if not ("wants Russia either to
    accept a truce or to face sanctions"; "either the sides agree on monitors, or the ceasefire will collapse")."""
    either = _EITHER.search(main)
    return main[: either.start("or")] if either else main


def _words_with_actors(reader: _Reader, part: str, offset: int) -> tuple[list[str], frozenset[str]]:
    """The keys of an item, with those of the actors it mentions by another name ("Kyiv" counts as Ukraine),
    and which keys name actors."""
    words = keys(part)
    names: set[str] = set()
    for mention in reader.mentions_in(offset, offset + len(part)):
        actor = reader.lexicon.actors.get(mention.actor)
        if actor is not None:
            named = (
                keys(actor.label) + keys(actor.id.replace("-", " ")) + keys(reader.text[mention.start : mention.end])
            )
            words += named
            names.update(named)
    return words, frozenset(names)


def _split_items(main: str) -> list[tuple[int, int]]:
    cuts = [(0, 0)] + [(m.start(), m.end()) for m in _ITEMS.finditer(main)] + [(len(main), len(main))]
    return [(cuts[i][1], cuts[i + 1][0]) for i in range(len(cuts) - 1) if cuts[i + 1][0] > cuts[i][1]]


def _conditions(reader: _Reader, clause: str, offset: int) -> tuple[str, tuple, bool]:
    """The clause without its condition, the condition, and whether ``unless`` turns the main stance."""
    match = _CONDITION.search(clause)
    if match is None:
        return clause, (), False
    word = match.group("word").lower()
    leading = clause[: match.start()].strip(' ,“"') == ""
    if leading:
        comma = clause.find(",", match.end())
        if comma < 0:
            return clause, (), False
        condition_text, main = clause[match.end() : comma], clause[comma + 1 :]
    else:
        condition_text, main = clause[match.end() :], clause[: match.start()]
    condition = _condition(reader, condition_text, offset + match.end())
    return main, ((condition,) if condition is not None else ()), word == "unless"


def _condition(reader: _Reader, text: str, offset: int) -> Condition | AnyOf | None:
    """The condition a clause states: one issue and stance, or an either/or of several."""
    alternatives = []
    for part in re.split(r"\s+or\s+|,\s*or\s+", text):
        issue, score = reader.lexicon.issue_for(*_words_with_actors(reader, part, offset + text.find(part)))
        if issue is not None and score >= 0.4:
            addressees = tuple(_addressees(reader, part, offset + text.find(part), "demand"))
            alternatives.append(Condition(issue, _stance(part, reader.lexicon.issues[issue], False), addressees))
    shared = next((c.addressees for c in alternatives if c.addressees), ())
    # "if Ukraine lifts X or agrees to Y": who must act is said once, for every alternative.
    unique = {(c.issue, c.stance): replace(c, addressees=c.addressees or shared) for c in alternatives}
    if len(unique) > 1:
        return AnyOf(tuple(unique.values()))
    if unique:
        return next(iter(unique.values()))
    proposed = _new_issue(reader, text)
    return Condition(proposed[0], SUPPORTS) if proposed else None


_PARTICLES = frozenset({"not", "n't", "no", "never", "without", "against"})


def _stance(part: str, issue: Issue, flip: bool) -> str:
    """Supports, unless an odd number of negations or reversals stand in the item outside the issue's own words.

    A particle ("not", "no") negates only what follows it closely ("no ceasefire", not "no control ...
    would be lifted"); a reversal ("drop", "an end to", "lifted") counts wherever it stands.
    """
    own = set(keys(issue.label + " " + (issue.definition or "") + " " + " ".join(issue.aliases)))
    negations = 0
    for match in _NEGATIONS.finditer(part):
        if set(keys(match.group(0))) & own:
            continue
        if match.group(0).lower() in _PARTICLES:
            following = keys(" ".join(part[match.end() : match.end() + 120].split()[:6]))
            if not set(following) & own:
                continue
        negations += 1
    return OPPOSES if (negations % 2 == 1) != flip else SUPPORTS


def _addressees(reader: _Reader, part: str, offset: int, kind: str = "said") -> list[str]:
    """Who must act: an actor that is the subject of an infinitive ("Ukraine to drop ...") or of ``must``, or,
    in a demand or threat, the actor the item opens with ("demanded that Ukraine withdraw")."""
    found = []
    lead = len(part) - len(part.lstrip(' “"')) + offset
    for mention in reader.mentions_in(offset, offset + len(part)):
        after = reader.text[mention.end : mention.end + 12]
        if mention.demonym:
            continue
        opening = kind in ("demand", "threat") and mention.start <= lead + 4 and re.match(r"\s+[a-z]", after)
        if opening or re.match(r"\s+(?:to|must|should|has to|needs to)\b", after):
            found.append(mention.actor)
    return found


_NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100"}
# Only before a plural noun ("six months"): "no one will" and "one of them" are no quantities.
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b(?=\s+[a-z]+s\b)", re.IGNORECASE)


def _quantity(part: str) -> tuple[float | None, float | None, str] | None:
    """A range from numbers with units: "no more than 85,000 troops", "within six months", "between 5 and 10 km".

    Examples
    --------
    >>> _quantity("within six months of a truce"), _quantity("no more than 85,000 troops")
    ((None, 6.0, 'months'), (None, 85000.0, 'troops'))
    """
    part = _NUMBER_WORD.sub(lambda word: _NUMBER_WORDS[word.group(0).lower()], part)
    first: tuple[float | None, float | None, str] | None = None
    for match in _QUANTITY.finditer(part):
        unit = match.group("unit").lower()
        if unit in _UNITS_NOT:
            continue
        scale = _SCALES.get((match.group("scale") or "").lower(), 1.0)
        low = _number(match.group("low"), scale)
        high = _number(match.group("high"), scale) if match.group("high") else None
        if low is None or (match.group("high") and high is None):
            continue  # a number too large to be a stated quantity is read as no quantity, not as infinity
        bound = (match.group("bound") or "").lower()
        unit = "%" if unit in ("per cent", "percent") else unit
        if high is not None:
            return (low, high, unit)
        if bound in _LOWER_BOUNDS:
            return (low, None, unit)
        if bound:
            return (None, low, unit)
        # A bare number may be where things stand ("the 25 percent tariff ... cut to no more than 5 percent"):
        # a bound or a range later in the item is the position.
        first = first or (low, low, unit)
    return first


_LARGEST = 1e15
"""The largest quantity read: beyond it a float no longer holds every whole number, and no negotiation states
one (a 400-digit number would otherwise become infinity, which neither JSON nor RDF can carry)."""


def _number(digits: str, scale: float) -> float | None:
    """A number as written ("85,000"), scaled, or None where it is not finite or larger than :data:`_LARGEST`."""
    try:
        value = float(digits.replace(",", "")) * scale
    except ValueError:  # "1.2.3"
        return None
    return value if math.isfinite(value) and value <= _LARGEST else None


def _new_issue(reader: _Reader, text: str) -> tuple[str, tuple | None] | None:
    """A new issue for what an item speaks of, named after its first content words."""
    words = [
        w
        for w in re.findall(r"[A-Za-z][\w'’-]*", text)
        if w.lower() not in _STOP and not w[0].isupper() and "'" not in w and "’" not in w
    ]
    if len(words) < 2:
        return None
    quantity = _quantity(text)
    slug = "-".join(w.lower().strip("'’") for w in words[:4])
    slug = re.sub(r"[^a-z0-9-]+", "", slug).strip("-")
    if not slug or slug in reader.lexicon.issues:
        return (slug, quantity) if slug else None
    label = " ".join(words[:6])
    definition = text.strip(' ,.;“”"') + "."
    reader.extraction.new_issues.setdefault(
        slug,
        Issue(
            slug,
            label[:1].upper() + label[1:],
            definition[:1].upper() + definition[1:],
            QUANTITY if quantity else "binary",
            quantity[2] if quantity else None,
        ),
    )
    return slug, quantity


# --- Answers to earlier positions -------------------------------------------------------------------------


def _rejection(reader: _Reader, number: int, statement: _Statement, stated_on: str | None) -> bool:
    """ "X says those demands are unacceptable": X opposes each demand of another group drafted just before."""
    content = reader.text[statement.content[0] : statement.content[1]]
    anaphora = _ANAPHORA.search(content)
    if not statement.holders or not (anaphora and (_DISMISSAL.search(content) or statement.kind == "reject")):
        return False
    holder = statement.holders[0]
    group = reader.lexicon.group_of(holder)
    proposals = reader.extraction.proposals
    earlier: list[int] = []
    for index in range(len(proposals) - 1, -1, -1):  # backwards: only the last three sentences count
        if reader.sentence_of[index] < number - 3:
            break
        if reader.sentence_of[index] < number and proposals[index].group != group and proposals[index].stance:
            earlier.insert(0, index)
    wanted = {"demand": "demand", "offer": "offer", "proposal": "offer", "plan": "offer"}.get(
        anaphora.group("noun").lower().rstrip("s")
    )
    if wanted:
        earlier = [index for index in earlier if proposals[index].kind == wanted] or earlier
    addressed = [index for index in earlier if group in proposals[index].addressees]
    earlier = addressed or earlier
    if not earlier:
        return False
    start, end = _trim(reader.text, *statement.span)
    for index in earlier:
        antecedent = proposals[index]
        proposals.append(
            Proposal(
                holder=holder,
                group=group,
                issue=antecedent.issue,
                quote=reader.text[start:end],
                start=start,
                end=end,
                rule="rejection",
                confidence=0.6,
                speaker=statement.speaker,
                stance=OPPOSES if antecedent.stance == SUPPORTS else SUPPORTS,
                rejects=(index,),
                reported_by=statement.reported_by,
                stated_on=stated_on,
                salience=0.9 if _STRONG.search(content) else 0.5,
            )
        )
        reader.sentence_of.append(number)
    return True


def _replacement(reader: _Reader, number: int, start: int, end: int) -> bool:
    """ "X then moderated that claim": a position of X's replaces X's last one, neutral or turned."""
    match = _REPLACE.search(reader.text, start, end)
    if match is None:
        return False
    holders, speaker, _, pronoun, subject_start = _subject(reader, start, match.start())
    if not holders:
        return False
    holder = holders[0]
    proposals = reader.extraction.proposals
    earlier: int | str | None = next(
        (index for index in range(len(proposals) - 1, -1, -1) if proposals[index].holder == holder), None
    )
    issue, stance = (proposals[earlier].issue, proposals[earlier].stance) if isinstance(earlier, int) else (None, None)
    if earlier is None:
        stored = sorted(
            (p for p in reader.lexicon.positions.values() if p.holder == holder),
            key=lambda p: p.valid_from or "",
        )
        if not stored:
            return False
        earlier, issue, stance = stored[-1].id, stored[-1].issue, stored[-1].stance
    verb = match.group("verb").lower()
    new_stance = NEUTRAL if verb in _NEUTRAL_REPLACE else (stance if verb == "hardened" else _turned(stance))
    quote_start, quote_end = _trim(reader.text, subject_start, end)
    stated_on = None
    date_match = _DATE.search(reader.text, match.end(), end)
    if date_match:
        stated_on = resolve_date(date_match.group(0), reader.published, reader.last_date)
    proposals.append(
        Proposal(
            holder=holder,
            group=reader.lexicon.group_of(holder),
            issue=issue or "",
            quote=reader.text[quote_start:quote_end],
            start=quote_start,
            end=quote_end,
            rule="replacement",
            confidence=0.5 if pronoun else 0.6,
            speaker=speaker,
            stance=new_stance,
            supersedes=(earlier,),
            stated_on=stated_on,
        )
    )
    reader.sentence_of.append(number)
    return True


def _turned(stance: str | None) -> str:
    return {SUPPORTS: OPPOSES, OPPOSES: SUPPORTS}.get(stance or "", NEUTRAL)
