"""Runs side by side: keepRunAction, runsList (show, hide, rename, delete), raceAction, sessions."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QPushButton
from window_helpers import answer_file_dialogs, shown_window, train_to

from lrviz.core.dataset import make_preset
from lrviz.core.model_trainer import build_trainer
from lrviz.core.race import RacerEpochs
from lrviz.core.run_collection import MAX_KEPT_RUNS
from lrviz.ui.main_window import MainWindow
from lrviz.ui.plain_text import escaped
from lrviz.ui.race_dialog import RaceDialog

DATA = make_preset("overlapping", 80, 0.1, 0)


def _action(win: MainWindow, name: str):
    action = next(a for a in win.actions() if a.objectName() == name)
    assert action.isEnabled()
    return action


def _runs_list(win: MainWindow) -> QListWidget:
    found = win.findChild(QListWidget, "runsList")
    assert found is not None
    return found


def _race(qtbot, win: MainWindow, optimizers=("gd", "momentum", "adam"), epochs: int = 40) -> None:
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())  # as fast as possible
    with qtbot.waitSignal(win.kept.raceFinished, timeout=30000):
        assert win.kept.start_race(list(optimizers), epochs)
    win.kept_curves.flush()


def test_keep_run_keeps_the_curve_and_starts_again_from_the_same_start(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 30)
    before = win.run.history.copy()
    _action(win, "keepRunAction").trigger()
    (kept,) = list(win.kept.runs)
    assert kept.history == before and kept.label == "gradient descent, α=0.1"
    assert len(win.run.history) == 1  # a new run from the same start
    np.testing.assert_array_equal(win.run.history.theta[0], before.theta[0])
    # the dashed curve: exactly the kept losses, and a legend entry naming the settings
    assert win.kept_curves.shown_runs() == [kept]
    x, y = win.kept_curves.curve_data(kept)
    np.testing.assert_array_equal(x, before.epochs)
    np.testing.assert_array_equal(y, before.loss)
    assert win.kept_curves.legend_labels() == ["this run: gradient descent, α=0.1", "gradient descent, α=0.1"]
    assert win.kept_curves._curves[id(kept)].item.opts["pen"].style() == Qt.PenStyle.DashLine
    listed = _runs_list(win)
    assert listed.count() == 1 and listed.item(0).text() == kept.label
    assert listed.item(0).checkState() == Qt.CheckState.Checked
    assert win.runs_dock.isVisible()
    # the new run trains on from the start, as a fresh run would
    train_to(qtbot, win, 30)
    np.testing.assert_array_equal(win.run.history.loss, before.loss)


def test_undo_of_keep_puts_the_run_back(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 20)
    before = win.run.history.copy()
    _action(win, "keepRunAction").trigger()
    win.state.undo_stack.undo()
    assert len(win.kept.runs) == 0 and win.run.history == before
    assert win.kept_curves.shown_runs() == [] and not win.kept_curves.legend.isVisible()
    win.state.undo_stack.redo()
    assert len(win.kept.runs) == 1 and len(win.run.history) == 1


def test_nothing_to_keep_and_no_room_say_so(qtbot):
    win = shown_window(qtbot, DATA)
    assert not win.kept.keep_run()
    assert "train a few epochs first" in win.statusBar().currentMessage()
    train_to(qtbot, win, 3)
    for _ in range(MAX_KEPT_RUNS):
        assert win.kept.keep_run()
        win.controls.train_button.click()
        qtbot.waitUntil(lambda: win.run.history.last_epoch == 3)
    assert not win.kept.keep_run()
    assert "8 runs are kept already" in win.statusBar().currentMessage()
    assert sorted(k.color for k in win.kept.runs) == list(range(MAX_KEPT_RUNS))


def test_hide_rename_and_delete_from_the_runs_list(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 10)
    _action(win, "keepRunAction").trigger()
    train_to(qtbot, win, 10)
    _action(win, "keepRunAction").trigger()
    first, second = list(win.kept.runs)
    listed = _runs_list(win)
    listed.item(0).setCheckState(Qt.CheckState.Unchecked)  # hide
    assert not first.visible and win.kept_curves.shown_runs() == [second]
    listed.item(0).setCheckState(Qt.CheckState.Checked)
    assert win.kept_curves.shown_runs() == [first, second]
    listed.item(1).setText("the <b>second</b> try")  # rename: plain text everywhere
    assert second.label == "the <b>second</b> try"
    shown = win.kept_curves.legend_labels()[2]
    assert shown == escaped("the <b>second</b> try") and "<b>" not in shown
    listed.item(1).setText("   ")  # refused, the old name stays
    assert second.label == "the <b>second</b> try" and listed.item(1).text() == second.label
    assert "must not be empty" in win.statusBar().currentMessage()
    listed.setCurrentRow(0)
    win.findChild(QPushButton, "deleteRunButton").click()
    assert list(win.kept.runs) == [second] and win.kept_curves.shown_runs() == [second]
    win.state.undo_stack.undo()  # the delete is undoable, back at its place and colour
    assert list(win.kept.runs) == [first, second] and first.color == 0


@pytest.mark.parametrize("standardize", [False, True])
def test_a_race_equals_headless_runs_and_is_drawn_together(qtbot, standardize):
    win = shown_window(qtbot, DATA)
    if standardize:
        win.controls.standardize_check.setChecked(True)
    qtbot.waitUntil(lambda: win.run.settings.standardize == standardize and len(win.run.history) == 1)
    _race(qtbot, win, epochs=40)
    racers = list(win.kept.runs)
    assert [k.settings.optimizer for k in racers] == ["gd", "momentum", "adam"]
    assert [k.label.split(",")[0] for k in racers] == ["gradient descent", "momentum β=0.9", "Adam β₁=0.9"]
    start = win.run.row(0)
    points = win.run.snapshot()
    for kept in racers:
        alone = build_trainer(points.train_X, points.train_y, kept.settings, w0=start.w, b0=start.b, max_epochs=40)
        first = alone.current
        h = alone.run(100)
        np.testing.assert_array_equal(kept.history.epochs, np.arange(41))
        assert kept.history.loss[0] == first.loss
        np.testing.assert_allclose(kept.history.loss[1:], h.loss, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(kept.history.theta[1:], np.column_stack([h.W, h.b]), rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(win.kept_curves.curve_data(kept)[1], kept.history.loss)
    # on the landscape (shown for the race): each racer's path through the landscape's own mapping
    assert win.landscape_dock.isVisible()
    qtbot.waitUntil(lambda: win.landscape.plot.picture is not None, timeout=20000)
    win.kept_paths.flush()
    plot = win.landscape.plot
    assert win.kept_paths.shown_runs() == racers
    for kept in racers:
        np.testing.assert_allclose(win.kept_paths.drawn_path(kept), plot.shown(kept.history.theta)[:, :2],
                                   rtol=1e-12, atol=1e-12)
    picture = plot.picture
    qtbot.waitUntil(lambda: plot.picture is not None and all(
        plot.picture.x_range.low <= p[:, 0].min() and p[:, 0].max() <= plot.picture.x_range.high
        for p in (win.kept_paths.drawn_path(k) for k in racers)), timeout=20000)
    assert picture is not None
    assert "The race is over at epoch 40" in win.statusBar().currentMessage()


def test_a_race_can_be_stopped_and_its_runs_stay(qtbot):
    win = shown_window(qtbot, DATA)
    win.controls.speed_slider.setValue(0)  # the slowest speed: the race is still on when stopped
    assert win.kept.start_race(["gd", "adam"], 10_000)
    assert win.kept.is_racing and _action(win, "raceAction").text().startswith("Stop")
    assert not win.kept.keep_run_action.isEnabled()
    _action(win, "raceAction").trigger()
    assert not win.kept.is_racing and len(win.kept.runs) == 2
    grown = [len(k.history) for k in win.kept.runs]
    assert all(n < 10_001 for n in grown)
    assert win.kept.keep_run_action.isEnabled()
    # a batch of the stopped race still queued is dropped, and so are those of an older race
    controller = win.kept.race_controller
    late = [RacerEpochs(0, np.array([grown[0]]), np.zeros((1, 3)), np.array([0.5]), np.array([0.1]), None)]
    controller._on_batch(controller._number, late)
    assert [len(k.history) for k in win.kept.runs] == grown
    with qtbot.waitSignal(win.kept.raceFinished, timeout=30000):
        win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
        assert win.kept.start_race(["gd"], 5)
        controller._on_batch(controller._number - 1, late)
    assert [len(k.history) for k in win.kept.runs] == [*grown, 6]


def test_a_race_needs_room_in_the_runs_list(qtbot):
    win = shown_window(qtbot, DATA)
    _race(qtbot, win, ("gd", "momentum", "nesterov", "adam", "sgd", "newton"), 5)
    assert not win.kept.start_race(["gd", "momentum", "adam"], 5)
    assert "needs 3 free places" in win.statusBar().currentMessage() and len(win.kept.runs) == 6


def test_the_race_dialog_defaults_and_limits(qtbot):
    dialog = RaceDialog(8)
    qtbot.addWidget(dialog)
    assert dialog.optimizers() == ["gd", "momentum", "adam"] and dialog.epochs() == 200
    ok = dialog.buttons.buttons()[0]
    assert ok.isEnabled()
    small = RaceDialog(2)
    qtbot.addWidget(small)
    assert not small.buttons.buttons()[0].isEnabled()
    assert "need 3 free places" in small.note.text()
    for box in small.boxes.values():
        box.setChecked(False)
    assert "at least one" in small.note.text()


def test_the_legends_are_outside_the_data_area(qtbot):
    """The kept runs' legend, and the training/test legend of a split, never cover a curve."""
    win = shown_window(qtbot, DATA)
    split = np.zeros(len(DATA), bool)
    split[::4] = True
    win.points.set_split(split)
    train_to(qtbot, win, 10)
    _race(qtbot, win, epochs=10)
    win.state.clock.flush()
    win.loss_plot.refresh()
    data_area = win.loss_plot.getPlotItem().getViewBox().sceneBoundingRect()
    legends = [win.kept_curves.legend.sceneBoundingRect(), win.loss_plot._legend.sceneBoundingRect()]
    for legend in legends:
        assert legend.height() > 0 and not legend.intersects(data_area)
    assert not legends[0].intersects(legends[1])


