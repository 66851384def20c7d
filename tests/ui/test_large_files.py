"""A large points file with a bad line is refused from the block that holds it (issue 18, item 8).

The chunked reader once parsed the whole text a second time to find the line to name (a
200 MB file with a bad last line: seconds of frozen window, 2.5 GB). Now the first bad
block's error is moved to the file's line numbers; it must equal read_points_csv's error.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.formats import DataFormatError, read_points_csv
from lrviz.ui.documents import read_points_csv_in_steps
from window_helpers import long_session_window, modal_progress, when_progress_shows

ROW = st.tuples(st.integers(-99, 99), st.integers(-99, 99), st.integers(0, 1)).map(lambda r: f"{r[0]},{r[1]},{r[2]}")
BAD = st.sampled_from(["7,x,1", "7,7,2", "7,7", "7,7,1,1", "nan,1,0", "1,inf,1", "1_0,1,0", ",,1"])


@settings(max_examples=150, deadline=None, database=None)
@given(before=st.lists(ROW | st.just(""), max_size=40), bad=BAD, after=st.lists(ROW | st.just("") | BAD, max_size=10),
       newline=st.sampled_from(["\n", "\r\n"]), lead=st.sampled_from(["", "\n", " ,\n"]),
       chunk=st.integers(1, 200))
def test_the_first_bad_line_is_named_as_read_points_csv_names_it(tmp_path_factory, before, bad, after, newline, lead,
                                                                  chunk):
    path = tmp_path_factory.mktemp("big") / "p.csv"
    lines = [lead.rstrip("\n") + ("\n" if lead else "") + "a,b,label", *before, bad, *after]
    path.write_bytes(newline.join(lines).encode())
    try:
        read_points_csv(path)
        expected = None
    except DataFormatError as error:
        expected = str(error)
    try:
        read_points_csv_in_steps(path, chunk_chars=chunk)
        got = None
    except DataFormatError as error:
        got = str(error)
    assert got == expected






def test_a_long_session_is_saved_in_the_background_as_write_session_writes_it(qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    from lrviz.core.formats import read_session, write_session
    from window_helpers import answer_file_dialogs

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    answer_file_dialogs(monkeypatch, save_path=path)
    ticks, states = [], []
    timer = QTimer()
    timer.timeout.connect(lambda: (ticks.append(1), states.append(modal_progress(win))))
    timer.start(0)
    assert win.documents.save_session()
    timer.stop()
    assert ticks and any(states)  # the event loop ran while the modal progress dialog was up
    assert win.documents.progress_dialog() is None and win.isEnabled() and not win.state.has_unsaved_changes()
    expected = tmp_path / "expected.lrviz.json"
    write_session(expected, read_session(path))
    assert path.read_bytes() == expected.read_bytes()
    assert read_session(path).history == win.run.history


def test_closing_during_a_background_save_keeps_the_old_file(qtbot, monkeypatch, tmp_path, message_boxes):
    from PySide6.QtCore import QTimer

    from window_helpers import answer_file_dialogs

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    path.write_text("old")
    answer_file_dialogs(monkeypatch, save_path=path)
    import threading

    import lrviz.ui.documents as documents

    real, gate = documents.write_session_in_pieces, threading.Event()

    def gated(path, session, should_stop, *args):  # the writer waits until the window has given it up
        def stop():
            gate.wait(10)
            return should_stop()
        return real(path, session, stop, *args)

    monkeypatch.setattr(documents, "write_session_in_pieces", gated)
    QTimer.singleShot(0, lambda: (win.documents.abandon_loading(), gate.set()))  # as closing the window does
    assert not win.documents.save_session()
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["long.lrviz.json"]
    assert [title for _, title, _ in message_boxes.shown] == ["Could not save"]
    win.mark_saved()


def _cancel_when_shown(win, gate):
    """A timer that presses the progress dialog's Cancel as soon as it shows, then opens `gate`."""
    from PySide6.QtWidgets import QPushButton

    return when_progress_shows(win, lambda dialog: (dialog.findChild(QPushButton).click(), gate.set()))


def _gated(real, gate):
    def gated(path, should_stop, *args):  # the worker waits until the dialog was cancelled
        def stop():
            gate.wait(10)
            return should_stop()
        return real(path, stop, *args)
    return gated


