"""The stepwise JSON reader gives exactly json_object's result or message (issue 18, item 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrviz.core.formats.json_steps as steps
import lrviz.core.formats.session_stream as stream
from lrviz.core.formats import SessionFormatError, read_session
from lrviz.core.formats.common import json_object

DATA = Path(__file__).resolve().parent.parent / "data"


def _outcome(parse, text: str):
    try:
        return ("ok", parse(text, "f.json", SessionFormatError))
    except SessionFormatError as error:
        return ("error", str(error))


def _same(text: str) -> None:
    expected = _outcome(json_object, text)
    got = _outcome(steps.json_object_in_steps, text)
    assert got == expected
    if expected[0] == "ok":  # the same types too (1 and 1.0, True and 1 compare equal)
        assert repr(got[1]) == repr(expected[1])


@pytest.fixture
def tiny_slices(monkeypatch):
    monkeypatch.setattr(steps, "SLICE_CHARS", 8)
    monkeypatch.setattr(steps, "_FLAT_LIST_CHARS", 4)
    monkeypatch.setattr(steps._Walker, "LOOKAHEAD", 3)


def _in_blocks(text: str, cuts: list[int], columns=None):
    """json_object_from_blocks on `text` cut at `cuts`; json_object's outcome when it says NotInSteps."""
    edges = sorted({0, len(text), *(cut % (len(text) + 1) for cut in cuts)})
    blocks = iter([text[a:b] for a, b in zip(edges, edges[1:])])
    try:
        got = steps.json_object_from_blocks(blocks, len(text), "f.json", SessionFormatError, columns=columns)
    except steps.NotInSteps:
        return _outcome(json_object, text)
    except SessionFormatError as error:  # json_object's message, found without json_object
        return ("error", str(error))
    return ("ok", steps.as_lists(got))


def _same_in_blocks(text: str, cuts: list[int], columns=None) -> None:
    expected = _outcome(json_object, text)
    got = _in_blocks(text, cuts, columns)
    assert got == expected
    if expected[0] == "ok":
        assert repr(got[1]) == repr(expected[1])


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))
documents = st.dictionaries(st.text(max_size=4), st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=12) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=40), max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.sampled_from([None, 0, 1, 3]))
def test_any_document_reads_as_json_object_reads_it(tiny_slices, document, indent):
    _same(json.dumps(document, indent=indent))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.data())
def test_any_damage_gives_json_objects_result_or_message(tiny_slices, document, data):
    text = json.dumps(document, indent=data.draw(st.sampled_from([None, 1])))
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    insert = data.draw(st.sampled_from(["", ",", " ", "]", "[", "{", "}", '"', "NaN", "Infinity", "-", "1e999",
                                        "1" * 5000, ",,", "\x00", "true"]))
    _same(text[:at] + insert + text[at + cut:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.data())
def test_any_document_read_in_blocks_reads_as_json_object_reads_it(tiny_slices, document, data):
    """The window moves along the blocks: a token cut by a block's end is whole when parsed."""
    text = json.dumps(document, indent=data.draw(st.sampled_from([None, 0, 1])))
    cuts = data.draw(st.lists(st.integers(0, 10**6), max_size=30))
    columns = data.draw(st.sampled_from([None, lambda path: True]))
    _same_in_blocks(text, cuts, columns)
    edges = sorted({0, len(text), *(cut % (len(text) + 1) for cut in cuts)})
    blocks = iter([text[a:b] for a, b in zip(edges, edges[1:])])  # valid JSON: read in steps, no fallback
    assert steps.as_lists(steps.json_object_from_blocks(blocks, 1, "f.json", SessionFormatError,
                                                        columns=columns)) == json.loads(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.data())
def test_any_damage_read_in_blocks_gives_json_objects_result_or_message(tiny_slices, document, data):
    text = json.dumps(document, indent=data.draw(st.sampled_from([None, 1])))
    at = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.sampled_from(["", ",", " ", "]", "[", "{", "}", '"', "NaN", "-", "1e999", "tru",
                                        "1" * 50, ",,", "\x00", "true", '"\\', '"x']))
    text = text[:at] + insert + text[at + data.draw(st.integers(0, 3)):]
    _same_in_blocks(text, data.draw(st.lists(st.integers(0, 10**6), max_size=30)))


@pytest.mark.parametrize("text", [
    '{"a": [1, 2, 3, ]}', '{"a": [, 1]}', '{"a": [1,, 2]}', '{"a": [1 2]}', '{"a": [NaN, 1]}',
    '{"a": [1, -Infinity]}', '{"a": 1, "a": 2}', '{"a": [1, 2]} x', '[1, 2]', '', '   ', '{"a": [' + '1,' * 50 + '1]}',
    '{"a": [' + '1.5, ' * 50 + 'true, false, null, 1e400]}', '{"a": [' + ' ' * 60 + ']}', '{"a": [' + '9' * 5000 + ']}',
    '{"a": ' + '[' * 5000 + ']' * 5000 + '}', '{"a":\t[1,\r\n2]\n}\n',
])
def test_edge_cases(tiny_slices, text):
    _same(text)
    for size in (1, 2, 3, 7):
        _same_in_blocks(text, list(range(0, len(text), size)))


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "v1").glob("*.lrviz.json")))
def test_the_saved_sessions_read_in_steps_as_read_session_reads_them(monkeypatch, name):
    monkeypatch.setattr(steps, "SLICE_CHARS", 64)
    monkeypatch.setattr(steps, "_FLAT_LIST_CHARS", 16)
    fractions: list[float] = []
    assert stream.read_session_in_steps(DATA / "v1" / name, progress=fractions.append) == read_session(
        DATA / "v1" / name)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) > 3


