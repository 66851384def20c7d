"""What the window calls the two classes: the data set's names, or "class 0"/"class 1" for 0/1."""

from __future__ import annotations

from lrviz.core.dataset import DEFAULT_CLASS_NAMES, Dataset
from lrviz.ui.render.style import CLASS_NAMES


def class_label(dataset: Dataset, label: int) -> str:
    """The name shown for `label` (0 or 1): "setosa", or "class 0" when the file had numbers."""
    if dataset.class_names == DEFAULT_CLASS_NAMES:
        return CLASS_NAMES[label]
    return dataset.class_names[label]


def button_text(text: str) -> str:
    """`text` for a button or menu: "&" is a mnemonic marker there, so a name's "&" is doubled."""
    return text.replace("&", "&&")


__all__ = ["button_text", "class_label"]
