"""Save Session's snapshot shares the history instead of copying it, and stays the moment it was taken
(issue 18, item 8: copying and checking 2·10^6 epochs in the GUI thread froze the window).

Training may go on while the file is written: appends after the snapshot must not reach
it, whether the columns grow in memory or on disk; a cut below its rows must be detected
(the writer refuses) rather than written as a file that mixes two states.
"""

from __future__ import annotations

import numpy as np
import pytest

import lrviz.core.formats.session_stream as stream
import lrviz.core.history_store as store
from lrviz.core.dataset import make_preset
from lrviz.core.formats import Session, write_session
from lrviz.core.formats.session_snapshot import HistoryChanged, SessionSnapshot
from lrviz.core.history import RunHistory, parameter_names
from lrviz.core.run import Run
from lrviz.core.run_collection import KeptRun
from lrviz.core.settings import DEFAULT_SETTINGS


def _train(run_or_history, epochs: int, seed: int = 0, batch: int = 300) -> None:
    """`epochs` made-up epochs after the newest, in batches (as the worker delivers them)."""
    history = run_or_history.history if isinstance(run_or_history, Run) else run_or_history
    rng = np.random.default_rng(seed)
    start = history.last_epoch + 1
    for first in range(start, start + epochs, batch):
        k = min(batch, start + epochs - first)
        args = (np.arange(first, first + k), rng.normal(size=(k, 3)), rng.random(k), rng.random(k), 0.1, 0.0, 0)
        if isinstance(run_or_history, Run):
            run_or_history.append_epochs(*args)
        else:
            history.append(*args)


def _run(epochs: int) -> Run:
    run = Run(make_preset("overlapping", n_points=30, seed=3), DEFAULT_SETTINGS)
    _train(run, epochs)
    return run


@pytest.fixture(params=["memory", "disk"])
def where(request, monkeypatch, tmp_path):
    """Histories in memory, or spilled to a temp file from ~8,000 rows on (history_store)."""
    if request.param == "disk":
        monkeypatch.setattr(store, "SPILL_BYTES", 64 << 10)
        monkeypatch.setattr(store, "TRIM_BYTES", 16 << 10)
        monkeypatch.setenv("LRVIZ_HISTORY_DIR", str(tmp_path))
    return request.param


def test_a_snapshot_shares_the_rows_and_is_not_changed_by_appends_or_growth(where):
    history = RunHistory(parameter_names(2))
    _train(history, 5000)
    expected = history.copy()
    snapshot = history.snapshot()
    assert np.shares_memory(snapshot.theta, history.theta) and np.shares_memory(snapshot.loss, history.loss)
    _train(history, 40_000, seed=1)  # the columns grow (several times; on disk: the same file, mapped again)
    assert history.on_disk == (where == "disk")
    assert snapshot == expected and len(snapshot) == 5000
    assert history.kept_since(0) >= len(snapshot)  # no cut: the writer's check passes


def test_appending_to_a_snapshot_copies_first_and_never_writes_into_the_history(where):
    history = RunHistory(parameter_names(2))
    _train(history, 3000)
    expected = history.copy()
    snapshot = history.snapshot()
    snapshot.truncate_to(1000)  # its own cut: the next append must not land in the shared rows
    _train(snapshot, 500, seed=7)
    _train(snapshot, 20_000, seed=8)
    assert history == expected
    assert len(snapshot) == 21_500 and np.array_equal(snapshot.theta[:1000], expected.theta[:1000])
    assert not np.shares_memory(snapshot.theta, history.theta)


def test_a_cut_below_the_snapshot_is_seen_by_its_check(where):
    run = _run(4000)
    snapshot = SessionSnapshot(run, selected_epoch=None)
    snapshot.check()
    _train(run, 2000, seed=1)  # training goes on: fine
    snapshot.check()
    run.truncate_after(2999)  # Train From Here at 2999: the next append writes over shared rows
    with pytest.raises(HistoryChanged, match="cut back to 3,000 epochs"):
        snapshot.check()
    with pytest.raises(HistoryChanged):
        snapshot.session()


