"""The documentation's samples, run: README.md and docs/*.md show only what the code does.

How a page's fenced blocks are read (docs/index.md, "How these pages are checked", says the same):

- A block whose info string holds ``file=NAME`` (```` ```trig file=rule4.trig ````) is written as it
  stands to the page's folder, a fresh temporary folder per page, when the page reaches it. Every
  file a page writes must be named by one of its commands or Python examples.
- A ```` ```console ```` block holds ``$ parley ...`` lines, each followed by what the command
  prints: its standard output when it succeeds; when it fails, its standard error without the
  progress lines (``[   0.1s] ...``, whose timings vary). Each runs in process (typer's CliRunner
  over ``api.cli.app``) in the page's folder, with ``PARLEY_STORE`` set to a store of the page: the
  one the block's ``store=NAME`` names (``page`` if none), fresh the first time the page names it.
  A fresh store holds the ontology and the seed graph, as every empty store does once Parley opens
  it. Trailing white space is ignored.
- An ```` ```http ```` block holds a request (the request line, headers, a blank line, the body if
  any), a blank line, and the response (``HTTP/1.1 <status>``, the headers to check, a blank line,
  the body if shown). The request goes in process (httpx over ASGI) to a server of the page over a
  fresh store holding the seed graph, whose write token is ``s3cret``; ``token=`` names another
  (``token=`` alone: no token, writes off). Each token has its server, kept for the whole page.
  The status and the headers shown must match. A JSON body must equal the answer, except where
  ``"..."`` stands for what is left out: as a value it matches any value, as a key
  (``"...": "..."``) it allows keys not shown, and as the last item of a list it allows more items.
  Any other body must equal the answer's text.
- A ```` ```python ```` block is a doctest, run in the page's folder; a page's Python blocks share
  their names.
- A ```` ```sparql example="TITLE" ```` block must be the query page's example of that title
  (``graph.store.queries.EXAMPLE_QUERIES``).
- Blocks in ``sh``, ``text``, ``markdown`` or no language are not run; any other block needs
  ``file=``, so that no sample goes unchecked.

``PARLEY_DOCS_UPDATE=1`` writes what the code prints into the pages in place, keeping ``"..."``
where a page leaves things out (after a change of behaviour; then read the diff). Without it, any
difference fails.
"""

from __future__ import annotations

import contextlib
import doctest
import json
import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import anyio.from_thread
import httpx
import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.settings import Settings
from graph.ingest.load import open_store
from graph.store.queries import EXAMPLE_QUERIES

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
UPDATE = os.environ.get("PARLEY_DOCS_UPDATE") == "1"
TOKEN = "s3cret"
NOT_RUN = {"", "sh", "text", "markdown"}
PROGRESS = re.compile(r"^\[\s*\d+\.\d+s\] ")
LEFT_OUT = "..."
WIDTH = 100
"""JSON written back keeps a value on one line where the line stays within this."""


def _page_name(path: Path) -> str:
    return str(path.relative_to(ROOT))


#
# Reading a page.
#


@dataclass
class Block:
    """A fenced block: ``first`` is the index, in the page's lines, of its first line of content."""

    language: str
    attributes: dict[str, str]
    first: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")


def read_blocks(lines: list[str]) -> list[Block]:
    """The fenced blocks of a page, outer ones only (a block shown inside a longer fence is its text).

    >>> [(b.language, b.attributes, b.lines) for b in read_blocks(["```trig file=a.trig", "x", "```", "y"])]
    [('trig', {'file': 'a.trig'}, ['x'])]
    """
    blocks = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        index += 1
        if not opening:
            continue
        fence, info = opening.groups()
        first = index
        while index < len(lines) and not (lines[index].startswith(fence) and not lines[index].strip(fence[0]).strip()):
            index += 1
        words = shlex.split(info)
        language = words[0] if words and "=" not in words[0] else ""
        attributes = dict(word.partition("=")[::2] for word in words if "=" in word)
        blocks.append(Block(language, attributes, first, lines[first:index]))
        index += 1
    return blocks


