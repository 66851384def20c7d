"""A learner presses everything in every order: 2,000 seeded random actions, training part of the time.

An adversary joins in (issue 18): points files whose feature names are markup, damaged
sessions, exports into a read-only folder, and Reset followed at once by the log scale.

A plain list mirrors what each action should do to the points (with its own undo and redo
history); at the end the window's data set must equal it. Any exception in a slot, any Qt
warning, or a hang fails the test.
"""

from __future__ import annotations

import random

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QFileDialog

from lrviz.core.dataset import PRESET_NAMES, make_preset
from lrviz.core.formats import write_session
from lrviz.ui.main_window import MainWindow
from special_paths import read_only_folder

ACTIONS = 2000
SEED = 20261128
ISOLATED_PX = 20.0  # points this far from any other can be hit without ambiguity
HOSTILE = ["<table><tr><td>", "<img src=/dev/zero>", "<b>", "&amp;", "<br>", "</td>", "&", "<", "x", " ", "é"]


class Mirror:
    """What the points should be: a list of (x1, x2, label, tolerance) with undo/redo."""

    def __init__(self, points):
        self.points = list(points)
        self.undo: list[list] = []
        self.redo: list[list] = []

    def edit(self, new_points) -> None:
        self.undo.append(self.points)
        self.redo = []
        self.points = list(new_points)

    def undo_step(self) -> None:
        if self.undo:
            self.redo.append(self.points)
            self.points = self.undo.pop()

    def redo_step(self) -> None:
        if self.redo:
            self.undo.append(self.points)
            self.points = self.redo.pop()


def _pixel_size(win) -> float:
    (x0, x1), _ = win.editor.view_box.viewRange()
    return (x1 - x0) / win.editor.view_box.sceneBoundingRect().width()


def _pixels(win, points) -> np.ndarray:
    return np.array([[p.x(), p.y()] for p in (win.editor.data_to_viewport(x, y) for x, y, *_ in points)])


