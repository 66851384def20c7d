"""Number fields that say their range, and that give the keyboard back when the user is done.

Qt's own spin boxes refuse a keystroke that would leave the range (typing 60 into a
field of 0 to 50 % shows 6, silently) and, on Enter or leaving the field, put the old
value back without a word. Here a number outside the range can be typed, and on Enter or
when the field loses the focus `FieldWatcher.refused` says what the range is ("Learning
rate α must be from 1e-06 to 1e+06; 500 is outside that range, so it stays 0.1"): one
status message per commit, never a modal box per keystroke.

Enter (of a value in range) or Escape in a field also emits `FieldWatcher.done`, so the
window can give the focus back to the editor: while a spin box has the focus it claims
every printable key, and Space, S and R (training's shortcuts) would go into the field
instead. A refused value keeps the focus in its field, the old value selected, so the
next keys type the correction rather than landing in the editor.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QSpinBox,
    QToolTip,
    QWidget,
)

from lrviz.core.settings import SettingSpec
from lrviz.ui.plain_text import tooltip

_NAME = "lrvizFieldName"  # dynamic properties: the field's name and range in words
_RANGE = "lrvizFieldRange"
_NUMBER_CHARS = set("0123456789.eE+-")


def describe_field(spin: QAbstractSpinBox, name: str, spec: SettingSpec | None = None,
                   range_text: str = "") -> None:
    """Name the field for messages ("learning rate α"); its range in words is `range_text`,
    or `spec`'s (SETTING_SPECS' describe_range), else the spin box's minimum and maximum."""
    spin.setProperty(_NAME, name)
    if spec is not None and not range_text:
        range_text = spec.describe_range(with_none=False)
    if range_text:
        spin.setProperty(_RANGE, range_text)


def typed_number(spin: QAbstractSpinBox) -> float | None:
    """The number typed in `spin` (its prefix, suffix and group separators left out), or None
    when the text is no number (or is the field's special text, such as "off")."""
    text = spin.text()
    if spin.specialValueText() and text.strip() == spin.specialValueText():
        return None
    for part in (spin.prefix(), spin.suffix()):  # type: ignore[attr-defined]
        if part:
            text = text.replace(part, "")
    text = text.replace(spin.locale().groupSeparator(), "").replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


def refusal(spin: QAbstractSpinBox) -> str | None:
    """What to say when the number typed in `spin` is outside its range; None when it is not."""
    typed = typed_number(spin)
    if typed is None or spin.minimum() <= typed <= spin.maximum():  # type: ignore[attr-defined]
        return None
    name = spin.property(_NAME) or spin.objectName() or "This field"
    range_text = spin.property(_RANGE) or f"from {spin.textFromValue(spin.minimum())} to " \
                                          f"{spin.textFromValue(spin.maximum())}"  # type: ignore[attr-defined]
    shown = spin.cleanText().strip() or spin.text().strip()
    kept = spin.textFromValue(spin.value())  # type: ignore[attr-defined]
    return (f"{name[:1].upper()}{name[1:]} must be {range_text}; {shown} is outside that range, "
            f"so it stays {kept}{spin.suffix()}.")  # type: ignore[attr-defined]


def _lenient(state: QValidator.State, text: str, prefix: str, suffix: str) -> QValidator.State:
    """Qt's verdict, except that a number outside the range may be typed (Intermediate):
    Enter then keeps the old value and the watcher says why, instead of the key vanishing."""
    if state != QValidator.State.Invalid:
        return state
    core = text
    for part in (prefix, suffix):
        if part:
            core = core.replace(part, "").replace(part.strip(), "")
    core = core.replace(",", "").strip()
    return QValidator.State.Intermediate if core and set(core) <= _NUMBER_CHARS else state


class RangeSpinBox(QSpinBox):
    """A QSpinBox in which a number outside the range can be typed (and is then refused with
    a message by FieldWatcher), instead of the keystroke being dropped."""

    def validate(self, text: str, pos: int):  # (Qt override)
        state, text, pos = super().validate(text, pos)
        return _lenient(state, text, self.prefix(), self.suffix()), text, pos


class RangeDoubleSpinBox(QDoubleSpinBox):
    """The QDoubleSpinBox twin of RangeSpinBox."""

    def validate(self, text: str, pos: int):  # (Qt override)
        state, text, pos = super().validate(text, pos)
        return _lenient(state, text, self.prefix(), self.suffix()), text, pos


def click_without_focus(panel: QWidget) -> None:
    """The panel's buttons, check boxes, combo boxes and sliders take the focus by Tab only,
    not when clicked: a clicked Step button kept the focus and took the next Space itself
    (stepping again instead of training), a check box toggled, a combo box opened."""
    for widget in panel.findChildren(QWidget):
        if isinstance(widget, (QAbstractButton, QComboBox, QAbstractSlider)):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class FieldWatcher(QObject):
    """An event filter on number fields: `refused(message)` for a number outside the range (on
    Enter or leaving the field), `done()` after Enter of a value in range, or Escape."""

    refused = Signal(str)
    done = Signal()

    def watch(self, *fields: QAbstractSpinBox) -> None:
        """Watch these fields; each takes its typed value once, on Enter or on leaving it (with
        keyboard tracking, typing 60 in the test share first split the points at 6 %)."""
        for field in fields:
            field.setKeyboardTracking(False)
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # (Qt override)
        kind = event.type()
        if not isinstance(watched, QAbstractSpinBox):
            return False
        if kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            if self._check(watched) and event.key() != Qt.Key.Key_Escape:
                # refused: the field keeps the focus, its (old) value selected, to type another
                QTimer.singleShot(0, watched, watched.selectAll)
            else:
                # after the field has taken the key (Enter commits the value): then the focus moves
                QTimer.singleShot(0, self, self.done.emit)
        elif kind == QEvent.Type.FocusOut:
            self._check(watched)  # before Qt quietly puts the old value back
        return False

    def _check(self, spin: QAbstractSpinBox) -> bool:
        """Say so when the typed number is outside the range; True when it was."""
        message = refusal(spin)
        if message is not None:
            # beside the field too: the status bar is far from it (and hidden in presentation mode)
            QToolTip.showText(spin.mapToGlobal(spin.rect().bottomLeft()), tooltip(message), spin)
            self.refused.emit(message)
        return message is not None


__all__ = ["FieldWatcher", "RangeDoubleSpinBox", "RangeSpinBox", "click_without_focus", "describe_field", "refusal", "typed_number"]