def test_the_snapshots_session_is_from_run_at_that_moment(where):
    run = _run(6000)
    kept = KeptRun(DEFAULT_SETTINGS, run.history.copy(), "first", 2)
    expected = Session.from_run(run, selected_epoch=1234)
    snapshot = SessionSnapshot(run, 1234, [kept])
    assert snapshot.epochs == 6000 and not snapshot.moved_on()
    _train(run, 30_000, seed=5)  # trained on while the file is written
    _train(kept.history, 100, seed=6)  # a race goes on too
    assert snapshot.moved_on()
    session = snapshot.session()
    assert session.history == expected.history and session.points == expected.points
    assert session.selected_epoch == 1234 and session.stop == expected.stop
    assert len(session.kept_runs) == 1 and len(session.kept_runs[0].history) == 6000
    assert session.kept_runs[0].label == "first" and session.kept_runs[0].color == 2


def test_the_session_is_checked_when_it_is_made_not_when_the_snapshot_is_taken():
    run = _run(100)
    run.history._loss[50] = np.nan  # a damaged row (nothing lrviz makes; the check must still run)
    snapshot = SessionSnapshot(run, None)  # taking it checks nothing (the GUI thread)
    with pytest.raises(ValueError, match="losses must be finite"):
        snapshot.session()  # the writer's thread


def test_the_written_file_is_the_snapshot_even_while_training_goes_on(tmp_path, monkeypatch, where):
    monkeypatch.setattr(stream, "SLICE", 500)
    run = _run(9000)
    expected = tmp_path / "expected.lrviz.json"
    write_session(expected, Session.from_run(run, None))
    snapshot = SessionSnapshot(run, None)
    seed = iter(range(100, 10_000))

    def train_meanwhile() -> None:  # called between the pieces, as the worker's batches arrive
        _train(run, 300, seed=next(seed))
        snapshot.check()

    path = tmp_path / "s.lrviz.json"
    stream.write_session_in_pieces(path, snapshot.session(), check=train_meanwhile)
    assert len(run.history) > 9000 and path.read_bytes() == expected.read_bytes()


def test_a_cut_while_writing_refuses_the_file_and_keeps_the_old_one(tmp_path, monkeypatch, where):
    monkeypatch.setattr(stream, "SLICE", 500)
    run = _run(9000)
    snapshot = SessionSnapshot(run, None)
    path = tmp_path / "s.lrviz.json"
    path.write_text("old")
    pieces = [0]

    def cut_after_a_while() -> None:
        pieces[0] += 1
        if pieces[0] == 20:  # Train From Here at epoch 10, then training writes over the rows
            run.truncate_after(10)
            _train(run, 5000, seed=9)
        snapshot.check()

    with pytest.raises(HistoryChanged):
        stream.write_session_in_pieces(path, snapshot.session(), check=cut_after_a_while)
    assert pieces[0] == 20  # the writer stopped at the piece after the cut, mid-file
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["s.lrviz.json"]


def test_a_cut_after_the_last_piece_is_still_refused(tmp_path):
    run = _run(200)
    snapshot = SessionSnapshot(run, None)
    path = tmp_path / "s.lrviz.json"
    last_call = sum(1 for _ in stream.session_json_pieces(snapshot.session())) + 1  # one per piece, one after
    calls = []

    def cut_at_the_end() -> None:
        calls.append(1)
        if len(calls) == last_call:  # every piece is written; the file has not replaced anything yet
            run.truncate_after(5)
        snapshot.check()

    with pytest.raises(HistoryChanged):
        stream.write_session_in_pieces(path, snapshot.session(), check=cut_at_the_end)
    assert not path.exists() and list(tmp_path.iterdir()) == []
