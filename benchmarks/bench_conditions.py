"""``conditions_for`` over a regulatory plan of 100,000 plots, with and without the index.

Prints:

* building the catalogue (reading 100,000 plots' indicators) with shapely's STRtree, and
  without it;
* ``conditions_for`` on random sites (30–150 m across, most crossing plot boundaries, some
  near roads and pipelines): median, 95th percentile and worst over the sites with the
  in-memory STRtree (each site's best of ``--repeat`` runs, so that other processes on a
  shared machine do not count), and the same for a linear scan (shapely's vectorised
  ``intersects`` over every plot, one run each), with the ratio;
* the stored catalogue on SQLite: importing the layer through the records API, and loading
  it back with the index built (what a host does once at start-up);
* for comparison, the box query a SQLite R*Tree table would answer over the same 100,000
  boxes (what a storage-side index would add; the store keeps none today).

Run: ``.venv/bin/python benchmarks/bench_conditions.py [--plots 100000] [--sites 300]``
"""

from __future__ import annotations

import argparse
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _support.geo import ORIGIN, ZONE, layer, rect

from planning_core import open_store
from planning_core.geo import (
    Catalogue,
    Feature,
    GeoRepository,
    LayerKind,
    build_catalogue,
    conditions_for,
    to_cgcs2000,
)

PLOT_W, PLOT_H = 50.0, 40.0
LAND_USES = ("R2", "B1", "A33", "M1", "G1")


