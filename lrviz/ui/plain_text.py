"""Text from files and the command line reaches the screen as plain text, never as HTML.

Qt guesses whether a string is rich text (Qt::mightBeRichText) in message boxes, labels
and tooltips, and pyqtgraph draws axis labels with setHtml. A feature name or a quoted
cell such as ``<table><tr><td>…`` or ``<img src=/dev/zero>`` would then be laid out as
HTML: nested tables crash or freeze the process, and an image tag makes Qt open a path
the file chose. So every message box is built here with Qt.TextFormat.PlainText (the
static QMessageBox.warning/question/information guess the format: never use them), and
text that must go where only HTML is accepted is escaped first.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTextEdit, QWidget

Button = QMessageBox.StandardButton


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: Button = Button.Ok, default: Button = Button.NoButton) -> QMessageBox:
    """A message box that shows `text` exactly as it is (plain text)."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return box


def exec_box(box: QMessageBox) -> Button:
    """Show `box` modally and return the button pressed (the one seam the tests answer through)."""
    return Button(box.exec())


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A modal warning with `text` as plain text."""
    exec_box(message_box(parent, QMessageBox.Icon.Warning, title, text))


def ask(parent: QWidget | None, title: str, text: str, buttons: Button, default: Button) -> Button:
    """A modal question with `text` as plain text; the button pressed."""
    return exec_box(message_box(parent, QMessageBox.Icon.Question, title, text, buttons, default))


def show_own_html(view: QTextEdit, html: str) -> None:
    """Show HTML that lrviz built itself (the math panel's typeset equations) in `view`.

    The one door for rich text: its builder escapes every string that is not lrviz's own
    (math_pieces.escape), so a file's text can never become markup here.
    """
    view.setHtml(html)


_COLLAPSIBLE = re.compile(r"\s\s|^\s|\s$|[^\S ]")  # whitespace that HTML would run together
SHOWN_CHARS = 200  # a name or message from a file is shown up to this long (laying out 30 MB froze the window)


def excerpt(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text`, cut to `limit` characters with '…' when longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def escaped(text: str) -> str:
    """`text` (an excerpt) for a place that always renders HTML (pyqtgraph's axis labels):
    shown literally, its spaces kept (HTML would run them together)."""
    shown = html.escape(excerpt(text), quote=False)
    if _COLLAPSIBLE.search(shown) is None:
        return shown  # the usual name: the same text ("income" stays "income")
    return f"<span style='white-space:pre'>{shown}</span>"


def tooltip(text: str) -> str:
    """`text` as a tooltip that shows it literally (a tooltip guesses rich text by itself)."""
    if "<" not in text:
        return text  # Qt takes text as rich only when it holds a tag
    return f"<qt>{escaped(text)}</qt>"


def menu_text(text: str) -> str:
    """`text` for a menu entry: '&' shown as itself, not taken as a shortcut marker."""
    return text.replace("&", "&&")


__all__ = ["SHOWN_CHARS", "ask", "escaped", "excerpt", "exec_box", "menu_text", "message_box", "show_own_html", "tooltip", "warn"]