def prose(lines: list[str], code: bool = False) -> list[str]:
    """The page's lines outside fenced blocks (blank where a block is); inline code blanked unless ``code``."""
    inside = set()
    for block in read_blocks(lines):
        inside.update(range(block.first - 1, block.first + len(block.lines) + 1))
    return [
        "" if number in inside else line if code else re.sub(r"`[^`]*`", "", line) for number, line in enumerate(lines)
    ]


#
# Running a page.
#


@dataclass
class Page:
    """One page being run: its folder, stores and servers, and what differs from what it shows."""

    path: Path
    folder: Path
    seeded: Path
    stack: contextlib.ExitStack
    problems: list[str] = field(default_factory=list)
    """What is wrong with the page whatever the code prints (PARLEY_DOCS_UPDATE cannot mend it)."""
    drifts: list[str] = field(default_factory=list)
    """Where the page shows something other than what the code prints."""
    rewritten: dict[int, list[str]] = field(default_factory=dict)
    """The lines of each block (by its ``first``) as the code would have them."""
    stores: dict[str, Path] = field(default_factory=dict)
    servers: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    portal: anyio.from_thread.BlockingPortal | None = None
    names: dict = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)

    def run(self, blocks: list[Block]) -> None:
        for block in blocks:
            if "file" in block.attributes:
                self.write(block)
            if block.language == "console":
                self.console(block)
            elif block.language == "http":
                self.http(block)
            elif block.language == "python":
                self.python(block)
            elif "example" in block.attributes:
                self.example(block)
            elif block.language not in NOT_RUN and "file" not in block.attributes:
                self.problem(block, f"a {block.language} block that nothing checks: give it file=NAME, or use text")
        for name in self.written:
            if not any(name in text for text in self.used):
                self.problem(None, f"{name} is written but no command or Python example of the page uses it")

    def _where(self, block: Block | None) -> str:
        return _page_name(self.path) + (f", the block at line {block.first}" if block else "")

    def problem(self, block: Block | None, message: str) -> None:
        self.problems.append(f"{self._where(block)}: {message}")

    def drift(self, block: Block, what: str, shown: str, printed: str) -> None:
        self.drifts.append(
            f"{self._where(block)}: {what}\n--- the page shows:\n{shown}\n--- the code prints:\n{printed}"
        )

    def write(self, block: Block) -> None:
        name = block.attributes["file"]
        if not name or Path(name).name != name:
            self.problem(block, f"file={name!r}: give a plain file name")
            return
        (self.folder / name).write_text(block.text + "\n", encoding="utf-8")
        self.written.append(name)

    def store(self, name: str) -> Path:
        """The page's store of that name, a copy of a freshly seeded one the first time."""
        if name not in self.stores:
            self.stores[name] = self.folder.parent / f"store-{name}"
            shutil.copytree(self.seeded, self.stores[name])
        return self.stores[name]

    def console(self, block: Block) -> None:
        runner = CliRunner()
        store = self.store(block.attributes.get("store", "page"))
        rewritten = []
        for command, shown in _commands(block.lines):
            rewritten.append(f"$ {command}")
            arguments = shlex.split(command)
            if arguments[:1] != ["parley"]:
                self.problem(block, f"only parley commands run here, not {command!r}")
                continue
            self.used.append(command)
            result = runner.invoke(cli, arguments[1:], env={"PARLEY_STORE": str(store)})
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                self.problem(block, f"{command}: raised {result.exception!r}")
                continue
            printed = result.stdout if result.exit_code == 0 else _without_progress(result.stderr)
            if _lines(shown) != _lines(printed):
                self.drift(block, f"$ {command}", shown, printed)
            rewritten += _lines(printed)
        self.rewritten[block.first] = rewritten

    def send(self, token: str, exchange: Exchange) -> httpx.Response:
        """Send the exchange's request to the page's server for that token, started the first time."""
        if self.portal is None:
            self.portal = self.stack.enter_context(anyio.from_thread.start_blocking_portal())
        if token not in self.servers:
            settings = Settings(store=str(self.store(f"server-{token}")), query_workers=1, token=token or None)
            self.servers[token] = self.stack.enter_context(self.portal.wrap_async_context_manager(_serving(settings)))
        client = self.servers[token]
        return self.portal.call(
            lambda: client.request(
                exchange.method, exchange.target, headers=exchange.headers_sent, content=exchange.sent
            )
        )

    def http(self, block: Block) -> None:
        exchange = Exchange.read(block.lines)
        if exchange is None:
            self.problem(block, "an http block is a request, a blank line, then the response (HTTP/1.1 <status>)")
            return
        self.used.append("\n".join(exchange.request))
        answered = exchange.answered(self.send(block.attributes.get("token", TOKEN), exchange))
        printed = answered.response_lines(exchange)
        if not exchange.matches(answered):
            shown = block.lines[len(exchange.request) + 1 :]
            self.drift(block, exchange.request[0], "\n".join(shown), "\n".join(printed))
        self.rewritten[block.first] = [*exchange.request, "", *printed]

    def python(self, block: Block) -> None:
        self.used.append(block.text)
        test = doctest.DocTestParser().get_doctest(block.text, self.names, str(self.path), str(self.path), block.first)
        runner = _Recorder(verbose=False)
        runner.run(test, clear_globs=False)
        lines = list(block.lines)
        for example, printed in reversed(runner.recorded):
            self.drift(block, f">>> {example.source.strip()}", example.want, printed)
            start = example.lineno + len(example.source.splitlines())
            lines[start : start + len(example.want.splitlines())] = printed.splitlines()
        for example, error in runner.raised:
            self.problem(block, f">>> {example.source.strip()}\nraised {error!r}")
        self.rewritten[block.first] = lines

    def example(self, block: Block) -> None:
        title = block.attributes["example"]
        if title not in EXAMPLE_QUERIES:
            self.problem(block, f"no example query is titled {title!r}: {', '.join(EXAMPLE_QUERIES)}")
            return
        if _lines(block.text) != _lines(EXAMPLE_QUERIES[title]):
            self.drift(block, f"the example query {title!r}", block.text, EXAMPLE_QUERIES[title])
        self.rewritten[block.first] = EXAMPLE_QUERIES[title].splitlines()


