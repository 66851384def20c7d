"""``python -m lrviz`` runs the same entry point as the ``lrviz`` script."""

import sys

try:
    from lrviz.cli import entry
except KeyboardInterrupt:  # Ctrl+C while NumPy and lrviz are still being imported
    print("lrviz: interrupted; nothing was written", file=sys.stderr)
    sys.exit(130)

entry()
