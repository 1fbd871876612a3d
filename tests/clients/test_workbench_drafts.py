"""The workbench's Drafts page in a real browser: an article is drafted, reviewed (one position rejected, one edited,
one accepted), restored by a reload, refused with a wrong token, and loaded with the right one.

What was written is then read back over HTTP: exactly the accepted position and the edited one, with the edit, both
quoting the article the source now holds.
"""

from __future__ import annotations

import httpx
import pytest

from tests.clients.workbench import TOKEN, run_scenario, workbench_server

SOURCE = "workbench-review-test"  # the slug of the title the scenario gives
PESKOV = "dmitry-peskov-ceasefire-2025-04-17"  # "on Thursday" before Friday 18 April 2025
EDITED = "ukraine-ukraine-nato-membership-2025-04-18"  # holder-issue-date, made again after the edit
REJECTED = "ukraine-ceasefire-2025-04-18"
UNEDITED = "volodymyr-zelensky-security-guarantees-2025-04-18"
RYABKOV = "sergei-ryabkov-ceasefire-2025-04-18"  # held by an actor the draft proposes


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from workbench_server(tmp_path_factory)


def test_a_draft_is_reviewed_and_exactly_what_was_accepted_is_loaded(server, monkeypatch):
    before = httpx.get(f"{server}/positions", params={"limit": 1}).json()["total"]
    monkeypatch.setenv("PARLEY_TEST_TOKEN", TOKEN)
    refused = "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    seen = run_scenario("drafts", server, expected_errors=(refused,))
    found = seen["found"]

    # The draft: four positions, each quote marked in the article, nothing of it in the URL.
    assert found["url"] == "?view=drafts"
    assert len(found["cards"]) == 4
    assert found["marks"] == ["quote-1", "quote-2", "quote-3", "quote-4"]
    first, second, third, fourth = found["facts"]
    assert (first["Holder"], first["Group"], first["Issue"], first["Stance"]) == (
        "dmitry-peskov",
        "russia",
        "ceasefire",
        "supports",
    )
    assert first["Conditions"] == "ukraine-nato-membership opposes (by ukraine)"
    assert first["Date"] == "2025-04-17"
    assert first["Found by"] == "rule “said”, confidence 0.7"
    assert (second["Holder"], second["Stance"], second["Rejects"]) == ("ukraine", "opposes", PESKOV)
    assert (third["Holder"], third["Issue"]) == ("volodymyr-zelensky", "security-guarantees")
    assert "Proposes" not in third
    assert (fourth["Holder"], fourth["Group"]) == ("sergei-ryabkov", "russia")
    assert fourth["Proposes"] == "new actor Sergei Ryabkov (sergei-ryabkov, person, speaks for russia)"

    assert found["ranged"] == {"stance": "range 0 to 85,000 was opposes", "rejected": True}
    # The edit shows on the card, accepts the position, and keeps the focus on the control.
    assert found["edited"]["holder"] == "ukraine was volodymyr-zelensky"
    assert found["edited"]["issue"] == "ukraine-nato-membership was security-guarantees"
    assert found["edited"]["accepted"] is True
    assert found["focusAfterEdit"] == "draft-3-issue"

    # A reload restores the review from sessionStorage.
    restored = found["restored"]
    assert restored["text"].startswith("Kremlin spokesman Dmitry Peskov") and restored["published"] == "2025-04-18"
    assert restored["decisions"] == ["draft-1-accept", "draft-2-reject", "draft-3-accept", "draft-4-accept"]
    assert restored["edited"] == "ukraine was volodymyr-zelensky"
    assert restored["tally"] == "3 accepted, 1 rejected, 0 undecided."

    # A wrong token: the API's words, and nothing written.
    assert found["wrong"].startswith("Nothing was written. Unauthorized: the bearer token is not the one")
    assert found["afterWrong"] == 404

    # The right token: the API's answer, shown; the token never in the URL nor in localStorage.
    assert found["written"] == f"{PESKOV}, {EDITED}, {RYABKOV}"
    assert found["writtenActors"] == "sergei-ryabkov"
    assert found["writtenSource"] == SOURCE
    assert found["tokenInUrl"] is False
    assert found["tokenStored"] == {"session": TOKEN, "local": []}

    # Over HTTP: exactly the three accepted positions, the edit included, quoting the text the source holds, and
    # the actor the draft proposed.
    assert httpx.get(f"{server}/positions", params={"limit": 1}).json()["total"] == before + 3
    ryabkov = httpx.get(f"{server}/actors/sergei-ryabkov").json()
    assert (ryabkov["label"], ryabkov["kind"], ryabkov["speaks_for"]) == ("Sergei Ryabkov", "person", ["russia"])
    assert httpx.get(f"{server}/positions/{RYABKOV}").json()["holder"] == "sergei-ryabkov"
    peskov = httpx.get(f"{server}/positions/{PESKOV}").json()
    assert (peskov["holder"], peskov["issue"], peskov["stance"], peskov["valid_from"]) == (
        "dmitry-peskov",
        "ceasefire",
        "supports",
        "2025-04-17",
    )
    assert [(c["issue"], c["stance"]) for c in peskov["conditions"]] == [("ukraine-nato-membership", "opposes")]
    edited = httpx.get(f"{server}/positions/{EDITED}").json()
    assert (edited["holder"], edited["issue"], edited["stance"]) == ("ukraine", "ukraine-nato-membership", "supports")
    evidence = edited["evidence"][0]
    assert evidence["quote"].startswith("Ukrainian President Volodymyr Zelensky said")
    assert (evidence["speaker"], evidence["verified"], evidence["source"]["id"]) == (
        "volodymyr-zelensky",
        True,
        SOURCE,
    )
    for missing in (REJECTED, UNEDITED):
        assert httpx.get(f"{server}/positions/{missing}").status_code == 404
    sources = {source["id"]: source for source in httpx.get(f"{server}/sources").json()["sources"]}
    assert sources[SOURCE]["has_text"] is True and sources[SOURCE]["issued"] == "2025-04-18"
    assert seen["screenshots"][-1].endswith("phone.png") and found["phoneOverflow"] is False, found["phoneWide"]
