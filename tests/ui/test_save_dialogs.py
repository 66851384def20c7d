"""Every save dialog asks through one helper (Documents.ask_save_path): a name typed without a
suffix takes the chosen filter's, and a name of a format the dialog cannot write is explained
and the dialog opens again on it (the typed name kept), until a good name or Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from lrviz.core.dataset import make_preset
from window_helpers import shown_window, train_to

# (how to open the dialog, the filter chosen, the suffix a bare name takes)
DIALOGS = {
    "save points": (lambda w: w.documents.save_data_as_action, "Points CSV (*.csv)", ".csv"),
    "save session": (lambda w: w.documents.save_session_action, "lrviz session (*.lrviz.json *.json)", ".lrviz.json"),
    "parameters": (lambda w: w.exports.export_params_action, "Parameters (*.json *.csv)", ".json"),
    "history": (lambda w: w.exports.export_history_action, "CSV (*.csv)", ".csv"),
    "plot image": (lambda w: w.exports.export_plot_action, "SVG image (*.svg)", ".svg"),
    "window image": (lambda w: w.window_image_exports.export_window_image_action, "PNG image (*.png)", ".png"),
    "script": (lambda w: w.code_exports.export_script_action, "Python script (*.py)", ".py"),
    "notebook": (lambda w: w.code_exports.export_notebook_action, "Jupyter notebook (*.ipynb)", ".ipynb"),
    "animation": (lambda w: w.animation_exports.export_animation_action, "WebP (*.webp)", ".webp"),
}
REFUSING = [name for name in DIALOGS if name not in ("save points", "save session")]  # those allow "All files"


@pytest.fixture
def trained(qtbot, monkeypatch):
    win = shown_window(qtbot, make_preset("blobs", 20, seed=1))
    train_to(qtbot, win, 5)
    started = []  # the animation's dialog and filming are another test's: here only its name matters
    monkeypatch.setattr("lrviz.ui.animation.dialog.AnimationDialog.ask", lambda *a, **k: object())
    monkeypatch.setattr(win.animation_exports, "start", lambda options, path: started.append(path))
    win.animation_started = started
    yield win
    win.mark_saved()  # close without the Save/Discard question (a test may have set its answer)
    win.close()


def _answers(monkeypatch, answers: list[tuple[str, str]]) -> list[str]:
    """The save dialog answers these (path, chosen filter) in turn; returns the names it opened on."""
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    return asked


def _written(win, tmp_path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir()) + [p.rsplit("/", 1)[-1] for p in win.animation_started]


@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_a_name_without_a_suffix_takes_the_chosen_filters(trained, tmp_path, monkeypatch, message_boxes, dialog):
    action, chosen, suffix = DIALOGS[dialog]
    asked = _answers(monkeypatch, [(str(tmp_path / "mine"), chosen)])
    action(trained).trigger()
    assert message_boxes.shown == [] and len(asked) == 1
    assert f"mine{suffix}" in _written(trained, tmp_path)


@pytest.mark.parametrize("dialog", REFUSING)
def test_a_name_of_another_format_is_explained_and_the_dialog_opens_again_on_it(
        trained, tmp_path, monkeypatch, message_boxes, dialog):
    action, chosen, suffix = DIALOGS[dialog]
    asked = _answers(monkeypatch, [(str(tmp_path / "picture.jpg"), chosen), (str(tmp_path / f"good{suffix}"), chosen)])
    action(trained).trigger()
    assert [kind for kind, _, _ in message_boxes.shown] == ["warning"]
    text = message_boxes.shown[0][2]
    assert text.startswith("picture.jpg: ") and f"{suffix}" in text and "'.jpg'" in text
    assert len(asked) == 2 and asked[1] == str(tmp_path / "picture.jpg")  # reopened, the typed name kept
    assert "picture.jpg" not in _written(trained, tmp_path) and f"good{suffix}" in _written(trained, tmp_path)


def test_cancel_after_a_refused_name_writes_nothing(trained, tmp_path, monkeypatch, message_boxes):
    asked = _answers(monkeypatch, [(str(tmp_path / "h.txt"), "CSV (*.csv)"), ("", "")])
    trained.exports.export_history_action.trigger()
    assert len(asked) == 2 and list(tmp_path.iterdir()) == [] and len(message_boxes.shown) == 1


def test_all_files_takes_any_name(trained, tmp_path, monkeypatch, message_boxes):
    _answers(monkeypatch, [(str(tmp_path / "points.txt"), "All files (*)")])
    trained.documents.save_data_as_action.trigger()
    assert message_boxes.shown == [] and _written(trained, tmp_path) == ["points.txt"]


@pytest.mark.parametrize("answer, written", [("Yes", "new"), ("No", "old")])
def test_a_file_the_added_suffix_names_is_replaced_only_when_the_user_says_so(
        trained, tmp_path, monkeypatch, message_boxes, answer, written):
    """The dialog asked about "history", not about "history.csv", which already exists."""
    from PySide6.QtWidgets import QMessageBox

    (tmp_path / "history.csv").write_text("old")
    message_boxes.answer = getattr(QMessageBox.StandardButton, answer)
    asked = _answers(monkeypatch, [(str(tmp_path / "history"), "CSV (*.csv)"), ("", "")])
    trained.exports.export_history_action.trigger()
    assert [(kind, title) for kind, title, _ in message_boxes.shown] == [("question", "Replace the file?")]
    assert "history.csv already exists" in message_boxes.shown[0][2]
    content = (tmp_path / "history.csv").read_text()
    assert (content == "old") == (written == "old")
    assert len(asked) == (1 if answer == "Yes" else 2)  # No: the dialog opens again on history.csv
    if answer == "No":
        assert asked[1] == str(tmp_path / "history.csv")
