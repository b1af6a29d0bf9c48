"""The plugins the tests open stores with: this plugin, found through its entry point.

``open_store(url)`` without hooks knows the built-in backends only (``hooks=None`` means
the built-ins everywhere in planning_core), so every test opens PostgreSQL stores the way a
host does: with the installed plugins.
"""

from __future__ import annotations

from planning_core.bureau import installed_plugins

#: The built-ins and this plugin, loaded from its ``planning_core`` entry point.
PLUGINS = installed_plugins(["postgres"])