@contextlib.asynccontextmanager
async def _serving(settings: Settings):
    """A client of the app in process (httpx over ASGI), the app's lifespan running meanwhile."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as http,
    ):
        yield http


class _Recorder(doctest.DocTestRunner):
    """A doctest runner that keeps each example that printed something else, or raised."""

    def __init__(self, **options):
        super().__init__(**options)
        self.recorded: list[tuple[doctest.Example, str]] = []
        self.raised: list[tuple[doctest.Example, BaseException]] = []

    def report_failure(self, out, test, example, got):
        self.recorded.append((example, got))

    def report_unexpected_exception(self, out, test, example, exc_info):
        self.raised.append((example, exc_info[1]))


def _lines(text: str) -> list[str]:
    """A text's lines without trailing white space or trailing blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _without_progress(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not PROGRESS.match(line))


def _commands(lines: list[str]) -> list[tuple[str, str]]:
    """``(command, what it prints)`` for each ``$ `` line of a console block."""
    commands: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in commands]


#
# HTTP exchanges.
#


def _headers(lines: list[str]) -> dict[str, str]:
    return {name.strip(): value.strip() for name, _, value in (line.partition(":") for line in lines)}


def _head_and_body(lines: list[str]) -> tuple[list[str], list[str]]:
    """A message's lines up to the first blank one, and those after it (trailing blank lines dropped)."""
    blank = lines.index("") if "" in lines else len(lines)
    body = lines[blank + 1 :]
    while body and not body[-1].strip():
        body.pop()
    return lines[:blank], body


