"""Save Session neither copies nor checks a long history in the GUI thread, and saves the moment it was chosen
(issue 18, item 8: window.session() copied and checked 2·10^6 epochs there, a fifth of a second).

Training goes on behind the modal progress dialog: the file holds the epochs of the moment
Save was chosen, and the epochs trained meanwhile stay unsaved. A cut of the history while
the file is written is refused with a message, and the old file stays.
"""

from __future__ import annotations

import threading

from lrviz.core.formats import read_session, write_session
from window_helpers import long_session_window, modal_progress, when_progress_shows




def _gate_writer(monkeypatch, gate: threading.Event) -> None:
    """The background writer waits for `gate` before each piece (a gate still shut after 10 s
    fails the save, and so the test, rather than waiting on at every piece)."""
    import lrviz.ui.documents as documents

    real = documents.write_session_in_pieces

    def gated(path, session, should_stop, *args):
        def stop():
            if not gate.wait(10):
                raise RuntimeError("the test's gate never opened")
            return should_stop()
        return real(path, session, stop, *args)

    monkeypatch.setattr(documents, "write_session_in_pieces", gated)






def test_the_gui_thread_neither_copies_nor_checks_a_long_history(qtbot, monkeypatch, tmp_path):
    import lrviz.core.formats.session as session_module
    from lrviz.core.history import RunHistory
    from window_helpers import answer_file_dialogs

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    answer_file_dialogs(monkeypatch, save_path=path)
    copied_in, checked_in = [], []
    real_copy, real_check = RunHistory.copy, session_module._check_history

    def copy(history):
        copied_in.append((threading.current_thread() is threading.main_thread(), len(history)))
        return real_copy(history)

    def check(history, names):
        checked_in.append((threading.current_thread() is threading.main_thread(), len(history)))
        return real_check(history, names)

    monkeypatch.setattr(RunHistory, "copy", copy)
    monkeypatch.setattr(session_module, "_check_history", check)
    assert win.documents.save_session()
    assert (True, 3001) not in copied_in  # the GUI thread copied no history
    assert checked_in == [(False, 3001)]  # checked once, in the writer's thread
    monkeypatch.undo()
    assert read_session(path) == win.session()


def test_training_during_the_save_is_not_in_the_file_and_stays_unsaved(qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    expected, gate = [], threading.Event()

    def ask_save_path(*args):  # the name is chosen: what the window is at that moment is what Save saves
        expected.append(win.session())
        return str(path)

    monkeypatch.setattr(win.documents, "ask_save_path", ask_save_path)
    _gate_writer(monkeypatch, gate)
    win.controls.max_epochs_spin.setValue(10**6)
    win.controls.train_button.click()  # training goes on behind the progress dialog
    watch = QTimer()  # the writer goes on once 500 more epochs came in
    watch.timeout.connect(lambda: expected and len(win.run.history) > len(expected[0].history) + 500 and gate.set())
    watch.start(0)
    assert win.documents.save_session()
    watch.stop()
    win.controller.pause()
    assert len(win.run.history) > len(expected[0].history) + 500
    saved = read_session(path)
    assert saved == expected[0] and len(saved.history) == 3001
    same = tmp_path / "expected.lrviz.json"
    write_session(same, expected[0])
    assert path.read_bytes() == same.read_bytes()
    assert win.state.has_unsaved_changes()  # the epochs trained meanwhile are in no file
    win.mark_saved()


def test_a_save_that_ends_with_nothing_new_is_saved(qtbot, monkeypatch, tmp_path):
    from window_helpers import answer_file_dialogs

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    answer_file_dialogs(monkeypatch, save_path=path)
    assert win.state.has_unsaved_changes()
    assert win.documents.save_session()
    assert not win.state.has_unsaved_changes()


def test_a_cut_while_the_file_is_written_is_refused_and_the_old_file_stays(qtbot, monkeypatch, tmp_path,
                                                                          message_boxes):
    from window_helpers import answer_file_dialogs

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    path.write_text("old")
    answer_file_dialogs(monkeypatch, save_path=path)
    gate = threading.Event()
    _gate_writer(monkeypatch, gate)
    timer = when_progress_shows(win, lambda dialog: (win.run.truncate_after(100), gate.set()))
    assert not win.documents.save_session()
    timer.stop()
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["long.lrviz.json"]
    _, title, text = message_boxes.shown[-1]
    assert title == "Could not save" and "cut back to 101 epochs" in text and "Try again" in text
    assert win.state.has_unsaved_changes() and win.documents.session_path is None
    win.mark_saved()


def _export_window(qtbot, monkeypatch):
    import lrviz.ui.documents as documents

    win = long_session_window(qtbot, monkeypatch)
    monkeypatch.setattr(documents, "BACKGROUND_CSV_ROWS", 50)  # many slices
    return win


def test_a_long_history_export_is_formatted_off_the_gui_thread_as_write_history_csv_writes_it(
        qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    import lrviz.core.formats.history_csv as history_csv
    from lrviz.core.formats import write_history_csv
    from window_helpers import answer_file_dialogs

    win = _export_window(qtbot, monkeypatch)
    path = tmp_path / "history.csv"
    answer_file_dialogs(monkeypatch, save_path=path)
    formatted_in, states = [], []
    real_body = history_csv._body

    def body(*args):
        formatted_in.append(threading.current_thread() is threading.main_thread())
        return real_body(*args)

    monkeypatch.setattr(history_csv, "_body", body)
    timer = QTimer()
    timer.timeout.connect(lambda: states.append(modal_progress(win)))
    timer.start(0)
    win.exports.export_history_action.trigger()
    timer.stop()
    assert any(states) and win.documents.progress_dialog() is None
    assert len(formatted_in) == 61 and not any(formatted_in)  # 3001 rows in slices of 50, none in the GUI thread
    monkeypatch.undo()
    expected = tmp_path / "expected.csv"
    write_history_csv(expected, win.run.history)
    assert path.read_bytes() == expected.read_bytes()
    win.mark_saved()


def test_a_cut_while_the_history_is_exported_is_refused_and_the_old_file_stays(qtbot, monkeypatch, tmp_path,
                                                                             message_boxes):
    import lrviz.ui.documents as documents
    from window_helpers import answer_file_dialogs

    win = _export_window(qtbot, monkeypatch)
    path = tmp_path / "history.csv"
    path.write_text("old")
    answer_file_dialogs(monkeypatch, save_path=path)
    gate = threading.Event()
    real = documents.write_history_csv

    def gated(path, history, between, *args):
        def wait_then(fraction):
            if not gate.wait(10):
                raise RuntimeError("the test's gate never opened")
            between(fraction)
        return real(path, history, wait_then, *args)

    monkeypatch.setattr(documents, "write_history_csv", gated)
    timer = when_progress_shows(win, lambda dialog: (win.run.truncate_after(100), gate.set()))
    win.exports.export_history_action.trigger()
    timer.stop()
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["history.csv"]
    _, title, text = message_boxes.shown[-1]
    assert title == "Could not save" and "cut back to 101 epochs" in text
    win.mark_saved()
