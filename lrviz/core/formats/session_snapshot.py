"""A run as it is at the moment Save was chosen, taken at once, made a checked Session later.

Session.from_run copies the whole history and Session's construction checks every value
of it (np.isfinite over every column): for 2·10^6 epochs that held the GUI thread for a
fifth of a second before the background writer even started. A SessionSnapshot takes the
same fields in O(1): the histories are `RunHistory.snapshot()`s, sharing the rows held now
with the live run (no copy). `session()` then builds and checks the Session in the writer's
thread.

Training may go on while the file is written (the progress dialog stops input, not the
worker): appends only write rows after the snapshot's, so the file is exactly the state at
the moment of the snapshot. A cut below the snapshot's rows (Train From Here, Reset: they
write over the shared rows when training resumes) could mix two states in one file; the
writer asks `check()` between its pieces and before the file replaces the old one, and
then gives the save up with a message instead (HistoryChanged). `shared_rows` is the
same for one history (Export History).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lrviz.core.formats.session import Session, run_fields
from lrviz.core.history import RunHistory
from lrviz.core.run import Run
from lrviz.core.run_collection import KeptRun


class HistoryChanged(ValueError):
    """Rows a snapshot shares were cut while it was being written: the file would mix two states."""


def shared_rows(history: RunHistory) -> tuple[RunHistory, Callable[[], None]]:
    """(history.snapshot(), a check): the check raises HistoryChanged once a cut of `history`
    may have reached the snapshot's rows (a writer asks it between its pieces and at the end)."""
    snapshot, cuts = history.snapshot(), history.cuts

    def check() -> None:
        kept = history.kept_since(cuts)
        if kept < len(snapshot):
            raise HistoryChanged(
                f"the history was cut back to {kept:,} epochs while it was being written, so the file "
                "would mix two states of the run; it was not written (an old file is unchanged). "
                "Try again to write the run as it is now.")

    return snapshot, check


class SessionSnapshot:
    """`run` (and the kept runs) as they are now; `session()` gives the Session of that moment."""

    def __init__(self, run: Run, selected_epoch: int | None, kept_runs: Sequence[KeptRun] = ()) -> None:
        self._run = run
        histories = (run.history, *(kept.history for kept in kept_runs))
        self._marks = [(history, history.cuts, len(history)) for history in histories]
        shared = [shared_rows(history) for history in histories]
        self._checks = [check for _, check in shared]
        self._fields = run_fields(run, selected_epoch, shared[0][0])
        self._fields["kept_runs"] = tuple(KeptRun(kept.settings, history, kept.label, kept.color, kept.visible,
                                                  kept.stop) for kept, (history, _) in zip(kept_runs, shared[1:]))

    @property
    def epochs(self) -> int:
        """How many epochs the run's history holds in the snapshot."""
        return self._marks[0][2]

    def session(self) -> Session:
        """The Session of the snapshot's moment, checked (ValueError, as Session's construction)."""
        self.check()
        return Session(**self._fields)

    def check(self) -> None:
        """Raise HistoryChanged if some shared row may have been written over since the snapshot."""
        for check in self._checks:
            check()

    def moved_on(self) -> bool:
        """True when the run (or a kept run) is no longer as in the snapshot (it trained on, or
        was cut): what was saved is then not all there is."""
        return self._run.history is not self._marks[0][0] or any(
            history.cuts != cuts or len(history) != rows for history, cuts, rows in self._marks)


__all__ = ["HistoryChanged", "SessionSnapshot", "shared_rows"]