def test_a_long_session_reads_in_steps_as_read_session_reads_it(tmp_path, monkeypatch):
    from test_session_stream import _session

    from lrviz.core.formats import write_session

    path = tmp_path / "long.lrviz.json"
    write_session(path, _session(3000))
    monkeypatch.setattr(stream, "READ_BLOCK_CHARS", 1000)
    fractions: list[float] = []
    assert stream.read_session_in_steps(path, progress=fractions.append) == read_session(path)
    assert len(fractions) > 20 and fractions == sorted(fractions)


def test_a_damaged_session_gives_read_sessions_message(tmp_path):
    path = tmp_path / "bad.lrviz.json"
    path.write_bytes(b'{"format": "lrviz-session/2", "x": [' + b"1," * 10000 + b"NaN]}")
    with pytest.raises(SessionFormatError) as expected:
        read_session(path)
    with pytest.raises(SessionFormatError) as got:
        stream.read_session_in_steps(path)
    assert str(got.value) == str(expected.value)
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(SessionFormatError, match="not a text"):
        stream.read_session_in_steps(path)


def test_reading_in_steps_stops_when_asked(tmp_path):
    from test_session_stream import _session

    from lrviz.core.formats import write_session

    path = tmp_path / "long.lrviz.json"
    write_session(path, _session(3000))
    asked = []
    with pytest.raises(steps.StepsAbandoned):
        stream.read_session_in_steps(path, should_stop=lambda: asked.append(1) or len(asked) > 1)


def _same_with_columns(text: str) -> None:
    """With every path a column, the result made lists again is json_object's, types and all."""
    expected = _outcome(json_object, text)
    got = _outcome(lambda t, s, e: steps.json_object_in_steps(t, s, e, columns=lambda path: True), text)
    if got[0] == "ok":
        got = ("ok", steps.as_lists(got[1]))
    assert got == expected
    if expected[0] == "ok":
        assert repr(got[1]) == repr(expected[1])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.sampled_from([None, 0, 1]))
def test_columns_made_lists_are_json_objects_lists(tiny_slices, document, indent):
    _same_with_columns(json.dumps(document, indent=indent))


_ANY_ITEM = st.one_of(st.floats(allow_nan=False), st.integers(-2**64, 2**64), st.booleans(), st.none())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(*(st.lists(items, min_size=1, max_size=40) for items in (
    st.floats(allow_nan=False), st.integers(-2**63, 2**63 - 1), st.integers(-2**64, 2**64), st.booleans(), _ANY_ITEM))))
def test_flat_lists_of_one_type_or_any_mixture_read_as_json_reads_them(tiny_slices, items):
    _same_with_columns(json.dumps({"a": items, "b": [items, {"c": items}]}))


@pytest.mark.parametrize(("items", "kind"), [
    ([1.5, -0.0, 2.0, 1e300], float), ([0, -3, 2**63 - 1, -2**63], int), ([True, False, True], bool),
    ([1, 2.5, 3], None), ([1, 2**63], None), ([True, 1], None), ([None, None], None), ([1.5, "x"], None),
])
def test_a_long_list_of_one_type_is_one_array(tiny_slices, items, kind):
    text = json.dumps({"a": items * 20, "b": items * 20})
    data = steps.json_object_in_steps(text, "f.json", SessionFormatError, columns=lambda path: path == ("a",))
    assert isinstance(data["b"], list)  # not a column's path
    if kind is None:
        assert isinstance(data["a"], list)
    else:
        assert isinstance(data["a"], steps.NumberColumn) and data["a"].kind is kind
    assert repr(steps.as_lists(data)) == repr(json.loads(text))


def test_a_long_historys_numbers_are_not_made_python_objects(tmp_path):
    """Memory (issue 18, item 8): 32 bytes a Python float against 8 in an array. Parsing a
    long session's text must take less memory than the text itself (lists took 1.6×)."""
    from tests.memory_helpers import traced

    from test_session_stream import _session

    from lrviz.core.formats import write_session
    from lrviz.core.formats.session import is_number_column

    path = tmp_path / "long.lrviz.json"
    write_session(path, _session(60_000))
    text = path.read_text()

    def peak(columns) -> int:
        return traced(lambda: steps.json_object_in_steps(text, "f.json", SessionFormatError, columns=columns))[2]

    as_lists, as_columns = peak(None), peak(is_number_column)
    assert as_lists > 1.2 * len(text)  # the measure can see the lists
    assert as_columns < 0.8 * len(text)


