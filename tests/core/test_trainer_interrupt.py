"""Ctrl+C inside Trainer.run leaves the trainer at a consistent epoch (issue 18, item 7).

_descend swaps its gradient buffers each epoch; an interrupt between the swaps left the
held gradient of a later epoch with the old θ, so the next run() went another way than a
correct resume at the same (w, b, epoch). The interrupt is raised from inside the epoch
loop (math.hypot is called once per epoch) at many points, and the next run() is compared
with a trainer that never saw an interrupt.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrviz.core import Trainer


def _points(m: int = 60, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(-1, 1, (m // 2, 2)), rng.normal([2, 1], 1, (m // 2, 2))])
    return X, np.repeat([0, 1], m // 2)


@pytest.mark.parametrize("l2", [0.0, 0.05])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("at_call", [1, 2, 3, 7, 40])
def test_the_next_run_after_an_interrupt_is_a_correct_resume(monkeypatch, l2, standardize, at_call):
    X, y = _points()
    settings = dict(learning_rate=0.3, l2=l2, standardize=standardize)
    trainer = Trainer(X, y, **settings)
    trainer.run(5)
    real_hypot, calls = math.hypot, []

    def interrupting(*values):
        calls.append(1)
        if len(calls) == at_call:
            raise KeyboardInterrupt
        return real_hypot(*values)

    monkeypatch.setattr(math, "hypot", interrupting)
    with pytest.raises(KeyboardInterrupt):
        trainer.run(100)
    monkeypatch.setattr(math, "hypot", real_hypot)
    interrupted_at = trainer.current
    assert interrupted_at.epoch == 5  # the interrupted run() gave no epochs, so it kept none

    reference = Trainer(X, y, **settings)
    reference.run(5)
    expected = reference.current
    assert np.array_equal(interrupted_at.w, expected.w) and interrupted_at.b == expected.b
    assert interrupted_at.loss == expected.loss and interrupted_at.grad_norm == expected.grad_norm
    assert np.array_equal(interrupted_at.grad_w, expected.grad_w) and interrupted_at.grad_b == expected.grad_b
    after, correct = trainer.run(50), reference.run(50)
    assert np.array_equal(after.epochs, correct.epochs)
    assert np.array_equal(after.W, correct.W) and np.array_equal(after.b, correct.b)
    assert np.array_equal(after.loss, correct.loss) and np.array_equal(after.grad_norm, correct.grad_norm)
