"""The pluggy markers, in a module that imports nothing of the library.

Every room's built-in hook implementations and every plugin import :data:`hookimpl` from
here (or from :mod:`planning_core`), so marking a function as a hook implementation never
pulls in the hook specs, the plugin manager or any other room.
"""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: The pluggy project name: every hook is called ``planning_core_*``.
PROJECT_NAME = "planning_core"

#: Marks a hook specification (only :mod:`planning_core.hookspecs` uses it).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marks a hook implementation, in the library's built-ins and in every plugin.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
