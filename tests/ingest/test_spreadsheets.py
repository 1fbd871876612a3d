"""Spreadsheets of positions: hand-written sheets, the positions they give, and every refusal by row and column."""

from __future__ import annotations

import pytest

from graph.analysis.model import AnyOf, Condition, Evidence, Position
from graph.analysis.read import read_negotiation
from graph.errors import DocumentSyntaxError, EmptyDocument, InvalidArgument, InvalidTable
from graph.ingest.load import load_documents, open_store, parse_document
from graph.ingest.spreadsheets import format_conditions, import_file, parse_conditions, parse_table
from graph.ingest.tables import Known, read_sheet
from tests.conftest import snapshot

SOURCE = "us-may-walk-away-2025-04-18"


@pytest.fixture
def seeded():
    """An embedded store holding the seed graph (its actors: Russia alias the Kremlin; its issues)."""
    with open_store("memory") as store:
        yield store


def table(store, text: str | bytes, **options):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return parse_table(content, "sheet.csv", Known.from_store(store), **options)


def problems(store, text: str | bytes, **options) -> list[tuple]:
    """(row, column, letter, value, nearest) of each problem the sheet is refused for."""
    with pytest.raises(InvalidTable) as refused:
        table(store, text, **options)
    return [(p.row, p.column, p.letter, p.value, p.nearest) for p in refused.value.problems]


def messages(store, text: str, **options) -> list[str]:
    with pytest.raises(InvalidTable) as refused:
        table(store, text, **options)
    return [str(problem) for problem in refused.value.problems]


