"""Vectorised NumPy implementation of the stochastic Lanchester square law (jump chain), the
baseline for airwar's speed goal: at least 10 times slower than `airwar lanchester --runs`.

Every run advances by one event per step, all runs at once: Red loses one aircraft with
probability a*x/(a*x+b*y), otherwise Blue loses one, until a side reaches its break point.

Usage: python3 bench/lanchester_numpy.py [RUNS]   (numpy is not a project dependency:
`pip install numpy` first). Prints the mean losses, the time and the ns per event.
"""

import sys
import time

import numpy as np


def simulate(runs, blue, red, a, b, blue_break=0, red_break=0, seed=1):
    rng = np.random.default_rng(seed)
    x = np.full(runs, blue, dtype=np.int64)
    y = np.full(runs, red, dtype=np.int64)
    active = np.arange(runs)
    events = 0
    while active.size:
        xa = x[active]
        ya = y[active]
        ax = a * xa
        red_loses = rng.random(active.size) * (ax + b * ya) < ax
        y[active] = ya - red_loses
        x[active] = xa - ~red_loses
        events += active.size
        active = active[(x[active] > blue_break) & (y[active] > red_break)]
    return blue - x, red - y, events


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    bl, rl, events = simulate(runs, 60, 54, 1.0, 1.0)
    seconds = time.perf_counter() - start
    print(f"runs {runs}  blue_losses_mean {bl.mean():.4f}  red_losses_mean {rl.mean():.4f}")
    print(f"events {events}  seconds {seconds:.3f}  ns_per_event {seconds / events * 1e9:.2f}")


if __name__ == "__main__":
    main()
