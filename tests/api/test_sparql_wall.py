"""The SPARQL wall, tried as an attacker would, against a real `parley serve` on a loopback port.

Generated SERVICE and LOAD spellings (hypothesis, seeded) go through every way the protocol
takes SPARQL, aimed at a socket this test listens on: none may connect, each is refused with 400,
and the decoys (the words inside strings, IRIs, comments and names) are answered. Then the texts
that crashed or stalled the server: a deep nesting, a huge query, an impossible escape.
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from graph.sparql.sandbox import QueryRefused, check_query, check_update
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.sparql.test_netwall import Listener

TOKEN = "wall-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TARGET = "{TARGET}"  # replaced by the listener's address when sent


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = serve(tmp_path_factory.mktemp("wall") / "store", port, token=TOKEN, query_workers="2", query_timeout="10")
    wait_for_health(port, process, seconds=60)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        http.process = process
        yield http
    stop(process)


# Spellings.


def _letter(letter: str) -> st.SearchStrategy[str]:
    code = ord(letter.upper())
    return st.sampled_from([letter.upper(), letter.lower(), letter.upper(), f"\\u{code:04X}", f"\\U{code:08x}"])


def keyword(word: str) -> st.SearchStrategy[str]:
    """A keyword in any case, with any of its letters written as codepoint escapes."""
    return st.tuples(*[_letter(letter) for letter in word]).map("".join)


SPACE = st.sampled_from([" ", "\t", "\n", "\r\n", "  ", " # a comment\n", "#\n"])
# An endpoint, with the declarations it needs, and whether it may follow the keyword with no space.
ENDPOINTS = st.sampled_from(
    [
        ("", f"<{TARGET}sparql>", True),
        (f"PREFIX : <{TARGET}>\n", ":sparql", True),
        (f"PREFIX : <{TARGET}>\n", ":", True),
        (f"PREFIX remote: <{TARGET}>\n", "remote:sparql", False),
        (f"BASE <{TARGET}>\n", "<sparql>", True),
        (f"PREFIX p: <{TARGET}>\n", "p:a\\.b", False),
    ]
)
ESCAPED_NAMES = st.sampled_from(["", "?s ex:a\\' ?o .", '?s ex:a\\" ?o .', "?s ex:x\\#y ?o .", "?s ex:a\\'b\\' ?o ."])
WRAPPERS = st.sampled_from(
    [
        "{{ {} }}",
        "OPTIONAL {{ {} }}",
        "{{ SELECT * {{ {} }} }}",
        "FILTER EXISTS {{ {} }}",
        "{{ }} UNION {{ {} }}",
        "MINUS {{ {} }}",
        "GRAPH ?g {{ {} }}",
        "FILTER NOT EXISTS {{ {} }}",
    ]
)


@st.composite
def service_pattern(draw) -> tuple[str, str]:
    """Declarations, and a group pattern with a SERVICE in it, nested 0-3 deep."""
    declarations, endpoint, glued = draw(ENDPOINTS)
    space = draw(st.sampled_from(["", " "]) if glued else SPACE)
    silent = draw(st.one_of(st.just(""), keyword("SILENT").map(lambda word: word + " ")))
    pattern = f"{draw(keyword('SERVICE'))}{space}{silent}{endpoint}{draw(SPACE)}{{ ?s ?p ?o }}"
    for wrapper in draw(st.lists(WRAPPERS, max_size=3)):
        pattern = wrapper.format(pattern)
    return "PREFIX ex: <http://example.org/>\n" + declarations, f"{draw(ESCAPED_NAMES)} {pattern}"


@st.composite
def service_queries(draw) -> str:
    declarations, pattern = draw(service_pattern())
    form = draw(
        st.sampled_from(
            [
                "SELECT * WHERE",
                "select *",
                "ASK",
                "ask where",
                "CONSTRUCT { ?s ?p ?o } WHERE",
                "DESCRIBE ?s WHERE",
                "SELECT (COUNT(*) AS ?n)",
            ]
        )
    )
    return f"{declarations}{form} {{ {pattern} }}"


@st.composite
def reaching_updates(draw) -> str:
    declarations, endpoint, glued = draw(ENDPOINTS)
    into = draw(st.sampled_from(["", " INTO GRAPH <urn:g>", " into graph <urn:g>"]))
    load = f"{draw(keyword('LOAD'))}{draw(st.sampled_from(['', ' ']) if glued else SPACE)}{endpoint}{into}"
    service_declarations, pattern = draw(service_pattern())
    operation = draw(
        st.sampled_from(
            [
                load,
                f"{declarations}{load}",
                f"{service_declarations}INSERT {{ ?s ?p ?o }} WHERE {{ {pattern} }}",
                f"INSERT DATA {{ <urn:a> <urn:b> 'c' }} ;\n{declarations}{load}",
                f"{service_declarations}DELETE {{ ?s ?p ?o }} WHERE {{ {pattern} }}",
            ]
        )
    )
    return operation


DECOYS = st.sampled_from(
    [
        f'SELECT * {{ ?s ?p "SERVICE <{TARGET}> {{ }}" }} LIMIT 1',
        f"SELECT * {{ ?s ?p '''LOAD <{TARGET}>''' }} LIMIT 1",
        f"SELECT * {{ ?s ?p ?o }} LIMIT 1 # SERVICE <{TARGET}> {{ }}",
        f"SELECT * {{ ?s <{TARGET}SERVICE> ?o }}",
        "PREFIX svc: <http://example.org/> SELECT * { ?service svc:load ?load }",
        "SELECT ?SERVICE ?load WHERE { ?SERVICE ?p ?load } LIMIT 1",
        f"ASK {{ ?s ?p '\\u0053ERVICE <{TARGET}>' }}",
    ]
)

REFUSED = 400


def _aimed(text: str, listener: Listener) -> str:
    return text.replace(TARGET, f"http://127.0.0.1:{listener.port}/")


def _send_query(http: httpx.Client, text: str) -> list[int]:
    return [
        http.get("/sparql", params={"query": text}).status_code,
        http.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"}).status_code,
        http.post("/sparql", data={"query": text}).status_code,
    ]


def _send_update(http: httpx.Client, text: str) -> list[int]:
    return [
        http.post(
            "/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-update", **AUTH}
        ).status_code,
        http.post("/sparql", data={"update": text}, headers=AUTH).status_code,
    ]


ATTACKS = settings(
    max_examples=700,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@seed(20250418)
@ATTACKS
@given(text=service_queries())
def test_service_queries_are_refused_and_reach_nothing(server, listener, text):
    aimed = _aimed(text, listener)
    with pytest.raises(QueryRefused):
        check_query(aimed)  # the parse wall alone
    assert _send_query(server, aimed) == [REFUSED] * 3, aimed
    assert listener.connections == 0, aimed


@seed(20250418)
@settings(ATTACKS, max_examples=400)
@given(text=reaching_updates())
def test_load_and_service_updates_are_refused_and_reach_nothing(server, listener, text):
    aimed = _aimed(text, listener)
    with pytest.raises(QueryRefused):
        check_update(aimed)
    assert _send_update(server, aimed) == [REFUSED] * 2, aimed
    assert listener.connections == 0, aimed


@seed(20250418)
@settings(ATTACKS, max_examples=30)
@given(text=DECOYS)
def test_the_words_where_they_are_no_keywords_are_answered(server, listener, text):
    aimed = _aimed(text, listener)
    assert check_query(aimed).reaches_out == ()
    assert _send_query(server, aimed) == [200] * 3, aimed
    assert listener.connections == 0


# Texts that two engines read differently, where one of the readings runs the SERVICE or the LOAD.
DIVERGENT = [
    'SELECT * { OPTIONAL { ?s ?p "\\u0022" } SERVICE <{TARGET}> { ?a ?b ?c } OPTIONAL { ?x ?y "\\u0022" } }',
    "SELECT * { ?s ?p ?o } #\\u000A SERVICE <{TARGET}> { }",
    "PREFIX e: <{TARGET}> SELECT * { ?s ?p e:a.b.SERVICEe:x {{ ?a ?b ?c }} }",
    "SELECT * { \\u0053ERVICE <{TARGET}> { ?s ?p ?o } }",
    "PREFIX FILTERxsd: <http://a:> PREFIX SERVICEr: <urn:x> PREFIX r: <{TARGET}> SELECT * { FILTERxsd:string(rdf:type) SERVICEr: {} }",
    "SELECT * { ?s ?p ?o # \\uu000A SERVICE <{TARGET}> { ?a ?b ?c }\n}",
]
DIVERGENT_UPDATES = [
    'INSERT DATA { <urn:a> <urn:b> "\\u0022" } ; LOAD <{TARGET}x> ; INSERT DATA { <urn:a> <urn:b> "\\u0022" }',
    'INSERT DATA { <urn:a> <urn:b> "\\u0022" } ; CLEAR ALL ; INSERT DATA { <urn:a> <urn:b> "\\u0022" }',
    "BASE <https://w3id.org/parley/graph/ontology#x> DROP GRAPH <>",
    "PREFIX GRAPHg: <urn:ok:> PREFIX g: <https://w3id.org/parley/graph/> COPY <urn:x> TO GRAPHg:log",
    "PREFIX SILENTg: <urn:ok:> PREFIX g: <https://w3id.org/parley/graph/> MOVE SILENTg:log TO <urn:x>",
    "INSERT DATA { <urn:a> <urn:b> 1 } # \\uu000A ; LOAD <{TARGET}x>",
]


@pytest.mark.parametrize("text", DIVERGENT)
def test_texts_engines_read_differently_are_refused(server, listener, text):
    aimed = text.replace("{TARGET}", f"http://127.0.0.1:{listener.port}/").replace("{{", "{").replace("}}", "}")
    assert _send_query(server, aimed) == [REFUSED] * 3, aimed
    assert listener.connections == 0


@pytest.mark.parametrize("text", DIVERGENT_UPDATES)
def test_updates_engines_read_differently_are_refused(server, listener, text):
    aimed = text.replace("{TARGET}", f"http://127.0.0.1:{listener.port}/")
    assert _send_update(server, aimed) == [REFUSED] * 2, aimed
    assert listener.connections == 0
    _alive(server)


def _alive(server: httpx.Client) -> None:
    assert server.process.poll() is None, "the server process is still running"
    assert server.get("/health").status_code == 200


def test_an_update_nested_ten_thousand_deep_is_refused_and_the_server_lives(server):
    update = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{ " * 10_000 + "} " * 10_000
    response = server.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", **AUTH})
    assert response.status_code == 400
    assert "nest more than 64" in response.json()["detail"]
    query = "SELECT * WHERE " + "{ " * 10_000 + "} " * 10_000
    assert (
        server.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}).status_code == 400
    )
    _alive(server)


def test_the_deepest_nesting_allowed_is_applied(server):
    update = "INSERT { <urn:deep> <urn:b> <urn:c> } WHERE " + "{ " * 64 + "} " * 64
    response = server.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", **AUTH})
    assert response.status_code == 204
    assert server.get("/sparql", params={"query": "ASK { <urn:deep> ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\U00110000", "\\uD800"])
def test_an_impossible_escape_is_a_400(server, escape):
    query = f"SELECT * {{ ?s ?p '{escape}' }}"
    response = server.get("/sparql", params={"query": query})
    assert response.status_code == 400 and escape in response.json()["detail"]
    response = server.post(
        "/sparql",
        content=f"INSERT DATA {{ <urn:a> <urn:b> '{escape}' }}",
        headers={"Content-Type": "application/sparql-update", **AUTH},
    )
    assert response.status_code == 400 and escape in response.json()["detail"]
    _alive(server)


def test_huge_queries_do_not_hold_the_other_requests(server):
    """Four 15 MB queries at once: /health still answers promptly (the parse runs in the workers).

    The bound is loose on purpose (a loaded machine); before, /health took about 10 s.
    """
    huge = "SELECT * { VALUES ?x { " + "'aaaaaaaaaa' " * 1_160_000 + "} } LIMIT 1"
    assert len(huge) > 15_000_000
    statuses: list[int] = []
    with ThreadPoolExecutor(4) as pool:
        sent = [
            pool.submit(
                lambda: server.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"})
            )
            for _ in range(4)
        ]
        slowest, asked = 0.0, 0
        while not all(future.done() for future in sent):  # while the bodies go in and the workers parse
            started = time.monotonic()
            assert server.get("/health").status_code == 200
            slowest, asked = max(slowest, time.monotonic() - started), asked + 1
            time.sleep(0.1)
        statuses = [future.result().status_code for future in sent]
    assert asked >= 3, "the queries were answered before /health was asked: the test measured nothing"
    assert slowest < 2.0, f"/health took {slowest:.2f} s"
    assert set(statuses) <= {200, 503}, statuses  # answered, or past the time limit
    _alive(server)


def test_the_listener_counts_connections():
    """The control: a listener does count a connection, so the zero counts above mean something."""
    control = Listener()
    try:
        socket.create_connection(("127.0.0.1", control.port), timeout=5).close()
        deadline = time.monotonic() + 5
        while control.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert control.connections == 1
    finally:
        control.close()
