"""Memory of opening a large points file (issue 18, item 8: peak growth ≤ 3× the file's size).

No copy of the points exists that is not needed: the stepped reader holds them once (not
its blocks and their concatenation), and the training thread never holds two trainers'
design matrices (opening asks for two resets; the older one is skipped, and the old trainer
goes before a new one is built). Measured with tracemalloc, which NumPy reports to.
"""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import lrviz.ui.worker as worker_module
from lrviz.core.dataset import Dataset
from lrviz.core.formats import DataFormatError, read_points_csv, write_points_csv
from lrviz.core.run import PointsSnapshot
from lrviz.core.settings import TrainingSettings
from lrviz.ui.documents import read_points_csv_in_steps
from lrviz.ui.worker import TrainingController
from tests.memory_helpers import traced


def _write_points(path, rows: int) -> None:
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(rows, 2)), rng.integers(0, 2, rows)
    path.write_text("x1,x2,label\n" + "".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(X.tolist(), y.tolist())))


def test_the_stepped_reader_holds_the_points_about_once(tmp_path):
    path = tmp_path / "points.csv"
    _write_points(path, 150_000)
    dataset, kept, peak = traced(lambda: read_points_csv_in_steps(path))
    arrays = dataset.X.nbytes + dataset.y.nbytes + dataset.is_test.nbytes
    assert len(dataset) == 150_000 and kept >= arrays
    # Blocks kept and then concatenated peaked at twice the arrays; gathered in place, once
    # plus one block's parsing.
    assert peak < 1.5 * arrays, (peak, arrays)


def _snapshot(rows: int, revision: int) -> PointsSnapshot:
    rng = np.random.default_rng(revision)
    return PointsSnapshot(revision, rng.normal(size=(rows, 2)), rng.integers(0, 2, rows))


def test_a_reset_overtaken_by_a_newer_one_builds_no_trainer_and_the_old_trainer_goes_first(qtbot, monkeypatch):
    original = worker_module.build_trainer
    gate = threading.Event()
    built: list[tuple[int, bool]] = []  # (points, whether the previous trainer was gone at that moment)
    previous: list[weakref.ref] = []

    def recording(X, *args, **kwargs):
        gc.collect()
        built.append((len(X), not previous or previous[-1]() is None))
        if len(built) == 1:
            assert gate.wait(10)  # the worker is busy with the first reset while two more are asked for
        trainer = original(X, *args, **kwargs)
        previous.append(weakref.ref(trainer))
        return trainer

    monkeypatch.setattr(worker_module, "build_trainer", recording)
    controller = TrainingController()
    try:
        settings = TrainingSettings()
        controller.reset(_snapshot(300, 1), settings)
        qtbot.waitUntil(lambda: len(built) == 1)
        controller.reset(_snapshot(200, 2), settings)  # overtaken by the next one: never built
        with qtbot.waitSignal(controller.batchReady, timeout=10000) as blocker:
            controller.reset(_snapshot(100, 3), settings)
            gate.set()
        assert len(blocker.args[0].epochs) == 1
        assert [points for points, _ in built] == [300, 100]
        assert built[1][1], "the old trainer was still alive while the new one was built"
    finally:
        gate.set()
        controller.shutdown()


def test_the_density_image_counts_in_blocks_of_small_temporaries():
    """Its temporaries are a few MB whatever the number of points (blocks of 2¹⁸ rows took
    9 MB: half again the points of a 20 MB file, beside the other threads' work)."""
    from lrviz.ui.editor.density_map import density_rgba
    from lrviz.ui.render.style import CLASS_COLORS

    rng = np.random.default_rng(5)
    X = rng.normal(size=(1_000_000, 2))
    y = rng.integers(0, 2, len(X)).astype(np.int8)
    low, high = X.min(axis=0), X.max(axis=0)
    (image, _), _, peak = traced(lambda: density_rgba(X, y, low, high, 200, CLASS_COLORS))
    assert image.shape == (200, 200, 4)
    assert peak < 0.3 * X.nbytes, (peak, X.nbytes)


NAMED_ROW = st.tuples(st.integers(-99, 99), st.integers(-99, 99), st.sampled_from(["cat,0", "dog,1", " cat ,0", "dog,1.0"])
                      ).map(lambda r: f"{r[0]},{r[1]},{r[2]}")
NAMED_BAD = st.sampled_from(["7,7,cow,0", "7,7,cow,1", "7,7,,0", "7,7,cat,2", "7,x,cat,0", "7,7,cat", "7,7,cat,0,1",
                             "7,7,dog,0", "7,7,cat,1", "7,7,cat,0,train", "7,7,cat,0,", "7,7,dog,1,test,"])


@settings(max_examples=150, deadline=None, database=None)
@given(rows=st.lists(NAMED_ROW | st.just("") | NAMED_BAD, max_size=40), split=st.booleans(),
       newline=st.sampled_from(["\n", "\r\n"]), chunk=st.integers(1, 200))
def test_a_file_of_named_classes_is_read_in_blocks_as_read_points_csv_reads_it(tmp_path_factory, rows, split, newline,
                                                                             chunk):
    """Blocks of one class name only that class: the names come from the blocks that hold
    each class, and a class named twice (in one block or across blocks) gives the whole
    file's message."""
    path = tmp_path_factory.mktemp("named") / "p.csv"
    if split:
        rows = [f"{row},{'test' if i % 3 == 0 else 'train'}" if row else row for i, row in enumerate(rows)]
    path.write_bytes(newline.join(["a,b,label,y" + (",split" if split else ""), *rows]).encode())
    try:
        expected = read_points_csv(path)
    except DataFormatError as error:
        expected = str(error)
    try:
        got = read_points_csv_in_steps(path, chunk_chars=chunk)
    except DataFormatError as error:
        got = str(error)
    assert got == expected


def test_a_large_file_of_named_classes_is_read_without_a_cell_object_each(tmp_path):
    """Its blocks are read like the plain form's: the whole file's table (a Python string per
    cell: 13.5× the file at 470,000 points) is built only for a file that is wrong."""
    rng = np.random.default_rng(4)
    rows = 100_000
    dataset = Dataset(rng.normal(size=(rows, 2)), rng.integers(0, 2, rows), class_names=("setosa", "versicolor"))
    path = tmp_path / "named.csv"
    write_points_csv(path, dataset)
    got, _, peak = traced(lambda: read_points_csv_in_steps(path))
    assert got == dataset
    assert peak < path.stat().st_size, (peak, path.stat().st_size)