def _plots(count: int) -> list[Feature]:
    """A grid of 50 m × 40 m plots in zone metres, turned into degrees in one call."""
    columns = math.ceil(math.sqrt(count))
    i = np.arange(count)
    x0 = ORIGIN[0] + (i % columns) * PLOT_W
    y0 = ORIGIN[1] + (i // columns) * PLOT_H
    boxes = shapely.box(x0, y0, x0 + PLOT_W, y0 + PLOT_H)
    degrees = [to_cgcs2000(b, ZONE) for b in boxes]
    return [
        Feature(
            f"P{n:06d}",
            "regulatory_plan-test",
            LayerKind.REGULATORY_PLAN,
            geometry,
            {
                "code": f"P{n:06d}",
                "land_use": LAND_USES[n % 5],
                "far_max": 1.0 + (n % 7) * 0.5,
                "density_max": 0.25 + (n % 4) * 0.05,
                "height_max": 24 + (n % 10) * 6,
                "green_min": 0.2 + (n % 3) * 0.05,
                "setback_road": 5 + n % 6,
            },
        )
        for n, geometry in enumerate(degrees)
    ]


def _lines(count: int, extent: tuple[float, float]) -> list[Feature]:
    """Roads (10 m wide strips) every 500 m east–west, pipelines every 700 m north–south."""
    width, height = extent
    roads = [
        Feature(f"R{k}", "road-test", LayerKind.ROAD, rect(0, k * 500.0 - 5, width, 10), {})
        for k in range(int(height // 500) + 1)
    ]
    pipes = [
        Feature(
            f"G{k}",
            "pipeline-test",
            LayerKind.PIPELINE,
            rect(k * 700.0, 0, 0.01, height).boundary,
            {"protection_m": 6},
        )
        for k in range(int(width // 700) + 1)
    ]
    return (roads + pipes)[:count] if count else roads + pipes


def _sites(count: int, extent: tuple[float, float], seed: int = 13) -> list[object]:
    rng = random.Random(seed)
    width, height = extent
    return [
        rect(
            rng.uniform(0, width - 160),
            rng.uniform(0, height - 160),
            rng.uniform(30, 150),
            rng.uniform(30, 150),
        )
        for _ in range(count)
    ]


def _time(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _line(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(
        f"{name:<44} median {median:8.3f} ms   p95 {p95:8.3f} ms   "
        f"max {ordered[-1]:8.3f} ms   n={len(ordered)}"
    )
    return median


def _conditions(catalogue: Catalogue, sites: list[object], repeat: int) -> list[float]:
    """Each site's best of ``repeat`` runs: the machine's other work only ever adds time."""
    return [
        min(_time(lambda s=s: conditions_for(s, catalogue)) for _ in range(repeat))  # type: ignore[arg-type]
        for s in sites
    ]


def _rtree_boxes(features: list[Feature], sites: list[object]) -> tuple[float, float]:
    """Build a SQLite R*Tree of the plots' boxes; the median box query time in ms."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE plot_box USING rtree(id, minx, maxx, miny, maxy)")
    bounds = shapely.bounds(np.array([f.geometry for f in features], dtype=object))
    start = time.perf_counter()
    connection.executemany(
        "INSERT INTO plot_box VALUES (?, ?, ?, ?, ?)",
        ((i, b[0], b[2], b[1], b[3]) for i, b in enumerate(bounds.tolist())),
    )
    build = (time.perf_counter() - start) * 1000
    query = "SELECT id FROM plot_box WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"
    samples = []
    for site in sites:
        x0, y0, x1, y1 = site.bounds  # type: ignore[attr-defined]
        box = (x1, x0, y1, y0)
        samples.append(_time(lambda box=box: connection.execute(query, box).fetchall()))
    return build, statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plots", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=300, help="sites queried with the index")
    parser.add_argument("--scan-sites", type=int, default=30, help="sites queried by scanning")
    parser.add_argument("--repeat", type=int, default=3, help="runs per site; the best counts")
    parser.add_argument("--no-store", action="store_true", help="skip the SQLite round trip")
    args = parser.parse_args()

    start = time.perf_counter()
    plots = _plots(args.plots)
    columns = math.ceil(math.sqrt(args.plots))
    extent = (columns * PLOT_W, math.ceil(args.plots / columns) * PLOT_H)
    others = _lines(0, extent)
    print(
        f"{args.plots:,} plots of {PLOT_W:g} m × {PLOT_H:g} m over "
        f"{extent[0] / 1000:.1f} km × {extent[1] / 1000:.1f} km, {len(others)} roads and "
        f"pipelines, made in {time.perf_counter() - start:.1f} s"
    )
    layers = [layer(k) for k in (LayerKind.REGULATORY_PLAN, LayerKind.ROAD, LayerKind.PIPELINE)]
    features = plots + others
    built: dict[str, Catalogue] = {}
    indexed_ms = _time(lambda: built.setdefault("indexed", build_catalogue(layers, features)))
    plain_ms = _time(
        lambda: built.setdefault("plain", build_catalogue(layers, features, indexed=False))
    )
    print(f"build_catalogue with STRtree {indexed_ms:8.0f} ms   without {plain_ms:8.0f} ms")

    sites = _sites(args.sites, extent)
    conditions_for(sites[0], built["indexed"])  # warm PROJ's transformer cache
    with_index = _line(
        "conditions_for, STRtree (in memory)", _conditions(built["indexed"], sites, args.repeat)
    )
    without = _line(
        "conditions_for, linear scan", _conditions(built["plain"], sites[: args.scan_sites], 1)
    )
    print(f"ratio scan / index: {without / with_index:.0f}×   (requirement: < 5 ms with the index)")
    crossing = sum(len(conditions_for(s, built["indexed"]).overlaps) > 1 for s in sites)
    print(f"sites crossing a plot boundary: {crossing} of {len(sites)}")

    if not args.no_store:
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:///{Path(folder) / 'catalogue.db'}")
            repository = GeoRepository(store)
            stored_ms = _time(lambda: repository.import_layer(layers[0], plots))
            loaded: dict[str, Catalogue] = {}
            load_ms = _time(lambda: loaded.setdefault("c", repository.load_catalogue()))
            print(
                f"SQLite records: import {stored_ms / 1000:6.1f} s   "
                f"load_catalogue with STRtree {load_ms / 1000:6.1f} s"
            )
            _line(
                "conditions_for, stored catalogue (STRtree)",
                _conditions(loaded["c"], sites, args.repeat),
            )
            store.close()
    build, query = _rtree_boxes(plots, sites)
    print(
        f"SQLite R*Tree (not in the store yet): build {build:6.0f} ms   "
        f"box query median {query:.3f} ms"
    )


if __name__ == "__main__":
    main()
