"""Files the user opens and saves: points CSV, sessions, recent files, and "nothing lost".

Every write is atomic (lrviz.core.formats). Before anything replaces unsaved work (closing,
opening, New), the user is asked to save, discard or cancel. A file that cannot be read
leaves the current points as they were and says which line is wrong.

A large points file (10^6 rows take seconds), a large session, and a long run's session
save and history CSV export run in a worker thread while a local event loop keeps the
window painting and training; a window-modal progress dialog (file_progress) stops input
meanwhile, so nothing can change under the read, and its Cancel gives the file up. (A
save writes a snapshot of the run: training may go on; see core/formats/session_snapshot.) The worker parses in chunks of whole
lines, and a session's JSON in slices (json_steps): NumPy's parser and json.loads hold the
GIL for a whole call, so one call on the whole file would freeze the GUI thread as surely
as reading it there. A large table of other columns is read the same way,
in steps (table_steps), before importDialog opens.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEventLoop, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu, QMessageBox

from lrviz.core.dataset import Dataset
from lrviz.core.formats import (DataFormatError, Session, SessionFormatError, parse_points_csv, read_points_csv,
                                read_session, write_history_csv, write_points_csv, write_session)
from lrviz.core.formats.common import open_regular
from lrviz.core.formats.kind import is_session_file
from lrviz.core.formats.session_snapshot import SessionSnapshot, shared_rows
from lrviz.core.formats.session_stream import (StepsAbandoned, WriteAbandoned, read_session_in_steps,
                                               write_session_in_pieces)
from lrviz.core.formats.table import Table, guess_choice, in_points_layout, read_table
from lrviz.core.formats.table_steps import TableReadStopped, read_table_in_steps
from lrviz.core.history import RunHistory
from lrviz.core.point_blocks import PointBlocks
from lrviz.core.run import Run
from lrviz.core.wording import counted
from lrviz.ui.file_progress import FileProgress
from lrviz.ui.import_dialog import ask_import, remember_choice, remembered_choice
from lrviz.ui.plain_text import ask, excerpt, menu_text, tooltip
from lrviz.ui.state import WindowState

MAX_RECENT = 8
DATA_FILTER = "Points CSV (*.csv);;All files (*)"
SESSION_FILTER = "lrviz session (*.lrviz.json *.json);;All files (*)"
SESSION_SUFFIX = ".lrviz.json"
BACKGROUND_READ_BYTES = 1 << 20  # larger points files and sessions are read in a worker thread
BACKGROUND_SAVE_EPOCHS = 100_000  # sessions with a longer history are written in a worker thread
BACKGROUND_CSV_ROWS = 4096  # rows of a history CSV formatted at once there (a few ms holding the GIL)
_PARSE_CHUNK_CHARS = 1 << 15  # ~750 rows: one NumPy call holds the GIL for about a millisecond
_NAMED_BLOCKS = 4  # pieces per parse of a file of named classes (~3,000 rows: its table's set-up costs)
YIELD_SECONDS = 0.02  # the longest pause of the worker between pieces (it pauses as long as a piece took)


def app_settings() -> QSettings:
    """lrviz's own settings file (window geometry, last folder, recent files)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "lrviz", "lrviz")


class DocumentHost(Protocol):
    """What the documents need of the window (the main window is one): no import of it here."""

    state: WindowState

    def make_action(self, object_name: str, text: str, slot, shortcut=None, tip: str = ""): ...
    def replace_points(self, dataset: Dataset, text: str) -> None: ...
    def restore_session(self, session: Session, opened: Run | None = None) -> None: ...
    def session(self) -> Session: ...
    def session_snapshot(self) -> SessionSnapshot: ...
    def show_error(self, title: str, text: str) -> None: ...
    def write_file(self, write: Callable[[], None], path: str) -> bool: ...


