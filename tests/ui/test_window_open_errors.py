"""Opening broken files through the window, and the unsaved-changes prompt for a trained model.

Part 1: hypothesis writes malformed points CSVs (bad headers, cells that are not numbers,
NaN and infinity, labels other than 0 and 1, ragged rows, empty files, binary junk); each
is opened through File > Open Data. Every one must show a warning that names the line (or,
for a file without lines to blame, the problem), or, when it is a table of another shape
that could give points, open importDialog (cancelled here; tests/ui/test_import_dialog.py
drives it); either way the window must stay exactly as it was: the same points, undo
history, training history, file name and recent files.

Part 2: with the points saved, training alone makes the window's work unsaved; closing or
opening then asks, and the answer is obeyed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QMessageBox

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.formats import read_points_csv, write_points_csv
from lrviz.core.formats import read_session
from lrviz.ui.main_window import MainWindow
from window_helpers import answer_file_dialogs, shown_window, train_to

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5], [0.2, -0.4], [-0.3, 0.9]],
                 [0, 0, 1, 1, 1, 0])
Save, Discard, Cancel = (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                         QMessageBox.StandardButton.Cancel)


def _window(qtbot, dataset: Dataset | None = None) -> MainWindow:
    return shown_window(qtbot, POINTS if dataset is None else dataset)


# -- part 1: malformed files -------------------------------------------------------------------------
@dataclass
class Broken:
    """A malformed file's bytes and what its warning must say (a regex, searched case-insensitively)."""

    content: bytes
    expect: str
    what: str  # for the failure message


NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_ ABCXYZ", min_size=1, max_size=8).filter(
    lambda s: s.strip() != "")
NUMBER = st.floats(-1e6, 1e6, allow_nan=False).map(repr) | st.integers(-1000, 1000).map(str)
LABEL = st.sampled_from(["0", "1", "1.0", "0.0"])
NEWLINE = st.sampled_from(["\n", "\r\n"])
# Cells float() cannot read (no 'i', 'n', 'f' or '_': "inf", "nan" and "1_0" are numbers to Python).
NOT_A_NUMBER = st.sampled_from(["", "abc", "1.2.3", "--1", "0x1A", "1e", "$3", "one", "1 2", "(1)"]) | st.builds(
    lambda digits, letters: digits + letters, st.text("0123456789.", max_size=3),
    st.text("abcdeghjklmopqrstuvwxyz?!$%&/", min_size=1, max_size=4))
NOT_FINITE = st.sampled_from(["nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "-Infinity",
                              "1e999", "-1e400", "1e309"])
BAD_LABEL = (st.sampled_from(["2", "-1", "0.5", "1.5", "yes", "no", "true", "", "nan", "inf", "a", "01x"])
             | st.integers(-10**6, 10**6).filter(lambda v: v not in (0, 1)).map(str)
             | st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: v not in (0.0, 1.0)).map(repr))


@st.composite
def good_rows(draw, min_size=0, max_size=5) -> list[str]:
    n = draw(st.integers(min_size, max_size))
    return [",".join([draw(NUMBER), draw(NUMBER), draw(LABEL)]) for _ in range(n)]


@st.composite
def header_and_line(draw) -> tuple[str, int]:
    """A valid header, after 0-2 blank lines; returns (text up to and including it, its line number)."""
    blanks = draw(st.integers(0, 2))
    nl = draw(NEWLINE)
    header = f"{draw(NAME)},{draw(NAME)},{draw(st.sampled_from(['label', 'Label', 'LABEL']))}"
    return nl * blanks + header + nl, blanks + 1