@dataclass
class Exchange:
    """A request and its response, as an http block shows them (``headers`` and ``body`` are the response's)."""

    request: list[str]
    status: int
    headers: dict[str, str]
    body: str

    @classmethod
    def read(cls, lines: list[str]) -> Exchange | None:
        starts = [i for i, line in enumerate(lines) if line.startswith("HTTP/1.1 ") and i and not lines[i - 1].strip()]
        if not starts or len(lines[starts[-1]].split()) < 2 or not lines[starts[-1]].split()[1].isdigit():
            return None
        head, body = _head_and_body(lines[starts[-1] :])
        return cls(lines[: starts[-1] - 1], int(head[0].split()[1]), _headers(head[1:]), "\n".join(body))

    @property
    def method(self) -> str:
        return self.request[0].split()[0]

    @property
    def target(self) -> str:
        return self.request[0].split()[1]

    @property
    def headers_sent(self) -> dict[str, str]:
        return _headers(_head_and_body(self.request[1:])[0])

    @property
    def sent(self) -> bytes | None:
        body = _head_and_body(self.request[1:])[1]
        return "\n".join(body).encode() if body else None

    def answered(self, reply: httpx.Response) -> Exchange:
        """The exchange as the server answered it: the headers this block shows, and the body if it shows one."""
        headers = {name: reply.headers.get(name, "(absent)") for name in self.headers}
        body = reply.text.replace("\r\n", "\n") if self.body else ""
        return Exchange(self.request, reply.status_code, headers, body)

    def is_json(self) -> bool:
        return self.body.lstrip()[:1] in ("{", "[")

    def matches(self, answered: Exchange) -> bool:
        if (self.status, self.headers) != (answered.status, answered.headers):
            return False
        if self.is_json() and answered.is_json():
            return matches(json.loads(self.body), json.loads(answered.body))
        return _lines(self.body) == _lines(answered.body)

    def response_lines(self, shown: Exchange) -> list[str]:
        """The response as a page shows it, left out where ``shown`` leaves things out."""
        head = [
            f"HTTP/1.1 {self.status} {HTTPStatus(self.status).phrase}",
            *(f"{name}: {value}" for name, value in self.headers.items()),
        ]
        if not self.body:
            return head
        if self.is_json():
            left_out = shown_like(json.loads(self.body), json.loads(shown.body) if shown.is_json() else None)
            return [*head, "", *pretty(left_out).splitlines()]
        return [*head, "", *_lines(self.body)]


def matches(shown, answered) -> bool:
    """Whether the answer is what the page shows, where ``"..."`` stands for what the page leaves out.

    >>> matches({"a": 1, "...": "..."}, {"a": 1, "b": 2}), matches({"a": 1}, {"a": 1, "b": 2})
    (True, False)
    >>> matches([1, "..."], [1, 2, 3]), matches([1], [1, 2]), matches("...", {"any": "thing"})
    (True, False, True)
    >>> matches(1, 1.0), matches(0.5, 0.5)
    (False, True)
    """
    if shown == LEFT_OUT:
        return True
    if isinstance(shown, dict):
        keys = {key: value for key, value in shown.items() if key != LEFT_OUT}
        if not isinstance(answered, dict) or not set(keys) <= set(answered):
            return False
        if LEFT_OUT not in shown and set(answered) != set(keys):
            return False
        return all(matches(value, answered[key]) for key, value in keys.items())
    if isinstance(shown, list):
        goes_on = bool(shown) and shown[-1] == LEFT_OUT
        items = shown[:-1] if goes_on else shown
        if not isinstance(answered, list) or len(answered) < len(items) or (not goes_on and len(answered) > len(items)):
            return False
        return all(matches(item, answer) for item, answer in zip(items, answered, strict=False))
    return type(shown) is type(answered) and shown == answered


def shown_like(answered, shown):
    """The answer, left out where the page leaves things out: what PARLEY_DOCS_UPDATE writes back.

    >>> shown_like({"a": 1, "b": [1, 2, 3]}, {"b": [0, "..."], "...": "..."})
    {'b': [1, '...'], '...': '...'}
    """
    if shown == LEFT_OUT:
        return LEFT_OUT
    if isinstance(shown, dict) and isinstance(answered, dict):
        if LEFT_OUT not in shown:
            return {key: shown_like(value, shown.get(key)) for key, value in answered.items()}
        kept = {key: shown_like(answered[key], value) for key, value in shown.items() if key in answered}
        return {**kept, LEFT_OUT: LEFT_OUT}
    if isinstance(shown, list) and isinstance(answered, list):
        goes_on = bool(shown) and shown[-1] == LEFT_OUT
        items = answered[: len(shown) - 1] if goes_on else answered
        kept = [shown_like(item, shown[i] if i < len(shown) else None) for i, item in enumerate(items)]
        return [*kept, LEFT_OUT] if goes_on else kept
    return answered


