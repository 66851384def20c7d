"""Plot images: the format is the suffix typed, other names are refused, permissions like every lrviz file."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from lrviz.ui.render.image_export import save_widget_image
from lrviz.ui.main_window import MainWindow


@pytest.fixture(params=["plot", "label"])
def widget(qtbot, request) -> QWidget:
    """A plot, as the window exports, and a plain widget (SVG once failed on one: no render(painter))."""
    if request.param == "plot":
        shown: QWidget = pg.PlotWidget()
        shown.plot([0, 1, 2], [1, 0, 2])
    else:
        shown = QLabel("lrviz")
    shown.resize(160, 120)
    qtbot.addWidget(shown)
    return shown


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_gui_tests_run_headless(qtbot):
    """conftest must force offscreen: an inherited QT_QPA_PLATFORM=xcb would open real windows."""
    assert QGuiApplication.platformName() == "offscreen"


def test_conftest_overrides_an_inherited_platform(monkeypatch):
    """Load conftest as pytest does, with QT_QPA_PLATFORM=xcb inherited from the shell."""
    import importlib.util

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    path = Path(__file__).resolve().parent.parent / "conftest.py"
    spec = importlib.util.spec_from_file_location("lrviz_conftest_copy", path)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


@pytest.mark.parametrize("name, magic", [("plot.png", b"\x89PNG"), ("plot.svg", b"<svg"), ("PLOT.PNG", b"\x89PNG"),
                                         ("plot.SVG", b"<svg")])
def test_the_suffix_typed_decides_the_format_and_the_name(widget, tmp_path, name, magic):
    written = save_widget_image(widget, tmp_path / name)
    assert written == tmp_path / name
    assert magic in written.read_bytes()[:2000]
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("name", ["plot.jpg", "plot", "plot.png.txt", "plot.svgz"])
def test_another_suffix_is_refused_and_nothing_is_written(widget, tmp_path, name):
    """plot.jpg once silently became plot.png, overwriting a file the user never confirmed."""
    existing = tmp_path / "plot.png"
    existing.write_bytes(b"the user's own image")
    with pytest.raises(ValueError, match=r"choose a \.png or \.svg name"):
        save_widget_image(widget, tmp_path / name)
    assert existing.read_bytes() == b"the user's own image"
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("name", ["plot.png", "plot.svg"])
def test_new_images_get_the_usual_permissions_and_replaced_ones_keep_theirs(widget, tmp_path, umask_022, name):
    """mkstemp made every image 0600; lrviz's other files are 0666 minus the umask."""
    target = tmp_path / name
    save_widget_image(widget, target)
    assert _mode(target) == 0o644
    target.chmod(0o640)
    save_widget_image(widget, target)
    assert _mode(target) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_failed_write_leaves_the_old_image_and_no_temp_file(widget, tmp_path, monkeypatch):
    target = tmp_path / "plot.png"
    target.write_bytes(b"old")
    monkeypatch.setattr("lrviz.ui.render.image_export.os.replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        save_widget_image(widget, target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["plot.png"]


def test_a_jpg_name_is_explained_and_the_dialog_opens_again(qtbot, tmp_path, monkeypatch, message_boxes):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    answers = [(str(tmp_path / "plot.jpg"), "PNG image (*.png)"), ("", "")]  # a .jpg, then Cancel
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    window.exports.export_plot_action.trigger()
    assert [kind for kind, _, _ in message_boxes.shown] == ["warning"]
    assert "choose a .png or .svg name" in message_boxes.shown[0][2]
    assert len(asked) == 2 and asked[1] == str(tmp_path / "plot.jpg")  # reopened on the refused name
    assert "Saved" not in window.statusBar().currentMessage()
    assert list(tmp_path.iterdir()) == []
    window.close()


@pytest.mark.parametrize("chosen, written", [("PNG image (*.png)", "plot.png"), ("SVG image (*.svg)", "plot.svg")])
def test_a_name_without_suffix_takes_the_chosen_filters(qtbot, tmp_path, monkeypatch, message_boxes, chosen, written):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "plot"), chosen))
    window.exports.export_plot_action.trigger()
    assert [p.name for p in tmp_path.iterdir()] == [written] and message_boxes.shown == []
    window.close()


FULL_DISK_EXPORT = """
import resource, signal, sys
from pathlib import Path
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication
from lrviz.ui.render.image_export import save_widget_image

app = QApplication([])
plot = pg.PlotWidget()
plot.plot(list(range(200)), [v * v % 17 for v in range(200)])
plot.resize(400, 300)
target = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    save_widget_image(plot, target)
except OSError as error:
    print("refused:", error)
else:
    print("saved")
"""


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_a_failed_write_keeps_the_old_image_and_raises(tmp_path, suffix):
    """Qt's writers never report a failed write; on a full disk the old image was replaced by
    a truncated one and the window said "Saved". A file-size limit makes writes fail the same way."""
    import subprocess

    target = tmp_path / f"plot{suffix}"
    target.write_bytes(b"the old image")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", FULL_DISK_EXPORT, str(target)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:"), done.stdout
    assert target.read_bytes() == b"the old image"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left