@st.composite
def bad_header(draw) -> Broken:
    blanks = draw(st.integers(0, 2))
    nl = draw(NEWLINE)
    a, b = draw(NAME), draw(NAME)
    header = draw(st.sampled_from([
        f"{a},{b}", f"{a},{b},label,extra", f"{a},{b},class", f"{a},{b},labels", f"{a},label",
        f",{b},label", f"{a}, ,label", "label", f"{a};{b};label", f"{a},{b},label,",
        "1,2,0", "0.5,-3,1",
    ]))
    rows = draw(good_rows())
    text = nl * blanks + header + nl + nl.join(rows) + nl
    no_header = all(_is_float(c) for c in header.split(","))
    problem = "there is no header" if no_header else "header must be three columns"
    return Broken(text.encode(), rf"line {blanks + 1}\b.*{problem}", f"header {header!r}")


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@st.composite
def bad_row(draw, kind: str) -> Broken:
    head, header_line = draw(header_and_line())
    nl = "\r\n" if head.endswith("\r\n") else "\n"
    names = head.strip().split(",")[:2]
    before, after = draw(good_rows(0, 4)), draw(good_rows(0, 3))
    x1, x2, label = draw(NUMBER), draw(NUMBER), draw(LABEL)
    if kind in ("not a number", "not finite"):
        column = draw(st.integers(0, 1))
        cell = draw(NOT_A_NUMBER if kind == "not a number" else NOT_FINITE)
        cells = [x1, x2, label]
        cells[column] = cell
        reason = "which is not a number" if kind == "not a number" else "must be finite numbers"
        problem = rf"{re.escape(names[column].strip())} is {re.escape(repr(cell.strip()))}.*{reason}"
    elif kind == "label":
        cell = draw(BAD_LABEL)
        cells = [x1, x2, cell]
        problem = rf"the label is {re.escape(repr(cell))}; it must be 0 or 1"
    else:
        cells = draw(st.sampled_from([[x1], [x1, x2], [x1, x2, label, "0"], [x1, x2, label, ""],
                                      [x1, x2, label, x1, x2]]))
        problem = rf"expected 3 values .* found {len(cells)}\b"
    row = ",".join(cells)
    line = header_line + len(before) + 1
    text = head + "".join(r + nl for r in before) + row + nl + nl.join(after)
    return Broken(text.encode(), rf"line {line}\b.*{problem}", f"{kind}: row {row!r} on line {line}")


EMPTY = st.sampled_from(["", "\n", "\n\n\n", "\r\n\r\n", "   \n  \n", ",,\n", " , , \n\n"]).map(
    lambda text: Broken(text.encode(), r"is empty", f"empty {text!r}")) | st.just(
    Broken(b"\xef\xbb\xbf", r"is empty", "a UTF-8 BOM alone"))


@st.composite
def binary_junk(draw) -> Broken:
    junk = draw(st.binary(min_size=1, max_size=64))
    prefix = draw(st.sampled_from([b"", b"x1,x2,label\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04"]))
    # right after ASCII, each marker is invalid UTF-8 whatever follows it
    marker = draw(st.sampled_from([b"\xff", b"\xc3(", b"\xfe\xfe", b"\x80abc"]))
    content = prefix + marker + junk
    return Broken(content, r"not a text \(UTF-8\) file", f"binary {content[:40]!r}")


# One strategy per kind of damage, each tested on its own (hypothesis' one_of would spend a
# short run mostly on its first branch).
MALFORMED = {
    "header": bad_header(),
    "not a number": bad_row("not a number"),
    "not finite": bad_row("not finite"),
    "label": bad_row("label"),
    "ragged": bad_row("ragged"),
    "empty": EMPTY,
    "binary": binary_junk(),
}
EXAMPLES_PER_KIND = 6  # 42 files in all


@pytest.fixture
def untouched_window(qtbot, message_boxes):
    win = _window(qtbot)
    yield win
    assert [kind for kind, _, _ in message_boxes.shown if kind == "question"] == []


_numbers = itertools.count()


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_every_malformed_file_warns_and_leaves_the_window_unchanged(untouched_window, monkeypatch, tmp_path,
                                                                   message_boxes, kind):
    @settings(max_examples=EXAMPLES_PER_KIND, deadline=None, database=None)
    @given(broken=MALFORMED[kind])
    def check(broken: Broken) -> None:
        _open_and_check(untouched_window, monkeypatch, tmp_path, message_boxes, broken)

    check()