def _isolated_indices(win, points) -> list[int]:
    if not points:
        return []
    pix = _pixels(win, points)
    distance = np.hypot(*(pix[:, None, :] - pix[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distance, np.inf)
    size = win.editor.viewport().size()
    inside = (pix[:, 0] > 5) & (pix[:, 0] < size.width() - 5) & (pix[:, 1] > 5) & (pix[:, 1] < size.height() - 5)
    return [i for i in range(len(points)) if inside[i] and distance[i].min() > ISOLATED_PX]


def _empty_spot(win, points, rng):
    """A data coordinate inside the view, farther than ISOLATED_PX from every point."""
    size = win.editor.viewport().size()
    pix = _pixels(win, points) if points else np.empty((0, 2))
    for _ in range(20):
        candidate = np.array([rng.uniform(20, size.width() - 20), rng.uniform(20, size.height() - 20)])
        if not len(pix) or np.hypot(*(pix - candidate).T).min() > ISOLATED_PX:
            return QPoint(int(candidate[0]), int(candidate[1]))
    return None


def test_two_thousand_random_actions(qtbot, tmp_path, monkeypatch):
    rng = random.Random(SEED)
    start = make_preset("overlapping", n_points=12, seed=1)
    win = MainWindow(start.copy())
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    mirror = Mirror([(x, y, int(label), 0.0) for (x, y), label in zip(start.X.tolist(), start.y.tolist())])
    active = [0]
    exports = iter(range(10**6))
    read_only = read_only_folder(tmp_path)

    def save_name(*_args, **_kwargs):
        folder = read_only if rng.random() < 0.3 else tmp_path  # the adversary: a folder that refuses
        return str(folder / f"export{next(exports)}{rng.choice(['.json', '.csv', '.png', '.svg'])}"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    session_path = tmp_path / "good.lrviz.json"
    write_session(session_path, win.session())
    session_text = session_path.read_text()
    viewport = win.editor.viewport()
    c = win.controls

    def click_empty(shift: bool) -> None:
        spot = _empty_spot(win, mirror.points, rng)
        if spot is None:
            return
        x1, x2 = win.editor._to_data(QPointF(spot))
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, modifier, pos=spot)
        label = 1 - active[0] if shift else active[0]
        mirror.edit(mirror.points + [(x1, x2, label, 1.5 * _pixel_size(win))])

    def drag() -> None:
        candidates = _isolated_indices(win, mirror.points)
        target = _empty_spot(win, mirror.points, rng)
        if not candidates or target is None:
            return
        index = rng.choice(candidates)
        source = win.editor.data_to_viewport(*mirror.points[index][:2]).toPoint()
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=source)
        middle = (source + target) / 2
        qtbot.mouseMove(viewport, middle)
        qtbot.mouseMove(viewport, target)
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=target)
        x1, x2 = win.editor._to_data(QPointF(target))
        moved = list(mirror.points)
        moved[index] = (x1, x2, moved[index][2], 1.5 * _pixel_size(win))
        if (x1, x2) != tuple(mirror.points[index][:2]):
            mirror.edit(moved)

    def delete(with_ctrl: bool) -> None:
        candidates = _isolated_indices(win, mirror.points)
        if not candidates:
            return
        index = rng.choice(candidates)
        pos = win.editor.data_to_viewport(*mirror.points[index][:2]).toPoint()
        if with_ctrl:
            qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos=pos)
        else:
            qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=pos)
        mirror.edit(mirror.points[:index] + mirror.points[index + 1:])

    def set_class() -> None:
        label = rng.randint(0, 1)
        (win.class0_action if label == 0 else win.class1_action).trigger()
        active[0] = label

    def load_preset() -> None:
        name = rng.choice(PRESET_NAMES)
        n, noise, seed = rng.randint(1, 40), rng.uniform(0, 0.5), rng.randint(0, 99)
        win.load_preset(name, n, noise, seed)
        data = make_preset(name, n, noise, seed)
        mirror.edit([(x, y, int(label), 0.0) for (x, y), label in zip(data.X.tolist(), data.y.tolist())])

    def clear() -> None:
        win.clear_action.trigger()
        if mirror.points:
            mirror.edit([])

    def undo() -> None:
        win.undo_action.trigger()
        mirror.undo_step()

    def redo() -> None:
        win.redo_action.trigger()
        mirror.redo_step()

    def open_hostile_points() -> None:
        names = ["".join(rng.choices(HOSTILE, k=rng.randint(1, 6))).strip() or "x" for _ in range(2)]
        names = [name.replace(",", ";").replace('"', "'") for name in names]
        rows = [(rng.uniform(-3, 3), rng.uniform(-3, 3), rng.randint(0, 1)) for _ in range(rng.randint(1, 8))]
        path = tmp_path / f"hostile{next(exports)}.csv"
        path.write_text(f"{names[0]},{names[1]},label\n" + "".join(f"{x!r},{y!r},{k}\n" for x, y, k in rows),
                        encoding="utf-8")
        assert win.documents.open_path(str(path))
        assert win.run.points.feature_names == tuple(names)
        mirror.edit([(x, y, k, 0.0) for x, y, k in rows])

    def open_damaged_session() -> None:
        text = session_text
        where = rng.randrange(len(text))
        text = rng.choice([text[:where], text[:where] + rng.choice(HOSTILE + ["9" * 5000, "NaN", "{"]) + text[where:],
                           text.replace('"seed":0', f'"seed":{2**31}')])
        path = tmp_path / f"damaged{next(exports)}.lrviz.json"
        path.write_text(text, encoding="utf-8")
        if win.documents.open_path(str(path)):  # a damage that still makes a valid session: a new document
            dataset = win.run.points
            mirror.points = [(x, y, int(k), 0.0) for (x, y), k in zip(dataset.X.tolist(), dataset.y.tolist())]
            mirror.undo, mirror.redo = [], []

    def reset_then_log_scale() -> None:
        c.reset_button.click()
        win.log_scale_action.trigger()

    def select_epoch() -> None:
        history = win.run.history
        if len(history):
            win.state.select_epoch(rng.randint(history.first_epoch, history.last_epoch))

    def train_from_here() -> None:
        shown = win.state.shown_epoch
        if shown is not None and win.controller.train_from(shown):
            mirror.edit(mirror.points)  # an undo step that leaves the points as they are

    actions = [
        (12, lambda: click_empty(False)), (4, lambda: click_empty(True)), (6, drag),
        (3, lambda: delete(False)), (3, lambda: delete(True)), (3, set_class),
        (6, undo), (4, redo), (1, clear), (2, load_preset),
        (5, lambda: c.train_button.click()), (3, lambda: c.step_button.click()),
        (2, lambda: c.reset_button.click()),
        (3, lambda: c.speed_slider.setValue(rng.randint(0, c.speed_slider.maximum()))),
        (3, lambda: c.learning_rate_spin.stepBy(rng.choice([-2, -1, 1, 2]))),
        (2, lambda: c.l2_spin.stepBy(rng.choice([-1, 1]))),
        (1, lambda: c.max_epochs_spin.setValue(rng.choice([10, 500, 100_000]))),
        (1, lambda: c.standardize_check.toggle()),
        (1, lambda: c.init_combo.setCurrentIndex(rng.randint(0, 1))),
        (1, win.fit_view_action.trigger), (1, win.log_scale_action.trigger),
        (1, win.exports.export_params_action.trigger), (1, win.exports.export_history_action.trigger),
        (1, win.exports.export_plot_action.trigger),
        (3, select_epoch), (1, win.newest_epoch_action.trigger), (1, win.follow_latest_action.trigger),
        (1, train_from_here),
        (1, open_hostile_points), (1, open_damaged_session), (1, reset_then_log_scale),
    ]
    weights = [w for w, _ in actions]
    for step in range(ACTIONS):
        rng.choices(actions, weights)[0][1]()
        if step % 5 == 0:
            qtbot.wait(1)  # let batches and redraws in, as a real event loop would

    if win.training.is_running:
        with qtbot.waitSignal(win.training.finished, timeout=10000):
            win.training.pause()
    dataset = win.points.dataset
    assert len(dataset) == len(mirror.points)
    for (x1, x2, label), (ex1, ex2, elabel, tolerance) in zip(
            (dataset.point(i) for i in range(len(dataset))), mirror.points):
        assert label == elabel
        assert abs(x1 - ex1) <= tolerance and abs(x2 - ex2) <= tolerance
    assert np.all(np.isfinite(win.run.history.W)) and np.all(np.isfinite(win.run.history.loss))
    history = win.run.history
    if len(history):
        np.testing.assert_array_equal(history.epochs, np.arange(history.first_epoch, history.last_epoch + 1))
        assert win.state.shown_epoch is not None and history.first_epoch <= win.state.shown_epoch <= history.last_epoch
    win.mark_saved()
