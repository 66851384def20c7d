"""Damage for the session readers' tests (text cut or changed, JSON trees mutated anywhere), and
the one outcome allowed for it."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from lrviz.core.formats import SessionFormatError, read_session, write_session

# Any JSON value, including the awkward ones: huge integers, NaN (written as the text NaN),
# deep nesting, empty containers.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from([10**30, -(2**63), 2**63, 10**400])
    | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def mutated_texts(text: str) -> st.SearchStrategy[str]:
    """A valid file's text, damaged: cut, a character replaced, or a piece inserted."""
    return st.one_of(
        st.integers(0, len(text) - 1).map(lambda i: text[:i]),
        st.tuples(st.integers(0, len(text) - 1), st.sampled_from(list('0-9e.,:"[]{}ntfx '))).map(
            lambda t: text[:t[0]] + t[1] + text[t[0] + 1:]),
        st.tuples(st.integers(0, len(text)), st.sampled_from(["NaN", "1e999", "-1", "true", "null", '"a"',
                                                              "[]", "{}", "99999999999999999999999"])).map(
            lambda t: text[:t[0]] + t[1] + text[t[0]:]),
    )


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree: keys of objects, indices of (the first few items of) lists."""
    places = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            places += _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            places += _paths(item, path + (index,))
    return places


@st.composite
def mutated_objects(draw: st.DrawFn, data: dict[str, Any]) -> str:
    """The JSON text of `data` with one to three places dropped, replaced by junk, or given a junk
    neighbour (an extra key or list item)."""
    tree = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _paths(tree) if p]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        last, action = path[-1], draw(st.sampled_from(["drop", "replace", "add"]))
        if action == "drop":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(json_values)
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values)
        else:
            parent.insert(last, draw(json_values))
    return json.dumps(tree)  # allow_nan: NaN and Infinity become the texts NaN and Infinity


def reads_or_refuses(path: Any) -> None:
    """Only a SessionFormatError naming the file, or a session that writes and reads back equal."""
    try:
        session = read_session(path)
    except SessionFormatError as error:
        assert str(error).startswith(str(path))
    else:
        write_session(path, session)
        assert read_session(path) == session
