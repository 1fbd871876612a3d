"""Run the workbench's browser scenarios (``tests/clients/workbench/*.mjs``) against a real server.

Each scenario drives Debian's Chromium with playwright-core and prints what it found; :func:`run_scenario`
returns that, after checking what every scenario must hold: the page asked no other host for anything and
raised no error. Screenshots go under the test run's output folder, ``test-output/workbench/`` (or
``$PARLEY_TEST_OUTPUT/workbench/``), one folder per scenario, kept after the run for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from tests.clients.server import free_port, serve, stop, wait_for_health

CLIENTS = Path(__file__).parent
SCENARIOS = CLIENTS / "workbench"
OUTPUT = Path(os.environ.get("PARLEY_TEST_OUTPUT") or CLIENTS.parent.parent / "test-output") / "workbench"


def run_scenario(name: str, base: str, timeout: float = 180, expected_errors: tuple[str, ...] = ()) -> dict:
    """Run ``tests/clients/workbench/<name>.mjs`` against the server at ``base``; its findings as a dict.

    Fails the test if the scenario raised, the page had an error, or it requested another host.
    ``expected_errors`` are the console errors a scenario causes on purpose (the browser logs every refused
    request, a 401 for a wrong token included), each given in full and each required to appear.
    """
    assert shutil.which("node"), "Node.js is needed for the page checks (see the README)"
    assert (CLIENTS / "node_modules" / "playwright-core").exists(), "run `make test` (it runs npm ci in tests/clients)"
    output = OUTPUT / name
    command = ["node", str(SCENARIOS / f"{name}.mjs"), base, str(output)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    unexpected = [error for error in seen["errors"] if error not in expected_errors]
    assert unexpected == [], "\n".join(unexpected)
    assert set(expected_errors) <= set(seen["errors"]), f"expected {expected_errors}, saw {seen['errors']}"
    own = urlsplit(base).netloc
    elsewhere = [
        url
        for url in seen["requests"]
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
    ]
    assert elsewhere == [], f"the page asked other hosts: {elsewhere}"
    for screenshot in seen["screenshots"]:
        assert Path(screenshot).stat().st_size > 5_000, f"{screenshot} is blank"
    return seen


TOKEN = "workbench-token"
"""The write token the workbench's servers start with (the Drafts page loads with it)."""


def workbench_server(tmp_path_factory, **environment: str):
    """Serve the seed graph on a loopback port with writes enabled; yields its base URL (a fixture's body)."""
    port = free_port()
    process = serve(tmp_path_factory.mktemp("workbench") / "store", port, token=TOKEN, **environment)
    wait_for_health(port, process, seconds=60)
    yield f"http://127.0.0.1:{port}"
    stop(process)
