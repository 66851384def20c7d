"""``python -m lrviz`` runs the same entry point as the ``lrviz`` script."""

from lrviz.cli import entry

entry()
