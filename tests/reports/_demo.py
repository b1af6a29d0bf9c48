"""The demo's day (``planning-core demo``) on a store of the test's choosing."""

from __future__ import annotations

import contextlib
import io

from planning_core import make_hooks
from planning_core.bureau import open_bureau
from planning_core.cases import Engine
from planning_core.cli._demo import run_demo


def demo_engine(url: str = "memory://") -> Engine:
    """An engine with the reference organisation after ``planning-core demo``'s day."""
    hooks = make_hooks(entry_points=False)
    engine = open_bureau(hooks=hooks, store=url).engine
    with contextlib.redirect_stdout(io.StringIO()):
        run_demo(engine)
    return engine
