"""What every file format shares: atomic writes, readers that raise only their own error, one package."""

from __future__ import annotations

import ast
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrviz.core.formats as formats
from lrviz.core.dataset import make_preset
from lrviz.core.formats import (
    DataFormatError,
    HistoryFormatError,
    ParamsFormatError,
    Session,
    SessionFormatError,
    TrainedParams,
    atomic_write_text,
    read_history_csv,
    read_params,
    read_points_csv,
    read_session,
    write_params,
    write_session,
)

PARAMS = TrainedParams(weights=(1.0, 2.0), bias=0.5, feature_names=("x1", "x2"), epoch=3, loss=0.5,
                       accuracy=1.0, learning_rate=0.1, l2=0.0, standardize=False)
tmp_ok = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@tmp_ok
@given(st.binary(max_size=200))
def test_any_bytes_give_a_format_error_never_a_crash(tmp_path, blob):
    for name, reader, error in (("p.json", read_params, ParamsFormatError),
                                ("p.csv", read_params, ParamsFormatError),
                                ("s.lrviz.json", read_session, SessionFormatError),
                                ("h.csv", read_history_csv, HistoryFormatError),
                                ("points.csv", read_points_csv, DataFormatError)):
        (tmp_path / name).write_bytes(blob)
        try:
            reader(tmp_path / name)
        except error as exc:
            assert str(exc)


@pytest.mark.parametrize("broken", ["os.replace", "os.fsync", "json.dumps"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch, broken):
    target = tmp_path / "s.lrviz.json"
    target.write_text("old")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    module, name = broken.split(".")
    monkeypatch.setattr({"os": os, "json": json}[module], name, fail)
    with pytest.raises(OSError, match="disk full"):
        write_session(target, Session(make_preset("blobs", 10)))
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s.lrviz.json"]


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "t.txt"
    atomic_write_text(target, "a" * 1000)
    atomic_write_text(target, "é\n")
    assert target.read_bytes() == "é\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_gives_the_usual_permissions_and_keeps_existing_ones(tmp_path):
    old_umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
    (tmp_path / "kept.txt").write_text("x")
    os.chmod(tmp_path / "kept.txt", 0o640)
    atomic_write_text(tmp_path / "kept.txt", "y")
    assert stat.S_IMODE((tmp_path / "kept.txt").stat().st_mode) == 0o640


def test_writing_into_a_missing_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        write_params(tmp_path / "no" / "p.json", PARAMS)


def test_the_package_exports_every_public_name_of_its_modules():
    """`from lrviz.core.formats import X` works for each module's __all__ (but the shared helpers)."""
    folder = Path(formats.__file__).parent
    for path in sorted(folder.glob("*.py")):
        if path.stem in ("__init__", "common"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                     and any(getattr(t, "id", "") == "__all__" for t in node.targets))
        assert set(names) <= set(formats.__all__), path.stem
        assert all(getattr(formats, name) is not None for name in names)


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_every_writer_refuses_a_target_that_is_not_a_regular_file(tmp_path, kind):
    """Renaming a temp file over a FIFO or device node replaces the node (as root even /dev/null)."""
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    before = os.stat(target).st_mode
    with pytest.raises(formats.TargetError, match="target"):
        atomic_write_text(target, "text")
    assert os.stat(target).st_mode == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_a_write_through_a_symlink_replaces_the_file_it_points_to(tmp_path):
    real = tmp_path / "sub" / "real.csv"
    real.parent.mkdir()
    real.write_text("old")
    os.chmod(real, 0o600)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o600
