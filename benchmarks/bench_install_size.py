"""The installed size of planning-core: the core alone, each extra, and ``[all]``.

Run: ``.venv/bin/python benchmarks/bench_install_size.py [--wheel dist/planning_core-*.whl]
[--extras geo,gis,charts,web,pdf,all]``

The core installs only what approval needs; shapely, pyproj (and numpy), matplotlib,
Litestar, fpdf2 and cryptography come with extras. This script measures what that saves,
the way a user meets it: it builds the wheel (unless ``--wheel`` names one), and for each
install creates a fresh virtual environment in a temporary directory outside the repository,
``pip install``\\ s the wheel (with the extra), and measures the environment's
``site-packages``: the disk usage (``du -sk``) and the number of distributions, minus those
of a bare virtual environment (pip, setuptools). Prints one row per install and the ratio of
``[all]`` and of the former core (the core with ``[geo]``, which is what ``pip install
planning-core`` brought before the extras) to the lean core. Nothing here is asserted.

Needs the package index (or ``PIP_FIND_LINKS``) the project is installed from.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(out: Path) -> Path:
    """Build the project's wheel into ``out`` (``python -m build --wheel``)."""
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (wheel,) = out.glob("planning_core-*.whl")
    return wheel


def site_packages(env: Path) -> Path:
    (found,) = env.glob("lib/python3*/site-packages")
    return found


def measure(env: Path) -> tuple[int, int]:
    """``(KiB on disk, distributions)`` of the environment's site-packages."""
    sp = site_packages(env)
    du = subprocess.run(["du", "-sk", str(sp)], check=True, capture_output=True, text=True)
    kib = int(du.stdout.split()[0])
    dists = len(list(sp.glob("*.dist-info")))
    return kib, dists


def fresh_env(where: Path, requirement: str | None) -> tuple[int, int]:
    """Create a virtual environment in ``where``, install ``requirement``, measure it."""
    venv.EnvBuilder(with_pip=True).create(where)
    if requirement is not None:
        subprocess.run(
            [str(where / "bin" / "python"), "-m", "pip", "install", "-q", requirement],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return measure(where)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a built wheel (default: build one)")
    parser.add_argument("--extras", default="geo,gis,charts,web,pdf,all")
    args = parser.parse_args()
    extras = [e for e in args.extras.split(",") if e]
    with tempfile.TemporaryDirectory(prefix="pc-install-size-") as tmp:
        base = Path(tmp)
        wheel = args.wheel.resolve() if args.wheel else build_wheel(base / "dist")
        print(f"wheel: {wheel.name} ({wheel.stat().st_size / 1024:.0f} KiB)")
        bare_kib, bare_dists = fresh_env(base / "bare", None)
        print(f"bare venv: {bare_kib / 1024:.1f} MiB, {bare_dists} distributions (subtracted)")
        print(f"{'install':<34} {'MiB':>7} {'dists':>6}")
        sizes: dict[str, float] = {}
        for name in ["", *extras]:
            spec = f"{wheel}[{name}]" if name else str(wheel)
            label = f"planning-core[{name}]" if name else "planning-core (core)"
            kib, dists = fresh_env(base / f"env-{name or 'core'}", spec)
            mib = (kib - bare_kib) / 1024
            sizes[name] = mib
            print(f"{label:<34} {mib:>7.1f} {dists - bare_dists:>6}")
        core = sizes[""]
        if "geo" in sizes:
            print(f"former core (core + geo) / lean core: {sizes['geo'] / core:.1f}x")
        if "all" in sizes:
            print(f"[all] / lean core: {sizes['all'] / core:.1f}x")


if __name__ == "__main__":
    main()
