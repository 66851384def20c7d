"""File ▸ Export Animation: the frames asked for, epoch 0 first and the shown epoch last; cancel and
failures leave nothing; the window answers throughout and is not moved by the filming."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QLabel, QPushButton

from lrviz.core.dataset import default_dataset
from lrviz.core.formats import animation as animation_format
from lrviz.core.formats import atomic
from lrviz.ui.animation.dialog import AnimationDialog, AnimationOptions
from lrviz.ui.animation.film_set import FilmSet, rgb_array
from lrviz.ui.plots.landscape_plot import LandscapeView
from lrviz.ui.render.views_image import layout_of
from tests.ui.window_helpers import answer_file_dialogs, shown_window, train_to

SMALL = {"width": 320, "height": 240}


@pytest.fixture
def trained(qtbot):
    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 200)
    win.state.select_epoch(150)
    return win


def film(qtbot, win, options: AnimationOptions, path) -> tuple[bool, str]:
    job = win.animation_exports.start(options, str(path))
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=60000) as blocker:
        pass
    return tuple(blocker.args)


def frames_of(path) -> list[np.ndarray]:
    image = Image.open(path)
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB")).astype(int))
    return frames


def picture_of(frame: np.ndarray, own: np.ndarray, other: np.ndarray) -> bool:
    """`frame` shows what `own` does: far nearer to it than to `other`."""
    return np.abs(frame - own).mean() < 0.2 * np.abs(frame - other).mean()


def rendered(win, epoch: int, subject: str = "editor") -> np.ndarray:
    """The film set's own picture of one epoch, made afresh (the window's views as placed)."""
    placed = layout_of(win.shown_views(), win)[1] if subject == "views" else None
    film_set = FilmSet(win.run, 150, subject, QSize(SMALL["width"], SMALL["height"]), placed=placed)
    try:
        return rgb_array(film_set.frame_at(epoch)).astype(int)
    finally:
        film_set.close()


def test_an_apng_holds_the_frames_asked_for_from_epoch_0_to_the_shown_epoch(qtbot, trained, tmp_path):
    path = tmp_path / "run.png"
    written, message = film(qtbot, trained, AnimationOptions(seconds=1.0, fps=12, **SMALL), path)
    assert written, message
    frames = frames_of(path)
    assert len(frames) == 12
    first, last = rendered(trained, 0), rendered(trained, 150)
    # lossless: the pictures of epoch 0 and of epoch 150, up to antialiasing where the heatmap's grid fell
    assert picture_of(frames[0], first, last) and picture_of(frames[-1], last, first)
    assert Image.open(path).info["duration"] == pytest.approx(1000 / 12, abs=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.png"]


def test_a_gif_has_the_frames_and_length_asked_for(qtbot, trained, tmp_path):
    path = tmp_path / "run.gif"
    written, message = film(qtbot, trained, AnimationOptions(subject="views", seconds=2.0, fps=10, **SMALL), path)
    assert written, message
    frames = frames_of(path)
    assert len(frames) == 20
    first, last = rendered(trained, 0, "views"), rendered(trained, 150, "views")
    # a GIF has 256 colours a frame: each frame is nearest to its own epoch's picture
    assert picture_of(frames[0], first, last) and picture_of(frames[-1], last, first)
    image = Image.open(path)
    assert image.info["duration"] == 100 and image.info["loop"] == 0


def test_the_whole_window_s_views_film_the_docks_shown_as_export_window_image_does(qtbot, trained):
    """The math panel, the landscape and the model-quality dock are in the film, each at its
    place and drawing the frame's epoch, like the editor and the plots."""
    win = trained
    for dock in (win.math_panel, win.landscape_dock, win.quality.dock):
        dock.show()
    qtbot.waitUntil(lambda: win.landscape.plot.picture is not None)
    placed = layout_of(win.shown_views(), win)[1]
    assert len(placed) == 6  # editor, two plots, three docks
    film_set = FilmSet(win.run, 150, "views", QSize(640, 400), placed=placed, threshold=win.state.threshold)
    try:
        kinds = [type(view).__name__ for view in film_set.views]
        assert kinds[:3] == ["PointEditor", "LossPlot", "ParamsPlot"]
        assert {"MathPanel", "LandscapeView"} <= set(kinds) and "filmStill" not in [v.objectName() for v in film_set.views]
        bounds = layout_of(win.shown_views(), win)[0]
        scale = film_set.widget.width() / bounds.width()  # laid out at least as large as on screen
        assert film_set.widget.width() >= bounds.width() and film_set.widget.height() >= bounds.height()
        for view, (_widget, rect) in zip(film_set.views, placed):  # at their places, scaled
            assert abs(view.x() - rect.x() * scale) <= 1 and abs(view.width() - rect.width() * scale) <= 1
        assert film_set.frame_at(0).size() == QSize(640, 400)
        math = next(view for view in film_set.views if type(view).__name__ == "MathPanel")
        landscape = next(view for view in film_set.views if isinstance(view, LandscapeView))
        quality = next(view for view in film_set.views if type(view).__name__ == "QWidget")
        for epoch in (0, 40, 150):
            film_set.frame_at(epoch)
            assert math.explanation is not None and math.explanation.epoch == epoch
            assert landscape.plot.marker_position() == pytest.approx(tuple(win.run.row(epoch).theta[:2]))
            assert landscape.plot.picture is not None  # this epoch's surface, computed for the frame
            assert landscape.plot.picture.request.theta == pytest.approx(win.run.row(epoch).theta)
            shown = win.quality.source.metrics() if epoch == 150 else None
            table = quality.findChildren(type(win.quality.confusion_matrix.train_table))[0]
            assert table.counts.sum() == len(win.run.points.y)
            if shown is not None:  # the window shows epoch 150: the film's last frame has its numbers
                np.testing.assert_array_equal(table.counts, shown.train.confusion)
    finally:
        film_set.close()


