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


@pytest.mark.parametrize("text", [
    '{"a": [1, 2, 3, ]}', '{"a": [, 1]}', '{"a": [1,, 2]}', '{"a": [1 2]}', '{"a": [NaN, 1]}',
    '{"a": [1, -Infinity]}', '{"a": 1, "a": 2}', '{"a": [1, 2]} x', '[1, 2]', '', '   ', '{"a": [' + '1,' * 50 + '1]}',
    '{"a": [' + '1.5, ' * 50 + 'true, false, null, 1e400]}', '{"a": [' + ' ' * 60 + ']}', '{"a": [' + '9' * 5000 + ']}',
    '{"a": ' + '[' * 5000 + ']' * 5000 + '}', '{"a":\t[1,\r\n2]\n}\n',
])
def test_edge_cases(tiny_slices, text):
    _same(text)


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
