"""A venue's seat file is checked before the database is asked: whatever a stranger uploads, the
answer is a refusal that names the line, never a crash (no servers)."""

from __future__ import annotations

import pytest

from ticketing_inventory.domain.catalogue import InvalidSeatFile, parse_seat_csv


def test_a_plain_file_gives_its_seats() -> None:
    rows = parse_seat_csv("section,row,number\nStalls,A,1\nStalls,A,2\n")
    assert [(r.section, r.row, r.number) for r in rows] == [("Stalls", "A", 1), ("Stalls", "A", 2)]
    placed = parse_seat_csv("section,row,number,x,y\nStalls,A,1,-12.5,3e2\nStalls,A,2,.5,\n")
    assert [(r.x, r.y) for r in placed] == [(-12.5, 300.0), (0.5, 0.0)]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("a" * 140_000, "line 1: not CSV"),  # one field over the reader's limit
        ("section,row,number\nStalls,A,1\n" + "x" * 140_000, "line 3: not CSV"),
        ("section,row,number\nStalls,A\x00,1\n", "line 2"),
        ("section,row,number\nStalls,A,one\n", "line 2"),
        # int() read these as seats 10 and 12: the console's preview refused them
        ("section,row,number\nStalls,A,1_0\n", "line 2: 'number' must be written in digits"),
        ("section,row,number\nStalls,A,\u0661\u0662\n", "line 2: 'number' must be written"),
        ("section,row,number,accessible\nStalls,A,1,maybe\n", "line 2: 'accessible' must be"),
        ("section,row,number,Row\nStalls,A,1,B\n", "the header names row twice"),
        # a seat as the preview names it (it read "seat ('Stalls', 'A', 1)")
        ("section,row,number\nStalls,A,1\nStalls,A,1\n", "line 3: Stalls row A seat 1 appears"),
        # lines as an editor numbers them, blank ones counted (it said line 3 for line 4)
        ("section,row,number\nStalls,A,1\n\nStalls,A,x\n", "line 4: 'number'"),
        ("\n\nsection,row,number\nStalls,A,x\n", "line 4: 'number'"),
        # float()'s own words, and what it took: hex refused, "1_0" read as 10, "nan"
        ("section,row,number,x\nStalls,A,1,0x10\n", "line 2: 'x' must be a number such as"),
        ("section,row,number,y\nStalls,A,1,1_0\n", "line 2: 'y' must be a number such as"),
        ("section,row,number,x\nStalls,A,1,nan\n", "line 2: 'x' must be a number such as"),
        ("section,row,number,x\nStalls,A,1,\u0661\u0662\n", "line 2: 'x' must be a number such as"),
        ("section;row;number\nStalls;A;1\n", "commas, not semicolons"),
    ],
)
def test_an_odd_file_is_refused_with_the_line(text: str, named: str) -> None:
    with pytest.raises(InvalidSeatFile, match=named):
        parse_seat_csv(text)


def test_the_header_is_read_as_the_consoles_preview_reads_it() -> None:
    """Any case, spaces around names, a byte order mark (a spreadsheet's export): the preview
    showed the seats, the server refused the file for a header it "lacked"."""
    for header in (
        "Section,Row,Number",
        "section, row, number",
        "\ufeffsection,row,number",
        "\ufeff\nsection,row,number",
    ):
        rows = parse_seat_csv(f"{header},Accessible\nStalls,A,7,yes\nStalls,A,8,\n")
        assert [(r.row, r.number, r.accessible) for r in rows] == [("A", 7, True), ("A", 8, False)]
