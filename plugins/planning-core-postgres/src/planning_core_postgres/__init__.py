"""planning-core-postgres: the PostgreSQL storage backend for planning_core.

Installed, it is found through the ``planning_core`` entry point (this module is the plugin),
and ``open_store("postgresql://…", installed_plugins())`` (or a bureau file's ``store``)
opens a :class:`PostgresStore`. Several application
servers may share one database: every promise of the Store contract (gap-free sequences,
race-free appends, unique case numbers) holds across processes.
"""

from planning_core_postgres._plugin import planning_core_register_storage_backends
from planning_core_postgres._schema import MIGRATIONS, SCHEMA_VERSION
from planning_core_postgres._store import PostgresStore
from planning_core_postgres._url import DEFAULT_SCHEMA, SCHEMES, Settings, parse_url

__all__ = [
    "DEFAULT_SCHEMA",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SCHEMES",
    "PostgresStore",
    "Settings",
    "parse_url",
    "planning_core_register_storage_backends",
]
