"""A large points file with a bad line is refused from the block that holds it (issue 18, item 8).

The chunked reader once parsed the whole text a second time to find the line to name (a
200 MB file with a bad last line: seconds of frozen window, 2.5 GB). Now the first bad
block's error is moved to the file's line numbers; it must equal read_points_csv's error.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.formats import DataFormatError, read_points_csv
from lrviz.ui.documents import read_points_csv_in_steps

ROW = st.tuples(st.integers(-99, 99), st.integers(-99, 99), st.integers(0, 1)).map(lambda r: f"{r[0]},{r[1]},{r[2]}")
BAD = st.sampled_from(["7,x,1", "7,7,2", "7,7", "7,7,1,1", "nan,1,0", "1,inf,1", "1_0,1,0", ",,1"])


@settings(max_examples=150, deadline=None, database=None)
@given(before=st.lists(ROW | st.just(""), max_size=40), bad=BAD, after=st.lists(ROW | st.just("") | BAD, max_size=10),
       newline=st.sampled_from(["\n", "\r\n"]), lead=st.sampled_from(["", "\n", " ,\n"]),
       chunk=st.integers(1, 200))
def test_the_first_bad_line_is_named_as_read_points_csv_names_it(tmp_path_factory, before, bad, after, newline, lead,
                                                                  chunk):
    path = tmp_path_factory.mktemp("big") / "p.csv"
    lines = [lead.rstrip("\n") + ("\n" if lead else "") + "a,b,label", *before, bad, *after]
    path.write_bytes(newline.join(lines).encode())
    try:
        read_points_csv(path)
        expected = None
    except DataFormatError as error:
        expected = str(error)
    try:
        read_points_csv_in_steps(path, chunk_chars=chunk)
        got = None
    except DataFormatError as error:
        got = str(error)
    assert got == expected
