"""File ▸ Export Animation: the run from its first epoch to the shown one, as GIF, WebP, APNG or MP4.

An `AnimationJob` draws a few frames per turn of the event loop (offscreen copies of the
views, film_set.py) and hands them to the encoder thread (core/formats/animation.py); a
non-modal progress dialog counts them and can cancel. The window keeps answering throughout,
and since the copies have a run of their own, the user may even go on working meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from lrviz.core.formats.animation import (
    MP4_HINT,
    AnimationEncoder,
    animation_format,
    mp4_available,
)
from lrviz.core.frame_epochs import frame_epochs
from lrviz.core.run import Run
from lrviz.core.wording import counted
from lrviz.ui.render.views_image import layout_of
from lrviz.ui.state import WindowState

if TYPE_CHECKING:  # the dialog and the film set are imported when first used: the window starts sooner
    from lrviz.ui.animation.dialog import AnimationOptions

TURN_BUDGET_S = 0.03  # rendering time per event-loop turn: the window stays responsive


class AnimationJob(QObject):
    """Renders and encodes one animation; `finished(written, message)` once it is over."""

    finished = Signal(bool, str)
    progressed = Signal(int)  # frames rendered

    def __init__(self, run: Run, epochs: np.ndarray, options: AnimationOptions, path: str,
                 view_range=None, parent: QObject | None = None, placed=None, threshold: float | None = None,
                 selected_point: int | None = None) -> None:
        """`placed`, `threshold`, `selected_point`: the window's views and their places, and what
        is selected in it, for the film of the whole window's views (FilmSet)."""
        super().__init__(parent)
        self.epochs = epochs
        self.path = path
        from lrviz.ui.animation.film_set import FilmSet, film_palette, rgb_array

        self._rgb_array = rgb_array
        # the views first: the encoder's thread starts (and opens its temp file) only when they exist
        self._film = FilmSet(run, int(epochs[-1]), options.subject, QSize(options.width, options.height),
                             view_range, placed, threshold, selected_point)
        try:
            self._encoder = AnimationEncoder(path, 1000.0 * options.seconds / len(epochs), film_palette())
        except BaseException:
            self._film.close()
            raise
        self._next = 0
        self._pending: np.ndarray | None = None
        self._ending = False
        self._cancelled = False
        self._ended = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._turn)

    @property
    def rendered(self) -> int:
        return self._next

    @property
    def encoded(self) -> int:
        return self._encoder.encoded

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        if not self._cancelled:
            self._cancelled = True
            self._encoder.cancel()

    def abandon(self) -> None:
        """Cancel and wait (briefly) until the temp file is gone: the window is closing."""
        self.cancel()
        self._encoder.wait(10.0)
        self._end()

    def _turn(self) -> None:
        if self._encoder.done:
            self._end()
            return
        if self._cancelled:
            return  # the encoder thread is stopping; its end is the job's end
        started = time.perf_counter()
        while (self._next < len(self.epochs) and not self._cancelled
               and time.perf_counter() - started < TURN_BUDGET_S):
            if self._pending is None:
                self._pending = self._rgb_array(self._film.frame_at(int(self.epochs[self._next])))
            if not self._encoder.offer(self._pending):
                break  # the encoder is behind: let the event loop run, try next turn
            self._pending = None
            self._next += 1
            self.progressed.emit(self._next)
        if self._next == len(self.epochs) and not self._ending and not self._cancelled:
            self._ending = self._encoder.finish()

    def _end(self) -> None:
        if self._ended:
            return
        self._ended = True
        self._timer.stop()
        self._film.close()
        encoder = self._encoder
        if encoder.written:
            self.finished.emit(True, f"Saved {self.path}: {counted(len(self.epochs), 'frame')}, epochs "
                                     f"{int(self.epochs[0]):,} to {int(self.epochs[-1]):,}")
        elif encoder.error is not None:
            self.finished.emit(False, f"{self.path} was not written: {encoder.error}\n\n"
                                      "Choose another folder or file name.")
        else:
            self.finished.emit(False, "")  # cancelled: nothing was written