def write(tmp_path, text: str | bytes, name: str = "sheet.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- What a sheet gives --------------------------------------------------------------------------------


def test_rows_become_positions_with_names_resolved_by_slug_label_and_alias(seeded):
    sheet = f"""id,Holder,ISSUE,stance,salience,red line,valid-from,quote,source,speaker,stated_on,reported_by
kremlin-territory,the Kremlin,The four regions Russia claims,Supports,0.9,TRUE,2025-04,All four regions.,{SOURCE},Vladimir Putin,2025-04-19,Reuters; two diplomats
kyiv-ceasefire,Kyiv,ceasefire,opposes,,,,Not on these terms.,{SOURCE},,,
"""
    found = {position.id: position for position in table(seeded, sheet).positions}
    source = Known.from_store(seeded).sources[SOURCE]
    assert found["kremlin-territory"] == Position(
        "kremlin-territory",
        "russia",
        "territory",
        stance="supports",
        salience=0.9,
        red_line=True,
        valid_from="2025-04",
        evidence=(Evidence("All four regions.", source, "vladimir-putin", "2025-04-19", ("Reuters", "two diplomats")),),
    )
    assert (found["kyiv-ceasefire"].holder, found["kyiv-ceasefire"].salience) == ("ukraine", 0.5)


def test_a_byte_order_mark_and_semicolons_with_decimal_commas_are_read_as_excel_saves_them(seeded):
    sheet = f'\ufeffholder;issue;stance;salience;quote;source\r\nrussia;ceasefire;opposes;0,7;"Not now;\r\nnot ever.";{SOURCE}\r\n'
    (position,) = table(seeded, sheet.encode("utf-8")).positions
    assert (position.holder, position.salience) == ("russia", 0.7)
    assert position.evidence[0].quote == "Not now;\r\nnot ever."


def test_the_delimiter_is_sniffed_from_the_header_row():
    assert read_sheet(b"a,b;c\n1,2;3\n", "x").delimiter == ","
    assert read_sheet(b'a;"b,c";d\n', "x").delimiter == ";"
    assert read_sheet(b"a\tb\tc\n", "x").delimiter == "\t"


def test_further_rows_with_the_same_id_are_more_evidence_of_one_position(seeded):
    sheet = f"""id,holder,issue,stance,quote,source,speaker
p1,russia,ceasefire,opposes,Not now.,{SOURCE},dmitry-peskov
p1,,,,Not ever.,{SOURCE},vladimir-putin
p1,russia,ceasefire,opposes,Not now.,{SOURCE},dmitry-peskov
"""
    (position,) = table(seeded, sheet).positions
    assert [(e.quote, e.speaker) for e in position.evidence] == [
        ("Not now.", "dmitry-peskov"),
        ("Not ever.", "vladimir-putin"),
    ]


def test_a_row_without_an_id_gets_the_same_made_id_on_every_import(seeded):
    sheet = f"holder,issue,stance,quote,source\nrussia,ceasefire,opposes,Not now.,{SOURCE}\n"
    first, again = table(seeded, sheet).positions, table(seeded, sheet.replace("opposes", "Opposes")).positions
    assert first[0].id == again[0].id and first[0].id.startswith("russia-ceasefire-")


def test_a_range_on_a_quantity_issue_and_conditions_are_read(seeded):
    add_army_cap(seeded)
    sheet = f"""holder,issue,min,max,unit,condition,quote,source
ukraine,army-cap,800000,,troops,"russia: ceasefire supports (Russia stops\\; first); us-military-aid-to-ukraine supports",We keep 800000.,{SOURCE}
"""
    (position,) = table(seeded, sheet).positions
    assert (position.minimum, position.maximum) == (800000, None)
    assert position.conditions == (
        Condition("ceasefire", "supports", ("russia",), "Russia stops; first"),
        Condition("us-military-aid-to-ukraine", "supports"),
    )


def add_army_cap(store) -> None:
    """Load a Quantity issue in troops, army-cap, into ``store``."""
    document = parse_document(
        b"""@prefix parley: <https://w3id.org/parley#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<issue/army-cap> a parley:Issue ; skos:prefLabel "Cap on Ukraine's army" ; parley:scale parley:Quantity ;
    parley:unit "troops" .""",
        "army.ttl",
    )
    load_documents(store, [document])


def test_conditions_written_as_a_cell_read_back_the_same(seeded):
    known = Known.from_store(seeded)
    conditions = (
        Condition("us-brokered-talks", "opposes", ("russia", "ukraine"), "If (and only if): they stay away; | or not"),
        Condition("ceasefire", "neutral"),
        AnyOf(
            (Condition("ceasefire", "supports", ("russia",)), Condition("territory", "opposes", (), "a (b)")), "c; d"
        ),
    )
    assert parse_conditions(format_conditions(conditions), known.issue_names, known.actor_names) == conditions


# --- Refusals, each by row and column --------------------------------------------------------------------


def test_an_unknown_issue_in_row_3_is_named_with_its_nearest(seeded):
    sheet = f"""holder,issue,stance,quote,source
russia,ceasefire,opposes,Not now.,{SOURCE}
russia,teritory,supports,All of it.,{SOURCE}
"""
    ((row, column, letter, value, near),) = problems(seeded, sheet)
    assert (row, column, letter, value) == (3, "issue", "B", "teritory")
    assert near[0] == "territory"


def test_an_unknown_actor_is_matched_against_labels_and_aliases_too(seeded):
    sheet = f"holder,issue,stance,quote,source\nthe Kremlinn,ceasefire,opposes,No.,{SOURCE}\n"
    assert problems(seeded, sheet) == [(2, "holder", "A", "the Kremlinn", ("russia",))]


def test_a_bad_number_is_named_with_its_row_column_and_value(seeded):
    sheet = f"holder,issue,stance,salience,quote,source\nrussia,ceasefire,opposes,high,No.,{SOURCE}\n"
    assert messages(seeded, sheet) == [
        "row 2, salience (column D): 'high' is not a number: write it without thousands separators, "
        "with a decimal point"
    ]


def test_a_decimal_comma_is_refused_in_a_comma_separated_sheet(seeded):
    sheet = f'holder,issue,stance,salience,quote,source\nrussia,ceasefire,opposes,"0,7",No.,{SOURCE}\n'
    assert problems(seeded, sheet) == [(2, "salience", "D", "0,7", ())]


def test_a_salience_outside_0_to_1_and_a_bad_date_are_both_named(seeded):
    sheet = (
        f"holder,issue,stance,salience,valid_from,quote,source\nrussia,ceasefire,opposes,7,18/04/2025,No.,{SOURCE}\n"
    )
    assert messages(seeded, sheet) == [
        "row 2, salience (column D): salience 7 is outside 0 to 1",
        "row 2, valid_from (column E): '18/04/2025' is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2025-04-18",
    ]


def test_a_stance_with_a_range_and_a_row_with_neither_are_refused(seeded):
    sheet = f"""holder,issue,stance,min,quote,source
russia,ceasefire,opposes,3,No.,{SOURCE}
russia,ceasefire,,,No.,{SOURCE}
"""
    assert [(row, column) for row, column, *_ in problems(seeded, sheet)] == [
        (2, "stance"),
        (2, "min"),  # and the issue is binary
        (3, "stance"),
    ]


def test_a_misspelt_stance_names_the_nearest(seeded):
    sheet = f"holder,issue,stance,quote,source\nrussia,ceasefire,oposes,No.,{SOURCE}\n"
    assert problems(seeded, sheet) == [(2, "stance", "C", "oposes", ("opposes",))]


def test_an_unknown_column_is_named_with_the_nearest_known_one(seeded):
    sheet = f"holder,issue,stanse,quote,source\nrussia,ceasefire,opposes,No.,{SOURCE}\n"
    assert messages(seeded, sheet) == [
        "row 1, stanse (column C): unknown column 'stanse'; did you mean stance?",
        "row 1: no stance column, and no min or max: a position needs a stance or a range",
    ]


def test_a_sheet_without_a_quote_column_or_a_source_is_refused_at_its_header(seeded):
    assert messages(seeded, "holder,issue,stance\nrussia,ceasefire,opposes\n") == [
        "row 1: no quote column (the header must name holder, issue, quote, source)",
        "row 1: no source column (the header must name holder, issue, quote, source)",
    ]


def test_the_source_of_the_whole_file_stands_for_a_missing_source_column(seeded):
    (position,) = table(seeded, "holder,issue,stance,quote\nrussia,ceasefire,opposes,No.\n", source=SOURCE).positions
    assert position.evidence[0].source.id == SOURCE
    with pytest.raises(InvalidArgument, match="unknown source 'us-may-walk-away'; did you mean us-may-walk-away"):
        table(seeded, "holder,issue,stance,quote\nrussia,ceasefire,opposes,No.\n", source="us-may-walk-away")


def test_a_further_row_that_says_otherwise_than_the_first_is_refused(seeded):
    sheet = f"""id,holder,issue,stance,quote,source
p1,russia,ceasefire,opposes,Not now.,{SOURCE}
p1,russia,ceasefire,supports,Now.,{SOURCE}
"""
    assert messages(seeded, sheet) == [
        "row 3, stance (column D): row 2 gave position p1 as 'opposes': a further row of a position adds "
        "evidence; leave its other cells empty or as in its first row"
    ]


def test_two_rows_with_one_statement_and_different_stances_need_ids(seeded):
    sheet = f"""holder,issue,stance,quote,source
russia,ceasefire,opposes,Not now.,{SOURCE}
russia,ceasefire,supports,Not now.,{SOURCE}
"""
    assert problems(seeded, sheet) == [(3, "stance", "C", "supports", ())]


def test_an_either_or_condition_is_alternatives_joined_by_a_bar_with_its_note_last(seeded):
    cell = "Russia: ceasefire supports | territory opposes (no land) | (either will do)"
    sheet = f'holder,issue,stance,condition,quote,source\nrussia,ceasefire,opposes,"{cell}",No.,{SOURCE}\n'
    (position,) = table(seeded, sheet).positions
    (either,) = position.conditions
    assert either == AnyOf(
        (Condition("ceasefire", "supports", ("russia",)), Condition("territory", "opposes", (), "no land")),
        "either will do",
    )


@pytest.mark.parametrize("cell", ["ceasefire supports |", "ceasefire supports | ceasefire supports", "| (a note)"])
def test_an_either_or_condition_with_fewer_than_two_alternatives_is_refused(seeded, cell):
    sheet = f'holder,issue,stance,condition,quote,source\nrussia,ceasefire,opposes,"{cell}",No.,{SOURCE}\n'
    (message,) = messages(seeded, sheet)
    assert message.startswith("row 2, condition (column D): ")
    assert "fewer than two different alternatives" in message


def test_a_condition_without_a_stance_is_refused_with_its_syntax(seeded):
    sheet = f"holder,issue,stance,condition,quote,source\nrussia,ceasefire,opposes,territory,No.,{SOURCE}\n"
    (message,) = messages(seeded, sheet)
    assert "'territory' is not a condition: write ISSUE STANCE" in message


def test_a_rejected_position_in_neither_the_file_nor_the_store_is_named_with_the_nearest_in_the_file(seeded):
    sheet = f"""id,holder,issue,stance,rejects,quote,source
ukraine-ceasefire,ukraine,ceasefire,supports,,Yes.,{SOURCE}
russia-ceasefire,russia,ceasefire,opposes,ukraine-ceasefir,No.,{SOURCE}
russia-territory,russia,territory,supports,putin-territory,All.,{SOURCE}
"""
    assert problems(seeded, sheet) == [(3, "rejects", "E", "ukraine-ceasefir", ("ukraine-ceasefire",))]


def test_a_unit_other_than_the_issues_is_refused(seeded):
    add_army_cap(seeded)
    sheet = f"holder,issue,max,unit,quote,source\nukraine,army-cap,800000,soldiers,Yes.,{SOURCE}\n"
    assert messages(seeded, sheet) == ["row 2, unit (column D): issue army-cap is measured in 'troops', not 'soldiers'"]


def test_a_value_in_a_column_without_a_header_is_refused(seeded):
    sheet = f"holder,issue,stance,,quote,source\nrussia,ceasefire,opposes,oops,No.,{SOURCE}\n"
    assert messages(seeded, sheet) == ["row 2: a value in column 4, which has no header"]


def test_a_demand_without_an_addressee_is_refused_by_the_shapes_at_its_row(seeded, tmp_path):
    sheet = f"""kind,holder,issue,stance,quote,source
position,russia,ceasefire,opposes,No.,{SOURCE}
demand,russia,territory,supports,All of it.,{SOURCE}
"""
    before = snapshot(seeded)
    with pytest.raises(InvalidTable) as refused:
        import_file(seeded, write(tmp_path, sheet))
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "addressee")]
    assert "A demand names who must act" in str(refused.value)
    assert snapshot(seeded) == before