def test_sessions_keep_every_run(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 15)
    _action(win, "keepRunAction").trigger()
    _race(qtbot, win, epochs=12)
    win.kept.runs.rename(win.kept.runs[1], "plain GD")
    win.kept.runs.set_visible(win.kept.runs[2], False)
    answer_file_dialogs(monkeypatch, save_path=tmp_path / "s.lrviz.json")
    assert win.documents.save_session()
    again = shown_window(qtbot, make_preset("moons", 20))
    answer_file_dialogs(monkeypatch, open_path=tmp_path / "s.lrviz.json")
    again.documents.open_session()
    assert [k.label for k in again.kept.runs] == [k.label for k in win.kept.runs]
    assert [k.visible for k in again.kept.runs] == [True, True, False, True]
    for a, b in zip(again.kept.runs, win.kept.runs):
        assert a.history == b.history and a.settings == b.settings and a.color == b.color
    assert again.kept_curves.shown_runs() == [again.kept.runs[i] for i in (0, 1, 3)]
    assert _runs_list(again).count() == 4


def test_renaming_a_kept_run_is_unsaved_work(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 5)
    _action(win, "keepRunAction").trigger()
    win.mark_saved()
    assert not win.has_unsaved_changes()
    _runs_list(win).item(0).setText("first try")
    assert win.has_unsaved_changes()


def test_after_a_race_the_landscape_is_the_fine_slice_of_the_final_range(qtbot):
    """While racing, slices are paced as while training (a coarser grid for many points); once
    the race ends, the fine slice covering every racer's whole path."""
    from lrviz.ui.plots.landscape_plot import FINE, LIVE_PAIRS_BUDGET

    data = make_preset("overlapping", 1500, 0.1, 0)
    assert len(data) * FINE * FINE > LIVE_PAIRS_BUDGET  # live slices would be coarser
    win = shown_window(qtbot, data)
    _race(qtbot, win, epochs=30)
    plot = win.landscape.plot
    racers = list(win.kept.runs)

    def final_picture() -> bool:
        picture = plot.picture
        if picture is None or picture.size != FINE:
            return False
        return all(picture.x_range.low <= p[:, 0].min() and p[:, 0].max() <= picture.x_range.high
                   and picture.y_range.low <= p[:, 1].min() and p[:, 1].max() <= picture.y_range.high
                   for p in (plot.shown(k.history.theta)[:, :2] for k in racers))

    qtbot.waitUntil(final_picture, timeout=30000)
