"""Defaults every door shares, in a module that imports nothing.

The command line reads these before it knows which command runs, so they must cost nothing
to import: the environment variable naming the bureau file and the embedded default store.
The rooms that own them (:mod:`planning_core.bureau`, :mod:`planning_core.storage`)
re-export them; this is the one place they are written.
"""

from __future__ import annotations

__all__ = ["BUREAU_ENV", "DEFAULT_STORE_URL"]

#: The environment variable naming the bureau file (TOML) the command line runs.
BUREAU_ENV = "PLANNING_CORE_BUREAU"

#: The embedded default: a SQLite file in the working directory.
DEFAULT_STORE_URL = "sqlite:///planning-core.db"
