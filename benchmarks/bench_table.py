"""Time to read any table (lrviz.core.formats.table) of 10^4 … 10^6 rows, and to take points from it.

    python benchmarks/bench_table.py [--quick]

Each file has an id, two features and a text label of three classes (``id,u,v,kind``),
written once; "read" is read_table (sniff, split, columns), "points" is dataset_from_table
for two of the classes. "in steps" is read_table_in_steps (what the window runs in a worker
thread for a large file: split in blocks, and the chooser's columns converted too), and
"longest hold" the longest time another thread (standing in for the GUI thread, waking
every millisecond) waited during that read: how long the window could not paint. Unquoted
and quoted (every label in quotes: the csv-module path) files are both timed. Best of
--repeats (default 3); the CPU is printed above the table.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from lrviz.core.formats.table import TableChoice, dataset_from_table, read_table
from lrviz.core.formats.table_steps import read_table_in_steps


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write(path: Path, rows: int, quoted: bool) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 2)).round(6).tolist()
    kinds = rng.integers(0, 3, rows).tolist()
    q = '"' if quoted else ""
    body = "\n".join(f"{i},{a!r},{b!r},{q}{'abc'[k]}{q}" for i, (a, b), k in zip(range(rows), X, kinds))
    path.write_text("id,u,v,kind\n" + body + "\n")


def best(fn, repeats: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def longest_hold(fn) -> tuple[float, float]:
    """(seconds fn took, the longest gap in milliseconds between wake-ups of a 1 ms ticker thread)."""
    gaps, done = [0.0], threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps[0] = max(gaps[0], now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    start = time.perf_counter()
    try:
        fn()
    finally:
        took = time.perf_counter() - start
        done.set()
        ticker.join()
    return took, 1000 * gaps[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^4 and 10^5 rows only")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (default 3)")
    args = parser.parse_args()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    choice = TableChoice(("u", "v"), "kind", positive="c", negative="a")
    print(f"CPU: {cpu_name()}")
    print("| rows | quoted | read (s) | points (s) | in steps (s) | longest hold (ms) |")
    print("|---:|:---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            for quoted in (False, True):
                path = Path(folder) / f"t{rows}{quoted}.csv"
                write(path, rows, quoted)
                read_time, table = best(lambda p=path: read_table(p), args.repeats)
                take_time, _ = best(lambda t=table: dataset_from_table(t, choice), args.repeats)
                steps = min((longest_hold(lambda p=path: read_table_in_steps(p)) for _ in range(args.repeats)),
                            key=lambda pair: pair[0])
                print(f"| {rows:,} | {'yes' if quoted else 'no'} | {read_time:.2f} | {take_time:.2f} | "
                      f"{steps[0]:.2f} | {steps[1]:.0f} |")


if __name__ == "__main__":
    main()
