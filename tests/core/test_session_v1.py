"""Version-1 sessions (tests/data/v1, written by lrviz before the run model) open as version-2 Sessions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from session_helpers import mutated_objects, mutated_texts, reads_or_refuses

from lrviz.core.formats import Session, SessionFormatError, read_session, write_session
from lrviz.core.history import parameter_names
from lrviz.core.run import recompute_row
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import StopInfo

V1 = Path(__file__).parent.parent / "data" / "v1"
V1_SESSIONS = sorted(V1.glob("*.lrviz.json"))
tmp_ok = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_there_are_version_1_sessions_to_test():
    assert [p.name for p in V1_SESSIONS] == ["blobs_untrained.lrviz.json", "iris_standardized.lrviz.json",
                                             "moons_gd.lrviz.json", "separable_diverged.lrviz.json"]


@pytest.mark.parametrize("path", V1_SESSIONS, ids=lambda p: p.name)
def test_a_version_1_session_opens_with_exactly_its_values(path):
    raw = json.loads(path.read_text())
    assert raw["format"] == "lrviz-session/1"
    session = read_session(path)
    points, h = raw["points"], raw["history"]
    assert session.points.feature_names == tuple(points["feature_names"])
    assert session.points.X[:, 0].tolist() == points["x1"] and session.points.X[:, 1].tolist() == points["x2"]
    assert session.points.y.tolist() == points["label"]
    assert session.settings == TrainingSettings(**raw["settings"])
    assert session.settings.to_dict() == raw["settings"]
    history = session.history
    assert history.names == parameter_names(2) == ("w1", "w2", "b")
    assert history.epochs.tolist() == h["epoch"]
    assert history.W.tolist() == [list(w) for w in zip(h["w1"], h["w2"])]
    assert history.b.tolist() == h["b"]
    assert history.loss.tolist() == h["loss"] and history.grad_norm.tolist() == h["grad_norm"]
    # Version 1 kept only the settings at saving time: every epoch gets them, on revision 0.
    k = len(h["epoch"])
    assert history.learning_rate.tolist() == [raw["settings"]["learning_rate"]] * k
    assert history.l2.tolist() == [raw["settings"]["l2"]] * k
    assert history.data_revision.tolist() == [0] * k
    assert session.stop == (None if raw["stop"] is None else StopInfo(**raw["stop"]))
    assert (session.revision, session.earlier_points, session.selected_epoch) == (0, (), None)


@pytest.mark.parametrize("path", V1_SESSIONS, ids=lambda p: p.name)
def test_a_version_1_session_is_saved_as_version_2_and_reads_back_equal(tmp_path, path):
    session = read_session(path)
    write_session(tmp_path / "s.lrviz.json", session)
    assert json.loads((tmp_path / "s.lrviz.json").read_text())["format"] == "lrviz-session/2"
    assert read_session(tmp_path / "s.lrviz.json") == session
    assert Session.from_run(session.to_run(), None) == session


@pytest.mark.parametrize("path", V1_SESSIONS, ids=lambda p: p.name)
def test_every_loss_of_an_upgraded_session_recomputes(path):
    """The version-1 runs were trained at constant α and λ, so the upgrade's rows are true."""
    session = read_session(path)
    run = session.to_run()
    for epoch, loss in zip(session.history.epochs.tolist(), session.history.loss.tolist()):
        assert recompute_row(run, epoch)[0] == pytest.approx(loss, rel=1e-12, abs=0)


def _v1(name: str = "moons_gd.lrviz.json") -> dict:
    return json.loads((V1 / name).read_text())


@pytest.mark.parametrize("damage, message", [
    (lambda d: d.pop("points"), "points is missing"),
    (lambda d: d["points"]["x1"].pop(), "different lengths"),
    (lambda d: d["points"]["label"].__setitem__(0, 2), "label must be 0 or 1"),
    (lambda d: d["history"]["epoch"].reverse(), "count up by one"),
    (lambda d: d["history"]["w2"].pop(), "history.w2 has 50 values for 51 epochs"),
    (lambda d: d["history"].pop("b"), "history.b must be a list of numbers"),
    (lambda d: d["history"]["grad_norm"].__setitem__(0, -1.0), "gradient norms"),
    (lambda d: d["settings"].__setitem__("learning_rate", -0.1), "learning_rate must be from"),
    (lambda d: d["settings"].pop("seed"), "lack seed"),
    (lambda d: d["parameters"].__setitem__("bias", 0.5), "parameters"),
    (lambda d: d["parameters"].__setitem__("epoch", True), "parameters"),
    (lambda d: d.pop("parameters"), "parameters is missing"),
    (lambda d: d.__setitem__("stop", {"kind": "bored", "epoch": 1, "message": ""}), "stop must be"),
    (lambda d: d["stop"].__setitem__("epoch", 51), "stop epoch 51 is not in the history"),
])
def test_damaged_version_1_sessions_are_rejected_clearly(tmp_path, damage, message):
    data = _v1()
    damage(data)
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match=message):
        read_session(tmp_path / "s.json")


def test_a_version_1_session_may_lack_the_stop(tmp_path):
    """The version-1 reader took a file without "stop" as one without a stop reason; so does the upgrade."""
    data = _v1("iris_standardized.lrviz.json")
    assert data.pop("stop") is None
    (tmp_path / "s.json").write_text(json.dumps(data))
    assert read_session(tmp_path / "s.json") == read_session(V1 / "iris_standardized.lrviz.json")


@tmp_ok
@given(mutated_objects(_v1()))
def test_any_mutation_of_a_version_1_session_gives_a_session_format_error(tmp_path, text):
    (tmp_path / "s.json").write_text(text)
    reads_or_refuses(tmp_path / "s.json")


@tmp_ok
@given(mutated_texts((V1 / "separable_diverged.lrviz.json").read_text()))
def test_damaged_version_1_text_gives_a_session_format_error(tmp_path, text):
    (tmp_path / "s.json").write_text(text)
    reads_or_refuses(tmp_path / "s.json")