class DocumentActions(QObject):
    """The File menu's open/save/new actions, recent files and the unsaved-changes prompt."""

    def __init__(self, window: QMainWindow, host: DocumentHost | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._host: DocumentHost = host if host is not None else window  # type: ignore[assignment]
        self._state = self._host.state
        self.data_path: str | None = None
        self.session_path: str | None = None
        make = self._host.make_action
        self.new_action = make("newAction", "&New", self.new, QKeySequence.StandardKey.New,
                               "Start over with no points")
        self.open_data_action = make("openDataAction", "&Open Data…", self.open_data,
                                     QKeySequence.StandardKey.Open, "Open points from a CSV file")
        self.save_data_action = make("saveDataAction", "&Save Data", self.save_data,
                                     QKeySequence.StandardKey.Save, "Save the points as CSV")
        self.save_data_as_action = make("saveDataAsAction", "Save Data &As…", self.save_data_as,
                                        QKeySequence("Ctrl+Shift+S"), "Save the points as a new CSV file")
        self.open_session_action = make("openSessionAction", "Open S&ession…", self.open_session,
                                        QKeySequence("Ctrl+Shift+O"),
                                        "Open points, settings and the whole training history")
        self.save_session_action = make("saveSessionAction", "Save Sess&ion…", self.save_session,
                                        QKeySequence("Ctrl+Alt+S"),
                                        "Save points, settings and the whole training history")
        self._loading: _PointsLoad | None = None
        self._progress: FileProgress | None = None
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.setObjectName("recentMenu")
        self._rebuild_recent_menu()

    # -- asking before work is lost --------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to replace the current work (saved, discarded, or nothing to lose)."""
        window = self._window
        if not self._state.has_unsaved_changes():
            return True
        answer = ask(
            window, "Unsaved changes",
            "The points or the trained model have changes that are not saved.\n\n"
            "Save them as a session first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_session()
        return answer == QMessageBox.StandardButton.Discard

    # -- actions ------------------------------------------------------------------------------------
    def new(self) -> None:
        if not self.maybe_save():
            return
        self._host.replace_points(Dataset(), "New")
        self.data_path = self.session_path = None
        self._state.mark_saved()
        self._window.statusBar().showMessage("New: click in the plot to place points.", 5000)

    def open_data(self) -> None:
        path = self._ask_open("Open points", DATA_FILTER)
        if path:
            self.open_path(path)

    def open_session(self) -> None:
        path = self._ask_open("Open session", SESSION_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a points CSV or a session (by its name); False if nothing changed.

        The file is read first: one that cannot be opened is refused without asking about
        unsaved work, and one that can is opened after asking once.
        """
        return self._open_session(path) if is_session_file(path) else self._open_data(path)

    def _open_data(self, path: str) -> bool:
        imported = False
        try:
            dataset = self._read_points(path)
        except _LoadAbandoned:
            self._window.statusBar().showMessage(f"Stopped opening {path}; the points are unchanged.", 5000)
            return False
        except (OSError, DataFormatError) as error:
            # not lrviz's own format: any other table opens the import dialog
            other = isinstance(error, DataFormatError) and not _large_in_points_layout(path)
            dataset = self._import_table(path) if other else None
            if dataset is None:
                self._forget_missing(path, error)
                self._host.show_error("Could not open the points", f"{_describe(error)}\n\n"
                                        "The current points are unchanged. Fix the file, or choose another.")
                return False
            if dataset is False:
                self._window.statusBar().showMessage(f"Did not open {path}; the points are unchanged.", 5000)
                return False
            imported = True
        if not self.maybe_save():
            return False
        self._host.replace_points(dataset, f"Open {Path(path).name}")
        # "Save Data" must not overwrite a table of other columns with lrviz's format: it asks for a name
        self.data_path, self.session_path = (None if imported else path), None
        self._state.mark_saved()
        self._remember(path)
        self._window.statusBar().showMessage(f"Opened {counted(len(dataset), 'point')} from {path}", 5000)
        return True

    def _import_table(self, path: str) -> Dataset | bool | None:
        """The points chosen in importDialog from any table; False when the user cancelled,
        None when the file is no table that gives points (the caller shows lrviz's own error)."""
        try:
            table = self._read_table(path)
        except (OSError, ValueError):
            return None
        if table is None:
            return False  # cancelled while reading
        if in_points_layout(table):
            return None  # lrviz's own file with a damaged row: its message names the line
        settings = app_settings()
        offered = remembered_choice(settings, path)
        if offered is None and guess_choice(table) is None:
            return None
        result = ask_import(self._window, table, offered)
        if result is None:
            return False
        if result.choice is not None:
            remember_choice(settings, path, result.choice)
        return result.dataset

    def _read_table(self, path: str) -> Table | None:
        """The table in `path` (read_table's), or None when the user cancelled the read.

        A large file is read in steps behind `importProgress` (see `_read`).
        """
        try:
            return self._read(path, read_table, f"Reading {Path(path).name}…", "importProgress",
                              lambda stop, report: read_table_in_steps(path, should_stop=stop, progress=report))
        except _LoadAbandoned:
            return None

    def _read_points(self, path: str) -> Dataset:
        """The file's points, as read_points_csv gives them; a large file without freezing the window
        (see `_read`). Raises what read_points_csv raises, or _LoadAbandoned."""
        return self._read(path, read_points_csv, f"Reading {path}…")

    def _read(self, path: str, read_small: Callable[[str], object], message: str,
              dialog_name: str = "fileProgressDialog",
              work: Callable[[Callable[[], bool], Callable[[float], None]], object] | None = None,
              bad_file: type[Exception] = DataFormatError):
        """`read_small(path)` for a small file (a few ms). A large one is read in a worker thread,
        by `work(should_stop, report)` (the stepped points reader when None), while a local event
        loop keeps the window painting behind a modal progress dialog named `dialog_name`.
        Raises the read's error (an unexpected one as `bad_file`), or _LoadAbandoned when it was
        cancelled or the window is closing (the read may have stopped half-way)."""
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0  # read_small below raises the error it always did
        if size <= BACKGROUND_READ_BYTES:
            with _busy():
                return read_small(path)
        load = _PointsLoad(path, reads=True)
        load.bad_file = bad_file
        if work is not None:
            load.work = lambda stop: work(stop, load.report)
        self._wait_for(load, message, dialog_name)
        if load.abandoned:
            raise _LoadAbandoned(path)
        if load.error is not None:
            raise load.error
        assert load.result is not None
        return load.result

    def _wait_for(self, load: _PointsLoad, message: str, dialog_name: str = "fileProgressDialog") -> None:
        """Run `load` in its thread while a local event loop keeps the window painting, with a
        window-modal progress dialog (no edit, open or close can race it; Cancel gives the
        file up), a wait cursor and `message`."""
        window = self._window
        loop = QEventLoop()
        load.signals.done.connect(loop.quit)  # queued: from the worker thread to this one
        load.loop = loop
        focus = QApplication.focusWidget()
        self._loading = load
        self._progress = FileProgress(window, message, lambda: load.fraction, self.abandon_loading, dialog_name)
        window.statusBar().showMessage(message)
        try:
            with _busy():
                load.start()
                if not load.finished:
                    self._progress.show()
                    loop.exec()  # until `done`, Cancel, abandon_loading() or the application quitting
                if not load.finished:
                    load.abandoned = True
        finally:
            self._loading = None
            self._close_progress()
            if focus is not None:
                focus.setFocus()

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None

    def progress_dialog(self):
        """The progress dialog of the file being read or written (a QProgressDialog), or None."""
        return None if self._progress is None else self._progress.dialog

    def _write_session(self, path: str, snapshot: SessionSnapshot) -> None:
        """write_session's file of the snapshot's session; a long history is written in a
        worker thread, in pieces (json.dumps of 2·10^6 epochs held the GIL, and so the window,
        for seconds), and its Session is made and checked there too (a fifth of a second)."""
        if snapshot.epochs <= BACKGROUND_SAVE_EPOCHS:
            with _busy():
                write_session(path, snapshot.session())
            return
        self._write_in_background(path, lambda stop, report: write_session_in_pieces(
            path, snapshot.session(), stop, report, snapshot.check))

    def write_history(self, path: str, history: RunHistory) -> None:
        """write_history_csv's file of `history` as it is now; a long one in a worker thread,
        in short slices, of a snapshot (formatting 2·10^6 epochs held the window for seconds;
        training may go on meanwhile, and a cut refuses the file, as for a session)."""
        if len(history) <= BACKGROUND_SAVE_EPOCHS:
            with _busy():
                write_history_csv(path, history)
            return
        snapshot, check = shared_rows(history)

        def work(stop: Callable[[], bool], report: Callable[[float], None]) -> None:
            def between(fraction: float) -> None:
                if stop():
                    raise _LoadAbandoned(path)
                check()
                report(fraction)
            write_history_csv(path, snapshot, between, BACKGROUND_CSV_ROWS)

        self._write_in_background(path, work)

    def _write_in_background(self, path: str,
                             work: Callable[[Callable[[], bool], Callable[[float], None]], None]) -> None:
        """`work(should_stop, report)` in a worker thread behind the modal progress dialog (see
        `_wait_for`); OSError when it was cancelled or the window is closing, or its error."""
        save = _PointsLoad(path, reads=False)
        save.work = lambda stop: work(stop, save.report)
        self._wait_for(save, f"Saving {path}…")
        if save.abandoned:  # cancelled, or the window is closing: the writer stops at its next piece
            save.join()
            raise OSError(f"{path}: the save was stopped before it was complete; the old file is unchanged")
        if save.error is not None:
            raise save.error

    def is_loading(self) -> bool:
        """True while a large file is read or written (a modal progress dialog is shown meanwhile)."""
        return self._loading is not None

    def abandon_loading(self) -> None:
        """Give up the file being read or written (Cancel, or the window is closing): the
        points, the work and any old file stay unchanged."""
        load = self._loading
        if load is not None:
            load.abandoned = True
            self._close_progress()  # a close prompt parented to the window must work
            if load.loop is not None:
                load.loop.quit()

    def _open_session(self, path: str) -> bool:
        try:
            session, opened = self._read_session(path)
        except _LoadAbandoned:
            self._window.statusBar().showMessage(f"Stopped opening {path}; the work is unchanged.", 5000)
            return False
        except (OSError, SessionFormatError) as error:
            self._forget_missing(path, error)
            self._host.show_error("Could not open the session", f"{_describe(error)}\n\n"
                                    "The current work is unchanged.")
            return False
        if not self.maybe_save():
            return False
        self._host.restore_session(session, opened)
        self.session_path, self.data_path = path, None
        self._state.mark_saved()
        self._remember(path)
        stop = self._state.run.stop
        why = f"; its training had stopped: {excerpt(stop.message)}" if stop is not None else ""
        self._window.statusBar().showMessage(f"Opened the session {path}{why}")
        return True

    def _read_session(self, path: str) -> tuple[Session, Run | None]:
        """(read_session(path), its Run or None); a large file in a worker thread, in steps (see
        `_read`), which also builds its Run (`to_run` copies 2·10^6 epochs: not in the GUI thread)."""
        def in_steps(stop, report) -> tuple[Session, Run]:
            session = read_session_in_steps(path, stop, report)
            return session, session.to_run()

        read = self._read(path, lambda name: (read_session(name), None), f"Reading {path}…",
                          work=in_steps, bad_file=SessionFormatError)
        assert isinstance(read, tuple) and isinstance(read[0], Session)
        return read

    def save_data(self) -> bool:
        if self.data_path is None:
            return self.save_data_as()
        return self._write_data(self.data_path)

    def save_data_as(self) -> bool:
        path = self.ask_save_path("Save points", "points.csv", DATA_FILTER)
        return bool(path) and self._write_data(path)

    def _write_data(self, path: str) -> bool:
        dataset = self._state.run.points
        if not self._host.write_file(lambda: write_points_csv(path, dataset), path):
            return False
        self.data_path = path
        self._state.undo_stack.setClean()
        self._remember(path)
        return True

    def save_session(self) -> bool:
        default = self.session_path or f"session{SESSION_SUFFIX}"
        path = self.ask_save_path("Save session", default, SESSION_FILTER)
        if not path:
            return False
        snapshot = self._host.session_snapshot()  # the moment Save was chosen; no copy of the history
        if not self._host.write_file(lambda: self._write_session(path, snapshot), path):
            return False
        self.session_path = path
        self._state.mark_saved()
        if snapshot.moved_on():  # trained on while the file was written: those epochs are not in it
            self._state.model_unsaved = True
        self._remember(path)
        return True

    # -- dialogs and remembered places ------------------------------------------------------------
    def _last_folder(self) -> str:
        return str(app_settings().value("lastFolder", os.getcwd()))

    def _ask_open(self, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self._window, title, self._last_folder(), filters)
        return path

    def ask_save_path(self, title: str, name: str, filters: str,
                      check: Callable[[str], None] | None = None) -> str:
        """A save dialog that starts in the last folder used; '' when cancelled. Every save
        and export asks through it.

        A name typed without a suffix takes the chosen filter's ("plot" with "PNG image
        (*.png)" is plot.png). A name `check` refuses (it raises ValueError with a message;
        by default: a suffix none of `filters` names, unless one is "All files (*)") is
        explained and the dialog opens again on it, until a good name or Cancel.
        """
        check = check or _suffix_check(filters)
        start = name if os.path.isabs(name) else os.path.join(self._last_folder(), name)
        while True:
            path, chosen = QFileDialog.getSaveFileName(self._window, title, start, filters)
            if not path:
                return path
            typed = path
            if not Path(path).suffix:
                path += _filter_suffix(chosen or filters)
            try:
                check(path)
            except ValueError as error:
                self._host.show_error("Choose another name", f"{Path(path).name}: {error}")
                start = path
                continue
            if path != typed and os.path.exists(path) and not self._may_replace(path):
                start = path  # the dialog asked about the typed name only, not about this one
                continue
            return path

    def _may_replace(self, path: str) -> bool:
        Button = QMessageBox.StandardButton
        return ask(self._window, "Replace the file?", f"{Path(path).name} already exists in {Path(path).parent}. "
                   "Replace it?", Button.Yes | Button.No, Button.No) == Button.Yes

    def remember_folder(self, path: str) -> None:
        """The next dialog starts where this file went (exports are not recent files)."""
        app_settings().setValue("lastFolder", str(Path(path).resolve().parent))

    def _remember(self, path: str) -> None:
        self.remember_folder(path)
        settings = app_settings()
        recent = [p for p in self.recent_files() if p != str(Path(path).resolve())]
        settings.setValue("recentFiles", [str(Path(path).resolve())] + recent[: MAX_RECENT - 1])
        self._rebuild_recent_menu()

    def _forget_missing(self, path: str, error: Exception) -> None:
        if isinstance(error, FileNotFoundError):
            app_settings().setValue("recentFiles", [p for p in self.recent_files() if p != str(Path(path).resolve())])
            self._rebuild_recent_menu()

    def recent_files(self) -> list[str]:
        value = app_settings().value("recentFiles", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or []]

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for number, path in enumerate(files, start=1):
            action = QAction(f"&{number} {menu_text(Path(path).name)}", self.recent_menu)
            action.setToolTip(tooltip(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            self.recent_menu.addAction(action)
        self.recent_menu.setEnabled(bool(files))


class _LoadAbandoned(Exception):
    """The window closed or the application quit while a points file was being read."""


class _LoadSignals(QObject):
    done = Signal()


class _PointsLoad:
    """Reads one points file (or runs one save) in a daemon thread; the GUI thread waits in a local event loop.

    A daemon thread rather than QThreadPool: the pool's destructor waits for its tasks, and
    at exit it runs with the GIL held, which a task still parsing would need: a hang. A
    daemon thread never delays exit, and an abandoned read stops at its next chunk.
    """

    def __init__(self, path: str, work: Callable[[Callable[[], bool]], object] | None = None,
                 reads: bool | None = None) -> None:
        """Reads the points of `path`, or runs `work(should_stop)` instead (a save, or with
        `reads` a read of another kind: its unexpected errors are then a bad file's). Set
        `work` afterwards to let it report to `report`."""
        self.path = path
        self.work = work
        self.reads = work is None if reads is None else reads
        self.signals = _LoadSignals()  # lives in the GUI thread: `done` is queued there
        self.loop: QEventLoop | None = None
        self.result: object = None
        self.error: Exception | None = None
        self.finished = False
        self.abandoned = False
        self.fraction = 0.0  # of the work done, written by the worker, shown by the progress dialog
        self.bad_file: type[Exception] = DataFormatError  # what an unexpected error of a read is reported as
        self._piece_started: float | None = None
        self._thread = threading.Thread(target=self._run, name="lrviz-read-points", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _between_pieces(self) -> bool:
        """Asked by the worker between its pieces: whether to stop. It also gives the GUI
        thread as much time as the piece took (at most YIELD_SECONDS): each Python call of
        a repaint needs the GIL, and a worker that takes it back at once (the convoy effect)
        stretched a frame to seconds while a save ran."""
        now = time.perf_counter()
        if self._piece_started is not None:
            time.sleep(min(now - self._piece_started, YIELD_SECONDS))
        self._piece_started = time.perf_counter()
        return self.abandoned

    def report(self, fraction: float) -> None:
        """The worker's progress (0 to 1): a float attribute, read by the GUI thread's timer."""
        self.fraction = fraction

    def join(self) -> None:
        """Wait for the thread (after `abandoned`, it stops at its next piece)."""
        self._thread.join(timeout=10)

    def _run(self) -> None:  # in the reading thread
        try:
            if self.work is not None:
                self.result = self.work(self._between_pieces)
            else:
                self.result = read_points_csv_in_steps(self.path, should_stop=self._between_pieces,
                                                       progress=self.report)
        except (_LoadAbandoned, WriteAbandoned, StepsAbandoned, TableReadStopped):
            pass
        except (OSError, ValueError) as error:
            self.error = error
        except Exception as error:  # never leave the GUI waiting: report it as a bad file
            what = "read" if self.reads else "written"
            bad_file = self.bad_file
            self.error = (bad_file if self.reads else OSError)(f"{self.path}: could not be {what} ({error})")
        self.finished = True
        try:
            self.signals.done.emit()
        except RuntimeError:
            pass  # the window and its objects are gone (the application quit)


def read_points_csv_in_steps(path: str | os.PathLike[str], chunk_chars: int = _PARSE_CHUNK_CHARS,
                             should_stop: Callable[[], bool] | None = None,
                             progress: Callable[[float], None] | None = None) -> Dataset:
    """read_points_csv's result (or error), computed in steps that each hold the GIL briefly.

    read_points_csv parses the whole body in one NumPy call (about a second for 10^6 rows)
    that never releases the GIL, so in a worker thread it would still freeze the GUI thread.
    Here the file is read in pieces, and each block of whole lines is parsed by the same
    parse_points_csv (as header + block). Rows are independent, so the blocks give the same
    rows as the whole file. What a split could change (a quote, which may hold a line break;
    a lone CR, which also ends a row; an unusual start) and any error are left to
    read_points_csv on the whole file, which gives the exact result or the message naming
    the line. The text itself is not kept: peak memory is the arrays and one block.
    `should_stop` is asked between pieces; True gives up (_LoadAbandoned). `progress` is
    told the fraction of the file read now and then.
    """
    source = str(path)
    size = max(1, os.path.getsize(path))
    parts: PointBlocks | None = PointBlocks(size)  # None: the blocks cannot be parsed apart
    header: str | None = None
    rest = ""
    lines_before = 0  # line breaks in the file before the block being parsed
    named = 0  # for a file of named classes (…,label,y[,split]): its header's number of cells
    failure: list[DataFormatError] = []  # the first bad block's error, with the file's line number

    def parse(block: str) -> None:
        nonlocal parts, header, lines_before, named
        if parts is None or not block:
            return
        if '"' in block or block.count("\r") != block.count("\r\n"):
            parts = None
            return
        first = header is None
        if header is None:
            end = _header_end(block)
            if end is None:
                parts = None
                return
            header, block = block[:end], block[end:]
            lines_before = header.count("\n")
            cells = [cell.strip() for cell in header.strip().split(",")]
            named = len(cells) if len(cells) >= 4 and cells[3] == "y" else 0  # see PointBlocks
        if named and max(line.count(",") for line in block.split("\n")) >= named:
            parts = None  # a row wider than the header widens the whole file's table: read it whole
            return
        try:
            parts.add(parse_points_csv(header + block, source=source), len(block))
        except DataFormatError as error:
            if named:  # which error such a file gives first depends on every row (the names, the
                parts = None  # table's width): the whole file's message, from read_points_csv
                return
            # Every earlier block was good, so this is the file's first error: its line number,
            # counted in header + block, is moved to the file's. No second parse of the whole
            # file (a 200 MB file with a bad last line took seconds and gigabytes for it).
            moved = _moved_line(error, source, 0 if first else lines_before - header.count("\n"))
            if moved is None:
                parts = None
            else:
                failure.append(moved)
                parts = None
            return
        except ValueError:
            parts = None
            return
        lines_before += block.count("\n")

    read = 0
    try:
        with open_regular(path) as handle:
            while piece := handle.read(chunk_chars):
                if should_stop is not None and should_stop():
                    raise _LoadAbandoned(source)
                if progress is not None:
                    read += len(piece)
                    progress(min(1.0, read / size))
                if failure:
                    continue  # read on only to find bytes that are not UTF-8 (that error comes first)
                if parts is not None:
                    block = rest + piece
                    if named and len(block) < _NAMED_BLOCKS * chunk_chars:
                        rest = block  # named classes: a parse has a fixed cost of ~10 ms, so longer blocks
                        continue
                    cut = block.rfind("\n") + 1
                    rest = block[cut:]
                    parse(block[:cut])
                    if len(rest) > 16 * chunk_chars:  # no line break for long: not a points
                        parts, rest = None, ""       # table; don't copy `rest` over and over
    except UnicodeDecodeError:
        return read_points_csv(path)  # its own message for a file that is not UTF-8
    parse(rest)
    if failure:
        raise failure[0]
    if parts is None or not parts.started:  # the exact result or message; the text is read again, not kept
        return read_points_csv(path)
    try:
        dataset = parts.dataset()
    except ValueError:  # a class named differently in two blocks: the whole file's message
        return read_points_csv(path)
    if len(dataset):
        dataset.bounds()  # here, not in the GUI thread: the view's fit and the density image need them
    return dataset


def _moved_line(error: DataFormatError, source: str, offset: int) -> DataFormatError | None:
    """`error` with its "<source>, line N:" moved by `offset` lines; None if it names no line."""
    prefix = f"{source}, line "
    text = str(error)
    if not text.startswith(prefix):
        return None
    number, colon, rest = text[len(prefix):].partition(":")
    if not colon or not number.isdigit():
        return None
    return DataFormatError(f"{prefix}{int(number) + offset}:{rest}")


def _header_end(text: str) -> int | None:
    """The index just after the header row's line break (rows before it blank), or None."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if any(cell.strip() for cell in line.split(",")):
            return None if end < 0 else end + 1
        if end < 0:
            return None
        start = end + 1
    return None


def _large_in_points_layout(path: str) -> bool:
    """A large file whose header is lrviz's points layout (x1,x2,label or …,label,y): one the
    points reader refused is damaged, and its message names the line. Decided from the
    header alone: the import dialog's check reads the whole table in the GUI thread (a
    200 MB file with a bad last line froze the window for a minute)."""
    try:
        if os.path.getsize(path) <= BACKGROUND_READ_BYTES:
            return False  # small: the import dialog's own check, on the whole table
        with open_regular(path) as handle:
            start = handle.read(1 << 16)
    except (OSError, UnicodeDecodeError):
        return False
    end = _header_end(start)
    if end is None:
        return False
    names = [cell.strip().lower() for cell in start[:end].strip().split(",")]
    return len(names) in (3, 4) and names[2:] in (["label"], ["label", "y"])


def _filter_suffix(filters: str) -> str:
    """The first suffix a file-dialog filter names ("PNG image (*.png)" gives ".png"), or ""."""
    start = filters.find("(*.")
    if start < 0:
        return ""
    end = min(i for i in (filters.find(" ", start), filters.find(")", start)) if i > 0)
    return filters[start + 2:end]


def _suffix_check(filters: str) -> Callable[[str], None]:
    """The default check of ask_save_path: the name ends in a suffix the filters name
    ("Parameters (*.json *.csv)": .json or .csv); any name when one filter is "(*)"."""
    suffixes = [pattern[1:] for pattern in re.findall(r"\*\.[^\s;)]+", filters)]

    def check(path: str) -> None:
        if "(*)" in filters or not suffixes or path.lower().endswith(tuple(suffixes)):
            return
        suffix = Path(path).suffix
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise ValueError(f"this name has {shown}: choose one that ends in {' or '.join(suffixes)}")

    return check


def _describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return str(error)


class _busy:
    """A wait cursor while a large file is read."""

    def __enter__(self) -> None:
        from PySide6.QtCore import Qt

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc_info) -> None:
        QApplication.restoreOverrideCursor()