def test_a_quote_not_in_its_sources_text_is_refused_at_its_row_with_the_closest_passage(seeded, tmp_path):
    """The seed's source holds the article: a row misquoting it is named, with what the article says."""
    sheet = f"""holder,issue,stance,quote,source
russia,ceasefire,opposes,but nothing more,{SOURCE}
russia,us-russia-dialogue,opposes,Moscow has rejected any dialogue with Washington.,{SOURCE}
"""
    before = snapshot(seeded)
    with pytest.raises(InvalidTable) as refused:
        import_file(seeded, write(tmp_path, sheet))
    assert [str(problem) for problem in refused.value.problems] == [
        "row 3, quote (column D): “Moscow has rejected any dialogue with Washington.” is not in the text of source "
        f"{SOURCE}; the closest passage is “that Moscow remained open to dialogue with Washington”"
    ]
    (problem,) = refused.value.problems
    assert (problem.value, problem.nearest) == (
        "Moscow has rejected any dialogue with Washington.",
        ("that Moscow remained open to dialogue with Washington",),
    )
    assert snapshot(seeded) == before


def test_bytes_that_are_not_utf8_are_refused_with_their_line(seeded):
    with pytest.raises(DocumentSyntaxError, match=r"line 2.*not UTF-8 text \(byte 0xe9\); save the sheet as CSV UTF-8"):
        table(seeded, b"holder,issue,stance,quote,source\nrussia,ceasefire,opposes,Caf\xe9,x\n")


