"""Make the README's first screenshot (assets/screenshot.png): what a new user sees after pressing Train.

The window as it first opens (the built-in data set, every default: α 0.1, 1,000 max epochs,
30 epochs/s; no saved settings: a fresh settings folder), Train pressed, and the picture
taken once training stopped at the maximum. It runs at the default speed, so it takes about
35 s. Offscreen unless QT_QPA_PLATFORM or a DISPLAY says otherwise:

    python tools/readme_screenshot.py [OUT.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from lrviz.ui.main_window import MainWindow  # noqa: E402
from lrviz.ui.plots.series import SETTLE_MS  # noqa: E402

SETTLED_MS = 3 * SETTLE_MS  # the plots fit their range SETTLE_MS after the last epoch


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("lrviz")
    app.setOrganizationName("lrviz")
    with tempfile.TemporaryDirectory() as settings:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
        window = MainWindow()
        window.show()

        def take() -> None:
            window.state.clock.flush()
            app.processEvents()
            window.grab().save(out)
            window.mark_saved()
            window.close()
            app.quit()

        def on_finished(stop, *_ignored) -> None:
            if stop is not None:  # stopped (max epochs), not paused: the picture once the plots settled
                QTimer.singleShot(SETTLED_MS, take)

        window.training.finished.connect(on_finished)
        QTimer.singleShot(300, window.controls.train_button.click)  # once the first frame is drawn
        app.exec()
        window.controller.shutdown()
    print(f"{out}: {window.run.history.last_epoch:,} epochs, status: {window.statusBar().currentMessage()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent
                                                              / "assets" / "screenshot.png")))
