"""Session files, version 2: exact round trips of a whole run, its documented layout, clear errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_helpers import mutated_objects, mutated_texts, reads_or_refuses

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.formats import (
    Session,
    SessionFormatError,
    read_session,
    session_from_json_dict,
    session_to_json_dict,
    write_session,
)
from lrviz.core.history import RunHistory
from lrviz.core.run import PointsSnapshot, Run, recompute_row
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import STOP_CONVERGED, STOP_MAX_EPOCHS, StopInfo, Trainer

tmp_ok = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
finite = st.floats(allow_nan=False, allow_infinity=False)


def trained_run(standardize: bool = False) -> Run:
    """A run as the window makes one: α and λ changed and points moved while it trains, and a
    point moved at the end (so the current points are not those of any epoch)."""
    run = Run(make_preset("overlapping", 30, seed=1),
              TrainingSettings(learning_rate=0.3, standardize=standardize, max_epochs=None))
    points = run.snapshot()
    trainer = Trainer(points.X, points.y, **run.settings.trainer_arguments())

    def record(epochs, W, b, loss, grad_norm) -> None:
        run.append_epochs(epochs, np.column_stack([W, b]), loss, grad_norm, trainer.learning_rate, trainer.l2,
                          run.revision)

    def train(epochs: int) -> None:
        h = trainer.run(epochs)
        record(h.epochs, h.W, h.b, h.loss, h.grad_norm)

    def move(index: int, x1: float, x2: float) -> None:
        run.move_point(index, x1, x2)
        snapshot = run.snapshot()
        trainer.set_data(snapshot.X, snapshot.y)

    first = trainer.current
    record([0], first.w[None, :], [first.b], [first.loss], [first.grad_norm])
    train(20)
    trainer.set_learning_rate(0.05)
    train(15)
    move(3, 2.5, -1.25)
    train(10)
    trainer.set_l2(0.01)
    trainer.set_learning_rate(1.5)
    train(10)
    move(0, -3.0, 0.5)
    run.insert_point(5, 0.0, 0.0, 1)
    snapshot = run.snapshot()
    trainer.set_data(snapshot.X, snapshot.y)
    train(7)
    run.set_stop(StopInfo(STOP_MAX_EPOCHS, run.history.last_epoch, "stopped by hand"))
    run.move_point(1, 0.25, 0.75)
    return run


def _session(k: int = 11, stop: StopInfo | None = None, selected: int | None = None) -> Session:
    rng = np.random.default_rng(1)
    history = RunHistory()
    history.append(np.arange(5, 5 + k), rng.normal(size=(k, 3)), rng.random(k), rng.random(k), 0.3, 0.0, 2)
    return Session(points=Dataset(rng.normal(size=(20, 2)), rng.integers(0, 2, 20), ("a", "b, c")),
                   revision=2, settings=TrainingSettings(learning_rate=0.3, init="random", seed=4,
                                                         epochs_per_second=None),
                   history=history, stop=stop, selected_epoch=selected)


# -- round trips -----------------------------------------------------------------------------------
@pytest.mark.parametrize("standardize", [False, True])
def test_a_run_with_changes_while_training_round_trips_and_recomputes(tmp_path, standardize):
    run = trained_run(standardize)
    assert len(run.history.revisions()) == 3 and len(set(run.history.learning_rate)) == 3
    session = Session.from_run(run, selected_epoch=30)
    write_session(tmp_path / "s.lrviz.json", session)
    back = read_session(tmp_path / "s.lrviz.json")
    assert back == session
    assert back.history == run.history  # θ, loss, gradient norm, and α, λ, revision of every epoch
    for column in ("learning_rate", "l2", "data_revision"):
        np.testing.assert_array_equal(getattr(back.history, column), getattr(run.history, column))
    assert back.revision == run.revision and back.points == run.points and back.selected_epoch == 30
    assert [s.revision for s in back.earlier_points] == sorted(run.history.revisions())
    for snapshot, kept in zip(back.earlier_points, run.kept_revisions()):
        np.testing.assert_array_equal(snapshot.X, kept.X)
        np.testing.assert_array_equal(snapshot.y, kept.y)
    assert back.stop == run.stop and back.settings == run.settings
    reopened = back.to_run()
    for epoch in back.history.epochs.tolist():
        loss, grad_norm = recompute_row(reopened, epoch)
        assert loss == pytest.approx(back.history.loss[epoch], rel=1e-12, abs=0)
        assert grad_norm == pytest.approx(back.history.grad_norm[epoch], rel=1e-9, abs=1e-15)


def test_to_run_gives_a_run_of_copies_as_the_session_was():
    session = Session.from_run(trained_run(), selected_epoch=None)
    run = session.to_run()
    assert run.points == session.points and run.points is not session.points
    assert (run.revision, run.settings, run.stop) == (session.revision, session.settings, session.stop)
    assert run.history == session.history and run.history is not session.history
    assert [s.revision for s in run.kept_revisions()] == [s.revision for s in session.earlier_points]
    run.move_point(0, 9.0, 9.0)
    run.truncate_after(3)
    assert Session.from_run(session.to_run(), None) == session  # the session did not change


def test_from_run_copies():
    run = trained_run()
    session = Session.from_run(run, None)
    before = session.history.copy()
    run.move_point(2, 7.0, 7.0)
    run.truncate_after(10)
    assert session.history == before and session.points != run.points


@pytest.mark.parametrize("k, stop, selected", [
    (11, None, None), (0, None, None), (3, StopInfo(STOP_CONVERGED, 6, "gradient norm small"), 5), (1, None, 5)])
def test_session_round_trip_exactly(tmp_path, k, stop, selected):
    session = _session(k, stop, selected)
    if k == 0:
        session = Session(points=session.points, revision=2, settings=session.settings)
    write_session(tmp_path / "s.lrviz.json", session)
    back = read_session(tmp_path / "s.lrviz.json")
    assert back == session
    assert (back.stop, back.selected_epoch, back.revision) == (session.stop, session.selected_epoch, 2)


@tmp_ok
@given(points=st.lists(st.tuples(finite, finite, st.integers(0, 1)), min_size=1, max_size=6),
       rows=st.lists(st.tuples(finite, finite, finite, st.floats(0, 1e300), st.floats(0, 1e300),
                               st.sampled_from([1e-6, 0.1, 1e6]), st.sampled_from([0.0, 1e3]), st.booleans()),
                     max_size=8),
       start=st.integers(0, 10**12), moved=st.booleans())
def test_any_session_round_trips_exactly(tmp_path, points, rows, start, moved):
    """Any values the checks allow: α, λ and the revision changing at any epoch."""
    X, y = np.array([p[:2] for p in points]), np.array([p[2] for p in points])
    revisions = np.cumsum([r[7] for r in rows]).astype(np.int64)  # a new revision where the flag is set
    history = RunHistory()
    if rows:
        history.append(np.arange(start, start + len(rows)), [r[:3] for r in rows], [r[3] for r in rows],
                       [r[4] for r in rows], [r[5] for r in rows], [r[6] for r in rows], revisions)
    current = int(revisions[-1]) + moved if rows else 0
    earlier = tuple(PointsSnapshot(int(r), X + r, y) for r in sorted(set(revisions.tolist())) if r != current)
    session = Session(points=Dataset(X, y), revision=current, earlier_points=earlier, history=history,
                      selected_epoch=start if rows else None)
    write_session(tmp_path / "s.json", session)
    assert read_session(tmp_path / "s.json") == session


# -- layout -------------------------------------------------------------------------------------------
def test_session_layout(tmp_path):
    run = trained_run()
    session = Session.from_run(run, selected_epoch=12)
    write_session(tmp_path / "s.json", session)
    text = (tmp_path / "s.json").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, separators=(",", ":"), allow_nan=False) + "\n"  # compact
    assert list(data) == ["format", "points", "earlier_points", "settings", "parameters", "history", "stop",
                          "view"]
    assert data["format"] == "lrviz-session/2"
    assert list(data["points"]) == ["feature_names", "x1", "x2", "label", "revision"]
    assert data["points"]["revision"] == run.revision == 4
    assert [list(p) for p in data["earlier_points"]] == [["revision", "x1", "x2", "label"]] * 3
    assert [p["revision"] for p in data["earlier_points"]] == [0, 1, 3]
    assert data["settings"] == run.settings.to_dict()
    assert list(data["settings"]) == ["learning_rate", "l2", "standardize", "init", "seed", "max_epochs", "tol",
                                      "epochs_per_second"]
    h = data["history"]
    assert list(h) == ["names", "epoch", "loss", "grad_norm", "theta", "learning_rate", "l2", "data_revision"]
    assert h["names"] == ["w1", "w2", "b"] and list(h["theta"]) == ["w1", "w2", "b"]
    assert h["epoch"] == list(range(63))
    assert h["learning_rate"] == {"from_epoch": [0, 21, 46], "value": [0.3, 0.05, 1.5]}
    assert h["l2"] == {"from_epoch": [0, 46], "value": [0.0, 0.01]}
    assert h["data_revision"] == {"from_epoch": [0, 36, 56], "value": [0, 1, 3]}
    assert data["parameters"] == {"epoch": 62, "names": ["w1", "w2", "b"],
                                  "values": [h["theta"][n][-1] for n in h["names"]], "loss": h["loss"][-1]}
    assert data["stop"] == {"kind": "max_epochs", "epoch": 62, "message": "stopped by hand"}
    assert data["view"] == {"selected_epoch": 12}


def test_an_empty_session_has_no_parameters_and_empty_runs(tmp_path):
    write_session(tmp_path / "s.json", Session(points=Dataset()))
    data = json.loads((tmp_path / "s.json").read_text())
    assert data["parameters"] is None and data["stop"] is None and data["view"] == {"selected_epoch": None}
    assert data["history"]["learning_rate"] == {"from_epoch": [], "value": []}
    assert read_session(tmp_path / "s.json") == Session(points=Dataset())


# -- errors -------------------------------------------------------------------------------------------
def _valid() -> dict:
    return session_to_json_dict(Session.from_run(trained_run(), selected_epoch=3))


def _set(path: str, value):
    """Set data[a][b]… (keys separated by dots, list indices as numbers) to value."""
    def change(data):
        *parents, last = [int(p) if p.lstrip("-").isdigit() else p for p in path.split(".")]
        for step in parents:
            data = data[step]
        data[last] = value
    return change


def _drop(path: str):
    def change(data):
        *parents, last = [int(p) if p.lstrip("-").isdigit() else p for p in path.split(".")]
        for step in parents:
            data = data[step]
        del data[last]
    return change


@pytest.mark.parametrize("damage, message", [
    (_drop("format"), "not an lrviz session"),
    (_set("format", "lrviz-params/1"), "not an lrviz session"),
    (_set("format", "lrviz-session/0"), "unknown session format"),
    (_set("format", "lrviz-session/3"), r"written by a newer lrviz .*Update lrviz to open it"),
    (_drop("points"), "points is missing"),
    (_drop("points.x1.0"), "different lengths"),
    (_set("points.x2.0", "1.0"), "points.x2 must be a list of numbers"),
    (_set("points.x1.0", 10**400), "points.x1 holds a number too large for a float"),
    (_set("points.label.0", 2), "label must be 0 or 1"),
    (_set("points.label.0", True), "points.label must be a list of whole numbers"),
    (_drop("points.feature_names.0"), "two feature names"),
    (_set("points.feature_names", "x1,x2"), "feature_names must be two names"),
    (_set("points.revision", -1), "points.revision must be a whole number"),
    (_set("points.revision", 4.0), "points.revision must be a whole number"),
    (_drop("points.revision"), "points.revision must be a whole number"),
    (_set("points.revision", 2), "earlier revisions come before the points' revision 2"),
    (_set("earlier_points", {}), "earlier_points must be a list of objects"),
    (_drop("earlier_points"), "earlier_points must be a list of objects"),
    (_set("earlier_points.0.x1.0", 10**400), r"earlier_points\[0\].x1 holds a number too large"),
    (_drop("earlier_points.1.label.0"), r"earlier_points\[1\].x1, .* different lengths"),
    (_set("earlier_points.2.label.0", 3), "every label of the points of revision 3 must be 0 or 1"),
    (_set("earlier_points.1.revision", 0), "holds revision 0 twice"),
    (_set("earlier_points.2.revision", 2), "revision 3, which the session does not hold"),
    (lambda d: d["earlier_points"].insert(2, dict(d["earlier_points"][1], revision=2)),
     "holds revision 2, which no epoch"),
    (_drop("earlier_points.0"), "revision 0, which the session does not hold"),
    (_set("earlier_points.0.x1", []), r"earlier_points\[0\].x1, .* different lengths"),
    (lambda d: d["earlier_points"][0].update(x1=[], x2=[], label=[]), "revision 0, which are empty"),
    (_set("settings.learning_rate", 1e7), r"learning_rate must be from 1e-06 to 1e\+06"),
    (_set("settings.learning_rate", "fast"), "learning_rate must be a number"),
    (_set("settings.max_epochs", 2.5), "max_epochs must be a whole number"),
    (_set("settings.tol", 2.0), "tol must be from 0 to 1"),
    (_set("settings.init", "ones"), "init must be one of"),
    (_drop("settings.seed"), "lack seed"),
    (_set("settings", []), "settings is missing or not an object"),
    (lambda d: d["history"]["epoch"].reverse(), "count up by one"),
    (_set("history.epoch.-1", 99), "count up by one"),
    (_set("history.epoch.-1", 10**30), "history.epoch holds a number too large"),
    (lambda d: d["history"].update(epoch=[e - 1 for e in d["history"]["epoch"]]), "≥ 0 that count up"),
    (_set("history.theta.w1.0", 10**400), "history.theta.w1 holds a number too large for a float"),
    (_set("history.theta.b.0", None), "history.theta.b must be a list of numbers"),
    (_drop("history.theta.w2"), "history.theta must be an object with one list per name"),
    (_drop("history.theta.w2.5"), "history.theta.w2 has 62 values for 63 epochs"),
    (_drop("history.loss.0"), "history.loss has 62 values for 63 epochs"),
    (_set("history.names", ["w1", "w2"]), "history.names: .*weight names, then 'b'"),
    (_set("history.names", ["w1", "b", "b"]), "history.names: .*distinct"),
    (lambda d: d["history"].update(names=["u", "v", "b"], theta={"u": d["history"]["theta"]["w1"],
                                   "v": d["history"]["theta"]["w2"], "b": d["history"]["theta"]["b"]}),
     "columns must be w1, w2, b, not u, v, b"),
    (_set("history.grad_norm.0", -1.0), "gradient norms must be finite numbers ≥ 0"),
    (_set("history.learning_rate.from_epoch.0", 1), "must start at the first epoch"),
    (_set("history.learning_rate.from_epoch.2", 21), "must start at the first epoch .0., increase"),
    (_set("history.l2.from_epoch.1", 63), r"end by the last \(62\)"),
    (_drop("history.learning_rate.value.0"), "from_epoch and value have different lengths"),
    (_set("history.learning_rate.value.1", 1e7), r"from epoch 21: the setting learning_rate must be from"),
    (_set("history.l2.value.0", -1.0), "from epoch 0: the setting l2 must be from 0"),
    (_set("history.l2", [0.0]), "history.l2 must be an object"),
    (_set("history.data_revision.value.0", 7), "revision 7, which the session does not hold"),
    (_set("history.data_revision.value.0", "0"), "data_revision.value must be a list of whole numbers"),
    (_set("history.data_revision.value.0", 0.0), "data_revision.value must be a list of whole numbers"),
    (_set("parameters.loss", 0.5), "parameters\" does not match"),
    (_set("parameters.epoch", 62.0), "parameters\" does not match"),
    (_set("parameters.names", ["w1", "w2", "c"]), "parameters\" does not match"),
    (_set("parameters", None), "parameters\" does not match"),
    (_drop("parameters"), "parameters is missing"),
    (_set("stop", {"kind": "bored", "epoch": 1, "message": ""}), "stop must be"),
    (_set("stop.epoch", 63), r"the stop epoch 63 is not in the history \(epochs 0 to 62\)"),
    (_set("stop.epoch", -1), "stop.epoch must be a whole number"),
    (_drop("stop"), "stop is missing"),
    (_drop("view"), "view is missing"),
    (_drop("view.selected_epoch"), "view.selected_epoch is missing"),
    (_set("view.selected_epoch", 63), "the selected epoch 63 is not in the history"),
    (_set("view.selected_epoch", "5"), "view.selected_epoch must be a whole number"),
    (_set("view.selected_epoch", True), "view.selected_epoch must be a whole number"),
])
def test_damaged_sessions_are_rejected_clearly(tmp_path, damage, message):
    data = _valid()
    damage(data)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match=message) as error:
        read_session(path)
    assert str(error.value).startswith(str(path))  # the message names the file


@pytest.mark.parametrize("text, message", [
    ('{"format": "lrviz-session/2", "format": "lrviz-session/2"}', "'format' appears twice"),
    ('{"format": "lrviz-session/2", "view": {"selected_epoch": 1, "selected_epoch": null}}', "appears twice"),
    ('{"format": "lrviz-session/2", "points": {"x1": [NaN]}}', "NaN is not allowed"),
    ('{"format": "lrviz-session/2", "points": {"x1": [-Infinity]}}', "-Infinity is not allowed"),
    ("[" * 100_000, "not valid JSON"),
    ('{"format": "lrviz-session/' + "9" * 20 + '"}', "unknown session format"),
    ("", "not valid JSON"),
])
def test_bad_session_text_is_rejected_clearly(tmp_path, text, message):
    (tmp_path / "s.json").write_text(text)
    with pytest.raises(SessionFormatError, match=message):
        read_session(tmp_path / "s.json")


_VALID = _valid()
_VALID_TEXT = json.dumps(_VALID, separators=(",", ":"))


@tmp_ok
@given(mutated_objects(_VALID))
def test_any_mutation_of_a_session_gives_a_session_format_error(tmp_path, text):
    """Keys dropped, values of the wrong type, huge integers, NaN, nested junk, anywhere."""
    (tmp_path / "s.json").write_text(text)
    reads_or_refuses(tmp_path / "s.json")


@tmp_ok
@given(mutated_texts(_VALID_TEXT))
def test_damaged_session_text_gives_a_session_format_error(tmp_path, text):
    (tmp_path / "s.json").write_text(text)
    reads_or_refuses(tmp_path / "s.json")


def test_session_from_json_dict_names_its_source():
    with pytest.raises(SessionFormatError, match="^the session: not an lrviz session"):
        session_from_json_dict({})


# -- construction checks: a session that exists can be written and read back ---------------------------------
def _history(**columns) -> RunHistory:
    values = {"epochs": [0, 1], "theta": np.zeros((2, 3)), "loss": [1.0, 1.0], "grad_norm": [0.0, 0.0],
              "learning_rate": 0.1, "l2": 0.0, "data_revision": 0} | columns
    history = RunHistory()
    history.append(**values)
    return history


POINTS = Dataset([[0.0, 1.0], [1.0, 0.0]], [0, 1])


@pytest.mark.parametrize("fields, message", [
    ({"points": [[0.0, 1.0]]}, "points must be a Dataset"),
    ({"settings": {"learning_rate": 0.1}}, "settings must be TrainingSettings"),
    ({"history": _history(theta=[[0, np.nan, 0]] * 2)}, "w2 must hold finite"),
    ({"history": _history(loss=[1.0, np.inf])}, "losses must be finite"),
    ({"history": _history(grad_norm=[0.0, -1.0])}, "gradient norms"),
    ({"history": _history(learning_rate=[0.1, 1e7])}, "from epoch 1: the setting learning_rate"),
    ({"history": _history(epochs=[-2, -1])}, "epochs must be ≥ 0"),
    ({"history": _history(data_revision=[0, 1])}, "revision 1, which the session does not hold"),
    ({"revision": 1, "history": _history(data_revision=[0, 1]),
      "earlier_points": (PointsSnapshot(0, np.zeros((0, 2)), np.zeros(0)),)}, "revision 0, which are empty"),
    ({"revision": 1, "history": _history(), "earlier_points": (PointsSnapshot(0, np.zeros((1, 3)), [0]),)},
     r"must be \(m, 2\)"),
    ({"revision": 1, "history": _history(), "earlier_points": (PointsSnapshot(0, [[np.inf, 0.0]], [0]),)},
     "finite coordinates"),
    ({"revision": 1, "history": _history(), "earlier_points": ((0, POINTS.X, POINTS.y),)}, "PointsSnapshots"),
    ({"revision": -1}, "revision must be a whole number"),
    ({"revision": True}, "revision must be a whole number"),
    ({"stop": StopInfo("bored", 0, "")}, "stop must be a StopInfo"),
    ({"stop": StopInfo(STOP_CONVERGED, 0, "")}, r"stop epoch 0 is not in the history \(no epochs\)"),
    ({"history": _history(), "stop": StopInfo(STOP_CONVERGED, 2, "")}, "stop epoch 2 is not in the history"),
    ({"history": _history(), "selected_epoch": 2}, "selected epoch 2 is not in the history"),
    ({"history": _history(), "selected_epoch": 1.0}, "selected epoch must be a whole number"),
    ({"history": RunHistory(("w1", "b"))}, "columns must be w1, w2, b"),
])
def test_a_session_that_could_not_be_read_back_is_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        Session(**({"points": POINTS} | fields))


def test_a_session_takes_numpy_integers_and_sorts_its_earlier_points():
    snapshots = tuple(PointsSnapshot(np.int64(r), POINTS.X, POINTS.y) for r in (2, 0))
    session = Session(points=POINTS, revision=np.int64(3), earlier_points=snapshots,
                      history=_history(epochs=[0, 1], data_revision=[0, 2]), selected_epoch=np.int64(1),
                      stop=StopInfo(STOP_CONVERGED, np.int64(1), "done"))
    assert [s.revision for s in session.earlier_points] == [0, 2]
    assert all(type(v) is int for v in (session.revision, session.selected_epoch, session.stop.epoch,
                                        session.earlier_points[0].revision))
    assert not session.earlier_points[0].X.flags.writeable
