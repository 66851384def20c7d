"""Write version-1 files with lrviz as of commit 0d62ed7 (before the run model), for upgrade tests.

Kept as the record of how the files here were made; it runs only with that old code
(lrviz.core.io and the version-1 Session are gone), e.g. in a worktree of 0d62ed7:
``python tests/data/v1/make_v1_files.py`` from its root.
"""
import numpy as np
from lrviz.core import Trainer, accuracy
from lrviz.core.dataset import make_preset, load_iris, write_points_csv
from lrviz.core.io import Session, TrainedParams, write_session, write_params, write_history_csv

out = "tests/data/v1/"

def train(ds, epochs, **kw):
    X, y = ds.snapshot()
    t = Trainer(X, y, max_epochs=epochs, **kw)
    first = t.current
    h = t.run(epochs)
    ep = np.r_[first.epoch, h.epochs]; W = np.vstack([first.w[None], h.W]); b = np.r_[first.b, h.b]
    loss = np.r_[first.loss, h.loss]; gn = np.r_[first.grad_norm, h.grad_norm]
    return t, ep, W, b, loss, gn

# 1: moons, plain GD, stopped at max epochs
ds = make_preset("moons", 40, 0.1, 3)
settings = {"learning_rate": 0.5, "l2": 0.0, "standardize": False, "init": "zeros", "seed": 0,
            "max_epochs": 50, "tol": None, "epochs_per_second": 30.0}
t, ep, W, b, loss, gn = train(ds, 50, learning_rate=0.5)
write_session(out + "moons_gd.lrviz.json", Session(ds.X, ds.y, ds.feature_names, settings, ep, W, b, loss, gn, t.stop))
write_params(out + "moons_gd_params.json", TrainedParams(tuple(W[-1]), float(b[-1]), ds.feature_names, int(ep[-1]),
             float(loss[-1]), accuracy(ds.X, ds.y, W[-1], b[-1]), 0.5, 0.0, False))
write_params(out + "moons_gd_params.csv", TrainedParams(tuple(W[-1]), float(b[-1]), ds.feature_names, int(ep[-1]),
             float(loss[-1]), accuracy(ds.X, ds.y, W[-1], b[-1]), 0.5, 0.0, False))
write_history_csv(out + "moons_gd_history.csv", ep, W, b, loss)

# 2: iris, standardized, random start, λ > 0, tolerance, max speed, paused (no stop)
ds = load_iris("versicolor-virginica")
settings = {"learning_rate": 0.2, "l2": 0.01, "standardize": True, "init": "random", "seed": 7,
            "max_epochs": 400, "tol": 1e-6, "epochs_per_second": None}
t, ep, W, b, loss, gn = train(ds, 120, learning_rate=0.2, l2=0.01, standardize=True, init="random", seed=7, tol=1e-6)
write_session(out + "iris_standardized.lrviz.json", Session(ds.X, ds.y, ds.feature_names, settings, ep, W, b, loss, gn, None))

# 3: points placed but never trained (no history)
ds = make_preset("blobs", 12, 0.1, 1)
write_session(out + "blobs_untrained.lrviz.json", Session(ds.X, ds.y, ds.feature_names))
write_points_csv(out + "blobs_points.csv", ds)

# 4: diverged run (huge α on far points)
ds = make_preset("separable", 20, 0.1, 2)
X = ds.X * 1e154
from lrviz.core.dataset import Dataset
ds = Dataset(X, ds.y)
settings = {"learning_rate": 100.0, "l2": 0.0, "standardize": False, "init": "zeros", "seed": 0,
            "max_epochs": 1000, "tol": None, "epochs_per_second": 30.0}
t, ep, W, b, loss, gn = train(ds, 1000, learning_rate=100.0)
print("diverged stop:", t.stop, len(ep))
write_session(out + "separable_diverged.lrviz.json", Session(ds.X, ds.y, ds.feature_names, settings, ep, W, b, loss, gn, t.stop))
