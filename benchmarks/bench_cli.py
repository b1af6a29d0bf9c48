"""How long the command line takes to start: ``planning-core --help`` against bare Python.

Run: ``.venv/bin/python benchmarks/bench_cli.py [--runs 20]``

Prints, measured in the same run in interleaved rounds (nothing is asserted), the median
and best wall time of a fresh process for:

1. ``python -c pass``: the interpreter's own start, the floor no command can beat;
2. ``python -c "import planning_core"``: the package (lazy, PEP 562: only ``errors``);
3. ``planning-core --help``: the root group, listing every command from the registered
   one-liners without importing any command's module (``planning_core.cli.COMMANDS``);
4. ``planning-core permits --help``: one command's help, which imports that command's
   module and the rooms it needs (for scale);

and the ratios of (2)-(4) to (1). Issue #23 measured ``planning-core --help`` at 0.93 s
wall before the root group was made lazy. ``tests/test_cli_lazy.py`` checks the cause
(which modules ``--help`` imports); this script measures the effect on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: The console script beside this interpreter (the venv's), else ``-m planning_core``.
_SCRIPT = Path(sys.executable).with_name("planning-core")
_CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "planning_core"]

CASES: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ('python -c "import planning_core"', [sys.executable, "-c", "import planning_core"]),
    ("planning-core --help", [*_CLI, "--help"]),
    ("planning-core permits --help", [*_CLI, "permits", "--help"]),
]


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="processes per command")
    args = parser.parse_args()
    for _, command in CASES:  # warm the file system cache and the .pyc files
        _wall(command)
    times: dict[str, list[float]] = {name: [] for name, _ in CASES}
    for _ in range(args.runs):
        for name, command in CASES:
            times[name].append(_wall(command))
    floor = statistics.median(times[CASES[0][0]])
    print(f"wall time of a fresh process, {args.runs} runs each, interleaved")
    print(f"{'command':<36} {'median':>9} {'best':>9} {'ratio':>7}")
    for name, _ in CASES:
        median = statistics.median(times[name])
        print(
            f"{name:<36} {median * 1000:>7.1f}ms {min(times[name]) * 1000:>7.1f}ms "
            f"{median / floor:>6.2f}x"
        )
    help_median = statistics.median(times["planning-core --help"])
    print(f"planning-core --help: {help_median:.3f} s (issue #23 measured 0.93 s before)")


if __name__ == "__main__":
    main()