def _open_and_check(win, monkeypatch, tmp_path, message_boxes, broken: Broken) -> None:
    path = tmp_path / f"broken{next(_numbers)}.csv"
    path.write_bytes(broken.content)
    with pytest.raises(ValueError):  # the generator only makes files the reader refuses
        read_points_csv(path)
    before = (win.points.dataset.copy(), win.points.undo_stack.count(), win.points.undo_stack.isClean(),
              win.documents.data_path, win.documents.recent_files(), win.run.history.last_epoch, len(win.run.history))
    shown = len(message_boxes.shown)
    answer_file_dialogs(monkeypatch, open_path=path)
    offered = []  # a file that is a table of some other shape opens importDialog: cancel it here
    monkeypatch.setattr("lrviz.ui.documents.ask_import", lambda parent, table, choice: offered.append(table))
    win.documents.open_data_action.trigger()

    if offered:
        assert len(message_boxes.shown) == shown, broken.what  # no warning: the user chooses (and cancels)
        assert offered[0].row_count >= 1 and len(offered[0].names) >= 3, broken.what
    else:
        assert len(message_boxes.shown) == shown + 1, broken.what
        kind, title, text = message_boxes.shown[-1]
        assert kind == "warning" and title == "Could not open the points"
        message = text.replace(str(path), "<file>")
        assert re.search(broken.expect, message, re.IGNORECASE | re.DOTALL), (broken.what, message)
        assert "current points are unchanged" in message
    after = (win.points.dataset, win.points.undo_stack.count(), win.points.undo_stack.isClean(),
             win.documents.data_path, win.documents.recent_files(), win.run.history.last_epoch, len(win.run.history))
    assert after == before, broken.what
    assert win.points.dataset == POINTS
    np.testing.assert_array_equal(win.points.dataset.X, POINTS.X)
    assert not win.has_unsaved_changes()


def test_a_missing_file_names_the_path_and_changes_nothing(qtbot, monkeypatch, tmp_path, message_boxes):
    win = _window(qtbot)
    missing = tmp_path / "gone.csv"
    answer_file_dialogs(monkeypatch, open_path=missing)
    win.documents.open_data_action.trigger()
    kind, _, text = message_boxes.shown[-1]
    assert kind == "warning" and str(missing) in text and "No such file" in text
    assert win.points.dataset == POINTS and win.points.undo_stack.count() == 0


# -- part 2: a trained model is unsaved work ------------------------------------------------------------
@pytest.fixture
def trained(qtbot, monkeypatch, tmp_path, message_boxes):
    """A window whose points are saved as CSV, then trained for 25 epochs: only the model is unsaved."""
    win = _window(qtbot)
    saved_csv = tmp_path / "points.csv"
    answer_file_dialogs(monkeypatch, save_path=saved_csv)
    win.documents.save_data_as_action.trigger()
    assert read_points_csv(saved_csv) == POINTS
    assert not win.has_unsaved_changes()
    train_to(qtbot, win, 25)
    assert win.points.undo_stack.isClean()  # the points are still saved...
    assert win.has_unsaved_changes()  # ...but the trained model is not
    assert message_boxes.shown == []
    win.saved_csv_bytes = saved_csv.read_bytes()
    yield win
    message_boxes.answer = Discard  # whatever a test answered, the window closes and its thread stops
    win.close()
    assert win.training.thread_finished()


def _questions(message_boxes) -> list[tuple[str, str, str]]:
    return [box for box in message_boxes.shown if box[0] == "question"]


def test_close_with_only_a_trained_model_asks_and_discard_closes(trained, message_boxes):
    message_boxes.answer = Discard
    assert trained.close()
    assert len(_questions(message_boxes)) == 1
    assert "trained model" in _questions(message_boxes)[0][2]
    assert not trained.isVisible()
    assert trained.training.thread_finished()


def test_close_with_only_a_trained_model_cancel_keeps_everything(trained, qtbot, message_boxes):
    loss = trained.run.history.loss.copy()
    message_boxes.answer = Cancel
    assert not trained.close()
    assert len(_questions(message_boxes)) == 1
    assert trained.isVisible()
    assert trained.points.dataset == POINTS
    assert trained.run.history.last_epoch == 25
    np.testing.assert_array_equal(trained.run.history.loss, loss)
    assert trained.has_unsaved_changes()  # still unsaved: the next close asks again
    message_boxes.answer = Discard
    assert trained.close()
    assert len(_questions(message_boxes)) == 2