def pretty(value, indent: int = 0, used: int = 0) -> str:
    """JSON indented by two, each value on one line where that line stays within WIDTH (``used``: what its
    key takes of the line).

    >>> print(pretty({"short": [1, 2], "long": ["x" * 60, "y" * 60]}))
    {
      "short": [1, 2],
      "long": [
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
      ]
    }
    """
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, dict | list) or not value or indent + used + len(flat) <= WIDTH:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            name = json.dumps(key, ensure_ascii=False) + ": "
            items.append(inner + name + pretty(item, indent + 2, len(name)))
    else:
        items = [inner + pretty(item, indent + 2) for item in value]
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    return opening + "\n" + ",\n".join(items) + "\n" + " " * indent + closing


#
# The tests.
#


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """An embedded store Parley has opened once (so holding the ontology and the seed graph), to copy."""
    path = tmp_path_factory.mktemp("seeded") / "store"
    with open_store(str(path)):
        pass
    return path


@pytest.mark.parametrize("path", PAGES, ids=_page_name)
def test_every_sample_of_the_page_shows_what_the_code_does(path, seeded, tmp_path, monkeypatch):
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks = read_blocks(lines)
    folder = tmp_path / "page"
    folder.mkdir()
    monkeypatch.chdir(folder)
    with contextlib.ExitStack() as stack:
        page = Page(path, folder, seeded, stack)
        page.run(blocks)
    if UPDATE and page.drifts:
        for block in reversed(blocks):
            if block.first in page.rewritten:
                lines[block.first : block.first + len(block.lines)] = page.rewritten[block.first]
        path.write_text("\n".join(lines), encoding="utf-8")
    wrong = page.problems + ([] if UPDATE else page.drifts)
    if wrong:
        pytest.fail("\n\n".join(wrong), pytrace=False)


def test_the_documentation_has_its_pages():
    pages = {"index", "meaning", "vocabulary", "http", "cli", "entering-data", "stores", "sparql"}
    assert {f"docs/{page}.md" for page in pages} | {"README.md"} <= {_page_name(path) for path in PAGES}


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|^\[[^\]]+\]:\s*(\S+)")


def heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lowercase, punctuation dropped, spaces as hyphens.

    Two headings of the same text get ``-1``, ``-2``... after the first.
    """
    anchors: set[str] = set()
    for line in prose(path.read_text(encoding="utf-8").split("\n"), code=True):
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1)).replace("`", "").replace("*", "")
        anchor = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        number, unique = 0, anchor
        while unique in anchors:
            number += 1
            unique = f"{anchor}-{number}"
        anchors.add(unique)
    return anchors


@pytest.mark.parametrize("path", PAGES, ids=_page_name)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(path):
    broken = []
    for line in prose(path.read_text(encoding="utf-8").split("\n")):
        for found in LINK.finditer(line):
            target = found.group(1) or found.group(2)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # http:, https:, mailto:
            file, _, anchor = target.partition("#")
            resolved = (path.parent / file).resolve() if file else path
            if not resolved.exists() or ROOT not in (resolved, *resolved.parents):
                broken.append(f"{target}: no such file in the repository")
            elif anchor and resolved.suffix == ".md" and anchor not in heading_anchors(resolved):
                broken.append(f"{target}: {resolved.name} has no heading #{anchor}")
    assert broken == []


SKIPPED = {".git", "node_modules", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}
BUILT = {ROOT / "data", ROOT / "api" / "static", ROOT / "benchmarks" / "out"}
"""What make and the tools write into the checkout, which git ignores: not the project's own text."""


def test_no_file_of_the_repository_cites_the_design_note():
    """The design note that guided the project is not part of it: what it said is in docs/, in Parley's words."""
    name = ("DESIGN" + ".md").encode()
    citing = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [s for s in subfolders if s not in SKIPPED and Path(folder, s) not in BUILT]
        citing += [str(Path(folder, f).relative_to(ROOT)) for f in files if name in Path(folder, f).read_bytes()]
    assert sorted(citing) == []
