"""A long run's history: resident memory and disk per epoch, towards the 10^8-epoch cap.

    python benchmarks/bench_history.py [--epochs 1e6 1e7] [--batch 2000] [--in-memory]

A fresh process appends synthetic epochs (random θ, loss, gradient norm; α, λ and the
revision constant, as a run at full speed gives them) in batches of `--batch`, as the
window's training thread delivers them, up to each size, and then reads every loss once
(what a plot's first drawing does) and a thousand random rows. It prints, at each size,
the growth of resident memory after the appends (VmRSS, and its anonymous and
file-mapped parts), after reading every loss (mapped pages stay resident until the next
trim) and after the random rows, the temp files' blocks, the append cost per epoch and
the cost of a random `row()`. The last line extrapolates the resident memory after the
appends to 10^8 epochs from the growth per epoch between the two largest sizes. Issue 18's target: resident memory ≤ 1 GB at 10^8 epochs with every
epoch exact. `--in-memory` keeps every column in memory (as before the temp-file store)
to compare.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import os, sys, time
import numpy as np
import lrviz.core.history_store as store
from lrviz.core.history import RunHistory

if sys.argv[3] == "memory":
    store.SPILL_BYTES = 1 << 62
sizes, batch = [int(float(s)) for s in sys.argv[1].split(",")], int(sys.argv[2])

def status():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}

def temp_mb():  # the unnamed temp files (each open twice: by the store and by its map)
    sizes = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith(os.environ["LRVIZ_HISTORY_DIR"]):
                info = os.fstat(int(fd))
                sizes[info.st_ino] = info.st_blocks * 512
        except OSError:
            pass
    return sum(sizes.values()) / 2**20

rng = np.random.default_rng(0)
theta, values = rng.normal(size=(batch, 3)), rng.random(batch)
history = RunHistory()
base = status()["VmRSS"]
done, spent = 0, 0.0
for size in sizes:
    while done < size:
        k = min(batch, size - done)
        start = time.perf_counter()
        history.append(np.arange(done, done + k), theta[:k], values[:k], values[:k], 0.1, 0.0, 0)
        spent += time.perf_counter() - start
        done += k
    appended = status()
    total = float(history.loss.sum())  # every loss read once, as a plot's first drawing reads it
    read = status()
    picks = rng.integers(0, size, 1000)
    start = time.perf_counter()
    for epoch in picks.tolist():
        history.row(epoch)
    row_us = (time.perf_counter() - start) / len(picks) * 1e6
    s = status()
    print(size, appended["VmRSS"] - base, appended["RssAnon"], appended["RssFile"], read["VmRSS"] - base,
          s["VmRSS"] - base, temp_mb(), spent / size * 1e6, row_us, int(history.on_disk), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=float, nargs="+", default=[1e6, 1e7], help="sizes, ascending")
    parser.add_argument("--batch", type=int, default=2000, help="epochs per append")
    parser.add_argument("--in-memory", action="store_true", help="every column in memory (no temp file)")
    args = parser.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"CPU: {cpu}; Python {platform.python_version()}; load {os.getloadavg()[0]:.1f}; "
          f"{'in memory' if args.in_memory else 'temp-file store'}")
    print("| epochs | RSS growth MB | anonymous MB | file-mapped MB | after reading every loss MB "
          "| after 1000 row() MB | temp files MB | append µs/epoch | row() µs | on disk |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LRVIZ_HISTORY_DIR": folder}
        sizes = ",".join(str(int(e)) for e in args.epochs)
        process = subprocess.Popen([sys.executable, "-c", CASE, sizes, str(args.batch),
                                    "memory" if args.in_memory else "store"],
                                   stdout=subprocess.PIPE, text=True, env=env)
        assert process.stdout is not None
        for line in process.stdout:
            size, grown, anon, mapped, after_read, after_rows, temp, append_us, row_us, on_disk = line.split()
            rows.append((int(size), float(grown)))
            print(f"| {int(size):,} | {float(grown):.0f} | {float(anon):.0f} | {float(mapped):.0f} | {float(after_read):.0f} "
                  f"| {float(after_rows):.0f} | {float(temp):.0f} | {float(append_us):.3f} | {float(row_us):.1f} "
                  f"| {'yes' if on_disk == '1' else 'no'} |", flush=True)
        process.wait()
    if len(rows) >= 2:
        (n0, m0), (n1, m1) = rows[-2], rows[-1]
        per_epoch = max(0.0, (m1 - m0) / (n1 - n0))
        print(f"\nresident growth {per_epoch * 2**20:.2f} bytes/epoch between {n0:,} and {n1:,} epochs: "
              f"about {m1 + per_epoch * (1e8 - n1):.0f} MB at 10^8 epochs (extrapolated)")


if __name__ == "__main__":
    main()
