"""The optimizer checkpoints a run keeps at some epochs (`Run.optimizer_snapshots`), thinned
so that a long run keeps at most MAX_SNAPSHOTS: `optimizer_replay.py` rebuilds the optimizer's
state at any epoch from the nearest one. No other lrviz module is needed here (run.py imports it).
"""

from __future__ import annotations

from typing import Any

MAX_SNAPSHOTS = 512


class OptimizerSnapshots:
    """Optimizer checkpoints by epoch, at most MAX_SNAPSHOTS (see optimizer_replay.py)."""

    def __init__(self, limit: int = MAX_SNAPSHOTS) -> None:
        self._limit = max(2, int(limit))
        self._by_epoch: dict[int, dict[str, Any]] = {}
        self._spacing = 1

    def __len__(self) -> int:
        return len(self._by_epoch)

    @property
    def epochs(self) -> list[int]:
        return sorted(self._by_epoch)

    def add(self, checkpoint: dict[str, Any] | None) -> None:
        """Keep a checkpoint (None, e.g. of gradient descent, is ignored)."""
        if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("epoch"), int):
            return
        self._by_epoch[checkpoint["epoch"]] = checkpoint
        while len(self._by_epoch) > self._limit:
            self._spacing *= 2
            self._thin()

    def _thin(self) -> None:
        epochs = sorted(self._by_epoch)
        kept, last = {}, None
        for epoch in epochs[:-1]:
            if last is None or epoch - last >= self._spacing:
                kept[epoch] = self._by_epoch[epoch]
                last = epoch
        kept[epochs[-1]] = self._by_epoch[epochs[-1]]  # the newest, always
        self._by_epoch = kept

    def drop_after(self, epoch: int) -> None:
        """Forget the checkpoints of epochs after `epoch` (the history was cut there)."""
        self._by_epoch = {e: c for e, c in self._by_epoch.items() if e <= epoch}

    def clear(self) -> None:
        self._by_epoch, self._spacing = {}, 1

    def copy(self) -> OptimizerSnapshots:
        other = OptimizerSnapshots(self._limit)
        other._by_epoch, other._spacing = dict(self._by_epoch), self._spacing
        return other

    def at(self, epoch: int) -> dict[str, Any] | None:
        return self._by_epoch.get(int(epoch))

    def at_or_before(self, epoch: int) -> list[dict[str, Any]]:
        """The checkpoints of epochs ≤ `epoch`, newest first."""
        return [self._by_epoch[e] for e in sorted(self._by_epoch, reverse=True) if e <= epoch]


__all__ = ["MAX_SNAPSHOTS", "OptimizerSnapshots"]