def test_an_empty_sheet_is_refused(seeded):
    with pytest.raises(EmptyDocument):
        table(seeded, b"\xef\xbb\xbf\r\n;;;\r\n")


# --- Writing: all or nothing, and twice is once -------------------------------------------------------------


def test_a_sheet_with_one_bad_row_writes_nothing(seeded, tmp_path):
    sheet = f"""holder,issue,stance,quote,source
russia,ceasefire,opposes,Not now.,{SOURCE}
ukraine,ceasefire,supports,Now.,{SOURCE}
russia,teritory,supports,All of it.,{SOURCE}
"""
    before = snapshot(seeded)
    with pytest.raises(InvalidTable):
        import_file(seeded, write(tmp_path, sheet))
    assert snapshot(seeded) == before


def test_an_import_writes_its_positions_and_a_second_import_of_the_file_changes_nothing(seeded, tmp_path):
    sheet = f"""id,holder,issue,stance,quote,source
russia-ceasefire-2025-04-20,russia,ceasefire,opposes,but nothing more,{SOURCE}
ukraine-ceasefire-2025-04-20,ukraine,ceasefire,supports,constructive and positive,{SOURCE}
"""
    path = write(tmp_path, sheet)
    report = import_file(seeded, path)
    assert (report.written, report.table.unchanged) == (2, [])
    positions = read_negotiation(seeded).positions
    assert positions["russia-ceasefire-2025-04-20"].stance == "opposes"
    before = snapshot(seeded)
    again = import_file(seeded, path)
    assert (again.written, again.table.unchanged) == (
        0,
        ["russia-ceasefire-2025-04-20", "ukraine-ceasefire-2025-04-20"],
    )
    assert snapshot(seeded) == before


def test_a_position_held_with_other_content_is_refused_naming_what_differs(seeded):
    sheet = f"id,holder,issue,stance,quote,source\nputin-territory,russia,territory,opposes,No.,{SOURCE}\n"
    (message,) = messages(seeded, sheet)
    assert message.startswith(
        "row 2, id (column A): position putin-territory is held already, with another kind, holder, stance, "
        "addressee, evidence; an import adds positions and never changes one"
    )
