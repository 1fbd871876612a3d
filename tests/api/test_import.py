"""Spreadsheets over HTTP (POST /import, GET /export/csv) and on the command line (parley import, export csv)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.api.conftest import AUTH

SOURCE = "us-may-walk-away-2025-04-18"
SHEET = f"""id,holder,issue,stance,salience,quote,source,stated_on
russia-ceasefire-2025-04-20,the Kremlin,ceasefire,opposes,0.8,but nothing more,{SOURCE},2025-04-20
ukraine-ceasefire-2025-04-20,Kyiv,ceasefire,supports,,constructive and positive,{SOURCE},2025-04-20
""".encode()
CSV = {**AUTH, "Content-Type": "text/csv"}


def _dump(client) -> set[bytes]:
    return set(client.app.state.workspace.store.dump().splitlines())


@pytest.mark.anyio
async def test_an_imported_sheet_is_in_the_analysis_at_once_and_a_second_import_writes_nothing(writer):
    response = await writer.post("/import", content=SHEET, headers=CSV)
    assert response.status_code == 201, response.text
    assert response.json() == {
        "format": "positions",
        "rows": 2,
        "positions": 2,
        "written": 2,
        "unchanged": 0,
        "quads": response.json()["quads"],
        "graphs": [f"https://w3id.org/parley/graph/source/{SOURCE}"],
        "generation": 1,
    }
    position = (await writer.get("/positions/russia-ceasefire-2025-04-20")).json()
    assert (position["holder"], position["salience"], position["evidence"][0]["quote"]) == (
        "russia",
        0.8,
        "but nothing more",
    )
    before = _dump(writer)
    again = await writer.post("/import", content=SHEET, headers=CSV)
    assert again.status_code == 200 and (again.json()["written"], again.json()["unchanged"]) == (0, 2)
    assert _dump(writer) == before


@pytest.mark.anyio
async def test_a_sheet_misquoting_a_source_that_holds_its_text_is_a_422_at_the_quotes_cell(writer):
    before = _dump(writer)
    misquoted = SHEET.replace(b"constructive and positive", b"constructive and very positive")
    response = await writer.post("/import", content=misquoted, headers=CSV)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["title"] == "Invalid table"
    assert body["problems"] == [
        {
            "row": 3,
            "column": "quote",
            "letter": "F",
            "value": "constructive and very positive",
            "message": "“constructive and very positive” is not in the text of source "
            f"{SOURCE}; the closest passage is “called constructive and positive \u2013”",
            "nearest": ["called constructive and positive \u2013"],
        }
    ]
    assert _dump(writer) == before


@pytest.mark.anyio
async def test_a_sheet_with_a_bad_row_is_a_422_naming_row_column_value_and_nearest_and_writes_nothing(writer):
    before = _dump(writer)
    response = await writer.post("/import", content=SHEET.replace(b"Kyiv,ceasefire", b"Kyiv,ceasfire"), headers=CSV)
    assert response.status_code == 422
    body = response.json()
    assert (body["title"], body["document"]) == ("Invalid table", "upload")
    assert body["problems"] == [
        {
            "row": 3,
            "column": "issue",
            "letter": "C",
            "value": "ceasfire",
            "message": "unknown issue 'ceasfire'; did you mean ceasefire, partial-ceasefire?",
            "nearest": ["ceasefire", "partial-ceasefire"],
        }
    ]
    assert _dump(writer) == before


@pytest.mark.anyio
async def test_an_import_needs_the_token_and_csv(writer):
    assert (await writer.post("/import", content=SHEET, headers={"Content-Type": "text/csv"})).status_code == 401
    response = await writer.post("/import", content=SHEET, headers={**AUTH, "Content-Type": "text/plain"})
    assert response.status_code == 415 and "text/csv" in response.json()["detail"]
    response = await writer.post("/import?format=ktab-of-old", content=SHEET, headers=CSV)
    assert response.status_code == 422


@pytest.mark.anyio
async def test_bytes_that_are_not_utf8_are_a_400_with_the_line(writer):
    response = await writer.post("/import", content=SHEET.replace(b"nothing more", b"Caf\xe9"), headers=CSV)
    assert response.status_code == 400 and response.json()["line"] == 2


@pytest.mark.anyio
async def test_the_csv_export_is_the_layout_and_imports_back_as_nothing_new(writer):
    response = await writer.get("/export/csv")
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeffid,kind,holder,issue,stance,".encode())
    assert 'filename="parley-positions.csv"' in response.headers["content-disposition"]
    again = await writer.post("/import", content=response.content, headers=CSV)
    assert again.status_code == 200 and again.json()["unchanged"] == 26
    # A source the positions layout has no use for does not name the file, whatever it holds.
    odd = await writer.get("/export/csv", params={"source": "\u00bb\U0001f525\u001b"})
    assert odd.status_code == 200 and 'filename="parley-positions.csv"' in odd.headers["content-disposition"]


@pytest.mark.anyio
async def test_a_ktab_file_imports_over_http_and_exports_as_its_scenario(writer):
    ktab = b"Energy talks,,2,1,\nActor,Description,Power,Ceasefire line,Sal1,\nRussia,,80,90,60,\nUA,,40,10,70,\n"
    response = await writer.post("/import?format=ktab", content=ktab, headers=CSV)
    assert response.status_code == 201, response.text
    assert (response.json()["written"], response.json()["rows"]) == (2, 2)
    exported = await writer.get("/export/csv", params={"format": "ktab", "source": "energy-talks"})
    assert exported.status_code == 200
    assert exported.text.splitlines()[2:] == ["russia,Russia,100,90,60,", "ua,UA,50,10,70,"]
    missing = await writer.get("/export/csv", params={"format": "decide"})
    assert missing.status_code == 422 and missing.json()["parameter"] == "source"


runner = CliRunner()


def run(*arguments: str):
    return runner.invoke(app, list(arguments), catch_exceptions=False)


def test_parley_import_writes_a_sheet_once_and_export_csv_writes_it_back(tmp_path):
    store = str(tmp_path / "store")
    sheet = tmp_path / "talks.csv"
    sheet.write_bytes(SHEET)
    result = run("import", str(sheet), "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"imported {sheet}: 2 rows, 2 new positions\n")
    again = run("import", str(sheet), "--store", store)
    assert again.stdout == f"imported {sheet}: 2 rows, 0 new positions; 2 held already, unchanged\n"
    exported = tmp_path / "out.csv"
    assert run("export", "csv", "-o", str(exported), "--store", store).exit_code == 0
    assert exported.read_text(encoding="utf-8-sig").count("\n") == 1 + 29 + 2  # the seed's rows and the two


def test_parley_import_names_the_row_and_column_and_says_nothing_was_imported(tmp_path):
    sheet = tmp_path / "talks.csv"
    sheet.write_bytes(SHEET.replace(b"the Kremlin", b"the Kremlim"))
    result = run("import", str(sheet), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1
    assert "row 2, holder (column B): unknown actor 'the Kremlim'; did you mean russia?" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was imported")