def _check_name(path: str) -> None:
    animation_format(path)


class AnimationActions(QObject):
    """exportAnimationAction for the File menu, and the job it runs (one at a time)."""

    def __init__(self, host, state: WindowState, views: Callable[[], list[QWidget]] | None = None) -> None:
        """`host` makes actions, asks for paths and shows errors (the main window); `views` lists
        the views shown, as for Export Window Image (the whole window's views are filmed as they
        are placed in the host)."""
        super().__init__(host)
        self._host, self._state, self._views = host, state, views
        self.job: AnimationJob | None = None
        self.progress: QProgressDialog | None = None
        self.export_animation_action = host.make_action(
            "exportAnimationAction", "Export &Animation…", self.export_animation, None,
            "Film the run from epoch 0 to the shown epoch as GIF, WebP, animated PNG or MP4"
            + ("" if mp4_available() else f" ({MP4_HINT})"))

    def export_animation(self) -> None:
        state = self._state
        if self.job is not None:
            self._host.statusBar().showMessage("An animation is being exported: wait for it, or cancel it", 5000)
            return
        if state.shown_epoch is None:
            self._host.show_error("Nothing to export yet", "Place points and press Train or Step first.")
            return
        first, last = state.run.history.first_epoch, state.shown_epoch
        from lrviz.ui.animation.dialog import AnimationDialog

        options = AnimationDialog.ask(first, last, self._host)
        if options is None:
            return
        path = self._host.documents.ask_save_path(
            "Export animation", "lrviz.gif",
            "GIF (*.gif);;WebP (*.webp);;Animated PNG (*.png);;MP4 video (*.mp4)", check=_check_name)
        if path:
            self.start(options, path)

    def start(self, options: AnimationOptions, path: str) -> AnimationJob | None:
        """Start filming (the dialog's answers given); the job, or None when it could not start."""
        state = self._state
        state.clock.flush()
        epochs = frame_epochs(state.run.history.first_epoch, state.shown_epoch, options.wanted_frames(),
                              options.spacing)
        placed = None
        if options.subject == "views" and self._views is not None:
            try:
                placed = layout_of(self._views(), self._host)[1]
            except ValueError:  # no view shown (a minimised window): the editor and the plots
                placed = None
        try:
            self.job = AnimationJob(state.run, epochs, options, path, parent=self, placed=placed,
                                    threshold=state.threshold, selected_point=state.selected_point)
        except (OSError, ValueError) as error:
            self._host.show_error("Could not save", f"{path} was not written: {error}")
            return None
        self.progress = _progress_dialog(self._host, len(epochs))
        self.progress.canceled.connect(self.job.cancel)
        self.job.progressed.connect(self.progress.setValue)
        self.job.finished.connect(self._on_finished)
        self.job.start()
        return self.job

    def shutdown(self) -> None:
        """The window closes: a running export is cancelled, and leaves nothing behind."""
        if self.job is not None:
            self.job.abandon()

    def _on_finished(self, written: bool, message: str) -> None:
        progress, self.progress, self.job = self.progress, None, None
        if progress is not None:
            progress.canceled.disconnect()
            progress.close()
            progress.deleteLater()
        if written:
            self._host.statusBar().showMessage(message, 8000)
        elif message:
            self._host.show_error("Could not save the animation", message)
        else:
            self._host.statusBar().showMessage("Animation export cancelled: nothing was written", 5000)


def _progress_dialog(parent: QWidget, frames: int) -> QProgressDialog:
    progress = QProgressDialog("Filming the run…", "Cancel", 0, frames, parent)
    progress.setObjectName("animationProgress")
    progress.setWindowTitle("Export animation")
    progress.setWindowModality(Qt.WindowModality.NonModal)  # the window answers throughout
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)
    progress.show()
    return progress


__all__ = ["AnimationActions", "AnimationJob"]
