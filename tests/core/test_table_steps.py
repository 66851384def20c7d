"""read_table_in_steps gives read_table's Table; Table.with_header gives parse_table's with the header forced."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrviz.core.formats.table_steps as steps
from lrviz.core.formats.table import parse_table, read_table
from lrviz.core.formats.table_steps import TableReadStopped, read_table_in_steps

CELL = st.sampled_from(["", " ", "1", "-2.5", "x", "cat", "1e3", "nan", "a b", '"q"', '"a,b"', '"two\nlines"'])


@st.composite
def table_texts(draw):
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(CELL, min_size=1, max_size=width + 1), min_size=1, max_size=30))
    if not draw(st.booleans()):  # most files hold no quotes: the block-splitting path
        rows = [[cell.replace('"', "").replace("\n", " ") for cell in row] for row in rows]
    if draw(st.booleans()):
        rows.insert(0, ["id", "u", "v", "kind", "kind", ""][:width])
    blank = draw(st.sampled_from(["", " ", "\t"]))
    lines = [delimiter.join(row) for row in rows]
    for at in draw(st.lists(st.integers(0, len(lines)), max_size=3)):
        lines.insert(at, blank)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline])), delimiter


def _same(a, b) -> None:
    assert (a.names, a.has_header, a.delimiter, a.first_cells, a.first_line) == \
           (b.names, b.has_header, b.delimiter, b.first_cells, b.first_line)
    assert [list(column) for column in a.columns] == [list(column) for column in b.columns]
    np.testing.assert_array_equal(a.lines, b.lines)
    for j in range(len(a.names)):
        np.testing.assert_array_equal(a.column_numbers(j), b.column_numbers(j))
        np.testing.assert_array_equal(a.column_labels(j), b.column_labels(j))


@settings(max_examples=150, deadline=None, database=None)
@given(case=table_texts(), block=st.integers(1, 40), cells=st.integers(1, 9))
def test_the_stepped_reader_gives_read_tables_table(tmp_path_factory, case, block, cells):
    text, _ = case
    if not text.strip():
        return
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_bytes(text.encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "BLOCK_CHARS", block)
        patch.setattr(steps, "BLOCK_CELLS", cells)
        patch.setattr(steps, "_CSV_ROWS", 1 + block % 4)
        _check_stepped(path)


def _check_stepped(path) -> None:
    try:
        expected = read_table(path)
    except ValueError as error:
        with pytest.raises(type(error)) as raised:
            read_table_in_steps(path)
        assert str(raised.value) == str(error)
        return
    seen = []
    got = read_table_in_steps(path, progress=seen.append)
    _same(got, expected)
    assert seen[-1] == 1.0 and seen == sorted(seen)


@settings(max_examples=150, deadline=None, database=None)
@given(case=table_texts(), header=st.booleans())
def test_flipping_the_header_is_reading_with_it_forced(case, header):
    text, _ = case
    if not text.strip():
        return
    try:
        forced = parse_table(text, has_header=header)
    except ValueError:
        return
    sniffed = parse_table(text)
    _same(sniffed.with_header(header), forced)
    _same(sniffed.with_header(header).with_header(sniffed.has_header), sniffed)


def test_should_stop_stops_the_read(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n" + "1,2,x\n" * 1000)
    monkeypatch.setattr(steps, "BLOCK_CHARS", 64)
    calls = []
    with pytest.raises(TableReadStopped):
        read_table_in_steps(path, should_stop=lambda: len(calls) > 3, progress=calls.append)
    assert 0 < calls[-1] < 0.7  # stopped while splitting, long before the end