@pytest.mark.parametrize(("path", "column"), [
    (("points", "x1"), True), (("points", "is_test"), True), (("earlier_points", 0, "label"), True),
    (("history", "epoch"), True), (("history", "theta", "w1"), True), (("history", "theta", "epoch"), True),
    (("history", "l2", "from_epoch"), True), (("history", "test_loss", "value"), True),
    (("kept_runs", 2, "history", "loss"), True), (("kept_runs", 2, "history", "theta", "b"), True),
    (("history", "w1"), True),  # version 1
    (("points", "feature_names"), False), (("optimizer_state", "value"), False), (("history", "names"), False),
    (("settings", "x1"), False), (("earlier_points", "x", "x1"), False), (("kept_runs", 0, "settings", "epoch"), False),
    (("history", "theta", "w1", 0), False), (("parameters", "values"), False), (("x1",), False),
])
def test_the_session_columns_are_the_lists_the_reader_takes_as_numbers(path, column):
    from lrviz.core.formats.session import is_number_column

    assert is_number_column(path) is column


def test_no_search_runs_over_a_whole_long_list(monkeypatch):
    """A regex search holds the GIL: over a 40 MB history column one took 0.3 s, a gap in the
    window (issue 18, item 8). Each search covers one slice at most."""
    searched: list[int] = []
    real = steps._NOT_FLAT

    class Recording:
        def search(self, text, start, end):
            searched.append(end - start)
            return real.search(text, start, end)

    monkeypatch.setattr(steps, "_NOT_FLAT", Recording())
    monkeypatch.setattr(steps, "SLICE_CHARS", 1000)
    text = json.dumps({"a": [0.1 * i for i in range(20_000)], "b": [[1, 2]] * 3000 + ["x"]})
    assert steps.json_object_in_steps(text, "f.json", SessionFormatError) == json.loads(text)
    assert searched and max(searched) <= max(1000, steps._FLAT_LIST_CHARS + 1)


def test_damage_is_described_without_parsing_the_whole_text_again(tiny_slices):
    """A damaged 200 MB session was parsed whole by json.loads for its message: 5 s with the
    GIL held (issue 18, item 8). The walker finds json_object's exact message itself: for
    cuts, insertions, deletions and replacements anywhere in a session-like text, read in
    blocks, it never hands over to the whole text (NotInSteps) and says what json_object says."""
    import random

    rng = random.Random(3)
    document = {"format": "x", "points": {"x1": [rng.random() for _ in range(40)], "label": [1, 0] * 20,
                                          "names": ['a"b', "c\u00e9"]},
                "history": {"epoch": list(range(50)), "loss": [rng.random() * 1e-5 for _ in range(50)],
                            "flags": [True, False] * 15}, "stop": None, "view": {"selected": 3}}
    damages = ["x", ",", "]", "}", "[", "{", '"', "NaN", "1e", " ", "\x01", "-", "0", ".5", "\\"]
    errors = 0
    for indent in (None, 1):
        text = json.dumps(document, indent=indent)
        for trial in range(400):
            at = rng.randrange(len(text) + 1)
            damage = rng.choice(damages)
            damaged = [text[:at], text[:at] + damage + text[at:], text[:at] + text[at + 1:],
                       text[:at] + damage + text[at + 1:]][trial % 4]
            expected = _outcome(json_object, damaged)
            cuts = [rng.randrange(len(damaged) + 1) for _ in range(rng.randrange(1, 12))]
            edges = sorted({0, len(damaged), *cuts})
            blocks = iter([damaged[a:b] for a, b in zip(edges, edges[1:])])
            try:
                got = ("ok", steps.as_lists(steps.json_object_from_blocks(
                    blocks, len(damaged), "f.json", SessionFormatError, columns=lambda path: True)))
            except SessionFormatError as error:
                got = ("error", str(error))
            assert got == expected, (damaged[max(0, at - 20): at + 20], got, expected)
            errors += got[0] == "error"
    assert errors > 400  # most damage is damage


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3", b"\xe9x", b"\xed\xa0\x80", b"\xf0\x9f\x98"])
@pytest.mark.parametrize("where", [0.0, 0.3, 0.999, 1.0])
def test_bytes_that_are_not_utf8_give_read_sessions_message(tmp_path, monkeypatch, bad, where):
    from test_session_stream import _session

    from lrviz.core.formats import write_session

    path = tmp_path / "s.lrviz.json"
    write_session(path, _session(300))
    data = path.read_bytes()
    at = int(where * len(data))
    path.write_bytes(data[:at] + bad + data[at:])
    monkeypatch.setattr(stream, "READ_BLOCK_CHARS", 777)
    with pytest.raises(SessionFormatError) as expected:
        read_session(path)
    with pytest.raises(SessionFormatError) as got:
        stream.read_session_in_steps(path)
    assert str(got.value) == str(expected.value)