def test_a_large_session_is_opened_in_the_background_as_read_session_reads_it(qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    import lrviz.core.formats.json_steps as steps
    import lrviz.ui.documents as documents
    from lrviz.core.formats import read_session

    from lrviz.core.formats import write_session

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    write_session(path, win.session())
    expected = read_session(path)
    win.controller.reset(win.run.settings)
    assert len(win.run.history) < len(expected.history)
    monkeypatch.setattr(documents, "BACKGROUND_READ_BYTES", 1000)
    monkeypatch.setattr(steps, "SLICE_CHARS", 2000)
    win.mark_saved()
    states = []
    timer = QTimer()
    timer.timeout.connect(lambda: states.append(modal_progress(win)))
    timer.start(0)
    assert win.documents.open_path(str(path))
    timer.stop()
    assert any(states) and win.documents.progress_dialog() is None
    assert win.run.history == expected.history and win.run.points == expected.points


def test_cancel_while_a_large_session_opens_changes_nothing(qtbot, monkeypatch, tmp_path):
    import threading

    import lrviz.ui.documents as documents
    from lrviz.core.formats import write_session

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    write_session(path, win.session())
    monkeypatch.setattr(documents, "BACKGROUND_READ_BYTES", 1000)
    gate = threading.Event()
    monkeypatch.setattr(documents, "read_session_in_steps", _gated(documents.read_session_in_steps, gate))
    before = win.run.history.copy()
    timer = _cancel_when_shown(win, gate)
    assert not win.documents.open_path(str(path))
    timer.stop()
    assert win.run.history == before and win.documents.session_path is None
    assert "Stopped opening" in win.statusBar().currentMessage()
    win.mark_saved()


def test_cancel_during_a_background_save_keeps_the_old_file(qtbot, monkeypatch, tmp_path, message_boxes):
    import threading

    import lrviz.ui.documents as documents
    from window_helpers import answer_file_dialogs

    win = long_session_window(qtbot, monkeypatch)
    path = tmp_path / "long.lrviz.json"
    path.write_text("old")
    answer_file_dialogs(monkeypatch, save_path=path)
    real, gate = documents.write_session_in_pieces, threading.Event()

    def gated(path, session, should_stop, *args):
        def stop():
            gate.wait(10)
            return should_stop()
        return real(path, session, stop, *args)

    monkeypatch.setattr(documents, "write_session_in_pieces", gated)
    timer = _cancel_when_shown(win, gate)
    assert not win.documents.save_session()
    timer.stop()
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["long.lrviz.json"]
    _, title, text = message_boxes.shown[-1]
    assert title == "Could not save" and "old file is unchanged" in text
    win.mark_saved()


def test_a_damaged_large_session_is_refused_with_read_sessions_message(qtbot, monkeypatch, tmp_path, message_boxes):
    import lrviz.ui.documents as documents
    from lrviz.core.formats import SessionFormatError, read_session, write_session

    win = long_session_window(qtbot, monkeypatch, epochs=500)
    path = tmp_path / "bad.lrviz.json"
    write_session(path, win.session())
    path.write_text(path.read_text().replace('"loss":[', '"loss":[NaN,', 1))
    with pytest.raises(SessionFormatError) as expected:
        read_session(path)
    monkeypatch.setattr(documents, "BACKGROUND_READ_BYTES", 1000)
    before = win.run.history.copy()
    assert not win.documents.open_path(str(path))
    _, title, text = message_boxes.shown[-1]
    assert title == "Could not open the session" and str(expected.value) in text
    assert win.run.history == before
    win.mark_saved()


@pytest.mark.parametrize("header, imported", [("x1,x2,label", False), ("a,b,label", False),
                                              ("a,b,label,y", False), ("a,b,species", True)])
def test_a_large_damaged_points_file_is_not_read_again_as_a_table(qtbot, monkeypatch, tmp_path, header, imported):
    """A large file in lrviz's layout with a bad last line is refused from the block that holds
    it; reading it again whole as a table (for the import dialog) froze the window a minute."""
    import numpy as np

    import lrviz.ui.documents as documents
    from window_helpers import shown_window

    path = tmp_path / "big.csv"
    rows = "".join(f"{x!r},{-x!r},{i % 2}\n" for i, x in enumerate(np.linspace(-1, 1, 60_000).tolist()))
    path.write_text(header + "\n" + rows + "1.0,oops,1\n")
    from lrviz.core.dataset import make_preset

    win = shown_window(qtbot, make_preset("overlapping", n_points=10, seed=1))
    read, real = [], win.documents._read_table  # small tables: read_table; large: read_table_in_steps
    monkeypatch.setattr(win.documents, "_read_table", lambda *a, **k: read.append(a) or real(*a, **k))
    monkeypatch.setattr(documents, "ask_import", lambda *a, **k: None)  # the import dialog: Cancel
    assert not win.documents.open_path(str(path))
    assert bool(read) == imported
