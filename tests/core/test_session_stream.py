"""The session written in pieces is write_session's file, byte for byte (issue 18, item 8)."""

from __future__ import annotations

import numpy as np
import pytest

import lrviz.core.formats.session_stream as stream
from lrviz.core.dataset import make_preset
from lrviz.core.formats import Session, read_session, write_session
from lrviz.core.history import RunHistory, parameter_names
from lrviz.core.trainer import StopInfo


def _session(epochs: int) -> Session:
    rng = np.random.default_rng(epochs)
    history = RunHistory(parameter_names(2))
    if epochs:
        history.append(np.arange(epochs), rng.normal(size=(epochs, 3)) * 10.0 ** rng.integers(-300, 300, (epochs, 3)),
                       rng.random(epochs), rng.random(epochs), 0.1, 0.0, 0)
    stop = StopInfo("max_epochs", epochs - 1, "reached \u00e9 <b>\"quoted\"</b>") if epochs else None
    return Session(points=make_preset("overlapping", n_points=30, seed=2), history=history, stop=stop)


@pytest.mark.parametrize("epochs", [0, 1, 7, 50])
@pytest.mark.parametrize("slice_size", [1, 3, 20_000])
def test_the_pieces_are_write_sessions_text(tmp_path, monkeypatch, epochs, slice_size):
    monkeypatch.setattr(stream, "SLICE", slice_size)
    session = _session(epochs)
    whole, pieces = tmp_path / "whole.lrviz.json", tmp_path / "pieces.lrviz.json"
    write_session(whole, session)
    stream.write_session_in_pieces(pieces, session)
    assert pieces.read_bytes() == whole.read_bytes()
    assert read_session(pieces) == session


def test_a_stopped_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "s.lrviz.json"
    path.write_text("old")
    calls = []
    with pytest.raises(stream.WriteAbandoned):
        stream.write_session_in_pieces(path, _session(30), should_stop=lambda: calls.append(1) or len(calls) > 5)
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["s.lrviz.json"]


@pytest.mark.parametrize("slice_size", [1, 3, 20_000])
def test_the_pieces_of_a_split_run_with_earlier_points_are_write_sessions_text(tmp_path, monkeypatch, slice_size):
    """Earlier revisions (objects in a list), test points and the test loss: the arrays the
    pieces are made of give write_session's bytes too."""
    from test_split_files import DATA, _trained_run

    monkeypatch.setattr(stream, "SLICE", slice_size)
    run = _trained_run()
    run.set_split(np.zeros(len(DATA), bool))  # a newer revision; the old one, with its test points, is kept
    session = Session.from_run(run, selected_epoch=None)
    assert session.earlier_points and session.history.has_test_loss
    whole, pieces = tmp_path / "whole.lrviz.json", tmp_path / "pieces.lrviz.json"
    write_session(whole, session)
    fractions: list[float] = []
    stream.write_session_in_pieces(pieces, session, progress=fractions.append)
    assert pieces.read_bytes() == whole.read_bytes()
    assert fractions == sorted(fractions) and (not fractions or fractions[-1] == 1.0)
    assert read_session(pieces) == session