def test_close_with_only_a_trained_model_save_writes_the_session_and_closes(trained, monkeypatch, tmp_path,
                                                                          message_boxes):
    expected = trained.session()
    session_path = tmp_path / "on-close.lrviz.json"
    answer_file_dialogs(monkeypatch, save_path=session_path)
    message_boxes.answer = Save
    assert trained.close()
    assert len(_questions(message_boxes)) == 1 and not trained.isVisible()
    saved = read_session(session_path)
    assert saved.points == POINTS
    np.testing.assert_array_equal(saved.history.loss, expected.history.loss)
    assert len(saved.history) == 26


def test_after_reset_there_is_no_trained_model_to_lose(trained, qtbot, message_boxes):
    with qtbot.waitSignal(trained.training.batchReady, timeout=5000):
        trained.reset_action.trigger()
    qtbot.waitUntil(lambda: len(trained.run.history) == 1)
    assert not trained.has_unsaved_changes()
    assert trained.close()
    assert _questions(message_boxes) == []


def test_open_with_only_a_trained_model_save_writes_the_session_then_opens(trained, qtbot, monkeypatch, tmp_path,
                                                                          message_boxes):
    expected = trained.session()
    other = tmp_path / "other.csv"
    other_data = make_preset("moons", n_points=15, seed=2)
    write_points_csv(other, other_data)
    session_path = tmp_path / "before-open.lrviz.json"
    answer_file_dialogs(monkeypatch, open_path=other, save_path=session_path)
    message_boxes.answer = Save
    trained.documents.open_data_action.trigger()

    assert len(_questions(message_boxes)) == 1
    saved = read_session(session_path)  # what Save writes: a session with the points and the model
    assert saved.points == POINTS
    np.testing.assert_array_equal(saved.history.epochs, np.arange(26))
    assert saved.history == expected.history
    assert saved.settings == expected.settings and saved.stop == expected.stop
    assert (tmp_path / "points.csv").read_bytes() == trained.saved_csv_bytes  # the CSV is left alone
    # then the file is opened
    assert trained.points.dataset == other_data
    assert trained.documents.data_path == str(other)
    assert not trained.has_unsaved_changes()
    qtbot.waitUntil(lambda: len(trained.run.history) == 1 and trained.run.history.last_epoch == 0)  # a fresh start


def test_open_with_only_a_trained_model_discard_opens_without_writing(trained, monkeypatch, tmp_path,
                                                                     message_boxes):
    other = tmp_path / "other.csv"
    other_data = make_preset("xor", n_points=12, seed=4)
    write_points_csv(other, other_data)
    session_path = tmp_path / "never.lrviz.json"
    answer_file_dialogs(monkeypatch, open_path=other, save_path=session_path)
    message_boxes.answer = Discard
    trained.documents.open_data_action.trigger()
    assert len(_questions(message_boxes)) == 1
    assert not session_path.exists()
    assert trained.points.dataset == other_data and not trained.has_unsaved_changes()


@pytest.mark.parametrize("save_to", ["", "missing-folder/s.lrviz.json"], ids=["dialog-cancelled", "write-fails"])
def test_open_with_only_a_trained_model_save_that_does_not_happen_opens_nothing(trained, monkeypatch, tmp_path,
                                                                               message_boxes, save_to):
    loss = trained.run.history.loss.copy()
    other = tmp_path / "other.csv"
    write_points_csv(other, make_preset("xor", n_points=12, seed=4))
    answer_file_dialogs(monkeypatch, open_path=other, save_path=(tmp_path / save_to) if save_to else "")
    message_boxes.answer = Save
    trained.documents.open_data_action.trigger()
    assert len(_questions(message_boxes)) == 1
    if save_to:
        assert message_boxes.shown[-1][0] == "warning" and "was not written" in message_boxes.shown[-1][2]
    assert trained.points.dataset == POINTS
    np.testing.assert_array_equal(trained.run.history.loss, loss)
    assert trained.has_unsaved_changes()
    assert trained.documents.data_path == str(tmp_path / "points.csv")
    assert list(Path(tmp_path).glob("*.json")) == []