def test_a_webp_is_written_too(qtbot, trained, tmp_path):
    path = tmp_path / "run.webp"
    written, message = film(qtbot, trained, AnimationOptions(seconds=0.5, fps=10, **SMALL), path)
    assert written, message
    assert len(frames_of(path)) == 5


def test_an_mp4_is_written_when_imageio_ffmpeg_is_installed(qtbot, trained, tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    path = tmp_path / "run.mp4"
    written, message = film(qtbot, trained, AnimationOptions(seconds=1.0, fps=8, **SMALL), path)
    assert written, message
    frames, _seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == 8


def test_without_imageio_ffmpeg_the_dialog_and_the_name_check_say_how_to_get_mp4(qtbot, monkeypatch):
    monkeypatch.setattr(animation_format, "mp4_available", lambda: False)
    with pytest.raises(ValueError, match=r"pip install 'lrviz\[video\]'"):
        animation_format.animation_format("run.mp4")
    monkeypatch.setattr("lrviz.ui.animation.dialog.mp4_available", lambda: False)
    dialog = AnimationDialog(0, 1000)
    qtbot.addWidget(dialog)
    assert "lrviz[video]" in dialog.findChild(QLabel, "animationFormats").text()
    assert "200 frames" in dialog.findChild(QLabel, "animationSummary").text()
    dialog.seconds_spin.setValue(100)
    assert "1,001 frames, one per epoch" in dialog.findChild(QLabel, "animationSummary").text()


def test_cancel_leaves_nothing_behind(qtbot, trained, tmp_path):
    path = tmp_path / "run.gif"
    job = trained.animation_exports.start(AnimationOptions(seconds=20, fps=20, **SMALL), str(path))
    cancel_button = trained.animation_exports.progress.findChild(QPushButton)
    job.progressed.connect(lambda count: count == 3 and cancel_button.click())
    with qtbot.waitSignal(job.finished, timeout=60000) as blocker:
        pass
    assert blocker.args == [False, ""]
    assert job.rendered < len(job.epochs)
    assert list(tmp_path.iterdir()) == []
    assert "cancelled" in trained.statusBar().currentMessage()
    assert trained.animation_exports.job is None


def test_an_old_file_of_that_name_stays_when_cancelled(qtbot, trained, tmp_path):
    path = tmp_path / "run.gif"
    path.write_bytes(b"old")
    job = trained.animation_exports.start(AnimationOptions(seconds=20, fps=20, **SMALL), str(path))
    job.progressed.connect(lambda count: count == 2 and job.cancel())
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.gif"]


def test_a_read_only_folder_gives_a_clear_message(qtbot, trained, tmp_path, monkeypatch, message_boxes):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root writes anywhere: refuse as the OS would for anyone else
        def refuse(target, *_mode):
            raise PermissionError(13, "Permission denied", str(target.parent))
        monkeypatch.setattr(atomic, "_create_temp_beside", refuse)
    path = folder / "run.gif"
    written, message = film(qtbot, trained, AnimationOptions(seconds=1, fps=5, **SMALL), path)
    folder.chmod(0o755)
    messages = [text for kind, _title, text in message_boxes.shown if kind == "warning"]
    assert not written
    assert messages == [message]
    assert str(path) in message and "Permission denied" in message and "another folder" in message
    assert list(folder.iterdir()) == []


def test_the_window_answers_and_stays_where_it_was_while_filming(qtbot, trained, tmp_path):
    editor_range = trained.editor.view_box.viewRange()
    turns = []
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: turns.append(job.rendered))
    job = trained.animation_exports.start(AnimationOptions(seconds=2, fps=20, **SMALL), str(tmp_path / "a.gif"))
    ticker.start()
    progress = trained.animation_exports.progress
    assert progress is not None and not progress.isModal()
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    ticker.stop()
    # the event loop ran between the frames: many turns, at each of which only part was rendered
    assert len({count for count in turns if count < len(job.epochs)}) > 3
    assert trained.state.shown_epoch == 150 and not trained.state.follow_latest
    assert trained.editor.view_box.viewRange() == editor_range
    assert progress.isHidden()


def test_the_menu_asks_then_films(qtbot, trained, tmp_path, monkeypatch):
    monkeypatch.setattr(AnimationDialog, "ask",
                        staticmethod(lambda first, last, parent=None: AnimationOptions(seconds=0.5, fps=8, **SMALL)))
    path = tmp_path / "menu.gif"
    answer_file_dialogs(monkeypatch, save_path=path)
    trained.animation_exports.export_animation_action.trigger()
    job = trained.animation_exports.job
    assert job is not None and list(job.epochs[[0, -1]]) == [0, 150]
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert len(frames_of(path)) == 4
    assert "Saved" in trained.statusBar().currentMessage()


def test_closing_the_window_mid_export_leaves_nothing_behind(qtbot, trained, tmp_path):
    job = trained.animation_exports.start(AnimationOptions(seconds=20, fps=20, **SMALL), str(tmp_path / "a.gif"))
    qtbot.waitUntil(lambda: job.rendered >= 2)
    trained.mark_saved()
    with qtbot.waitSignal(job.finished, timeout=20000):
        trained.close()
    assert list(tmp_path.iterdir()) == []


def test_a_second_export_waits_for_the_first(qtbot, trained, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(AnimationDialog, "ask", staticmethod(lambda *a, **k: asked.append(1)))
    job = trained.animation_exports.start(AnimationOptions(seconds=2, fps=10, **SMALL), str(tmp_path / "a.gif"))
    trained.animation_exports.export_animation_action.trigger()
    assert asked == [] and "being exported" in trained.statusBar().currentMessage()
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
