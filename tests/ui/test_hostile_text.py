"""Text from files reaches the screen as plain text, never as HTML (issue 18, item 1).

A feature name or a quoted cell such as ``<table>`` repeated, ``<img src=/dev/zero>`` or
``<b>`` must be shown exactly as written wherever it appears: the editor's axis labels
(from a CSV header or a session), the refusal message of a file that cannot be opened,
the status bar and the recent-files menu. hypothesis writes the hostile strings; a
subprocess with a timeout checks the strings that crashed (segfault) or hung the window.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from window_helpers import shown_window

from lrviz.core.dataset import Dataset
from lrviz.core.formats import Session, write_session
from lrviz.core.trainer import StopInfo

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5]], [0, 0, 1, 1])
TAGS = ["<table><tr><td>", "</td></tr></table>", "<img src=/dev/zero>", '<img src="/tmp/fifo">', "<b>", "</b>",
        "<i>", "<br>", "<h1>", "&amp;", "&lt;", "&#x41;", "<style>*{font-size:999px}</style>", "<a href='x'>",
        "<!--", "-->", "<qt>", "<p style='white-space:pre'>", "<script>", "<", ">", "&", "\"", "'"]
FRAGMENT = st.sampled_from(TAGS) | st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                                           min_size=1, max_size=6)
NAME = (st.lists(FRAGMENT, min_size=1, max_size=6).map("".join).map(str.strip)
        .filter(lambda s: s and s.lower() != "label"))
UI_SETTINGS = settings(max_examples=25, deadline=None, database=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _axis_texts(win) -> tuple[str, str]:
    """What the editor's axis labels show, as plain text (Qt gives a no-break space as a space)."""
    plot = win.editor.getPlotItem()

    def shown(side: str) -> str:
        text = plot.getAxis(side).label.toPlainText()
        return text.removesuffix(" ").replace("\u2028", "\n").replace("\u2029", "\n")
    return shown("bottom"), shown("left")


def _as_shown(name: str) -> str:
    return name.replace("\xa0", " ").replace("\u2028", "\n").replace("\u2029", "\n")


@UI_SETTINGS
@given(first=NAME, second=NAME)
def test_feature_names_from_a_csv_are_the_axis_labels_literally(qtbot, tmp_path_factory, first, second):
    win = shown_window(qtbot, POINTS)
    path = tmp_path_factory.mktemp("hostile") / "points.csv"
    path.write_text(_csv_text([[first, second, "label"], ["0.5", "1", "0"], ["1", "2", "1"]]), encoding="utf-8")
    assert win.documents.open_path(str(path))
    assert win.run.points.feature_names == (first, second)
    assert _axis_texts(win) == (_as_shown(first), _as_shown(second))
    win.close()


@UI_SETTINGS
@given(first=NAME, second=NAME, message=NAME)
def test_names_and_stop_message_from_a_session_are_shown_literally(qtbot, tmp_path_factory, first, second,
                                                                     message):
    win = shown_window(qtbot, POINTS)
    path = tmp_path_factory.mktemp("hostile") / "s.lrviz.json"
    base = Session.from_run(win.run, None)  # epoch 0 on POINTS
    session = Session(points=Dataset(POINTS.X, POINTS.y, feature_names=(first, second)), revision=base.revision,
                      earlier_points=base.earlier_points, history=base.history,
                      stop=StopInfo("max_epochs", 0, message))
    write_session(path, session)
    assert win.documents.open_path(str(path))
    assert _axis_texts(win) == (_as_shown(first), _as_shown(second))
    assert win.statusBar().currentMessage().endswith(message)  # the status bar paints plain text
    win.close()


@UI_SETTINGS
@given(cell=NAME.filter(lambda s: not _is_number(s)))
def test_a_refused_files_quoted_text_is_shown_as_plain_text(qtbot, tmp_path_factory, message_boxes, cell):
    win = shown_window(qtbot, POINTS)
    path = tmp_path_factory.mktemp("hostile") / "bad.csv"
    path.write_text(_csv_text([["x1", "x2", "label"], [cell, "1", "0"]]), encoding="utf-8")
    message_boxes.shown.clear()
    message_boxes.formats.clear()
    assert not win.documents.open_path(str(path))
    assert [kind for kind, *_ in message_boxes.shown] == ["warning"]
    assert message_boxes.formats == [Qt.TextFormat.PlainText]
    assert "line 2" in message_boxes.shown[0][2]
    assert win.run.points == POINTS
    win.close()


