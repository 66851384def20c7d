"""File ▸ Export Script and Export Notebook: the shown epoch's run as code that trains it again.

The code comes from core/script_export.py; this module asks for the file name and writes it
atomically. A run with many points gets its points as a CSV beside the file (`<name>-points.csv`),
which the code reads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from lrviz.core.dataset import Dataset
from lrviz.core.formats import atomic_write_text, write_points_csv
from lrviz.ui.state import WindowState


class CodeExportActions(QObject):
    """exportScriptAction and exportNotebookAction, for the File menu."""

    def __init__(self, host, state: WindowState) -> None:
        """`host` makes actions, asks for paths and writes files (the main window)."""
        super().__init__(host)
        self._host, self._state = host, state
        self.export_script_action = host.make_action(
            "exportScriptAction", "Export &Script…", self.export_script, None,
            "Write a NumPy-only Python script that trains this run again up to the shown epoch")
        self.export_notebook_action = host.make_action(
            "exportNotebookAction", "Export &Notebook…", self.export_notebook, None,
            "Write the same as a Jupyter notebook, the equations in its text cells")

    def export_script(self) -> None:
        # core/script_export.py is imported when first used: the window starts sooner
        from lrviz.core.script_export import script_text

        self._export("Export script", "lrviz_run.py", "Python script (*.py)", script_text)

    def export_notebook(self) -> None:
        from lrviz.core.script_export import notebook_text

        self._export("Export notebook", "lrviz_run.ipynb", "Jupyter notebook (*.ipynb)", notebook_text)

    def _export(self, title: str, name: str, filters: str, make_text) -> None:
        from lrviz.core.script_export import needs_csv, reproduction

        state = self._state
        try:
            rep = reproduction(state.run, -1 if state.shown_epoch is None else state.shown_epoch)
        except (ValueError, IndexError) as error:
            self._host.show_error("Cannot export this run", f"{str(error)[:1].upper()}{str(error)[1:]}.")
            return
        path = self._host.documents.ask_save_path(title, name, filters)  # the suffix checked there
        if not path:
            return
        csv_path = Path(path).with_name(Path(path).stem + "-points.csv") if needs_csv(rep) else None

        def write() -> None:
            if csv_path is not None:
                write_points_csv(csv_path, Dataset(rep.X, rep.y, rep.feature_names))
            atomic_write_text(path, make_text(rep, csv_path.name if csv_path else None))

        if self._host.write_file(write, path) and csv_path is not None:
            self._host.statusBar().showMessage(f"Saved {path} and its points, {csv_path.name}", 5000)