def test_a_recent_file_with_markup_in_its_name_is_listed_literally(qtbot, tmp_path):
    win = shown_window(qtbot, POINTS)
    path = tmp_path / "<b>R&D<br>.csv"
    path.write_text("x1,x2,label\n0,0,0\n1,1,1\n", encoding="utf-8")
    assert win.documents.open_path(str(path))
    action = win.documents.recent_menu.actions()[0]
    assert action.text() == "&1 <b>R&&D<br>.csv"  # '&&' is a literal '&' in a menu
    assert "&lt;b&gt;" in action.toolTip() and "<b>" not in action.toolTip()


def test_no_message_box_guesses_the_text_format():
    """Static QMessageBox.warning/question/information/critical take `<b>` as markup: lrviz.ui
    shows every box through lrviz.ui.plain_text (a view added later is held to it too)."""
    ui = Path(__file__).resolve().parents[2] / "lrviz" / "ui"
    static = re.compile(r"QMessageBox\.(warning|question|information|critical)\(")
    html = re.compile(r"\.setHtml\(")
    offenders = [str(p.relative_to(ui)) for p in sorted(ui.rglob("*.py"))
                 if p.name != "plain_text.py" and (static.search(p.read_text()) or html.search(p.read_text()))]
    assert offenders == []


HOSTILE_WINDOW = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    from lrviz.ui import plain_text
    from lrviz.ui.main_window import MainWindow
    from lrviz.core.dataset import Dataset

    shown = []
    def show(box):  # non-modal: paint it, then go on
        box.show(); box.grab(); QApplication.processEvents(); shown.append(box.text()); box.close()
        return box.StandardButton.Ok
    plain_text.exec_box = show
    app = QApplication([])
    win = MainWindow(Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1]))
    win.show()
    for path in sys.argv[1:]:
        win.documents.open_path(path)
        win.grab(); QApplication.processEvents()
    print("survived", len(shown))
    win.documents.abandon_loading()
    win.state.mark_saved()
    win.close()
""")


def test_markup_that_crashed_or_hung_the_window_is_harmless(tmp_path):
    """Repeated table cells segfaulted Qt's layout, nested tables froze it, an image tag made
    it read /dev/zero until memory ran out; as plain text they are only characters."""
    tables = tmp_path / "tables.csv"  # opens: a name of 9,000 characters
    tables.write_text("<table><tr><td>" * 600 + ",y,label\n0,0,0\n1,1,1\n", encoding="utf-8")
    long_tables = tmp_path / "long_tables.csv"  # refused: a header line over 10,000 characters
    long_tables.write_text("<table><tr><td>" * 3000 + ",y,label\n0,0,0\n1,1,1\n", encoding="utf-8")
    nested = tmp_path / "nested.csv"
    nested.write_text("x," + "<table><tr><td>" * 20 + "deep" + ",label\n0,0,0\n1,1,1\n", encoding="utf-8")
    image = tmp_path / "image.csv"
    image.write_text("<img src=/dev/zero>,<img src=/dev/urandom>,label\n0,0,0\n1,1,1\n", encoding="utf-8")
    refused = tmp_path / "refused.csv"
    refused.write_text("x1,x2,label\n<img src=/dev/zero>" + "<table><tr><td>" * 3000 + ",1,0\n",
                       encoding="utf-8")
    session = tmp_path / "refused.lrviz.json"
    session.write_text('{"format": "lrviz-session/<img src=/dev/zero>"}', encoding="utf-8")
    files = [tables, long_tables, nested, image, refused, session]
    done = subprocess.run([sys.executable, "-c", HOSTILE_WINDOW, *map(str, files)], capture_output=True,
                          text=True, timeout=120, env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "survived 3" in done.stdout  # the three refused files were explained


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def test_hostile_names_survive_a_session_round_trip(tmp_path):
    names = ("<table><tr><td>", "<img src=/dev/zero>")
    path = tmp_path / "s.lrviz.json"
    write_session(path, Session(points=Dataset(np.zeros((0, 2)), np.zeros(0, dtype=int), feature_names=names)))
    from lrviz.core.formats import read_session

    assert read_session(path).points.feature_names == names
